"""Member dues (đoàn phí) for a month, by the rules in force on the month's first day (RULES.md, Money).

- the rate applies to the social-insurance salary (1 % until 30/06/2025, 0.5 % from 01/07/2025);
- the cap is a share of the base salary, for the unit types the rule names (no cap row value: no cap);
- a member without a fixed salary pays the flat amount (a share of the base salary) where a rule sets one;
- an exempt month (social-insurance benefits, no work and no income) owes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from finance.models import DuesExemption, Rule
from finance.rules import RuleBook, percent_of
from members.models import Member, MemberEvent, Organization

K = Rule.Kind


@dataclass(frozen=True)
class Dues:
    """One member's dues for one month, with what it was worked out from."""

    basis: int  # the salary the rate applied to (0 for the flat amount or an exemption)
    rate: Decimal | None  # the percentage applied (None for the flat amount or an exemption)
    cap: int | None
    amount: int
    flat: bool = False
    exempt: bool = False

    @property
    def rate_label(self) -> str:
        if self.exempt:
            return _("exempt")
        if self.flat:
            return _("flat amount")
        return f"{self.rate.normalize():f} %".replace(".", ",")

    @property
    def rate_code(self) -> str:
        """For machines: the percentage applied ("0.5"), or "flat" or "exempt"."""
        if self.exempt:
            return "exempt"
        if self.flat:
            return "flat"
        return f"{self.rate.normalize():f}"


def first_day(month: datetime.date) -> datetime.date:
    return month.replace(day=1)


def monthly_dues(
    *,
    salary: int | None,
    month: datetime.date,
    unit_type: str,
    exempt: bool = False,
    book: RuleBook | None = None,
) -> Dues:
    """One member's dues for `month` (any day of it). Raises RuleMissing when a needed rule is missing."""
    book = book or RuleBook()
    on = first_day(month)
    if exempt:
        return Dues(basis=0, rate=None, cap=None, amount=0, exempt=True)
    base = int(book.value(K.BASE_SALARY, on))
    if not salary:
        flat = percent_of(base, book.value(K.DUES_FLAT, on, unit_type))
        return Dues(basis=0, rate=None, cap=None, amount=flat, flat=True)
    rate = book.value(K.DUES_RATE, on, unit_type)
    cap_share = book.value(K.DUES_CAP, on, unit_type)
    cap = None if cap_share is None else percent_of(base, cap_share)
    amount = percent_of(salary, rate)
    if cap is not None:
        amount = min(amount, cap)
    return Dues(basis=salary, rate=rate, cap=cap, amount=amount)


@dataclass(frozen=True)
class SheetLine:
    member: Member
    dues: Dues


def owing_members(organization: Organization, month: datetime.date) -> list[Member]:
    """Members who owe dues for `month`: active on the roll at some point of it, by their history.

    Suspended, honorary and departed months owe nothing; a member who joins or leaves during the month owes
    the month. Two queries, whatever the size of the roll.
    """
    start = first_day(month)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    members = list(
        organization.members.filter(admitted_on__lte=end)
        .filter(Q(status=Member.Status.ACTIVE) | Q(status_since__gte=start))
        .order_by("full_name", "pk")
    )
    events: dict[int, list[MemberEvent]] = {}
    history = MemberEvent.objects.filter(
        member__in=[m.pk for m in members], organization=organization, on__lte=end
    )
    for event in history.order_by("on", "pk"):  # this roll's own history: a transfer in starts it here
        events.setdefault(event.member_id, []).append(event)
    return [member for member in members if _active_during(events.get(member.pk, []), member, start, end)]


ACTIVE_AFTER = {
    MemberEvent.Kind.ADMITTED,
    MemberEvent.Kind.READMITTED,
    MemberEvent.Kind.REINSTATED,
    MemberEvent.Kind.TRANSFERRED_IN,
}


def _active_during(events: list[MemberEvent], member: Member, start, end) -> bool:
    if not events:  # a row without history (made outside the services): its current status decides
        return member.status == Member.Status.ACTIVE
    active = False
    for event in events:
        if event.on < start:
            active = event.kind in ACTIVE_AFTER
            continue
        if active or event.kind in ACTIVE_AFTER:  # active on some day of the month
            return True
    return active


def dues_sheet(organization: Organization, month: datetime.date) -> list[SheetLine]:
    """Every line of the month's dues sheet, in name order. Raises RuleMissing (one message) when needed."""
    on = first_day(month)
    book = RuleBook()
    book.in_force(K.DUES_RATE, on, organization.unit_type)  # a month without rules is refused, even empty
    members = owing_members(organization, on)
    exempt = set(
        DuesExemption.objects.filter(
            member__in=[m.pk for m in members], start__lte=on, end__gte=on
        ).values_list("member_id", flat=True)
    )
    return [
        SheetLine(
            member=member,
            dues=monthly_dues(
                salary=member.insurance_salary,
                month=on,
                unit_type=organization.unit_type,
                exempt=member.pk in exempt,
                book=book,
            ),
        )
        for member in members
    ]
