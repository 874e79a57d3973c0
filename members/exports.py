"""Excel files of the roll, of welfare records and of the statistics (openpyxl), and the log of every export
of personal data (`export_log`), written in the same request as the file.

The roll's columns are the import template's (`members.importing.COLUMNS`, same order, same values: Nam/Nữ,
Có/Không, dates as dates), then the status, so an exported roll can be imported again elsewhere.
Text typed by users never becomes a formula: a cell starting with "=" is written as text.
"""

from __future__ import annotations

import io

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from members.importing import COLUMNS
from members.models import Member, MemberEvent, Organization, PersonalDataExport
from members.stats import MONTHS, NEW_KINDS, MemberStats, WelfareStats, age_labels

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE = "DD/MM/YYYY"
AMOUNT = "#,##0"
STATUS_HEADER = "Trạng thái"
SEX_TEXT = {Member.Sex.MALE: "Nam", Member.Sex.FEMALE: "Nữ"}


def _text(value) -> str:
    return "" if value is None else str(value)


def export_log(
    *, organization: Organization, user, kind: str, rows: int, filters: str = ""
) -> PersonalDataExport:
    """Who took which rows of which union, and when (kept for ever)."""
    limit = PersonalDataExport._meta.get_field("filters").max_length
    return PersonalDataExport.objects.create(
        organization=organization, user=user, kind=kind, rows=rows, filters=filters[:limit]
    )


class _Book:
    """A streamed workbook (write-only: a large roll in a fraction of a second) with styled cells.

    openpyxl turns every plain value of a row into a cell on its own; a cell is built here only for a style
    or for text starting with "=", and cells of one style share the style built once (`_styles`).
    """

    def __init__(self):
        from openpyxl import Workbook

        self.book = Workbook(write_only=True)
        self._styles = {}

    def sheet(self, title: str, widths: list[int]):
        from openpyxl.utils import get_column_letter

        ws = self.book.create_sheet(title[:31])
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        return ws

    def _style(self, ws, bold: bool, number_format: str | None):
        key = (bold, number_format)
        if key not in self._styles:
            from openpyxl.cell import WriteOnlyCell
            from openpyxl.styles import Font

            model = WriteOnlyCell(ws)
            if bold:
                model.font = Font(bold=True)
            if number_format is not None:
                model.number_format = number_format
            self._styles[key] = model._style
        return self._styles[key]

    def cell(self, ws, value, *, bold=False, number_format=None):
        from openpyxl.cell.cell import Cell

        if isinstance(value, Promise):
            value = str(value)  # a lazy label
        style = self._style(ws, bold, number_format) if bold or number_format is not None else None
        cell = Cell(ws, row=1, column=1, value=value, style_array=style)  # a date keeps `number_format`
        if cell.data_type == "f":
            cell.data_type = "s"  # typed text, never a formula: "=1+1" stays "=1+1"
        return cell

    def row(self, ws, values):
        """A row of plain values, every text a text cell (so nothing a user typed runs as a formula)."""
        ws.append([self.cell(ws, value) if _unsafe(value) else value for value in values])

    def bold_row(self, ws, values):
        ws.append([self.cell(ws, value, bold=True) for value in values])

    def save(self) -> bytes:
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()


def _unsafe(value) -> bool:
    """Text openpyxl would take for a formula (or a lazy label, which it cannot write)."""
    return isinstance(value, Promise) or (isinstance(value, str) and value.startswith("="))


# the roll's columns as read from the database: COLUMNS' fields, the union group by its name, then the status
ROLL_FIELDS = [field if field != "union_group" else "union_group__name" for field, _r in COLUMNS.values()]


def roll_workbook(members) -> tuple[bytes, int]:
    """The members (a queryset) as rows under the import template's headers, then their status;
    (file, row count). One query, read as plain values: no model instance per member."""
    book = _Book()
    ws = book.sheet("Danh sách đoàn viên", [max(14, len(header) + 4) for header in COLUMNS] + [18])
    book.bold_row(ws, [*COLUMNS, STATUS_HEADER])
    statuses = {value: str(label) for value, label in Member.Status.choices}
    sex = ROLL_FIELDS.index("sex")
    party = ROLL_FIELDS.index("party_member")
    dates = [ROLL_FIELDS.index(field) for field in ("birth_date", "admitted_on")]
    amount = ROLL_FIELDS.index("insurance_salary")
    cell, append = book.cell, ws.append
    count = 0
    for values in members.values_list(*ROLL_FIELDS, "status").iterator(chunk_size=2000):
        row = [
            ((cell(ws, value) if value[0] == "=" else value) if value else None)
            if value.__class__ is str
            else value
            for value in values
        ]  # typed text never a formula; no cell at all for empty text (it reads back the same, as None)
        row[sex] = SEX_TEXT.get(values[sex], "")
        row[party] = "Có" if values[party] else "Không"
        for index in dates:
            row[index] = cell(ws, values[index], number_format=DATE)
        row[amount] = cell(ws, values[amount], number_format=AMOUNT)
        status = values[-1]
        row[-1] = statuses.get(status, status)
        append(row)
        count += 1
    return book.save(), count


WELFARE_HEADERS = [
    "Số", "Ngày", "Đoàn viên", "Người thân", "Dịp", "Số tiền (đồng)", "Người thăm, tặng", "Ghi chú",
    "Đã hủy", "Lý do hủy",
]  # fmt: skip


def welfare_workbook(records, year: int) -> tuple[bytes, int]:
    """A year's welfare records, cancelled ones included and marked; (file, row count)."""
    book = _Book()
    ws = book.sheet(f"Phúc lợi {year}", [11, 12, 28, 24, 30, 15, 24, 30, 9, 24])
    book.bold_row(ws, WELFARE_HEADERS)
    count = 0
    for record in records:
        book.row(
            ws,
            [
                record.reference,
                book.cell(ws, record.on, number_format=DATE),
                _text(record.member.full_name),
                _text(record.family_member.full_name) if record.family_member else "",
                record.get_occasion_display(),
                book.cell(ws, record.amount, number_format=AMOUNT),
                _text(record.visited_by),
                _text(record.note),
                "Có" if record.is_cancelled else "",
                _text(record.cancel_reason),
            ],
        )
        count += 1
    return book.save(), count


def member_stats_workbook(stats: MemberStats) -> bytes:
    """The breakdowns on one sheet; for an upper union a second sheet with a line per union below."""
    book = _Book()
    ws = book.sheet(_("Members"), [42, 14])
    book.bold_row(ws, [stats.organization.name])
    ws.append([_("Date of the counts"), book.cell(ws, stats.today, number_format=DATE)])
    ws.append([_("Members on the roll"), stats.totals["on_roll"]])
    ws.append([_("Party members"), stats.totals["party"]])
    sections = [
        (_("By status"), stats.statuses()),
        (_("By sex"), stats.sexes()),
        (_("By age"), stats.ages()),
    ]
    if stats.groups is not None:
        sections.append((_("By union group"), [*stats.groups, (_("No union group"), stats.without_group)]))
    sections.append(
        (
            _("New members in %(year)s") % {"year": stats.year},
            [*stats.new_members(), (_("Total"), stats.new_total)],
        )
    )
    for title, rows in sections:
        ws.append([])
        book.bold_row(ws, [title, _("Members")])
        for label, count in rows:
            book.row(ws, [str(label), count])  # union groups are named by users
    if stats.children is not None:
        keys = ["on_roll", "female", "male", *(key for key, _label in age_labels()), "party", *NEW_KINDS]
        headers = [
            _("Union"), _("Grassroots unions"), _("Members on the roll"),
            *(label for _v, label in Member.Sex.choices), *(label for _key, label in age_labels()),
            _("Party members"),
            *(_new_label(kind, stats.year) for kind in NEW_KINDS),
        ]  # fmt: skip
        units = book.sheet(_("By union"), [44, 12] + [12] * (len(headers) - 2))
        book.bold_row(units, headers)
        for child in stats.children:
            book.row(units, [child.organization.name, child.grassroots, *(child.counts[k] for k in keys)])
        book.bold_row(units, [_("Total"), stats.union_count, *(stats.totals[k] for k in keys)])
    return book.save()


def _new_label(kind: str, year: int) -> str:
    return f"{MemberEvent.Kind(kind).label} {year}"


def welfare_stats_workbook(stats: WelfareStats) -> bytes:
    """Records and amounts by occasion × month (two sheets); for an upper union a sheet per union below."""
    book = _Book()
    months = [f"T{month}" for month in MONTHS]
    for title, attribute, number_format in (
        (_("Records"), "counts", None),
        (_("Amounts (đồng)"), "amounts", AMOUNT),
    ):
        ws = book.sheet(title, [36] + [10] * 12 + [14])
        book.bold_row(ws, [f"{stats.organization.name} — {stats.year}"])
        book.bold_row(ws, [_("Occasion"), *months, _("Total")])
        for line in [*stats.lines, stats.total]:
            values = getattr(line, attribute)
            is_total = line is stats.total
            ws.append(
                [book.cell(ws, str(line.label) if not is_total else _("Total"), bold=is_total)]
                + [book.cell(ws, value, bold=is_total, number_format=number_format) for value in values]
                + [book.cell(ws, sum(values), bold=True, number_format=number_format)]
            )
    if stats.children is not None:
        ws = book.sheet(_("By union"), [44, 12, 16])
        book.bold_row(ws, [_("Union"), _("Records"), _("Amount (đồng)")])
        for organization, count, amount in stats.children:
            book.row(ws, [organization.name, count, book.cell(ws, amount, number_format=AMOUNT)])
        book.bold_row(ws, [_("Total"), stats.total.count, stats.total.amount])
    return book.save()
