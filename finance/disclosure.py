"""What leaves the books as totals by line, never an entry or a member's name.

- The public disclosure (công khai tài chính) of a year: the official THÔNG BÁO, rendered with the plans'
  renderer (layout, header, signature, static-only fetcher): per ledger, the opening balance, the income and
  the spending by budget line (estimate and actual) and the closing balance; the means of disclosure; the
  chair's signature block and the recipients.
- The upper union's totals: for each grassroots union below it, the year's income, spending and closing
  balance of its official ledger and of its funds, and the totals by line: three queries whatever the number
  of unions (one aggregate grouped by union, ledger kind and line).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from finance.budget import Budget, budget
from finance.models import Category, Ledger, Transaction
from members import access
from members.models import Officer, Organization
from plans import markup
from plans.models import header_lines, place_and_date
from plans.rendering import LAYOUT, _static_only_fetcher

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
# The means used besides the executive committee's meeting (RULES.md, Money): key → the PDF's wording.
MEANS = {
    "notice_board": (_("Notice board"), "niêm yết tại bảng tin của đơn vị"),
    "written": (_("Written notice"), "thông báo bằng văn bản đến các tổ công đoàn"),
    "conference": (_("Workers' conference"), "công bố tại hội nghị người lao động"),
    "website": (_("Website"), "đăng trên trang thông tin điện tử của đơn vị"),
}
DEFAULT_MEANS = "notice_board"


def means_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _wording) in MEANS.items()]


# ------------------------------------------------------------------------------------------ the disclosure


def signer_name(organization: Organization, on: datetime.date) -> str:
    chair = (
        Officer.objects.active(on)
        .filter(organization=organization, role=Officer.Role.CHAIR)
        .select_related("user")
        .order_by("start_on", "pk")
        .first()
    )
    return chair.user.get_full_name() if chair else ""


def ledger_table(ledger_budget) -> dict:
    """The rows of one ledger's table: opening, income by line, spending by line, closing."""
    income = [line for line in ledger_budget.lines if line.is_income]
    spending = [line for line in ledger_budget.lines if not line.is_income]
    income_estimate, income_actual = (
        ledger_budget.total(True, "estimate"),
        ledger_budget.total(True, "actual"),
    )
    spending_estimate = ledger_budget.total(False, "estimate")
    spending_actual = ledger_budget.total(False, "actual")
    return {
        "ledger": ledger_budget.ledger,
        "opening": ledger_budget.opening,
        "income": income,
        "income_estimate": income_estimate,
        "income_actual": income_actual,
        "income_variance": income_actual - income_estimate,
        "spending": spending,
        "spending_estimate": spending_estimate,
        "spending_actual": spending_actual,
        "spending_variance": spending_actual - spending_estimate,
        "closing_estimate": ledger_budget.closing_estimate,
        "closing_actual": ledger_budget.closing_actual,
    }


def disclosure_context(
    organization: Organization, year: int, *, today: datetime.date, means: str = DEFAULT_MEANS,
    data: Budget | None = None,
) -> dict:  # fmt: skip
    data = data if data is not None else budget(organization, year)
    governing, issuer = header_lines(organization)
    tables = [ledger_table(ledger_budget) for ledger_budget in data.ledgers]
    for index, table in enumerate(tables):
        table["number"] = f"{ROMAN[index]}." if index < len(ROMAN) else f"{index + 1}."
    year_end = datetime.date(year, 12, 31)
    parent = organization.parent
    recipients = [
        f"- {parent.name} (để báo cáo);" if parent else None,
        "- Ban Chấp hành, Ủy ban Kiểm tra công đoàn cơ sở;",
        "- Các tổ công đoàn (để thông báo đến đoàn viên);",
        "- Lưu: VT, KT.",
    ]
    doc = {
        "reference": f"    /TB-{organization.symbol}",
        "place_and_date": place_and_date(organization.locality or "", today),
        "signature_authority": "TM. BAN CHẤP HÀNH",
        "signature_title": "CHỦ TỊCH",
        "signer_name": signer_name(organization, today),
        "title": f"Công khai tài chính năm {year}",
    }
    return {
        "layout": LAYOUT,
        "header": {"governing": governing, "issuer": issuer},
        "doc": doc,
        "organization": organization,
        "year": year,
        "tables": tables,
        "until": today if today < year_end else None,  # a year still running: actuals so far
        "means": MEANS.get(means, MEANS[DEFAULT_MEANS])[1],
        "recipients": [line for line in recipients if line],
    }


def render_html(context: dict) -> str:
    with translation.override("vi"):
        return markup.normalize(render_to_string("finance/budget/disclosure_document.html", context))


def render_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    html = HTML(string=render_html(context), base_url="static://", url_fetcher=_static_only_fetcher())
    return html.write_pdf(pdf_variant=None)


def filename(organization: Organization, year: int, extension: str) -> str:
    return f"cong-khai-tai-chinh-{year}-{organization.pk}.{extension}"


# ------------------------------------------------------------------------------- the upper union's totals


@dataclass
class Book:
    """One union's (or everyone's) totals in one kind of ledger for the year."""

    opening: int = 0
    by_line: dict[str, int] = field(default_factory=dict)  # category → income (+) or spending (+)

    @property
    def income(self) -> int:
        return sum(amount for category, amount in self.by_line.items() if category in Category.income())

    @property
    def spending(self) -> int:
        return sum(amount for category, amount in self.by_line.items() if category not in Category.income())

    @property
    def closing(self) -> int:
        return self.opening + self.income - self.spending

    def add(self, category: str, year_effect: int, before: int) -> None:
        self.opening += before
        if year_effect:
            amount = year_effect if category in Category.income() else -year_effect
            self.by_line[category] = self.by_line.get(category, 0) + amount


@dataclass
class UnionTotals:
    organization: Organization
    official: Book = field(default_factory=Book)
    funds: Book = field(default_factory=Book)


@dataclass
class Totals:
    year: int
    unions: list[UnionTotals]
    official: Book
    funds: Book

    def lines(self) -> list[dict]:
        """Every budget line with an amount: its label, the official and the funds' totals."""
        rows = []
        for category in Category.income() + Category.expense():
            official, funds = self.official.by_line.get(category, 0), self.funds.by_line.get(category, 0)
            if official or funds:
                rows.append(
                    {
                        "label": Category(category).label,
                        "is_income": category in Category.income(),
                        "official": official,
                        "funds": funds,
                    }
                )
        return rows


def grassroots_below(organization: Organization):
    """The grassroots unions the totals cover: every one below an upper union, or the union itself."""
    if organization.is_grassroots:
        return Organization.objects.filter(pk=organization.pk)
    below = access.descendant_ids(Organization.objects.filter(pk=organization.pk).values("pk"))
    return Organization.objects.filter(below, level=Organization.Level.GRASSROOTS).order_by("name", "pk")


def union_totals(organization: Organization, year: int) -> Totals:
    """Per grassroots union below `organization`: the official ledger's and the funds' totals. Two queries."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    below = grassroots_below(organization)
    rows = {union.pk: UnionTotals(union) for union in below}
    grouped = (
        Transaction.objects.filter(ledger__organization__in=below.order_by().values("pk"), on__lte=end)
        .values_list("ledger__organization_id", "ledger__kind", "category")
        .annotate(
            year_total=Sum("effect", filter=Q(on__gte=start), default=0),
            before=Sum("effect", filter=Q(on__lt=start), default=0),
        )
        .order_by()
    )
    official, funds = Book(), Book()
    for organization_id, kind, category, year_total, before in grouped:
        row = rows[organization_id]
        is_official = kind == Ledger.Kind.OFFICIAL
        (row.official if is_official else row.funds).add(category, year_total, before)
        (official if is_official else funds).add(category, year_total, before)
    return Totals(year, list(rows.values()), official, funds)
