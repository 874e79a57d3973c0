"""The cash book (sổ quỹ) of a ledger for a span of dates: opening balance, each entry with the running
balance, the span's receipts and payments, and the closing balance. Pages of entries, a constant number of
queries whatever the size of the ledger (the balance before a page is one SUM on the (ledger, on, id) index).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, Sum

from finance.models import Ledger, Transaction

PAGE_SIZE = 100


@dataclass(frozen=True)
class CashBookRow:
    entry: Transaction
    balance: int

    @property
    def receipt(self) -> int | None:
        """In the receipts column: a receipt, or its reversal as a negative amount."""
        return self.entry.effect if self.entry.direction == Transaction.Direction.INCOME else None

    @property
    def payment(self) -> int | None:
        """In the payments column: a payment, or its reversal as a negative amount (never as a receipt)."""
        return -self.entry.effect if self.entry.direction == Transaction.Direction.EXPENSE else None


@dataclass(frozen=True)
class CashBook:
    ledger: Ledger
    start: datetime.date
    end: datetime.date
    opening: int
    receipts: int
    payments: int
    count: int
    rows: list[CashBookRow]
    page: int
    pages: int

    @property
    def closing(self) -> int:
        return self.opening + self.receipts - self.payments


def cash_book(ledger: Ledger, start: datetime.date, end: datetime.date, page: int = 1, per_page=PAGE_SIZE):
    """One page of the cash book for [start, end]; `per_page=None` gives every row (for exports)."""
    entries = Transaction.objects.filter(ledger=ledger)
    opening = entries.filter(on__lt=start).aggregate(total=Sum("effect"))["total"] or 0
    span = entries.filter(on__gte=start, on__lte=end)
    totals = span.aggregate(  # by direction: a reversal lowers its own column
        receipts=Sum("effect", filter=Q(direction=Transaction.Direction.INCOME)),
        payments=Sum("effect", filter=Q(direction=Transaction.Direction.EXPENSE)),
    )
    count = span.count()
    pages = max(1, -(-count // per_page)) if per_page else 1
    page = min(max(1, page), pages)
    ordered = span.order_by("on", "pk").select_related("member", "reverses")
    chosen = list(ordered[(page - 1) * per_page : page * per_page] if per_page else ordered)
    balance = opening
    if chosen and page > 1:
        first = chosen[0]
        before = span.filter(Q(on__lt=first.on) | Q(on=first.on, pk__lt=first.pk))
        balance += before.aggregate(total=Sum("effect"))["total"] or 0
    rows = []
    for entry in chosen:
        balance += entry.effect
        rows.append(CashBookRow(entry, balance))
    return CashBook(
        ledger=ledger,
        start=start,
        end=end,
        opening=opening,
        receipts=totals["receipts"] or 0,
        payments=-(totals["payments"] or 0),
        count=count,
        rows=rows,
        page=page,
        pages=pages,
    )
