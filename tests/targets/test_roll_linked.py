"""Targets that count themselves from the member roll (`Target.counts_from = "admissions"`): new members are
the admissions and re-admissions on the union's roll from the start of the plan to the end of the report's
period (never after today); a transfer in is not counted; a typed value is not kept."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from members import counting, services
from members.models import Member, MemberEvent
from targets import report_services
from targets.dashboard import dashboard
from targets.forms import TargetForm
from targets.models import ReportEntry, Target
from targets.periods import Period
from tests.factories import MemberFactory, PlanFactory, TargetFactory
from tests.targets.fixtures import YEAR_2026

D = datetime.date
Q1 = Period.parse("2026-Q1")


def admit(organization, by, day, name, **fields):
    return services.member_admit(
        organization=organization, by=by, admitted_on=day, full_name=name, sex="female", **fields
    )


@pytest.fixture
def roll(time_machine, union_a, union_b, chair, other_chair):
    """union_a's roll seen on 05/04/2026: admitted 20/12/2025 (before the plan), 05/01, 31/03 and 02/04/2026;
    re-admitted 10/02/2026 (left 01/10/2025); transferred in from union_b 15/02/2026. union_b: one admission
    on 03/03/2026."""
    time_machine.move_to("2026-04-05 09:00 +07:00")
    admit(union_a, chair, D(2025, 12, 20), "Phạm Thị Cúc")
    admit(union_a, chair, D(2026, 1, 5), "Lê Thị Đào")
    admit(union_a, chair, D(2026, 3, 31), "Trần Văn Hùng")
    admit(union_a, chair, D(2026, 4, 2), "Vũ Thị Lan")
    back = MemberFactory(organization=union_a, full_name="Đỗ Thị Mến", admitted_on=D(2015, 9, 1))
    services.member_change(member=back, kind=MemberEvent.Kind.LEFT, on=D(2025, 10, 1), by=chair)
    services.member_readmit(member=back, on=D(2026, 2, 10), by=chair)
    moving = admit(union_b, other_chair, D(2020, 5, 4), "Ngô Văn Tâm")
    transfer = services.member_transfer_request(
        member=moving, to_organization=union_a, on=D(2026, 2, 15), by=other_chair
    )
    services.member_transfer_decide(transfer=transfer, by=chair, accept=True)
    admit(union_b, other_chair, D(2026, 3, 3), "Hoàng Thị Yến")
    return union_a


@pytest.fixture
def linked_target(plan_in_force, ward_target):
    """union_a's 2026 plan: "Kết nạp mới 10 đoàn viên", counted from the roll, towards the ward's 106."""
    return TargetFactory(
        plan=plan_in_force, position=1, text="Kết nạp mới 10 đoàn viên", value=10, counts_from="admissions",
        contributes_to=ward_target,
    )  # fmt: skip


def test_admissions_in_the_period_are_counted_with_readmissions_and_without_transfers(roll, union_b, ward):
    counted = counting.admissions([roll.pk, union_b.pk, ward.pk], D(2026, 1, 1), D(2026, 3, 31))
    # 05/01, 10/02 (re-admitted), 31/03; not 20/12/2025, not 02/04, not the transfer of 15/02
    assert counted == {roll.pk: 3, union_b.pk: 1, ward.pk: 0}
    assert counting.admissions([roll.pk], D(2026, 1, 1), D(2026, 4, 5)) == {roll.pk: 4}
    assert counting.admissions([roll.pk], D(2025, 1, 1), D(2025, 12, 31)) == {roll.pk: 1}
    assert counting.admissions([roll.pk], D(2026, 4, 1), D(2026, 3, 31)) == {roll.pk: 0}
    assert counting.admissions([], D(2026, 1, 1), D(2026, 12, 31)) == {}


def test_admissions_are_one_query(roll, union_b, django_assert_num_queries):
    with django_assert_num_queries(1):
        counting.admissions([roll.pk, union_b.pk], D(2026, 1, 1), D(2026, 12, 31))


def test_a_started_report_takes_the_roll_figure_from_the_start_of_the_plan(roll, chair, linked_target):
    other = TargetFactory(plan=linked_target.plan, position=2, text="Thăm hỏi 30 lượt đoàn viên", value=30)
    report = report_services.report_start(organization=roll, period=Q1, by=chair)
    reached = dict(report.entries.values_list("target_id", "reached"))
    assert reached == {linked_target.pk: Decimal(3), other.pk: None}  # only the linked target is filled
    # the second quarter, written on 05/04: up to today (the quarter ends on 30/06), from 01/01 still
    q2 = report_services.report_start(organization=roll, period=Period.parse("2026-Q2"), by=chair)
    assert q2.entries.get(target=linked_target).reached == 4


def test_the_count_stops_at_today(roll, chair, linked_target):
    # a wrong date in the history (e.g. mistyped in an import): a day after today is not counted
    member = Member.objects.filter(organization=roll).first()
    MemberEvent.objects.create(
        member=member, kind=MemberEvent.Kind.ADMITTED, on=D(2026, 5, 1), organization=roll, recorded_by=chair
    )
    q2 = report_services.report_start(organization=roll, period=Period.parse("2026-Q2"), by=chair)
    assert q2.entries.get(target=linked_target).reached == 4


def test_the_plan_start_counts_not_the_year(time_machine, union_a, chair, ward_target):
    """A school-year plan (from 01/09/2025): its admissions since September count in 2026's quarters."""
    time_machine.move_to("2026-04-05 09:00 +07:00")
    plan = PlanFactory(organization=union_a, status="issued")  # 01/09/2025 – 31/08/2026
    target = TargetFactory(plan=plan, text="Kết nạp mới 5 đoàn viên", value=5, counts_from="admissions")
    admit(union_a, chair, D(2025, 8, 31), "Trước năm học")
    admit(union_a, chair, D(2025, 10, 1), "Đầu năm học")
    admit(union_a, chair, D(2026, 2, 1), "Giữa năm học")
    report = report_services.report_start(organization=union_a, period=Q1, by=chair)
    assert report.entries.get(target=target).reached == 2


def test_a_typed_value_is_not_kept_and_saving_brings_the_roll_up_to_date(client, roll, chair, linked_target):
    report = report_services.report_start(organization=roll, period=Q1, by=chair)
    entry = report.entries.get(target=linked_target)
    client.force_login(chair)
    page = client.get(reverse("targets:report", args=[report.pk])).content.decode()
    assert "Đếm từ danh sách đoàn viên" in page
    assert f'name="entry-{entry.pk}-reached" value="3"' in page and "disabled" in page

    # admitted on 20/03, recorded today (05/04): the next save counts it; the 99 typed is not kept
    admit(roll, chair, D(2026, 3, 20), "Bùi Thị Nga")
    data = {
        "version": report.version, "title": report.title, "place": report.place,
        "signature_authority": report.signature_authority, "signature_title": report.signature_title,
        "signer_name": report.signer_name, "recipients": report.recipients,
        f"entry-{entry.pk}-reached": "99", f"entry-{entry.pk}-note": "Danh sách kèm theo",
    }  # fmt: skip
    response = client.post(reverse("targets:report", args=[report.pk]), data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.reached, entry.note) == (Decimal(4), "Danh sách kèm theo")

    # the service refuses it the same way, whoever calls it
    report.refresh_from_db()
    report_services.report_update(
        report=report, by=chair, expected_version=report.version, entries={entry.pk: {"reached": Decimal(50)}}
    )
    entry.refresh_from_db()
    assert entry.reached == 4


def test_submitting_counts_again_and_the_ward_dashboard_shows_it(client, roll, chair, reviewer, ward,
                                                                 linked_target, ward_target):  # fmt: skip
    report = report_services.report_start(organization=roll, period=Q1, by=chair)
    ReportEntry.objects.filter(report=report).update(
        reached=1
    )  # stale: before later admissions were recorded
    report_services.report_submit(report=report, by=chair)
    assert report.entries.get(target=linked_target).reached == 3

    board = dashboard(ward, period=Q1, today=D(2026, 4, 5))
    [item] = [item for item in board.cascade if item.target.pk == ward_target.pk]
    assert [c.reached for c in item.contributions] == [Decimal(3)]
    assert item.total == 3
    client.force_login(reviewer)
    page = client.get(reverse("targets:dashboard", args=[ward.pk]), {"period": "2026-Q1"}).content.decode()
    assert "3 / 106" in page


def test_an_upper_unions_target_is_not_counted_from_a_roll(roll, ward, reviewer, ward_target, linked_target):
    assert ward_target.counts_from == ""
    form = TargetForm(instance=ward_target, plan=ward_target.plan)
    assert "counts_from" not in form.fields  # the ward keeps no roll of its own
    assert "counts_from" in TargetForm(plan=linked_target.plan).fields


def _form_data(**fields):
    return {
        "text": "Kết nạp mới 10 đoàn viên", "kind": "count", "comparison": "at_least", "value": "10",
        "unit": "đoàn viên", "due_kind": "ongoing", "printed": "on", **fields,
    }  # fmt: skip


def test_only_a_count_target_counts_itself(union_a, chair):
    plan = PlanFactory(organization=union_a, **{**YEAR_2026, "status": "draft"})
    refused = TargetForm(_form_data(kind="percentage", value="100", unit="%", counts_from="on"), plan=plan)
    assert not refused.is_valid()
    assert refused.errors["counts_from"] == [
        "Chỉ chỉ tiêu dạng số lượng mới được đếm từ danh sách đoàn viên."
    ]
    accepted = TargetForm(_form_data(counts_from="on"), plan=plan)
    assert accepted.is_valid(), accepted.errors
    assert accepted.cleaned_data["counts_from"] == "admissions"
    assert TargetForm(_form_data(), plan=plan).is_valid()


def test_the_editor_saves_the_choice_and_refuses_it_for_a_percentage(client, chair, written_plan):
    section = written_plan.sections.get()
    url = reverse("plans:target_add", args=[written_plan.pk, section.pk])
    client.force_login(chair)
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Đếm từ danh sách đoàn viên (số kết nạp mới)" in html
    bad = _form_data(kind="percentage", value="100", unit="%", counts_from="on", version=1)
    response = client.post(url, bad, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Chỉ chỉ tiêu dạng số lượng mới được đếm từ danh sách đoàn viên." in response.content.decode()
    assert not section.targets.exists()
    response = client.post(url, _form_data(counts_from="on", version=1), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    target = section.targets.get()
    assert (target.kind, target.counts_from) == (Target.Kind.COUNT, "admissions")
    # the printed line is the same as for any other target
    assert (
        "Kết nạp mới 10 đoàn viên"
        in client.get(reverse("plans:edit", args=[written_plan.pk])).content.decode()
    )
