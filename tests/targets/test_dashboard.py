"""The dashboard selector: sums of the cascade, shares of targets met, late and overdue reports, plan status,
and a constant number of queries whatever the number of children (tests/targets/fixtures_dashboard.py)."""

import datetime
from decimal import Decimal

import pytest
from django.utils.translation import gettext, ngettext

from plans.models import Plan
from targets.dashboard import dashboard, format_number, format_percent
from targets.models import Report, ReportingRule
from targets.periods import Period
from tests.factories import OrganizationFactory, PlanFactory
from tests.targets.fixtures_dashboard import child_with_plan, report_with

Q1 = Period.parse("2026-Q1")


# The labels as the catalogue translates them (Vietnamese once compiled: "hạn 15/03/2026", "quá hạn 5 ngày").
def due(date):
    return gettext("due %(date)s") % {"date": date}


def overdue(days):
    return ngettext("overdue by %(days)s day", "overdue by %(days)s days", days) % {"days": days}


def late(days):
    return ngettext("%(days)s day late", "%(days)s days late", days) % {"days": days}


D = datetime.date


def rows(board):
    return {row.organization.symbol: row for row in board.rows}


def test_cascade_sums_the_issued_children_against_the_goal(dashboard_world, ward):
    board = dashboard(ward, period=Q1, today=D(2026, 3, 20))

    [item] = board.cascade
    assert item.target.text == "Phát triển mới 106 đoàn viên"
    # union_c's 75 and union_a's 12; union_d's plan is approved but not issued: its target does not count
    assert [(c.organization.symbol, c.reached) for c in item.contributions] == [("CĐCTC", 75), ("CĐMNA", 12)]
    assert (item.total, item.goal, item.share, item.progress, item.met) == (
        Decimal(87), Decimal(106), Decimal("82.1"), 82, False,
    )  # fmt: skip
    assert (item.total_display, item.share_display) == ("87", "82,1%")


def test_a_contribution_is_the_latest_sent_value_up_to_the_period(dashboard_world, ward, union_c):
    union, _plan, [target] = union_c
    report_with(union, "2026-Q2", Report.Status.ACCEPTED, submitted_on=D(2026, 6, 10), values={target: 90})
    report_with(union, "2026-Q3", Report.Status.DRAFT, values={target: 200})  # a draft: not sent
    report_with(union, "2026-Q4", Report.Status.RETURNED, submitted_on=D(2026, 12, 1), values={target: 300})

    def total(key):
        return dashboard(ward, period=Period.parse(key), today=D(2026, 12, 20)).cascade[0].total

    assert total("2026-Q1") == 12 + 75
    assert total("2026-Q2") == 12 + 90
    assert total("2026-Q3") == 12 + 90
    assert total("2026-Q4") == 12 + 90  # returned for revision: not counted
    assert total("2026-H1") == 12 + 90  # the half-year ends with the second quarter


def test_share_of_targets_met_uses_the_periods_report_else_the_latest_sent(dashboard_world, ward, union_c):
    board = dashboard(ward, period=Q1, today=D(2026, 3, 20))
    a = rows(board)["CĐMNA"]
    # 12 of 10 new members (met), 90% of 100% insured (not met), the conference held (met)
    assert (a.met, a.counted, a.share, a.share_display, a.share_width) == (2, 3, Decimal("66.7"), "66,7%", 66)
    assert rows(board)["CĐTD"].share_report is None

    union, _plan, [target] = union_c
    report_with(union, "2026-Q2", Report.Status.DRAFT, values={target: 10})
    later = rows(dashboard(ward, period=Period.parse("2026-Q2"), today=D(2026, 6, 20)))
    assert later["CĐCTC"].status == "draft"
    assert later["CĐCTC"].share_report.period == "2026-Q1" and later["CĐCTC"].share_from_earlier
    assert (later["CĐCTC"].met, later["CĐCTC"].counted) == (1, 1)


@pytest.mark.parametrize(
    ("today", "labels", "n_overdue"),
    [
        (D(2026, 3, 10), {"CĐMNA": "", "CĐCTC": ("due", "15/03/2026"), "CĐTD": ("due", "15/03/2026")}, 0),
        (D(2026, 3, 15), {"CĐMNA": "", "CĐCTC": ("due", "15/03/2026"), "CĐTD": ("due", "15/03/2026")}, 0),
        (D(2026, 3, 16), {"CĐMNA": "", "CĐCTC": ("overdue", 1), "CĐTD": ("overdue", 1)}, 2),
        (D(2026, 3, 20), {"CĐMNA": "", "CĐCTC": ("late", 2), "CĐTD": ("overdue", 5)}, 1),
    ],
)
def test_late_and_overdue_day_by_day(dashboard_world, ward, time_machine, today, labels, n_overdue):
    """The reports exist from the day they were sent: on 10/03 union_a's, on 17/03 union_c's too."""
    time_machine.move_to(datetime.datetime.combine(today, datetime.time(12)))
    if today < D(2026, 3, 17):
        dashboard_world["union_c"].delete()
    board = dashboard(ward, period=Q1, today=today)
    words = {"due": due, "overdue": overdue, "late": late}
    expected = {symbol: words[label[0]](label[1]) if label else "" for symbol, label in labels.items()}
    assert {symbol: row.deadline_label for symbol, row in rows(board).items()} == expected
    assert board.totals.overdue == n_overdue


def test_the_parents_own_rule_sets_the_due_date(dashboard_world, ward):
    ReportingRule.objects.create(organization=ward, frequency="Q", month_offset=1, day=5)  # 5th of next month
    board = dashboard(ward, period=Q1, today=D(2026, 3, 20))
    assert board.due_on == D(2026, 4, 5)
    assert rows(board)["CĐCTC"].late is False and rows(board)["CĐCTC"].on_time
    assert rows(board)["CĐTD"].deadline_label == due("05/04/2026")
    assert (board.totals.submitted, board.totals.on_time, board.totals.late, board.totals.overdue) == (
        2,
        2,
        0,
        0,
    )


def test_statuses_and_totals(dashboard_world, ward, union_c):
    dashboard_world["union_a"].status = Report.Status.ACCEPTED
    dashboard_world["union_a"].save(update_fields=["status"])
    dashboard_world["union_c"].status = Report.Status.RETURNED
    dashboard_world["union_c"].save(update_fields=["status"])
    board = dashboard(ward, period=Q1, today=D(2026, 3, 20))
    r = rows(board)
    assert [(s, r[s].status, r[s].late_days, r[s].overdue_days) for s in ("CĐMNA", "CĐCTC", "CĐTD")] == [
        ("CĐMNA", "accepted", 0, 0), ("CĐCTC", "returned", 2, 0), ("CĐTD", "not_started", 0, 5),
    ]  # fmt: skip
    t = board.totals
    assert (t.children, t.submitted, t.accepted, t.returned, t.late, t.overdue, t.not_submitted) == (
        3, 1, 1, 1, 1, 1, 2,
    )  # fmt: skip
    assert [row.organization.symbol for row in board.filtered("not_submitted")] == ["CĐCTC", "CĐTD"]
    assert [row.organization.symbol for row in board.filtered("late")] == ["CĐCTC"]
    assert len(board.filtered("")) == 3


def test_plan_shown_is_the_one_in_force_else_the_latest_sent(ward, union_a, targets_in_force):
    older = OrganizationFactory(name="Công đoàn cơ sở Cũ", symbol="CĐC", parent=ward)
    PlanFactory(organization=older, status=Plan.Status.SUBMITTED, number=1, dated_on=D(2025, 9, 5))
    PlanFactory(organization=older, status=Plan.Status.DRAFT, number=2, dated_on=D(2026, 1, 5))  # not shown
    closed = OrganizationFactory(name="Công đoàn cơ sở Đã giải thể", parent=ward, closed_on=D(2025, 12, 31))
    board = dashboard(ward, period=Q1, today=D(2026, 3, 20))
    r = rows(board)
    assert closed.symbol not in r  # closed before today: no row
    assert r["CĐMNA"].plan.pk == targets_in_force[0].plan.pk and r["CĐMNA"].plan_in_force
    assert r["CĐC"].plan.number == 1 and r["CĐC"].plan.status == "submitted" and not r["CĐC"].plan_in_force
    assert r["CĐC"].plan.reference == "01/KH-CĐC"


def test_no_plan_in_force_no_cascade(ward, union_a):
    board = dashboard(ward, period=Q1, today=D(2026, 3, 20))
    assert board.cascade == [] and rows(board)["CĐMNA"].plan is None


def children(ward, ward_target, n):
    for i in range(n):
        union, plan, [target] = child_with_plan(
            ward,
            f"Công đoàn cơ sở Số {i:03d}",
            f"CĐS{i}",
            targets=[("Kết nạp mới 5 đoàn viên", 5, ward_target)],
        )
        report_with(union, "2026-Q1", Report.Status.SUBMITTED, submitted_on=D(2026, 3, 1 + i % 20),
                    values={target: i % 7})  # fmt: skip
        report_with(
            union, "2025-Q4", Report.Status.ACCEPTED, submitted_on=D(2025, 12, 10), values={target: 1}
        )


@pytest.mark.parametrize("n", [3, 30])
def test_queries_do_not_grow_with_the_children(ward, ward_target, django_assert_num_queries, n):
    children(ward, ward_target, n)
    with django_assert_num_queries(8):
        board = dashboard(ward, period=Q1, today=D(2026, 3, 20))
    assert len(board.rows) == n
    assert board.cascade[0].total == sum(i % 7 for i in range(n))
    assert board.totals.late == sum(1 for i in range(n) if 1 + i % 20 > 15)


def test_numbers_are_written_the_vietnamese_way():
    assert format_number(Decimal("1234567")) == "1.234.567"
    assert format_number(Decimal("55.50")) == "55,5"
    assert format_number(Decimal("0.25")) == "0,25"
    assert format_number(None) == "–"
    assert format_percent(Decimal("55.5")) == "55,5%"
    assert format_percent(Decimal("100.0")) == "100%"


def test_the_database_counts_met_targets_as_target_is_met_does(union_a, plan_in_force):
    """`met_condition` (SQL, for speed) against `ReportEntry.met` on every kind, comparison and edge."""
    from django.db.models import Q

    from targets.dashboard import met_condition
    from targets.models import ReportEntry, Target
    from tests.factories import TargetFactory

    report = Report.objects.create(organization=union_a, period="2026-Q1")
    cases = [
        (kind, comparison, 10, 20) for kind in ("count", "percentage") for comparison in Target.Comparison
    ]
    cases += [("yes_no", "exactly", 1, None), ("count", "at_least", None, None), ("count", "between", 10, 10)]
    position = 0
    for kind, comparison, value, value_max in cases:
        target = TargetFactory(plan=plan_in_force, kind=kind, comparison=comparison, value=value,
                               value_max=value_max if comparison == "between" else None)  # fmt: skip
        for reached in (None, 0, 1, Decimal("9.99"), 10, 15, 20, Decimal("20.5")):
            position += 1
            other = Report.objects.create(organization=union_a, period=f"{2000 + position}-Y")
            ReportEntry.objects.create(report=other, target=target, reached=reached)
    assert report.entries.count() == 0
    entries = ReportEntry.objects.select_related("target")
    in_python = {entry.pk for entry in entries if entry.met}
    in_sql = set(entries.filter(met_condition()).values_list("pk", flat=True))
    assert in_sql == in_python and len(in_python) > 20
    assert not entries.filter(met_condition() & Q(reached__isnull=True)).exists()


def test_the_chart_lists_the_largest_and_sums_the_others(ward, ward_target):
    """Past CascadeTarget.TOP + 1 contributions, the chart and the page list the largest, the rest summed."""
    children(ward, ward_target, 30)
    [item] = dashboard(ward, period=Q1, today=D(2026, 3, 20)).cascade
    values = [Decimal(i % 7) for i in range(30)]
    assert (item.count, item.reported, item.total) == (30, 30, sum(values))
    assert [c.organization.symbol for c in item.contributions] == [f"CĐS{i}" for i in range(30)]  # by name
    assert [c.reached for c in item.shown] == sorted(values, reverse=True)[:12]
    assert all(c.period.key == "2026-Q1" for c in item.shown)
    assert item.others == (18, sum(sorted(values, reverse=True)[12:]))
    bars = item.chart["bars"]
    assert (
        len(bars) == 14
        and bars[-1].total
        and bars[-2].label == ngettext("%(count)s other union", "%(count)s other unions", 18) % {"count": 18}
    )


def test_a_union_that_does_not_owe_the_report_is_never_overdue(ward, union_a):
    """Founded after the deadline, or closed before it: nothing owed, nothing overdue (selectors.owes)."""
    young = OrganizationFactory(
        name="Công đoàn cơ sở Mới lập", parent=ward, founded_on=datetime.date(2026, 3, 20)
    )
    gone = OrganizationFactory(
        name="Công đoàn cơ sở Đã giải thể", parent=ward, closed_on=datetime.date(2026, 3, 10)
    )
    board = dashboard(ward, period=Period.parse("2026-Q1"), today=datetime.date(2026, 4, 20))
    by_name = {row.organization.name: row for row in board.rows}
    assert by_name[union_a.name].overdue_days == 36  # due 15/03
    for union in (young, gone):
        row = by_name[union.name]
        assert row.overdue_days == 0 and not row.owed
        assert row.deadline_label == gettext("not required for this period")
    assert board.totals.overdue == 1 and board.totals.not_started == 1


def test_a_past_period_still_lists_a_union_closed_since(ward, union_a):
    OrganizationFactory(
        name="Công đoàn cơ sở Giải thể tháng 5", parent=ward, closed_on=datetime.date(2026, 5, 31)
    )
    q1 = dashboard(ward, period=Period.parse("2026-Q1"), today=datetime.date(2026, 11, 20))
    q4 = dashboard(ward, period=Period.parse("2026-Q4"), today=datetime.date(2026, 11, 20))
    assert "Công đoàn cơ sở Giải thể tháng 5" in [row.organization.name for row in q1.rows]
    assert "Công đoàn cơ sở Giải thể tháng 5" not in [row.organization.name for row in q4.rows]
