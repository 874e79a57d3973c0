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


EXEMPT = Dues(basis=0, rate=None, cap=None, amount=0, exempt=True)


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
        return EXEMPT
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


# what a sheet line shows and needs (personal data stays in the database)
SHEET_FIELDS = (
    "organization",
    "union_group",
    "full_name",
    "insurance_salary",
    "status",
    "status_since",
    "admitted_on",
)


def _owing_candidates(organization: Organization, month: datetime.date):
    """Members who may owe for `month` (the history decides): admitted by its end, active or changed since."""
    start = first_day(month)
    end = _last_day(start)
    on_the_roll = Q(organization=organization) & (Q(status=Member.Status.ACTIVE) | Q(status_since__gte=start))
    # a member transferred out since the month began was on this roll that month
    gone_since = Q(
        events__organization=organization,
        events__kind=MemberEvent.Kind.TRANSFERRED_OUT,
        events__on__gte=start,
    )
    return Member.objects.filter(on_the_roll | gone_since, admitted_on__lte=end).distinct()


def _last_day(start: datetime.date) -> datetime.date:
    return (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def owing_members(organization: Organization, month: datetime.date) -> list[Member]:
    """Members who owe dues for `month`: active on the roll at some point of it, by their history.

    Suspended, honorary and departed months owe nothing; a member who joins or leaves during the month owes
    the month. Two queries, whatever the size of the roll (the history is read as tuples, by a subquery).
    """
    start = first_day(month)
    end = _last_day(start)
    candidates = _owing_candidates(organization, start)
    members = list(candidates.only(*SHEET_FIELDS).order_by("sort_name", "pk"))
    events: dict[int, list[tuple[datetime.date, str]]] = {}
    elsewhere: set[int] = set()
    history = MemberEvent.objects.filter(member__in=candidates.values("pk"), on__lte=end)
    rows = history.order_by("on", "pk").values_list("member_id", "organization_id", "on", "kind")
    for member_id, organization_id, on, kind in rows:
        if organization_id == organization.pk:  # this roll's own history: a transfer in starts it here
            events.setdefault(member_id, []).append((on, kind))
        else:
            elsewhere.add(member_id)
    return [
        member
        for member in members
        if (member.pk in events or member.pk not in elsewhere)  # on another roll only: not here yet
        and _active_during(events.get(member.pk, []), member, start, end)
    ]


ACTIVE_AFTER = {
    MemberEvent.Kind.ADMITTED,
    MemberEvent.Kind.READMITTED,
    MemberEvent.Kind.REINSTATED,
    MemberEvent.Kind.TRANSFERRED_IN,
}


def _active_during(events: list[tuple[datetime.date, str]], member: Member, start, end) -> bool:
    """`events`: the member's (date, kind) on this roll up to the month's end, oldest first."""
    if not events:  # a row without history (made outside the services): its current status decides
        return member.status == Member.Status.ACTIVE
    active = False
    for on, kind in events:
        if on < start:
            active = kind in ACTIVE_AFTER
            continue
        if kind == MemberEvent.Kind.TRANSFERRED_IN and on > start and not active:
            continue  # arriving after the 1st: the sending union collects that month, not both
        if active or kind in ACTIVE_AFTER:  # active on some day of the month
            return True
    return active


class _SheetBook(RuleBook):
    """The rule book of one sheet: each value is looked up once, not once per line (a refusal is not kept)."""

    def __init__(self):
        super().__init__()
        self._values: dict[tuple, Decimal | None] = {}

    def value(self, kind: str, on: datetime.date, unit_type: str = "") -> Decimal | None:
        key = (kind, on, unit_type)
        if key not in self._values:
            self._values[key] = super().value(kind, on, unit_type)
        return self._values[key]


def dues_sheet(organization: Organization, month: datetime.date) -> list[SheetLine]:
    """Every line of the month's dues sheet, in name order. Raises RuleMissing (one message) when needed.

    Four queries; the dues of one salary are worked out once (lines with the same salary share them)."""
    on = first_day(month)
    book = _SheetBook()
    book.in_force(K.DUES_RATE, on, organization.unit_type)  # a month without rules is refused, even empty
    members = owing_members(organization, on)
    exempt = set(
        DuesExemption.objects.filter(
            member__in=_owing_candidates(organization, on).values("pk"), start__lte=on, end__gte=on
        ).values_list("member_id", flat=True)
    )
    worked_out: dict[int | None, Dues] = {}
    lines = []
    for member in members:
        if member.pk in exempt:
            dues = EXEMPT
        else:
            salary = member.insurance_salary or None
            dues = worked_out.get(salary)
            if dues is None:
                dues = worked_out[salary] = monthly_dues(
                    salary=salary, month=on, unit_type=organization.unit_type, book=book
                )
        lines.append(SheetLine(member=member, dues=dues))
    return lines
