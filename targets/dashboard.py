"""The upper union's dashboard: how far each union below has come, and who is late (selectors only).

`dashboard(parent, period=…, today=…)` reads everything in a constant number of queries (eight), whatever the
number of children: the parent's rule, the children (with the id of their current plan as a subquery), those
plans, their reports, the entries of the reports that give each child's share of targets met, the parent's
own targets in force, the children's targets that contribute to them, and the entries that measure those.

Speed (500 children × 30 targets, `scripts/bench_dashboard.py`): the children, their plans and reports are
read as tuples into small slotted records (`Unit`, `PlanRef`, `ReportRef`), not model instances, and every
string a row shows is worked out once here; the page writes the table's rows in Python
(`dashboard_views.rows_html`), not through 500 rounds of the template engine.

Rules, in one place:
- A child's plan: its plan in force for the period, else its most recent plan past the draft stage (a draft
  is the union's own business, as in the access policy).
- A child's report status: accepted / submitted (on time, or late when the day of its first submission is
  after the due date) / returned / draft / not started; not submitted and past the due date → overdue by N
  days; otherwise due on dd/mm/yyyy. The due date comes from the parent's `ReportingRule` for the period's
  frequency, or the default rule.
- The share of targets met: the entries of the period's report once sent (submitted, returned or
  accepted), else those of the child's latest submitted or accepted report up to the period.
- The cascade: every target of the parent's plans in force for the period; each contributes the `reached`
  of its latest entry (in a submitted or accepted report up to this period) of every child target that
  counts towards it, provided the child's plan is issued (and not replaced by a newer issued version).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache
from typing import NamedTuple

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.models import Organization
from plans.models import Plan
from targets.forms import format_number as vietnamese_number
from targets.models import Report, ReportEntry, ReportingRule, Target
from targets.periods import Period
from targets.selectors import in_force, owes, plans_in_force

ZERO = Decimal(0)
HUNDRED = Decimal(100)


# --- numbers as Vietnamese documents write them -----------------------------------------------------


def format_number(value) -> str:
    """`1.234`, `55,5`, `0,25` (`targets.forms.format_number`), rounded to hundredths; `–` for nothing."""
    if value is None:
        return "–"
    return vietnamese_number(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def format_percent(value) -> str:
    return "–" if value is None else f"{format_number(value)}%"


def share(part, whole) -> Decimal | None:
    """part / whole in per cent, to one decimal (None when there is nothing to divide by)."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def safe_reverse(name: str, *args) -> str | None:
    """A link to a page another part of the app provides, or None while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


_PLACEHOLDER = 918273645


@lru_cache(maxsize=16)
def _pattern(name: str) -> tuple[str, str] | None:
    """(before the id, after it) of the URL `name` takes one id in, or None while it does not exist."""
    url = safe_reverse(name, _PLACEHOLDER)
    if url is None:
        return None
    before, _id, after = url.partition(str(_PLACEHOLDER))
    return before, after


def url_for(name: str, pk: int) -> str | None:
    """`reverse(name, args=[pk])` for a URL with one id, reversed once per name (500 rows, 4 links each)."""
    pattern = _pattern(name)
    return f"{pattern[0]}{pk}{pattern[1]}" if pattern else None


# --- what the dashboard holds -----------------------------------------------------------------------


class Status:
    ACCEPTED = "accepted"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    DRAFT = "draft"
    NOT_STARTED = "not_started"


def filter_choices() -> list[tuple[str, str]]:
    """The report-status filter of the dashboard: (key, label)."""
    return [
        ("submitted", _("Submitted")),
        ("on_time", _("Submitted on time")),
        ("late", _("Submitted late")),
        ("accepted", _("Accepted")),
        ("returned", _("Returned for revision")),
        ("not_submitted", _("Not submitted")),
        ("overdue", _("Overdue")),
        ("draft", _("Being written")),
        ("not_started", _("Not started")),
    ]


FILTER_KEYS = frozenset(
    ["submitted", "on_time", "late", "accepted", "returned", "not_submitted", "overdue", "draft"]
    + ["not_started"]
)


# A dashboard reads 500 children, their plans, ~1,000 reports and ~5,000 contributions: as named tuples of
# plain values, not model instances or dataclasses. They are ten times cheaper to build, and the garbage
# collector stops tracking a tuple of plain values: building them never brings on a full collection (which
# walks every object of the process, and took a third of the page's time).


class Unit(NamedTuple):
    """A union below, as the dashboard shows it."""

    pk: int
    name: str
    short_name: str
    symbol: str

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


_PLAN_STATUS = dict(Plan.Status.choices)  # lazy labels, translated when shown


class PlanRef(NamedTuple):
    """A child's plan shown on the dashboard: its status and reference (`01/KH-CĐC`)."""

    pk: int
    status: str
    number: int | None
    organization: Unit

    DOCUMENT_TYPE = Plan.DOCUMENT_TYPE
    reference = property(Plan.reference.fget)  # the same `18/KH-CĐMNTT` as the plan's own

    def get_status_display(self) -> str:
        return str(_PLAN_STATUS.get(self.status, self.status))


class ReportRef(NamedTuple):
    """A child's report: enough to know its status, when it was sent, and to link to it."""

    pk: int
    period: str
    status: str
    submitted_at: datetime.datetime | None

    @property
    def period_obj(self) -> Period:
        return _parse(self.period)


@dataclass
class ChildRow:
    organization: Unit
    plan: PlanRef | None
    plan_in_force: bool
    report: ReportRef | None  # the period's report, whatever its status
    status: str
    due_on: datetime.date | None
    submitted_on: datetime.date | None = None
    late_days: int = 0
    overdue_days: int = 0
    met: int = 0
    counted: int = 0
    share_report: ReportRef | None = None  # the report the share of targets met comes from
    owed: bool = True  # False: founded after the deadline or closed before it (selectors.owes)

    @property
    def is_submitted(self) -> bool:
        return self.status in (Status.SUBMITTED, Status.ACCEPTED)

    @property
    def late(self) -> bool:
        return self.late_days > 0

    @property
    def on_time(self) -> bool:
        return self.is_submitted and not self.late

    @cached_property
    def share(self) -> Decimal | None:
        return share(self.met, self.counted)

    @cached_property
    def share_display(self) -> str:
        return format_percent(self.share)

    @property
    def share_width(self) -> int:
        return int(self.share or 0)

    @property
    def share_from_earlier(self) -> bool:
        return self.share_report is not None and self.share_report is not self.report

    def matches(self, key: str) -> bool:
        return {
            "submitted": self.is_submitted,
            "on_time": self.on_time,
            "late": self.late,
            "accepted": self.status == Status.ACCEPTED,
            "returned": self.status == Status.RETURNED,
            "not_submitted": not self.is_submitted,
            "overdue": self.overdue_days > 0,
            "draft": self.status == Status.DRAFT,
            "not_started": self.status == Status.NOT_STARTED,
        }.get(key, True)

    @cached_property
    def status_label(self) -> str:
        if self.status == Status.ACCEPTED:
            return _("Accepted")
        if self.status == Status.SUBMITTED:
            return _("Submitted late") if self.late else _("Submitted on time")
        if self.status == Status.RETURNED:
            return _("Returned for revision")
        if self.status == Status.DRAFT:
            return _("Being written")
        return _("Not started")

    @cached_property
    def deadline_label(self) -> str:
        """`quá hạn 5 ngày`, `nộp muộn 2 ngày`, `hạn 15/12/2026` (empty once sent on time)."""
        if not self.owed and not self.is_submitted:
            return _("not required for this period")
        if self.overdue_days:
            return ngettext("overdue by %(days)s day", "overdue by %(days)s days", self.overdue_days) % {
                "days": self.overdue_days
            }
        if self.late_days:
            return ngettext("%(days)s day late", "%(days)s days late", self.late_days) % {
                "days": self.late_days
            }
        if self.submitted_on is None and self.due_on is not None:
            return _("due %(date)s") % {"date": self.due_on.strftime("%d/%m/%Y")}
        return ""

    @cached_property
    def badge(self) -> str:
        """The Bootstrap colour of the status."""
        if self.overdue_days:
            return "danger"
        if self.late:
            return "warning"
        return {
            Status.ACCEPTED: "success",
            Status.SUBMITTED: "primary",
            Status.RETURNED: "warning",
            Status.DRAFT: "secondary",
        }.get(self.status, "light")

    @cached_property
    def organization_url(self) -> str | None:
        return url_for("members:organization_detail", self.organization.pk)

    @cached_property
    def plan_url(self) -> str | None:
        return url_for("plans:detail", self.plan.pk) if self.plan else None

    @cached_property
    def report_url(self) -> str | None:
        if self.report is None or self.report.status == Report.Status.DRAFT:
            return None  # a draft is the union's own business
        return url_for("targets:report", self.report.pk)

    @property
    def share_report_url(self) -> str | None:
        return url_for("targets:report", self.share_report.pk) if self.share_report else None

    reports_url = None  # the union's own list of reports is for its officers (write_reports), not the parent


class Contribution(NamedTuple):
    """What a child's target adds to one of the parent's: the latest value sent (None: nothing sent yet)."""

    organization: Unit
    target_id: int
    text: str
    goal: Decimal | None
    reached: Decimal | None
    period_key: str | None  # of the report the value comes from

    @property
    def period(self) -> Period | None:
        return _parse(self.period_key) if self.period_key else None

    @property
    def reached_display(self) -> str:
        return format_number(self.reached) if self.reached is not None else "–"


@dataclass
class Bar:
    label: str
    value: str
    y: int
    width: str  # per cent of the chart's width
    total: bool = False

    @property
    def text_y(self) -> int:  # the baseline of the label and the value
        return self.y + 15

    @property
    def rect_y(self) -> int:
        return self.y + 4


@dataclass
class CascadeTarget:
    """One of the parent's targets and what the children's targets add to it. The contributions are kept
    as plain tuples (`Contribution`'s fields, the union as its id), which the garbage collector soon stops
    tracking; the page builds `Contribution`s only for the few it lists, the Excel export for all."""

    target: Target
    units: dict[int, Unit] = field(default_factory=dict, repr=False)
    rows: list[tuple] = field(default_factory=list, repr=False)  # (union id, *Contribution's other fields)

    def _contribution(self, row: tuple) -> Contribution:
        return Contribution(self.units[row[0]], *row[1:])

    @cached_property
    def contributions(self) -> list[Contribution]:
        return [self._contribution(row) for row in self.rows]

    @property
    def count(self) -> int:
        return len(self.rows)

    @cached_property
    def total(self) -> Decimal:
        return sum((row[4] for row in self.rows if row[4] is not None), ZERO)

    @property
    def goal(self) -> Decimal | None:
        return self.target.goal

    @cached_property
    def share(self) -> Decimal | None:
        return share(self.total, self.goal)

    @property
    def progress(self) -> int:
        return self.target.progress(self.total) or 0

    @property
    def met(self) -> bool | None:
        return self.target.is_met(self.total)

    @property
    def total_display(self) -> str:
        return format_number(self.total)

    @property
    def goal_display(self) -> str:
        return format_number(self.goal)

    @cached_property
    def share_display(self) -> str:
        return format_percent(self.share)

    @cached_property
    def reported(self) -> int:
        return sum(1 for row in self.rows if row[4] is not None)

    # the chart: one bar per contribution (the TOP largest, then the others together), then the total; a line
    # marks the goal. The page lists the same; the Excel export has every union.
    TOP = 12
    ROW = 22
    LABEL_WIDTH = 36  # per cent of the chart's width
    BAR_WIDTH = 50

    @cached_property
    def shown(self) -> list[Contribution]:
        if len(self.rows) <= self.TOP + 1:
            return self.contributions
        top = sorted(self.rows, key=lambda row: row[4] or ZERO, reverse=True)[: self.TOP]
        return [self._contribution(row) for row in top]

    @cached_property
    def others(self) -> tuple[int, Decimal] | None:
        """(how many, their sum) of the contributions not shown one by one."""
        if len(self.rows) <= self.TOP + 1:
            return None
        shown = {c.target_id for c in self.shown}
        rest = [row[4] for row in self.rows if row[1] not in shown]
        return len(rest), sum((reached or ZERO for reached in rest), ZERO)

    @property
    def others_display(self) -> str:
        return format_number(self.others[1]) if self.others else ""

    @cached_property
    def chart(self) -> dict:
        """Positions in per cent of the width, as plain strings (never localised: `12.5`, not `12,5`)."""
        scale = max([self.goal or ZERO, self.total, *(row[4] or ZERO for row in self.rows)])
        if self.others:
            scale = max(scale, self.others[1])
        scale = scale or Decimal(1)

        def width(value) -> Decimal:
            return (Decimal(value or 0) * self.BAR_WIDTH / scale).quantize(Decimal("0.1"))

        bars = [
            Bar(label=_short(c.organization.display_name), value=c.reached_display, y=i * self.ROW,
                width=str(width(c.reached)))
            for i, c in enumerate(self.shown)
        ]  # fmt: skip
        if self.others:
            count, total = self.others
            label = ngettext("%(count)s other union", "%(count)s other unions", count) % {"count": count}
            bars.append(
                Bar(label=label, value=format_number(total), y=len(bars) * self.ROW, width=str(width(total)))
            )
        bars.append(
            Bar(label=_("Total"), value=f"{self.total_display} / {self.goal_display}",
                y=len(bars) * self.ROW, width=str(width(self.total)), total=True)
        )  # fmt: skip
        return {
            "bars": bars,
            "height": len(bars) * self.ROW + 4,
            "label_width": str(self.LABEL_WIDTH),
            "goal_x": str(self.LABEL_WIDTH + width(self.goal)) if self.goal else None,
            "value_x": str(self.LABEL_WIDTH + self.BAR_WIDTH + 2),
        }


def _short(name: str, size: int = 30) -> str:
    return name if len(name) <= size else name[: size - 1] + "…"


@dataclass
class Totals:
    children: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    accepted: int = 0
    returned: int = 0
    overdue: int = 0
    draft: int = 0
    not_started: int = 0
    not_submitted: int = 0


@dataclass
class Dashboard:
    parent: Organization
    period: Period
    today: datetime.date
    rule: ReportingRule
    due_on: datetime.date | None
    rows: list[ChildRow]
    cascade: list[CascadeTarget]
    totals: Totals

    def filtered(self, key: str) -> list[ChildRow]:
        return [row for row in self.rows if row.matches(key)] if key else self.rows


# --- the selector -----------------------------------------------------------------------------------


def reporting_rule(parent: Organization, kind: str) -> ReportingRule:
    return ReportingRule.objects.filter(organization=parent, frequency=kind).first() or ReportingRule.default(
        parent, kind
    )


def _keys_between(start: datetime.date, period: Period) -> list[str]:
    """Keys of every period (quarter, half, year) ending between `start` and the end of `period`."""
    return [
        p.key
        for year in range(start.year, period.year + 1)
        for p in Period.all_in(year)
        if start <= p.end <= period.end
    ]


def _rank(period: Period, kind: str) -> tuple:
    """Later ranks higher; of two ending the same day, the one of the frequency shown, then the shorter."""
    return (period.end, period.kind == kind, -period.months)


def _latest(periods: list[Period], kind: str) -> Period:
    return max(periods, key=lambda p: _rank(p, kind))


@lru_cache(maxsize=256)
def _parse(key: str) -> Period:
    return Period.parse(key)


def met_condition() -> Q:
    """`ReportEntry.met` (that is `Target.is_met(reached)`) as a condition on report entries, so that the
    database counts the targets met; tests/targets/test_dashboard.py checks the two agree on every case."""
    C = Target.Comparison
    value, value_max = F("target__value"), F("target__value_max")

    def on(comparison, lookup, bound=value):
        return Q(target__comparison=comparison, **{f"reached__{lookup}": bound})

    compared = (
        on(C.AT_LEAST, "gte") | on(C.MORE_THAN, "gt") | on(C.AT_MOST, "lte") | on(C.LESS_THAN, "lt")
        | on(C.EXACTLY, "exact")
        | (on(C.BETWEEN, "gte") & on(C.BETWEEN, "lte", Coalesce(value_max, value)))
    )  # fmt: skip
    yes_no = Q(target__kind=Target.Kind.YES_NO)
    return Q(reached__isnull=False) & (
        (yes_no & Q(reached__gte=1)) | (~yes_no & Q(target__value__isnull=False) & compared)
    )


def dashboard(parent: Organization, *, period: Period, today: datetime.date) -> Dashboard:
    rule = reporting_rule(parent, period.kind)  # 1
    due_on = rule.due_on(period) if rule.enabled else None

    # 2. the children, each with the id of the plan to show (in force for the period, else the latest sent)
    child_plans = Plan.objects.filter(organization=OuterRef("pk")).exclude(status=Plan.Status.DRAFT)
    # the unions open at some time in the period (a past quarter still lists one closed since)
    children_qs = parent.children.filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=min(period.end, today)),
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.start),
    )
    children = []  # (unit, id of the plan shown, whether that plan is in force)
    owed: dict[int, bool] = {}
    for pk, name, short_name, symbol, plan_id, plan_in_force_id, founded_on, closed_on in (
        children_qs.annotate(
            plan_in_force_id=Subquery(
                child_plans.filter(in_force(period.start, period.end))
                .order_by("-period_start", "-pk")
                .values("pk")[:1]
            ),
            plan_latest_id=Subquery(child_plans.order_by("-dated_on", "-pk").values("pk")[:1]),
        )
        .annotate(plan_id=Coalesce("plan_in_force_id", "plan_latest_id"))
        .order_by("name", "pk")
        .values_list(
            "pk", "name", "short_name", "symbol", "plan_id", "plan_in_force_id", "founded_on", "closed_on"
        )
    ):
        unit = Unit(pk, name, short_name, symbol)
        owed[pk] = due_on is None or owes(founded_on, closed_on, period, due_on)
        children.append((unit, plan_id, plan_id == plan_in_force_id))
    by_id = {unit.pk: unit for unit, _plan, _in_force in children}
    child_ids = children_qs.values("pk")

    # 3. those plans
    plans = {}
    wanted_plans = [plan_id for _unit, plan_id, _in_force in children if plan_id]
    if wanted_plans:
        for pk, organization_id, status, number in (
            Plan.objects.filter(pk__in=wanted_plans)
            .order_by()
            .values_list("pk", "organization_id", "status", "number")
        ):
            plans[pk] = PlanRef(pk, status, number, by_id[organization_id])

    # 4. the period's reports, and the submitted or accepted ones before it (the share of targets met falls
    # back on them; the cascade reads their entries)
    parent_targets_qs = Target.objects.filter(
        plan__in=plans_in_force(period.start, period.end).filter(organization=parent)
    ).select_related("plan")
    parent_targets = list(parent_targets_qs.order_by("plan__dated_on", "plan_id", "position", "pk"))  # 5
    starts = [t.plan.period_start for t in parent_targets]
    history_start = min([datetime.date(period.year - 1, 1, 1), *starts])
    history = _keys_between(history_start, period)
    reports_by_child: dict[int, list[ReportRef]] = {}
    for organization_id, *fields in (
        Report.objects.filter(organization__in=child_ids)
        .filter(Q(period=period.key) | Q(period__in=history, status__in=Report.SUBMITTED_STATES))
        .order_by()
        .values_list("organization_id", "pk", "period", "status", "submitted_at")
    ):
        reports_by_child.setdefault(organization_id, []).append(ReportRef(*fields))

    rows = []
    for unit, plan_id, plan_in_force in children:
        current = None
        earlier = []
        for report in reports_by_child.get(unit.pk, ()):
            if report.period == period.key:
                current = report
            elif _parse(report.period).end <= period.end:
                earlier.append(report)
        row_due = due_on if owed[unit.pk] else None  # nothing is overdue for a union that does not owe it
        row = _row(unit, plans.get(plan_id), plan_in_force, current, earlier, period, row_due, today)
        row.owed = owed[unit.pk]
        rows.append(row)

    # 6. the entries behind each share of targets met, counted by the database (`met_condition`)
    by_report = {row.share_report.pk: row for row in rows if row.share_report}
    if by_report:
        for report_id, counted, met in (
            ReportEntry.objects.filter(report_id__in=list(by_report))
            .order_by()
            .values("report_id")
            .annotate(counted=Count("pk"), met=Count("pk", filter=met_condition()))
            .values_list("report_id", "counted", "met")
        ):
            by_report[report_id].counted, by_report[report_id].met = counted, met

    sent = {
        report.pk: report
        for reports in reports_by_child.values()
        for report in reports
        if report.status in Report.SUBMITTED_STATES and report.period in history
    }
    cascade = _cascade(parent_targets, children, by_id, child_ids, sent, period, history)  # 7, 8
    return Dashboard(
        parent=parent,
        period=period,
        today=today,
        rule=rule,
        due_on=due_on,
        rows=rows,
        cascade=cascade,
        totals=_totals(rows),
    )


def _row(child, plan, plan_in_force, current, earlier, period, due_on, today) -> ChildRow:
    status = current.status if current else Status.NOT_STARTED
    if status == Report.Status.DRAFT:
        status = Status.DRAFT
    row = ChildRow(
        organization=child,
        plan=plan,
        plan_in_force=bool(plan and plan_in_force),
        report=current,
        status=status,
        due_on=due_on,
    )
    if current and current.submitted_at and status != Status.DRAFT:
        row.submitted_on = timezone.localdate(current.submitted_at)
        if due_on and row.submitted_on > due_on:
            row.late_days = (row.submitted_on - due_on).days
    if status in (Status.DRAFT, Status.NOT_STARTED) and due_on and today > due_on:
        row.overdue_days = (today - due_on).days
    if current and status != Status.DRAFT:
        row.share_report = current
    elif earlier:
        row.share_report = max(earlier, key=lambda r: _rank(_parse(r.period), period.kind))
    return row


def _cascade(parent_targets, children, by_id, child_ids, sent, period, history) -> list[CascadeTarget]:
    """`sent`: the children's submitted or accepted reports of the period and before (by id), as read in 4."""
    if not parent_targets:
        return []
    start = min(t.plan.period_start for t in parent_targets)
    end = max(t.plan.period_end for t in parent_targets)
    goals = [t.pk for t in parent_targets]
    # 7. the children's targets that count towards the parent's, on issued plans (not replaced); by child in
    # the order of the rows (by name), then by plan and position
    by_child: dict[int, list[tuple]] = {}
    origin: dict[int, int] = {}  # a target of a replaced version → the same target in the version in force
    for *row, copied_from_id, copied_from_plan_id, replaces_id in (
        Target.objects.filter(
            contributes_to__in=goals,
            plan__in=Plan.objects.filter(in_force(start, end), organization__in=child_ids).values("pk"),
        )
        .order_by("plan_id", "position", "pk")
        .values_list("pk", "contributes_to_id", "plan__organization_id", "text", "value", "value_max",
                     "comparison", "copied_from_id", "copied_from__plan_id", "plan__replaces_id")
    ):  # fmt: skip
        by_child.setdefault(row[2], []).append(tuple(row))
        if copied_from_id and replaces_id and copied_from_plan_id == replaces_id:
            origin[copied_from_id] = row[0]
    # 8. what the latest submitted or accepted report up to the period says of each (read from the reports'
    # side: the entries, in the reports read in 4, of targets counting towards the parent's)
    latest: dict[int, tuple[int, int, Decimal | None]] = {}  # target → (rank, report, reached)
    if by_child:
        order = sorted(history, key=lambda key: _rank(_parse(key), period.kind))
        rank = {key: index for index, key in enumerate(order)}
        ranks = {pk: rank[report.period] for pk, report in sent.items()}
        for target_id, report_id, reached in (
            ReportEntry.objects.filter(
                report__organization__in=child_ids,
                report__status__in=Report.SUBMITTED_STATES,
                report__period__in=history,
                target__contributes_to__in=goals,
            )
            .order_by()
            .values_list("target_id", "report_id", "reached")
        ):
            report_rank = ranks.get(report_id)
            if report_rank is None:  # a report sent since 4 was read: not on this page
                continue
            target_id = origin.get(target_id, target_id)  # reported before the union's new version
            known = latest.get(target_id)
            if known is None or report_rank > known[0]:
                latest[target_id] = (report_rank, report_id, reached)
    cascade = {t.pk: CascadeTarget(target=t, units=by_id) for t in parent_targets}
    at_most = Target.Comparison.AT_MOST
    for unit, _plan, _in_force in children:
        for pk, parent_pk, org_id, text, value, value_max, comparison in by_child.get(unit.pk, ()):
            found = latest.get(pk)
            goal = value_max if comparison == at_most and value_max else value
            cascade[parent_pk].rows.append(
                (org_id, pk, text, goal, found[2], sent[found[1]].period)
                if found
                else (org_id, pk, text, goal, None, None)
            )
    return list(cascade.values())


def _totals(rows: list[ChildRow]) -> Totals:
    totals = Totals(children=len(rows))
    for row in rows:
        totals.submitted += row.is_submitted
        totals.on_time += row.on_time
        totals.late += row.late
        totals.accepted += row.status == Status.ACCEPTED
        totals.returned += row.status == Status.RETURNED
        totals.overdue += row.overdue_days > 0
        totals.draft += row.status == Status.DRAFT
        totals.not_started += row.status == Status.NOT_STARTED and row.owed
        totals.not_submitted += not row.is_submitted
    return totals


def period_choices(today: datetime.date, selected: Period) -> list[Period]:
    """Quarters, halves and years of this year and the two before (latest first), and the one shown."""
    periods = {p for year in range(today.year - 2, today.year + 1) for p in Period.all_in(year)}
    periods.add(selected)
    return sorted(periods, key=lambda p: (p.end, -p.months), reverse=True)
