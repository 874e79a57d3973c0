"""Collecting the month's dues: which lines are paid, and marking lines paid (which posts the receipt)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.dues import SheetLine, dues_sheet, first_day
from finance.ledgers import entry_post, official_ledger
from finance.models import Category, DuesPayment, Ledger, Transaction
from members.models import Organization


@dataclass(frozen=True)
class CollectedLine:
    line: SheetLine
    payment: DuesPayment | None

    @property
    def paid(self) -> bool:
        return self.payment is not None


def paid_payments(organization: Organization, month: datetime.date):
    """The month's payments that still count: their receipt has not been reversed."""
    return DuesPayment.objects.filter(
        organization=organization, month=first_day(month), entry__reversed_by__isnull=True
    ).select_related("entry")


def collection(organization: Organization, month: datetime.date) -> list[CollectedLine]:
    """The month's sheet with each line's payment (None while unpaid). A constant number of queries."""
    payments = {payment.member_id: payment for payment in paid_payments(organization, month)}
    return [CollectedLine(line, payments.get(line.member.pk)) for line in dues_sheet(organization, month)]


@transaction.atomic
def dues_mark_paid(
    *,
    organization: Organization,
    month: datetime.date,
    by,
    method: str,
    member_ids: list[int] | None = None,
    on: datetime.date | None = None,
) -> Transaction:
    """Mark the chosen unpaid lines (all of them when `member_ids` is None) paid with one receipt for their
    total in the official ledger. Lines already paid, or owing nothing, are left as they are."""
    month = first_day(month)
    on = on or timezone.localdate()
    if month > on.replace(day=1):
        raise ValidationError(_("Dues are collected for a month that has begun."))
    if method not in DuesPayment.Method.values:
        raise ValidationError({"method": _("Choose cash or payroll deduction.")})
    ledger = official_ledger(organization)
    Ledger.objects.select_for_update().filter(
        pk=ledger.pk
    ).first()  # two markings at once: one after the other
    lines = [
        c.line
        for c in collection(organization, month)
        if not c.paid and c.line.dues.amount > 0 and (member_ids is None or c.line.member.pk in member_ids)
    ]
    if not lines:
        raise ValidationError(_("Every chosen line is already paid (or owes nothing)."))
    total = sum(line.dues.amount for line in lines)
    single = lines[0].member if len(lines) == 1 else None
    description = _("Member dues for %(month)s (%(count)s members)") % {
        "month": month.strftime("%m/%Y"),
        "count": len(lines),
    }
    receipt = entry_post(
        ledger=ledger,
        direction=Transaction.Direction.INCOME,
        category=Category.DUES,
        on=on,
        amount=total,
        description=description,
        by=by,
        member=single,
        counterparty="" if single else _("Members (%(count)s)") % {"count": len(lines)},
    )
    DuesPayment.objects.bulk_create(
        DuesPayment(
            organization=organization,
            member=line.member,
            month=month,
            basis=line.dues.basis,
            rate=line.dues.rate_code,
            amount=line.dues.amount,
            method=method,
            entry=receipt,
        )
        for line in lines
    )
    return receipt
