"""Reading what is in force: shared by reports (what to pre-fill) and the dashboard (what to sum)."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from plans.models import Plan
from targets.models import Report, ReportingRule
from targets.periods import Period


def in_force(start: datetime.date, end: datetime.date) -> Q:
    """Plans issued for a period overlapping [start, end], unless a newer issued version replaces them."""
    replaced = Plan.objects.filter(replaces=OuterRef("pk"), status=Plan.Status.ISSUED)
    return Q(status=Plan.Status.ISSUED, period_start__lte=end, period_end__gte=start) & ~Q(Exists(replaced))


def plans_in_force(start: datetime.date, end: datetime.date):
    return Plan.objects.filter(in_force(start, end))


def due_dates(organization, periods) -> dict[str, datetime.date | None]:
    """Period key → the deadline under the parent's rule (its defaults when it set none), None when the
    parent does not ask for that kind of report: one query."""
    parent = organization.parent
    if parent is None:
        return {period.key: None for period in periods}
    rules = {rule.frequency: rule for rule in ReportingRule.objects.filter(organization=parent)}
    dues = {}
    for period in periods:
        rule = rules.get(period.kind) or ReportingRule.default(parent, period.kind)
        dues[period.key] = rule.due_on(period) if rule.enabled else None
    return dues


def lateness(report: Report | None, due: datetime.date | None, today: datetime.date) -> dict:
    """Days overdue (not submitted after the deadline) or late (first submitted after it)."""
    if due is None:
        return {"overdue": 0, "late": 0}
    if report is not None and report.submitted_at is not None:
        submitted = timezone.localtime(report.submitted_at).date()
        return {"overdue": 0, "late": max(0, (submitted - due).days)}
    return {"overdue": max(0, (today - due).days), "late": 0}


def owes(founded_on, closed_on, period: Period, due: datetime.date) -> bool:
    """Whether a union owes the report of `period` (the rule of `targets.reminders`): it was founded before
    the deadline and by the period's end, and was still open on the deadline."""
    if founded_on is not None and (founded_on >= due or founded_on > period.end):
        return False
    return closed_on is None or closed_on >= due


def open_deadlines(organization, today: datetime.date) -> list[dict]:
    """The reports a union still owes, soonest first: periods of this year and last whose deadline is in
    the coming 45 days or already past, not yet submitted (two queries)."""
    periods = [p for year in (today.year - 1, today.year) for p in Period.all_in(year)]
    dues = due_dates(organization, periods)
    soon = [p for p in periods if dues[p.key] and dues[p.key] <= today + datetime.timedelta(days=45)]
    reports = {
        report.period: report
        for report in Report.objects.filter(organization=organization, period__in=[p.key for p in soon])
    }
    rows = []
    for period in soon:
        report = reports.get(period.key)
        if report is not None and report.submitted_at is not None:
            continue
        due = dues[period.key]
        if not owes(organization.founded_on, organization.closed_on, period, due):
            continue
        if today - due > datetime.timedelta(days=120):
            continue  # long gone: the report list still shows it
        rows.append({"period": period, "due": due, "report": report, **lateness(report, due, today)})
    return sorted(rows, key=lambda row: row["due"])
