"""Plans in force with targets, shared by the targets tests (imported by tests/conftest.py).

    ward: calendar-year plan 2026, issued, target "tăng thêm 106 đoàn viên" (ward_target)
    union_a: calendar-year plan 2026, issued, a section with three targets; the first counts towards
             ward_target (the cascade)

The plans are put in the issued state directly (no PDF is rendered): what matters here is what is in force.
"""

import datetime

import pytest

from plans.models import Plan, Section
from tests.factories import PlanFactory, TargetFactory

YEAR_2026 = {
    "title": "Hoạt động công đoàn năm 2026",
    "kind": Plan.Kind.CALENDAR_YEAR,
    "period_start": datetime.date(2026, 1, 1),
    "period_end": datetime.date(2026, 12, 31),
    "period_label": "năm 2026",
    "dated_on": datetime.date(2026, 1, 10),
    "status": Plan.Status.ISSUED,
}


@pytest.fixture
def ward_plan_in_force(ward, reviewer):
    return PlanFactory(organization=ward, created_by=reviewer, number=3, **YEAR_2026)


@pytest.fixture
def ward_target(ward_plan_in_force):
    return TargetFactory(
        plan=ward_plan_in_force, text="Phát triển mới 106 đoàn viên", value=106, increase=True, position=1
    )


@pytest.fixture
def plan_in_force(union_a, chair):
    plan = PlanFactory(organization=union_a, created_by=chair, number=2, **YEAR_2026)
    Section.objects.create(plan=plan, position=1, heading="Mục đích, yêu cầu", body="Nội dung.")
    return plan


@pytest.fixture
def targets_in_force(plan_in_force, ward_target):
    """[new members (counts towards ward_target), 100% members insured, a yes/no target]."""
    section = Section.objects.create(
        plan=plan_in_force,
        position=2,
        heading="Nội dung, chỉ tiêu",
        body="Kết nạp mới 10 đoàn viên; 100% đoàn viên được tham gia bảo hiểm.",
    )
    return [
        TargetFactory(
            plan=plan_in_force, section=section, position=1, text="Kết nạp mới 10 đoàn viên", value=10,
            contributes_to=ward_target,
        ),
        TargetFactory(
            plan=plan_in_force, section=section, position=2, text="100% đoàn viên được tham gia bảo hiểm",
            kind="percentage", value=100, unit="%", increase=False,
        ),
        TargetFactory(
            plan=plan_in_force, section=section, position=3, text="Tổ chức Hội nghị người lao động",
            kind="yes_no", comparison="exactly", value=1, unit="", increase=False,
        ),
    ]  # fmt: skip
