"""Budget against actual (dự toán – quyết toán) for a year, line by line, with the warnings a treasurer
needs: the dues kept spent against the 4290 limits, and a fund that would go below zero."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.models import BudgetLine, Category, Ledger, Rule, Transaction
from finance.remittances import remittances
from finance.rules import RuleBook, RuleMissing, percent_of
from members.models import Organization

K = Rule.Kind


@dataclass
class Line:
    ledger: Ledger
    category: str
    estimate: int = 0
    actual: int = 0

    @property
    def label(self) -> str:
        return Category(self.category).label

    @property
    def is_income(self) -> bool:
        return self.category in Category.income()

    @property
    def variance(self) -> int:
        """Actual minus estimate: more taken in, or more spent, than planned is positive."""
        return self.actual - self.estimate


@dataclass
class LedgerBudget:
    ledger: Ledger
    opening: int
    lines: list[Line] = field(default_factory=list)

    def total(self, income: bool, attribute: str) -> int:
        return sum(getattr(line, attribute) for line in self.lines if line.is_income == income)

    @property
    def closing_estimate(self) -> int:
        return self.opening + self.total(True, "estimate") - self.total(False, "estimate")

    @property
    def closing_actual(self) -> int:
        return self.opening + self.total(True, "actual") - self.total(False, "actual")


@dataclass
class Budget:
    year: int
    ledgers: list[LedgerBudget]
    warnings: list[str]


LIMITS = [  # (budget line, rule, is a ceiling)
    (Category.ALLOWANCES, K.ALLOWANCES_MAX, True),
    (Category.CARE, K.CARE_MIN, False),
    (Category.OTHER_EXPENSE, K.OTHER_MAX, True),
]


def budget(organization: Organization, year: int) -> Budget:
    """Every ledger of the union with its estimate and actual per line for `year`, and the warnings. Nine
    queries whatever the number of ledgers and entries."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    ledgers = sorted(
        organization.ledgers.all(), key=lambda ledger: (ledger.kind != Ledger.Kind.OFFICIAL, ledger.name)
    )
    ids = [ledger.pk for ledger in ledgers]
    estimates = {
        (row.ledger_id, row.category): row.amount
        for row in BudgetLine.objects.filter(ledger__in=ids, year=year)
    }
    actuals = dict(
        ((ledger_id, category), total)
        for ledger_id, category, total in Transaction.objects.filter(
            ledger__in=ids, on__gte=start, on__lte=end
        )
        .values_list("ledger_id", "category")
        .annotate(total=Sum("effect"))
        .values_list("ledger_id", "category", "total")
        .order_by()
    )
    openings = dict(
        Transaction.objects.filter(ledger__in=ids, on__lt=start)
        .values_list("ledger_id")
        .annotate(total=Sum("effect"))
        .values_list("ledger_id", "total")
        .order_by()
    )
    result = []
    for ledger in ledgers:
        lines = []
        for category in Category.income() + Category.expense():
            estimate = estimates.get((ledger.pk, category), 0)
            actual = actuals.get((ledger.pk, category), 0)
            actual = actual if category in Category.income() else -actual
            if estimate or actual:
                lines.append(Line(ledger, category, estimate, actual))
        result.append(LedgerBudget(ledger, openings.get(ledger.pk) or 0, lines))
    return Budget(year, result, _warnings(organization, year, result))


def _warnings(organization: Organization, year: int, ledgers: list[LedgerBudget]) -> list[str]:
    warnings = []
    for budget_ in ledgers:
        for attribute, label in (("closing_estimate", _("estimate")), ("closing_actual", _("actual"))):
            if getattr(budget_, attribute) < 0:
                warnings.append(
                    _("%(ledger)s would go below zero (%(what)s: %(amount)s đ at the end of the year).")
                    % {
                        "ledger": budget_.ledger.name,
                        "what": label,
                        "amount": _dots(getattr(budget_, attribute)),
                    }
                )
    official = next((b for b in ledgers if b.ledger.kind == Ledger.Kind.OFFICIAL), None)
    if official is None:
        return warnings
    try:
        return warnings + _allocation(organization, year, official)
    except RuleMissing as missing:  # a year before the rules: say so instead of failing
        return [*warnings, *missing.messages]


def _allocation(organization: Organization, year: int, official: LedgerBudget) -> list[str]:
    warnings = []
    book = RuleBook()
    today = timezone.localdate()
    on = min(datetime.date(year, 12, 31), max(datetime.date(year, 1, 1), today))
    lines = {line.category: line for line in official.lines}
    dues = lines.get(Category.DUES)
    collected = remittances([organization.pk], datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    collected = collected[organization.pk]
    kept_by_attribute = {  # the actual at the share in force on each receipt's date; the estimate at today's
        "estimate": percent_of(
            dues.estimate if dues else 0, book.value(K.SHARE_DUES, on, organization.unit_type)
        ),
        "actual": collected.dues_collected - collected.dues_owed,
    }
    for attribute, label in (("estimate", _("estimate")), ("actual", _("actual"))):
        kept = kept_by_attribute[attribute]
        if not kept:
            continue
        for category, kind, ceiling in LIMITS:
            if attribute == "actual" and not ceiling and today.year <= year:
                continue  # a minimum is met by the end of the year, not along the way
            share = book.value(kind, on, organization.unit_type)
            spent = getattr(lines[category], attribute) if category in lines else 0
            limit = percent_of(kept, share)
            if (ceiling and spent > limit) or (not ceiling and spent < limit):
                warnings.append(
                    _(
                        "%(line)s (%(what)s): %(spent)s đ is %(ratio)s%% of the dues kept (%(kept)s đ); "
                        "the rule is %(bound)s %(share)s%%."
                    )
                    % {
                        "line": Category(category).label,
                        "what": label,
                        "spent": _dots(spent),
                        "ratio": _ratio(spent, kept),
                        "kept": _dots(kept),
                        "bound": _("at most") if ceiling else _("at least"),
                        "share": _ratio(share, 100),
                    }
                )
    return warnings


def _dots(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _ratio(part, whole) -> str:
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
    return f"{value.normalize():f}".replace(".", ",")
