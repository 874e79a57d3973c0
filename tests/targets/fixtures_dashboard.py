"""Fixtures for the dashboard tests (imported by tests/conftest.py so that the URL guard sees them too).

ward (reviewer) ── union_a: plan 2026 issued (targets_in_force; the first counts towards ward_target)
                ├─ union_c (Công ty C): plan 2026 issued, "Kết nạp mới 60 đoàn viên" → ward_target
                └─ union_d (Trường D): plan 2026 approved, not issued: its target does not count
"""

import datetime
from zoneinfo import ZoneInfo

import pytest

from plans.models import Plan
from targets.models import Report, ReportEntry
from tests.factories import OrganizationFactory, PlanFactory, TargetFactory
from tests.targets.fixtures import YEAR_2026

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    """A moment of that day in Vietnam (what `submitted_at` stores)."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=VIETNAM)


def child_with_plan(parent, name: str, symbol: str, *, status=Plan.Status.ISSUED, targets=()):
    """A grassroots union under `parent` with a 2026 plan in `status` and targets [(text, value, towards)]."""
    child = OrganizationFactory(name=name, symbol=symbol, parent=parent)
    plan = PlanFactory(organization=child, number=4, **{**YEAR_2026, "status": status})
    made = [
        TargetFactory(plan=plan, position=i, text=text, value=value, contributes_to=towards)
        for i, (text, value, towards) in enumerate(targets, start=1)
    ]
    return child, plan, made


def report_with(organization, period: str, status: str, *, submitted_on=None, values=None) -> Report:
    """A report in `status`, first submitted on `submitted_on` (a date), with {target: reached} entries."""
    report = Report.objects.create(
        organization=organization,
        period=period,
        status=status,
        submitted_at=at(submitted_on) if submitted_on else None,
    )
    for position, (target, reached) in enumerate((values or {}).items(), start=1):
        ReportEntry.objects.create(report=report, target=target, position=position, reached=reached)
    return report


@pytest.fixture
def union_c(ward, ward_target):
    return child_with_plan(
        ward, "Công đoàn cơ sở Công ty C", "CĐCTC", targets=[("Kết nạp mới 60 đoàn viên", 60, ward_target)]
    )


@pytest.fixture
def union_d(ward, ward_target):
    return child_with_plan(
        ward, "Công đoàn cơ sở Trường D", "CĐTD", status=Plan.Status.APPROVED,
        targets=[("Kết nạp mới 30 đoàn viên", 30, ward_target)],
    )  # fmt: skip


@pytest.fixture
def dashboard_world(targets_in_force, union_c, union_d):
    """Quarter 1 of 2026 (due 15/03/2026): union_a submitted on time (12 new members of its 10; 2 of its 3
    targets met), union_c late on 17/03 (75 of its 60), union_d wrote nothing.
    New members: 12 + 75 = 87 / 106."""
    a = report_with(
        targets_in_force[0].plan.organization, "2026-Q1", Report.Status.SUBMITTED,
        submitted_on=datetime.date(2026, 3, 10),
        values={targets_in_force[0]: 12, targets_in_force[1]: 90, targets_in_force[2]: 1},
    )  # fmt: skip
    c = report_with(
        union_c[0], "2026-Q1", Report.Status.SUBMITTED, submitted_on=datetime.date(2026, 3, 17),
        values={union_c[2][0]: 75},
    )  # fmt: skip
    return {"union_a": a, "union_c": c}
