"""Collecting the month's dues: which lines are paid, and marking lines paid (which posts the receipt); and
the months a member is exempt from dues (recorded, or removed, while those months are open)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.dues import SheetLine, dues_sheet, first_day
from finance.ledgers import entry_post, official_ledger
from finance.models import Category, ClosedMonth, DuesExemption, DuesPayment, Ledger, Transaction
from members import access
from members.models import Member, Organization


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
    """The month's sheet with each line's payment (None while unpaid): the sheet is worked out once, in a
    constant number of queries (five) whatever the size of the roll."""
    lines = dues_sheet(organization, month)
    payments = {payment.member_id: payment for payment in paid_payments(organization, month)}
    return [CollectedLine(line, payments.get(line.member.pk)) for line in lines]


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


# ------------------------------------------------------------------------------------------- exemptions


def _closed_in(organization_id: int, start: datetime.date, end: datetime.date) -> datetime.date | None:
    """The first closed month of the union's books within [start, end], if any."""
    return (
        ClosedMonth.objects.filter(organization_id=organization_id, month__gte=start, month__lte=end)
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )


@transaction.atomic
def exemption_add(
    *, member: Member, start: datetime.date, end: datetime.date, reason: str, note: str = "", by
) -> DuesExemption:
    """Record that `member` owes no dues from the month of `start` to the month of `end` (both included).

    Refused, with a message: a last month before the first, months overlapping another exemption of the
    member, a closed month (its sheet must not change) or a month the member has already paid."""
    if not access.can(by, "keep_books", member.organization):
        raise PermissionDenied("keep_books refused")
    start, end = first_day(start), first_day(end)
    member = Member.objects.select_for_update().get(
        pk=member.pk
    )  # two additions at once: one after the other
    if end < start:
        raise ValidationError({"end": _("The last month must not be before the first month.")})
    if reason not in DuesExemption.Reason.values:
        raise ValidationError({"reason": _("Choose the reason for the exemption.")})
    other = DuesExemption.objects.filter(member=member, start__lte=end, end__gte=start).first()
    if other is not None:
        raise ValidationError(
            _("%(name)s is already exempt from %(start)s to %(end)s: the months may not overlap.")
            % {"name": member.full_name, "start": f"{other.start:%m/%Y}", "end": f"{other.end:%m/%Y}"}
        )
    closed = _closed_in(member.organization_id, start, end)
    if closed is not None:
        raise ValidationError(
            _("The books of %(month)s are closed: its dues sheet can no longer change.")
            % {"month": f"{closed:%m/%Y}"}
        )
    paid = (
        DuesPayment.objects.filter(
            member=member, month__gte=start, month__lte=end, entry__reversed_by__isnull=True
        )
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )
    if paid is not None:
        raise ValidationError(
            _("%(name)s has paid the dues of %(month)s: reverse that receipt before exempting the month.")
            % {"name": member.full_name, "month": f"{paid:%m/%Y}"}
        )
    return DuesExemption.objects.create(member=member, start=start, end=end, reason=reason, note=note.strip())


@transaction.atomic
def exemption_remove(*, exemption: DuesExemption, by) -> None:
    """Remove an exemption while none of its months is closed (a closed month's sheet must not change)."""
    exemption = DuesExemption.objects.select_for_update().select_related("member").get(pk=exemption.pk)
    if not access.can(by, "keep_books", exemption.member.organization):
        raise PermissionDenied("keep_books refused")
    closed = _closed_in(exemption.member.organization_id, exemption.start, exemption.end)
    if closed is not None:
        raise ValidationError(
            _("The books of %(month)s are closed: this exemption can no longer be removed.")
            % {"month": f"{closed:%m/%Y}"}
        )
    exemption.delete()
