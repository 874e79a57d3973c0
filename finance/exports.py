"""Excel files of the budget pages: budget against actual (with the variance and the warnings), the public
disclosure (estimate and actual per line, as printed) and the upper union's totals. Vietnamese headers,
amounts as numbers in whole đồng (#,##0), text never a formula."""

from __future__ import annotations

import io

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from finance.budget import Budget
from finance.disclosure import Totals

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY = "#,##0"


def _text(value: str) -> str:
    """Text typed by users never becomes a spreadsheet formula (=, +, -, @ at the start)."""
    value = str(value)
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


class _Sheet:
    """A write-only sheet with bold rows and money cells."""

    def __init__(self, book, title: str, widths: tuple):
        from openpyxl.styles import Font

        self.ws = book.create_sheet(title[:31])
        self.bold = Font(bold=True)
        for index, width in enumerate(widths):
            self.ws.column_dimensions[chr(ord("A") + index)].width = width

    def row(self, values: list, *, bold: bool = False, money_from: int = 2) -> None:
        from openpyxl.cell import WriteOnlyCell

        cells = []
        for index, value in enumerate(values):
            value = str(value) if isinstance(value, Promise) else value
            cell = WriteOnlyCell(self.ws, value=_text(value) if isinstance(value, str) else value)
            if bold:
                cell.font = self.bold
            if index >= money_from and isinstance(value, int):
                cell.number_format = MONEY
            cells.append(cell)
        self.ws.append(cells)


def _save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def budget_workbook(organization, data: Budget) -> bytes:
    """One sheet: per ledger, opening, income lines, spending lines, closing; then the warnings."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = _Sheet(book, _("Budget %(year)s") % {"year": data.year}, (8, 50, 18, 18, 18))
    sheet.row([_("Budget against actual, year %(year)s") % {"year": data.year}], bold=True)
    sheet.row([organization.name], bold=True)
    sheet.row([])
    for ledger_budget in data.ledgers:
        sheet.row([ledger_budget.ledger.name], bold=True)
        sheet.row(["", _("Budget line"), _("Estimate"), _("Actual"), _("Variance")], bold=True)
        sheet.row(["", _("Opening balance"), ledger_budget.opening, ledger_budget.opening, None], bold=True)
        for income, title in ((True, _("Income")), (False, _("Spending"))):
            estimate, actual = ledger_budget.total(income, "estimate"), ledger_budget.total(income, "actual")
            sheet.row(["", title, estimate, actual, actual - estimate], bold=True)
            for number, line in enumerate([x for x in ledger_budget.lines if x.is_income == income], 1):
                sheet.row([number, line.label, line.estimate, line.actual, line.variance])
        estimate, actual = ledger_budget.closing_estimate, ledger_budget.closing_actual
        sheet.row(["", _("Closing balance"), estimate, actual, actual - estimate], bold=True)
        sheet.row([])
    if data.warnings:
        sheet.row([_("Warnings")], bold=True)
        for warning in data.warnings:
            sheet.row(["", warning])
    return _save(book)


def disclosure_workbook(context: dict) -> bytes:
    """The disclosure's tables as printed: estimate and actual per line."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    year = context["year"]
    sheet = _Sheet(book, _("Disclosure %(year)s") % {"year": year}, (8, 55, 20, 20))
    sheet.row([f"THÔNG BÁO CÔNG KHAI TÀI CHÍNH NĂM {year}"], bold=True)
    sheet.row([context["organization"].name], bold=True)
    if context["until"]:
        sheet.row([f"Số liệu thực hiện tính đến ngày {context['until']:%d/%m/%Y}."])
    for table in context["tables"]:
        sheet.row([])
        sheet.row([table["number"], table["ledger"].name.upper()], bold=True)
        sheet.row(["TT", "Nội dung", "Dự toán (đồng)", "Thực hiện (đồng)"], bold=True)
        sheet.row(["A", "Số dư đầu năm", table["opening"], table["opening"]], bold=True)
        sheet.row(["B", "Tổng thu", table["income_estimate"], table["income_actual"]], bold=True)
        for number, line in enumerate(table["income"], 1):
            sheet.row([number, line.label, line.estimate, line.actual])
        sheet.row(["C", "Tổng chi", table["spending_estimate"], table["spending_actual"]], bold=True)
        for number, line in enumerate(table["spending"], 1):
            sheet.row([number, line.label, line.estimate, line.actual])
        sheet.row(["D", "Số dư cuối năm", table["closing_estimate"], table["closing_actual"]], bold=True)
    return _save(book)


def totals_workbook(organization, totals: Totals) -> bytes:
    """Per union: official income, spending, closing; funds likewise. Then the totals by line."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = _Sheet(book, _("Unions"), (6, 50, 16, 16, 16, 16, 16, 16))
    sheet.row([_("Finance of the unions below, year %(year)s") % {"year": totals.year}], bold=True)
    sheet.row([organization.name], bold=True)
    sheet.row(
        [
            _("No."), _("Union"), _("Union finance: income"), _("Union finance: spending"),
            _("Union finance: closing balance"), _("Funds: income"), _("Funds: spending"),
            _("Funds: closing balance"),
        ],
        bold=True,
    )  # fmt: skip
    for number, row in enumerate(totals.unions, 1):
        official, funds = row.official, row.funds
        sheet.row(
            [number, row.organization.name, official.income, official.spending, official.closing,
             funds.income, funds.spending, funds.closing]
        )  # fmt: skip
    official, funds = totals.official, totals.funds
    sheet.row(
        ["", _("Total"), official.income, official.spending, official.closing, funds.income, funds.spending,
         funds.closing],
        bold=True,
    )  # fmt: skip
    lines = _Sheet(book, _("By budget line"), (50, 12, 18, 18))
    lines.row([_("Budget line"), _("Kind"), _("Union finance"), _("Funds")], bold=True)
    for line in totals.lines():
        kind = _("Income") if line["is_income"] else _("Spending")
        lines.row([line["label"], kind, line["official"], line["funds"]])
    return _save(book)
