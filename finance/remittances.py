"""What a grassroots union owes the union above it for a period, from the dues and union fee it took in, at
the shares in force on each receipt's date, against what it has remitted."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from finance.models import Category, Rule, Transaction
from finance.rules import RuleBook, percent_of
from members.models import Organization


@dataclass(frozen=True)
class Remittance:
    dues_collected: int
    dues_owed: int
    kpcd_collected: int
    kpcd_owed: int
    paid: int

    @property
    def owed(self) -> int:
        return self.dues_owed + self.kpcd_owed

    @property
    def outstanding(self) -> int:
        return self.owed - self.paid


SHARES = {Category.DUES: Rule.Kind.SHARE_DUES, Category.KPCD: Rule.Kind.SHARE_KPCD}


def remittances(
    organization_ids, start: datetime.date, end: datetime.date, period: str = ""
) -> dict[int, Remittance]:
    """Per union: collected and owed for [start, end], and what was remitted for it: the remittances posted
    for `period` (a key such as 2026-Q3) whenever they were paid, and those posted without a period in
    [start, end]. Four queries in all."""
    organization_ids = list(organization_ids)
    book = RuleBook()
    # collected per union, line and day (net of reversals), then owed at the share kept on each day
    collected: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_share: dict[tuple[int, str, Decimal], int] = defaultdict(int)
    rows = (
        Transaction.objects.filter(
            ledger__organization_id__in=organization_ids,
            category__in=list(SHARES),
            on__gte=start,
            on__lte=end,
        )
        .values_list("ledger__organization_id", "category", "on")
        .annotate(total=Sum("effect"))
        .order_by()
    )
    unit_types = dict(Organization.objects.filter(pk__in=organization_ids).values_list("pk", "unit_type"))
    for organization_id, category, on, total in rows:
        collected[organization_id][category] += total
        kept = book.value(SHARES[category], on, unit_types.get(organization_id, ""))
        by_share[(organization_id, category, kept)] += total
    owed: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (organization_id, category, kept), total in by_share.items():
        owed[organization_id][category] += percent_of(total, Decimal(100) - kept)
    paid_for = Q(period="", on__gte=start, on__lte=end)
    if period:
        paid_for |= Q(period=period)
    paid = dict(
        Transaction.objects.filter(ledger__organization_id__in=organization_ids, category=Category.REMITTANCE)
        .filter(paid_for)
        .values_list("ledger__organization_id")
        .annotate(total=Sum("effect"))
        .values_list("ledger__organization_id", "total")
        .order_by()
    )
    return {
        organization_id: Remittance(
            dues_collected=collected[organization_id][Category.DUES],
            dues_owed=owed[organization_id][Category.DUES],
            kpcd_collected=collected[organization_id][Category.KPCD],
            kpcd_owed=owed[organization_id][Category.KPCD],
            paid=-(paid.get(organization_id) or 0),
        )
        for organization_id in organization_ids
    }
