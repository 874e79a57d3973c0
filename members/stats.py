"""Counts of the roll and of welfare, for one grassroots union or for every grassroots union below an upper
union: the selectors take a queryset of organisations, so the same code serves both.

Each function costs a fixed number of queries (conditional aggregation, grouped by union) whatever the
number of unions or members; the sums over unions are made in Python from the per-union rows.
Nothing here returns a person: only counts and amounts.

New admissions in a year count the membership changes recorded on the union's roll in that year:
admissions, re-admissions and transfers in, each in its own column (`NEW_KINDS`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from members import access
from members.models import Member, MemberEvent, Occasion, Organization, WelfareRecord
from members.roll_views import AGE_BANDS, _years_before

ON_ROLL = (Member.Status.ACTIVE, Member.Status.SUSPENDED, Member.Status.HONORARY)
NEW_KINDS = (MemberEvent.Kind.ADMITTED, MemberEvent.Kind.READMITTED, MemberEvent.Kind.TRANSFERRED_IN)
AGE_KEYS = (*AGE_BANDS, "age_unknown")
MONTHS = tuple(range(1, 13))


def grassroots_below(organization: Organization) -> QuerySet:
    """The grassroots unions a statistics page covers: the union itself, or every one below an upper union."""
    if organization.is_grassroots:
        return Organization.objects.filter(pk=organization.pk)
    root = Organization.objects.filter(pk=organization.pk).values("pk")
    return Organization.objects.filter(access.descendant_ids(root), level=Organization.Level.GRASSROOTS)


def _age_filter(band: str, today: datetime.date) -> Q:
    youngest, oldest = AGE_BANDS[band]
    return Q(birth_date__gt=_years_before(today, oldest + 1), birth_date__lte=_years_before(today, youngest))


def _member_aggregates(today: datetime.date) -> dict:
    on_roll = Q(status__in=ON_ROLL)
    aggregates = {"on_roll": Count("pk", filter=on_roll)}
    for status in Member.Status.values:
        aggregates[f"status_{status}"] = Count("pk", filter=Q(status=status))
    for sex in Member.Sex.values:
        aggregates[sex] = Count("pk", filter=on_roll & Q(sex=sex))
    for band in AGE_BANDS:
        aggregates[band] = Count("pk", filter=on_roll & _age_filter(band, today))
    aggregates["age_unknown"] = Count("pk", filter=on_roll & Q(birth_date__isnull=True))
    aggregates["party"] = Count("pk", filter=on_roll & Q(party_member=True))
    return aggregates


def _event_aggregates() -> dict:
    return {kind: Count("pk", filter=Q(kind=kind)) for kind in NEW_KINDS}


def member_counts_by_union(organizations: QuerySet, *, today: datetime.date, year: int) -> dict[int, dict]:
    """{union id: {key: count}} for every union of `organizations` that has a member or a change in `year`.

    Keys: on_roll, status_<status>, female, male, the age bands of the roll's filter (u30, 30, 40, 50),
    age_unknown, party, and the kinds of NEW_KINDS. Two queries.
    """
    ids = organizations.values("pk")
    rows: dict[int, dict] = {}
    members = (
        Member.objects.filter(organization__in=ids)
        .values("organization_id")
        .annotate(**_member_aggregates(today))
        .order_by()
    )
    for row in members:
        rows[row.pop("organization_id")] = row
    events = (
        MemberEvent.objects.filter(organization__in=ids, kind__in=NEW_KINDS, on__year=year)
        .values("organization_id")
        .annotate(**_event_aggregates())
        .order_by()
    )
    for row in events:
        rows.setdefault(row.pop("organization_id"), {}).update(row)
    return rows


def empty_counts() -> dict:
    keys = ["on_roll", *(f"status_{s}" for s in Member.Status.values), *Member.Sex.values, *AGE_KEYS, "party"]
    return dict.fromkeys([*keys, *NEW_KINDS], 0)


def add_counts(total: dict, row: dict) -> dict:
    for key, value in row.items():
        total[key] = total.get(key, 0) + value
    return total


def group_counts(organization: Organization) -> list[tuple[str, int]]:
    """Members on the roll per union group of a grassroots union (one query), without a group last."""
    groups = organization.union_groups.annotate(
        n=Count("members", filter=Q(members__status__in=ON_ROLL, members__organization=organization))
    ).order_by("position", "name")
    return [(group.name, group.n) for group in groups]


@dataclass
class ChildRow:
    """One union directly below the upper union: the sums over the grassroots unions at or below it."""

    organization: Organization
    counts: dict = field(default_factory=empty_counts)
    grassroots: int = 0


def _children_of(organization: Organization) -> tuple[list[Organization], dict[int, int]]:
    """The unions directly below `organization`, and for each grassroots union below it the child it sits
    under (one query: the tree is walked in Python)."""
    root = Organization.objects.filter(pk=organization.pk).values("pk")
    below = list(
        Organization.objects.filter(access.descendant_ids(root))
        .only("pk", "name", "short_name", "parent_id", "level", "closed_on")
        .order_by("name", "pk")
    )
    parents = {org.pk: org.parent_id for org in below}
    children = [org for org in below if org.parent_id == organization.pk]
    child_of: dict[int, int] = {}
    for org in below:
        if org.level != Organization.Level.GRASSROOTS:
            continue
        node = org.pk
        while parents.get(node) not in (organization.pk, None):
            node = parents[node]
        child_of[org.pk] = node
    return children, child_of


@dataclass
class MemberStats:
    organization: Organization
    year: int
    today: datetime.date
    totals: dict
    groups: list[tuple[str, int]] | None = None  # grassroots only
    without_group: int = 0
    children: list[ChildRow] | None = None  # upper unions only
    union_count: int = 1

    @property
    def new_total(self) -> int:
        return sum(self.totals[kind] for kind in NEW_KINDS)

    def statuses(self) -> list[tuple[str, int]]:
        return [(label, self.totals[f"status_{value}"]) for value, label in Member.Status.choices]

    def sexes(self) -> list[tuple[str, int]]:
        return [(label, self.totals[value]) for value, label in Member.Sex.choices]

    def ages(self) -> list[tuple[str, int]]:
        return [(label, self.totals[key]) for key, label in age_labels()]

    def new_members(self) -> list[tuple[str, int]]:
        return [(MemberEvent.Kind(kind).label, self.totals[kind]) for kind in NEW_KINDS]


def age_labels() -> list[tuple[str, str]]:
    """The age bands of the roll's filter, and the members whose birth date is not on record."""
    return [
        ("u30", _("Under 30")),
        ("30", "30–39"),
        ("40", "40–49"),
        ("50", _("50 and over")),
        ("age_unknown", _("Date of birth not recorded")),
    ]


def member_stats(organization: Organization, *, year: int, today: datetime.date) -> MemberStats:
    """The roll's counts for a grassroots union (3 queries) or an upper union's grassroots unions (3)."""
    by_union = member_counts_by_union(grassroots_below(organization), today=today, year=year)
    totals = empty_counts()
    for row in by_union.values():
        add_counts(totals, row)
    stats = MemberStats(organization=organization, year=year, today=today, totals=totals)
    if organization.is_grassroots:
        stats.groups = group_counts(organization)
        stats.without_group = totals["on_roll"] - sum(n for _name, n in stats.groups)
        return stats
    children, child_of = _children_of(organization)
    rows = {child.pk: ChildRow(child) for child in children}
    for union_id, child_id in child_of.items():
        rows[child_id].grassroots += 1
        if union_id in by_union:
            add_counts(rows[child_id].counts, by_union[union_id])
    stats.children = list(rows.values())
    stats.union_count = len(child_of)
    return stats


# ------------------------------------------------------------------------------------------------ welfare


@dataclass
class WelfareLine:
    """One occasion's records in a year: counts and amounts per month (index 0 = January) and in all."""

    occasion: str
    label: str
    counts: list[int] = field(default_factory=lambda: [0] * 12)
    amounts: list[int] = field(default_factory=lambda: [0] * 12)

    @property
    def count(self) -> int:
        return sum(self.counts)

    @property
    def amount(self) -> int:
        return sum(self.amounts)


@dataclass
class WelfareStats:
    organization: Organization
    year: int
    lines: list[WelfareLine]
    total: WelfareLine
    children: list[tuple[Organization, int, int]] | None = None  # (union, records, amount): upper only


def _welfare_records(organizations: QuerySet, year: int) -> QuerySet:
    return WelfareRecord.objects.filter(
        organization__in=organizations.values("pk"),
        on__gte=datetime.date(year, 1, 1),
        on__lte=datetime.date(year, 12, 31),
        cancelled_at__isnull=True,
    )


def welfare_stats(organization: Organization, *, year: int) -> WelfareStats:
    """Records (cancelled ones left out) and amounts by occasion × month in `year`; for an upper union
    summed over the grassroots unions below it, with one line per union directly below (≤ 3 queries)."""
    records = _welfare_records(grassroots_below(organization), year)
    cells = (
        records.annotate(month=ExtractMonth("on"))
        .values("occasion", "month")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by()
    )
    lines = {value: WelfareLine(value, label) for value, label in Occasion.choices}
    total = WelfareLine("", "")
    for cell in cells:
        line = lines.get(cell["occasion"])
        if line is None:
            continue
        month = cell["month"] - 1
        line.counts[month] += cell["n"]
        line.amounts[month] += cell["amount"] or 0
        total.counts[month] += cell["n"]
        total.amounts[month] += cell["amount"] or 0
    stats = WelfareStats(organization, year, list(lines.values()), total)
    if not organization.is_grassroots:
        children, child_of = _children_of(organization)
        per_union = records.values("organization_id").annotate(n=Count("pk"), amount=Sum("amount")).order_by()
        sums = {child.pk: [0, 0] for child in children}
        for row in per_union:
            child_id = child_of.get(row["organization_id"])
            if child_id is not None:
                sums[child_id][0] += row["n"]
                sums[child_id][1] += row["amount"] or 0
        stats.children = [(child, *sums[child.pk]) for child in children]
    return stats
