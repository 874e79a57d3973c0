"""The member roll in and out of Excel (openpyxl): a template with Vietnamese headers, and an import that
checks every row first and saves nothing unless every row is right, then saves them all in one transaction.

Each error names its row (as Excel numbers it) and column (by its header), in Vietnamese.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from members.models import Member, MemberEvent, Organization

# header → (field, required); the order is the template's
COLUMNS = {
    "Họ và tên": ("full_name", True),
    "Ngày sinh": ("birth_date", False),
    "Giới tính": ("sex", True),
    "Dân tộc": ("ethnicity", False),
    "Số CCCD": ("citizen_id", False),
    "Điện thoại": ("phone", False),
    "Email": ("email", False),
    "Nghề nghiệp": ("job", False),
    "Chức vụ": ("position", False),
    "Tiền lương đóng BHXH": ("insurance_salary", False),
    "Đảng viên": ("party_member", False),
    "Ngày kết nạp": ("admitted_on", True),
    "Số quyết định kết nạp": ("admission_decision", False),
    "Số thẻ đoàn viên": ("card_number", False),
    "Tổ công đoàn": ("union_group", False),
    "Chức vụ công đoàn": ("union_office", False),
}
DATE_FIELDS = {"birth_date", "admitted_on"}
MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
SEXES = {"nam": Member.Sex.MALE, "nữ": Member.Sex.FEMALE, "nu": Member.Sex.FEMALE}
YES = {"có", "co", "x", "1", "đảng viên", "yes"}
NO = {"", "không", "khong", "0", "no"}
YES_OR_NO = YES | NO
# built once, not for each cell: the patterns and the text fields' lengths
DATE_RE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
CITIZEN_ID_RE = re.compile(r"\d{12}")
SALARY_NOISE_RE = re.compile(r"[.\s,]|đ$|đồng$")
WHOLE_RE = re.compile(r"-?\d+")
LIMITS = {
    field: Member._meta.get_field(field).max_length
    for field, _required in COLUMNS.values()
    if field != "union_group"
}
BATCH = 1000  # rows an INSERT (well under PostgreSQL's 65,535 parameters)


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it (the header is row 1); 0 for the file as a whole
    column: str
    message: str


class ImportRefused(Exception):
    """The file has errors: nothing was saved."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors

    def as_json(self) -> list[dict]:
        return [asdict(error) for error in self.errors]


def template_workbook() -> bytes:
    """An empty roll with the headers (and one example row to overwrite), as .xlsx."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách đoàn viên"
    sheet.append(list(COLUMNS))
    sheet.append(
        ["Nguyễn Văn A", "15/04/1990", "Nam", "Kinh", "001090012345", "0912345678", "", "Giáo viên",
         "Tổ trưởng", 6500000, "Không", "01/09/2015", "15/QĐ-CĐCS", "", "", ""]
    )  # fmt: skip
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = max(14, len(str(column[0].value)) + 4)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _day(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    match = DATE_RE.fullmatch(text)
    if not match:
        raise ValueError(
            _("“%(value)s” is not a date: write day/month/year, e.g. 05/03/1990.") % {"value": text}
        )
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(_("%(value)s is not a date that exists.") % {"value": text}) from None


def _row_values(row: tuple, positions: dict[str, int], groups: dict[str, int], today) -> tuple[dict, list]:
    """One row's fields, or the messages of its bad cells (header → message)."""
    values, problems = {}, []
    for header, (field, required) in COLUMNS.items():
        raw = row[positions[header]] if header in positions and positions[header] < len(row) else None
        text = _text(raw)
        try:
            if not text:
                if required:
                    raise ValueError(_("Required: this cell is empty."))
                if field == "party_member":
                    values[field] = False
                continue
            if field in DATE_FIELDS:
                day = _day(raw)
                if day > today:
                    raise ValueError(
                        _("The date %(day)s is in the future.") % {"day": day.strftime("%d/%m/%Y")}
                    )
                values[field] = day
            elif field == "sex":
                if text.lower() not in SEXES:
                    raise ValueError(_("Write Nam or Nữ."))
                values[field] = SEXES[text.lower()]
            elif field == "citizen_id":
                if not CITIZEN_ID_RE.fullmatch(text):
                    raise ValueError(_("A citizen ID has exactly 12 digits (“%(value)s”).") % {"value": text})
                values[field] = text
            elif field == "insurance_salary":
                number = SALARY_NOISE_RE.sub("", text)
                if not WHOLE_RE.fullmatch(number):
                    raise ValueError(_("Write the salary as a whole number of đồng."))
                if int(number) < 0:
                    raise ValueError(_("The salary cannot be negative."))
                values[field] = int(number)
            elif field == "party_member":
                if text.lower() not in YES_OR_NO:
                    raise ValueError(_("Write Có or Không."))
                values[field] = text.lower() in YES
            elif field == "union_group":
                if text.lower() not in groups:
                    raise ValueError(
                        _("There is no union group “%(value)s” in this union.") % {"value": text}
                    )
                values["union_group_id"] = groups[text.lower()]
            else:
                limit = LIMITS[field]
                if limit and len(text) > limit:
                    raise ValueError(_("At most %(limit)s characters.") % {"limit": limit})
                values[field] = text
        except ValueError as problem:
            problems.append((header, str(problem)))
    return values, problems


def read_rows(data: bytes, organization: Organization) -> tuple[list[dict], list[RowError]]:
    """Every row checked; (rows, []) when all are right, else ([], every error)."""
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        return [], [RowError(0, "", _("The file is larger than 10 MB."))]
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        return [], [RowError(0, "", _("This is not an Excel file (.xlsx). Start from the template."))]
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(cell) for cell in next(rows, ())]
    positions = {name: index for index, name in enumerate(header) if name in COLUMNS}
    missing = [name for name, (_field, required) in COLUMNS.items() if required and name not in positions]
    if missing:
        return [], [
            RowError(1, name, _("This column is missing: use the template's headers.")) for name in missing
        ]
    groups = {group.name.lower(): group.pk for group in organization.union_groups.all()}
    known = set(Member.objects.exclude(citizen_id="").values_list("citizen_id", flat=True))
    today = timezone.localdate()
    good, errors, seen = [], [], {}
    for number, row in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            errors.append(RowError(number, "", _("At most %(limit)s rows at a time.") % {"limit": MAX_ROWS}))
            break
        if not any(_text(cell) for cell in row):
            continue  # blank lines between blocks are common
        values, problems = _row_values(tuple(row), positions, groups, today)
        citizen_id = values.get("citizen_id")
        if citizen_id in known:
            problems.append(("Số CCCD", _("This citizen ID is already on a roll.")))
        elif citizen_id in seen:
            problems.append(
                ("Số CCCD", _("The same citizen ID is on row %(row)s.") % {"row": seen[citizen_id]})
            )
        if citizen_id:
            seen.setdefault(citizen_id, number)
        errors += [RowError(number, column, message) for column, message in problems]
        good.append(values)
    return ([] if errors else good), errors


@transaction.atomic
def members_import(*, data: bytes, organization: Organization, by) -> list[Member]:
    """All rows or none: raises ImportRefused with every error; otherwise the members and their admission."""
    if not access.can(by, "manage_members", organization):
        raise PermissionDenied("manage_members refused")
    rows, errors = read_rows(data, organization)
    if errors:
        raise ImportRefused(errors)
    members = Member.objects.bulk_create(
        [Member(organization=organization, status_since=row["admitted_on"], **row) for row in rows],
        batch_size=BATCH,
    )
    reason = _("Imported from Excel")
    MemberEvent.objects.bulk_create(
        [
            MemberEvent(
                member=member, kind=MemberEvent.Kind.ADMITTED, on=member.admitted_on,
                organization=organization, decision=member.admission_decision, recorded_by=by, reason=reason,
            )
            for member in members
        ],
        batch_size=BATCH,
    )  # fmt: skip
    return members
