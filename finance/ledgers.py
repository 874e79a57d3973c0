"""Posting to the books: every entry goes through here, which checks who, what and when, and numbers it.

Numbers (PT-2026-0001, PC-2026-0001) come from the ledger's own sequence per direction and year, taken under
a lock on the ledger's row, so two treasurers posting at once never share or skip a number. Nothing is ever
edited: a mistake is corrected by `entry_reverse`, which posts the opposite effect in an open month.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.models import Category, ClosedMonth, Ledger, Transaction
from members import access
from members.models import Member, Organization

D = Transaction.Direction
OFFICIAL_NAME = "Tài chính công đoàn"


def official_ledger(organization: Organization) -> Ledger:
    """The union's official ledger, opened the first time it is needed."""
    ledger, _created = Ledger.objects.get_or_create(
        organization=organization,
        kind=Ledger.Kind.OFFICIAL,
        defaults={"name": OFFICIAL_NAME, "opened_on": organization.founded_on or datetime.date(2000, 1, 1)},
    )
    return ledger


def _allow(by, organization: Organization) -> None:
    if not access.can(by, "keep_books", organization):
        raise PermissionDenied("keep_books refused")


def _check(ledger: Ledger, direction: str, category: str, on: datetime.date, amount) -> None:
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValidationError({"amount": _("The amount is a whole number of đồng, more than 0.")})
    expected = Category.income() if direction == D.INCOME else Category.expense()
    if category not in expected:
        raise ValidationError(
            {"category": _("This budget line does not fit a receipt or payment of this kind.")}
        )
    if on > timezone.localdate():
        raise ValidationError(
            {"on": _("An entry is posted once the money has moved: the date cannot be later.")}
        )
    if on < ledger.opened_on or (ledger.closed_on and on > ledger.closed_on):
        raise ValidationError({"on": _("The ledger is not open on that date.")})
    ClosedMonth.refuse(ledger.organization_id, on)


def _lock(ledger: Ledger) -> None:
    """One poster per ledger at a time, and no month closing while they post (`month_close` takes the same
    locks): the closed-month check made after it holds until the entry is saved."""
    Ledger.objects.select_for_update().filter(pk=ledger.pk).first()


def _next_number(ledger: Ledger, direction: str, year: int) -> int:
    last = Transaction.objects.filter(ledger=ledger, direction=direction, year=year).aggregate(
        n=Max("number")
    )
    return (last["n"] or 0) + 1


@transaction.atomic
def entry_post(
    *,
    ledger: Ledger,
    direction: str,
    category: str,
    on: datetime.date,
    amount: int,
    description: str,
    by,
    member: Member | None = None,
    counterparty: str = "",
    attachment=None,
    welfare_record=None,
    period: str = "",
    checked: bool = False,
) -> Transaction:
    """Post a receipt or a payment, numbered in its ledger's sequence. `checked`: the caller has asked the
    access policy already (a welfare record posting its own payment); the bookkeepers' check is skipped."""
    if not checked:
        _allow(by, ledger.organization)
    _lock(ledger)
    _check(ledger, direction, category, on, amount)
    if member is not None and member.organization_id != ledger.organization_id:
        raise ValidationError({"member": _("The member is not on this union's roll.")})
    if not description.strip():
        raise ValidationError({"description": _("Say what the money was for.")})
    return Transaction.objects.create(
        ledger=ledger,
        direction=direction,
        category=category,
        on=on,
        amount=amount,
        effect=amount if direction == D.INCOME else -amount,
        member=member,
        counterparty=counterparty or (member.full_name if member else ""),
        description=description.strip(),
        attachment=attachment or "",
        welfare_record=welfare_record,
        period=period,
        year=on.year,
        number=_next_number(ledger, direction, on.year),
        created_by=by,
    )


@transaction.atomic
def entry_reverse(
    *, entry: Transaction, by, reason: str, on: datetime.date | None = None, checked: bool = False
) -> Transaction:
    """Cancel `entry` by posting its opposite (same ledger, direction and line), dated in an open month."""
    if not checked:
        _allow(by, entry.ledger.organization)
        if entry.welfare_record_id:
            raise ValidationError(
                _("This payment belongs to welfare record %(reference)s: cancel or correct the record.")
                % {"reference": entry.welfare_record.reference}
            )
    entry = Transaction.objects.select_for_update().select_related("ledger").get(pk=entry.pk)
    if entry.reverses_id is not None:
        raise ValidationError(_("A reversing entry is not reversed again: post the entry anew."))
    if Transaction.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the entry is reversed.")})
    on = on or timezone.localdate()
    if on < entry.on:
        raise ValidationError({"on": _("A reversal cannot be dated before the entry it reverses.")})
    if on > timezone.localdate():
        raise ValidationError(
            {"on": _("An entry is posted once the money has moved: the date cannot be later.")}
        )
    _lock(entry.ledger)
    ClosedMonth.refuse(entry.ledger.organization_id, on)
    return Transaction.objects.create(
        ledger=entry.ledger,
        direction=entry.direction,
        category=entry.category,
        on=on,
        amount=entry.amount,
        effect=-entry.effect,
        member=entry.member,
        counterparty=entry.counterparty,
        description=_("Reversal of %(voucher)s: %(reason)s")
        % {"voucher": entry.voucher, "reason": reason.strip()},
        welfare_record=entry.welfare_record,
        period=entry.period,
        reverses=entry,
        year=on.year,
        number=_next_number(entry.ledger, entry.direction, on.year),
        created_by=by,
    )


def balance(ledger: Ledger, until: datetime.date | None = None) -> int:
    """The ledger's balance at the end of `until` (or now): one SUM over the entries."""
    entries = ledger.entries.all() if until is None else ledger.entries.filter(on__lte=until)
    return entries.aggregate(total=Sum("effect"))["total"] or 0


@transaction.atomic
def month_close(*, organization: Organization, month: datetime.date, by) -> ClosedMonth:
    """Close a month's books for good: no entry dated in it may be added afterwards."""
    _allow(by, organization)
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError(_("A month is closed once it has begun, not before."))
    for ledger in organization.ledgers.all():
        _lock(ledger)  # waits for any posting in progress, so nothing slips into the month as it closes
    if ClosedMonth.objects.filter(organization=organization, month=month).exists():
        raise ValidationError(_("This month is already closed."))
    return ClosedMonth.objects.create(organization=organization, month=month, closed_by=by)
