"""The demo world's dashboard: after `seed_demo`, the ward's numbers are exactly those `targets.demo` designs.

Quarter IV of 2026 is due on 15/12/2026 (the default rule). Seeded on 20/12 (past due): the kindergarten sent
on time, the technical school a day late, the company nothing (its plan is approved, not issued). Seeded on
20/11 (before the due date): the school's report is still a draft and the earlier quarter's values count.
"""

import datetime
from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext

from members.models import Organization, User
from plans.models import Plan
from targets.dashboard import dashboard
from targets.models import Report, ReportEntry, Target
from targets.periods import Period

WARD = "Công đoàn phường An Lão"
NAMES = {
    "kindergarten": "Công đoàn cơ sở Trường Mầm non tư thục Hoa Sen",
    "company": "Công đoàn cơ sở Công ty TNHH May mặc Minh Anh",
    "school": "Công đoàn cơ sở Trường Trung cấp Kỹ thuật An Lão",
}


def seeded_board(time_machine, moment: str):
    time_machine.move_to(moment)
    call_command("seed_demo")
    ward = Organization.objects.get(name=WARD)
    today = datetime.date.fromisoformat(moment[:10])
    return dashboard(ward, period=Period.containing(today), today=today)


def rows_by_union(board):
    names = {name: key for key, name in NAMES.items()}
    return {names[row.organization.name]: row for row in board.rows}


def counts(board, *names):
    return [getattr(board.totals, name) for name in names]


def cascade(board):
    return [
        (item.target.text, item.total, item.goal, [c.reached for c in item.contributions])
        for item in board.cascade
    ]


def test_past_the_due_date_one_on_time_one_late_one_overdue(db, client, time_machine):
    board = seeded_board(time_machine, "2026-12-20 10:00 +07:00")
    client.force_login(User.objects.get(username="kiemtra.phuong"))  # the ward's reviewer sees the same
    page = client.get(reverse("targets:dashboard", args=[board.parent.pk])).content.decode()
    assert "87 / 106" in page and "79 / 150" in page and "3 / 10" in page and "82,1%" in page

    assert board.period.key == "2026-Q4" and board.due_on == datetime.date(2026, 12, 15)
    rows = rows_by_union(board)
    assert list(rows) == [
        "company",
        "kindergarten",
        "school",
    ]  # by name: Công ty…, Trường Mầm non…, Trường Trung…
    kindergarten, school, company = rows["kindergarten"], rows["school"], rows["company"]
    assert (kindergarten.status, kindergarten.late, kindergarten.submitted_on) == (
        "submitted",
        False,
        datetime.date(2026, 12, 13),
    )
    assert (school.status, school.late_days, school.submitted_on) == (
        "submitted",
        1,
        datetime.date(2026, 12, 16),
    )
    assert (company.status, company.overdue_days) == ("not_started", 5)
    assert (kindergarten.met, kindergarten.counted, kindergarten.share) == (3, 4, Decimal("75.0"))
    assert (school.met, school.counted, school.share) == (2, 4, Decimal("50.0"))
    assert company.share_report is None
    # the plans shown: the two issued implementation plans in force; the company's approved one, not in force
    assert kindergarten.plan.status == school.plan.status == Plan.Status.ISSUED
    assert kindergarten.plan_in_force and school.plan_in_force
    assert company.plan.status == Plan.Status.APPROVED and not company.plan_in_force

    assert cascade(board) == [
        ("Phát triển mới 106 đoàn viên", Decimal(87), Decimal(106), [Decimal(14), Decimal(73)]),
        (
            "Thăm hỏi, hỗ trợ 150 lượt đoàn viên ốm đau, có hoàn cảnh khó khăn",
            Decimal(79), Decimal(150), [Decimal(31), Decimal(48)],
        ),
        (
            "Giới thiệu 10 đoàn viên ưu tú cho Đảng xem xét kết nạp",
            Decimal(3), Decimal(10), [Decimal(1), Decimal(2)],
        ),
    ]  # fmt: skip
    assert board.cascade[0].share_display == "82,1%"
    assert counts(board, "children", "submitted", "on_time", "late", "overdue", "not_started") == [
        3,
        2,
        1,
        1,
        1,
        1,
    ]


def test_before_the_due_date_the_earlier_quarter_counts(db, time_machine):
    board = seeded_board(time_machine, "2026-11-20 10:00 +07:00")

    rows = rows_by_union(board)
    kindergarten, school, company = rows["kindergarten"], rows["school"], rows["company"]
    assert (kindergarten.status, kindergarten.submitted_on, kindergarten.late) == (
        "submitted", datetime.date(2026, 11, 20), False,
    )  # fmt: skip
    assert school.status == "draft" and school.report_url is None  # a draft is the union's own business
    assert school.deadline_label == company.deadline_label == gettext("due %(date)s") % {"date": "15/12/2026"}
    assert (school.met, school.counted, school.share_report.period) == (1, 4, "2026-Q3")
    assert company.status == "not_started" and company.overdue_days == 0
    assert [(item.total, item.goal) for item in board.cascade] == [
        (Decimal(44), Decimal(106)), (Decimal(56), Decimal(150)), (Decimal(2), Decimal(10)),
    ]  # fmt: skip
    assert counts(board, "submitted", "on_time", "late", "overdue", "draft", "not_started") == [
        1,
        1,
        0,
        0,
        1,
        1,
    ]
    # the quarter before: both accepted, the school two days late
    earlier = dashboard(board.parent, period=Period.parse("2026-Q3"), today=datetime.date(2026, 11, 20))
    rows = rows_by_union(earlier)
    assert [(rows[k].status, rows[k].late_days) for k in ("kindergarten", "school")] == [
        ("accepted", 0), ("accepted", 2),
    ]  # fmt: skip
    assert rows["company"].overdue_days == (datetime.date(2026, 11, 20) - datetime.date(2026, 9, 15)).days


def test_seeding_twice_changes_nothing(db, time_machine):
    seeded_board(time_machine, "2026-12-20 10:00 +07:00")
    models = (Plan, Target, Report, ReportEntry)
    first = [m.objects.count() for m in models]
    call_command("seed_demo")
    assert [m.objects.count() for m in models] == first
    assert first == [8, 3 + 4 + 4 + 2, 4, 16]
