"""Welfare pays itself: a welfare record (a visit, an allowance, a campaign's gift) posts its payment in the
right ledger, and cancelling the record reverses it. The welfare services call these inside their own
transaction, so a refused posting (a closed month, a ledger not open) refuses the record too."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.ledgers import entry_post, entry_reverse, official_ledger
from finance.models import Category, ClosedMonth, Ledger, Transaction
from members.models import Organization, WelfareRecord

D = Transaction.Direction


def ledger_for(organization: Organization, occasion: str) -> Ledger:
    """The fund that pays this occasion (Ledger.welfare_occasions), else the union's finance."""
    for ledger in organization.ledgers.filter(kind=Ledger.Kind.FUND, closed_on__isnull=True).order_by("pk"):
        if occasion in (ledger.welfare_occasions or []):
            return ledger
    return official_ledger(organization)


def _description(record: WelfareRecord) -> str:
    whom = record.member.full_name
    if record.family_member_id:
        whom = f"{record.family_member.full_name} ({record.family_member.get_relation_display()}, {whom})"
    return _("%(occasion)s: %(whom)s (welfare record %(reference)s)") % {
        "occasion": record.get_occasion_display(),
        "whom": whom,
        "reference": record.reference,
    }


def welfare_post(record: WelfareRecord, by) -> Transaction:
    """The payment of one welfare record (the caller has checked `manage_welfare`)."""
    return entry_post(
        ledger=ledger_for(record.organization, record.occasion),
        direction=D.EXPENSE,
        category=Category.CARE,
        on=record.on,
        amount=record.amount,
        description=_description(record),
        by=by,
        member=record.member,
        welfare_record=record,
        checked=True,
    )


def welfare_post_many(records: list[WelfareRecord], by) -> int:
    """A campaign's payments at once: consecutive numbers under the ledger's lock, one INSERT."""
    if not records:
        return 0
    first = records[0]
    ledger = ledger_for(first.organization, first.occasion)
    on = first.on
    if on > timezone.localdate() or on < ledger.opened_on or (ledger.closed_on and on > ledger.closed_on):
        raise ValidationError(_("The ledger %(ledger)s is not open on that date.") % {"ledger": ledger.name})
    Ledger.objects.select_for_update().filter(pk=ledger.pk).first()  # as ledgers._lock, before the check
    ClosedMonth.refuse(ledger.organization_id, on)
    last = Transaction.objects.filter(ledger=ledger, direction=D.EXPENSE, year=on.year).aggregate(
        n=Max("number")
    )
    number = last["n"] or 0
    entries = []
    for record in records:
        number += 1
        entries.append(
            Transaction(
                ledger=ledger, direction=D.EXPENSE, category=Category.CARE, on=record.on,
                amount=record.amount, effect=-record.amount, member=record.member,
                counterparty=record.member.full_name, description=_description(record), welfare_record=record,
                year=on.year, number=number, created_by=by,
            )
        )  # fmt: skip
    Transaction.objects.bulk_create(entries)
    return len(entries)


def welfare_reverse(
    record: WelfareRecord, by, on: datetime.date | None = None, reason: str = ""
) -> Transaction | None:
    """Reverse the payment of a cancelled record (None when it had none, e.g. made before the books)."""
    entry = (
        Transaction.objects.filter(welfare_record=record, reverses__isnull=True, reversed_by__isnull=True)
        .select_related("ledger")
        .first()
    )
    if entry is None:
        return None
    reason = reason or record.cancel_reason or _("welfare record cancelled")
    return entry_reverse(entry=entry, by=by, reason=reason, on=on, checked=True)
