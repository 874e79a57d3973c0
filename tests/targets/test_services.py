"""Targets changed through the services: the plan version, frozen plans, access, positions, proposals,
copies, snapshots."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plans import lifecycle
from plans import services as plan_services
from plans.models import FindingDismissal, Plan, Section
from targets import services
from targets.models import Target
from targets.proposals import propose
from tests.factories import TargetFactory

COUNT = {"text": "Kết nạp mới 10 đoàn viên", "value": Decimal(10), "unit": "đoàn viên"}


@pytest.fixture
def section(draft_plan):
    return Section.objects.create(plan=draft_plan, position=1, heading="Nội dung, chỉ tiêu", body="")


def _add(plan, section, by, version, **fields):
    return services.target_add(
        plan=plan, by=by, expected_version=version, section=section, **(COUNT | fields)
    )


def _texts(section):
    return list(section.targets.order_by("position").values_list("position", "text"))


def test_add_bumps_the_version_and_keeps_positions_dense(draft_plan, section, chair):
    first = _add(draft_plan, section, chair, 1, text="Một")
    assert draft_plan.version == 2
    _add(draft_plan, section, chair, 2, text="Hai")
    _add(draft_plan, section, chair, 3, text="Ba")
    assert first.position == 1
    assert _texts(section) == [(1, "Một"), (2, "Hai"), (3, "Ba")]
    draft_plan.refresh_from_db()
    assert draft_plan.version == 4


def test_a_stale_change_raises_and_changes_nothing(draft_plan, section, chair):
    target = _add(draft_plan, section, chair, 1)
    with pytest.raises(plan_services.StaleEdit) as stale:
        _add(draft_plan, section, chair, 1, text="Cũ")
    assert stale.value.current_version == 2
    with pytest.raises(plan_services.StaleEdit):
        services.target_update(target=target, by=chair, expected_version=1, text="Sửa trên bản cũ")
    with pytest.raises(plan_services.StaleEdit):
        services.target_delete(target=target, by=chair, expected_version=1)
    with pytest.raises(plan_services.StaleEdit):
        services.target_move(target=target, by=chair, expected_version=1, direction="down")
    assert _texts(section) == [(1, "Kết nạp mới 10 đoàn viên")]
    draft_plan.refresh_from_db()
    assert draft_plan.version == 2


@pytest.mark.parametrize("status", [Plan.Status.SUBMITTED, Plan.Status.APPROVED, Plan.Status.ISSUED])
def test_a_plan_that_left_the_draft_is_frozen(draft_plan, section, chair, status):
    target = TargetFactory(plan=draft_plan, section=section, position=1)
    Plan.objects.filter(pk=draft_plan.pk).update(status=status)
    with pytest.raises(plan_services.Frozen):
        _add(draft_plan, section, chair, 1)
    with pytest.raises(plan_services.Frozen):
        services.target_update(target=target, by=chair, expected_version=1, text="Không được")
    with pytest.raises(plan_services.Frozen):
        services.target_delete(target=target, by=chair, expected_version=1)
    assert Target.objects.get(pk=target.pk).text == "Kết nạp mới 10 đoàn viên"


@pytest.mark.parametrize("persona", ["treasurer", "reviewer", "other_chair"])
def test_only_the_committee_may_change_targets(request, returned_plan, persona):
    section = Section.objects.create(plan=returned_plan, position=1, heading="Chỉ tiêu")
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        _add(returned_plan, section, user, 1)
    returned_plan.refresh_from_db()
    assert returned_plan.version == 1 and not returned_plan.targets.exists()


def test_update_saves_only_the_given_fields(draft_plan, section, chair):
    target = _add(draft_plan, section, chair, 1, responsible="Ban nữ công")
    Target.objects.filter(pk=target.pk).update(responsible="Tổ Nhà trẻ")  # someone else, meanwhile
    services.target_update(target=target, by=chair, expected_version=2, text="Kết nạp mới 12 đoàn viên")
    target.refresh_from_db()
    assert (target.text, target.responsible) == ("Kết nạp mới 12 đoàn viên", "Tổ Nhà trẻ")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"comparison": "between", "value": Decimal(5), "value_max": Decimal(3)}, "value_max"),
        ({"comparison": "between", "value": Decimal(5), "value_max": None}, "value_max"),
        ({"kind": "percentage", "value": Decimal("100.5"), "unit": "%"}, "value"),
        ({"due_kind": "date", "due_on": None}, "due_on"),
        ({"due_kind": "quarter", "due_quarter": 2, "due_year": None}, "due_year"),
        ({"due_kind": "quarter", "due_quarter": 5, "due_year": 2026}, "due_quarter"),
        ({"value": None}, "value"),
        ({"value": Decimal(-1)}, "value"),
    ],
)
def test_broken_rules_are_refused(draft_plan, section, chair, fields, field):
    with pytest.raises(ValidationError) as error:
        _add(draft_plan, section, chair, 1, **fields)
    assert field in error.value.message_dict
    draft_plan.refresh_from_db()
    assert draft_plan.version == 1 and not draft_plan.targets.exists()


def test_a_target_of_another_plan_section_is_refused(draft_plan, chair, written_plan):
    other = Section.objects.create(plan=Plan.objects.create(
        organization=draft_plan.organization, title="Khác", period_start=draft_plan.period_start,
        period_end=draft_plan.period_end,
    ), heading="Khác")  # fmt: skip
    with pytest.raises(ValidationError):
        _add(draft_plan, other, chair, 1)


def test_contributes_to_only_a_target_of_the_parent_plan_in_force(draft_plan, section, chair, ward_target):
    assert list(services.contribution_choices(draft_plan)) == [ward_target]
    target = _add(draft_plan, section, chair, 1, contributes_to=ward_target)
    assert target.contributes_to == ward_target
    own = TargetFactory(plan=draft_plan, section=section, position=9)
    with pytest.raises(ValidationError) as error:
        services.target_update(target=target, by=chair, expected_version=2, contributes_to=own)
    assert "contributes_to" in error.value.message_dict
    # a parent plan for another period does not count
    ward_target.plan.period_start, ward_target.plan.period_end = (
        datetime.date(2030, 1, 1),
        datetime.date(2030, 12, 31),
    )
    ward_target.plan.save()
    assert list(services.contribution_choices(draft_plan)) == []


def test_move_and_delete_keep_positions_dense(draft_plan, section, chair):
    for version, text in enumerate(["Một", "Hai", "Ba"], start=1):
        _add(draft_plan, section, chair, version, text=text)
    one, two, three = section.targets.order_by("position")
    services.target_move(target=three, by=chair, expected_version=4, direction="up")
    assert _texts(section) == [(1, "Một"), (2, "Ba"), (3, "Hai")]
    with pytest.raises(plan_services.MoveRefused):
        services.target_move(target=one, by=chair, expected_version=5, direction="up")
    draft_plan.refresh_from_db()
    assert draft_plan.version == 5  # a refused move changes nothing
    services.target_delete(target=one, by=chair, expected_version=5)
    assert _texts(section) == [(1, "Ba"), (2, "Hai")]


def test_deleting_a_section_deletes_its_targets(draft_plan, section, chair):
    target = _add(draft_plan, section, chair, 1)
    plan_services.section_delete(section=section, version=2)
    assert not Target.objects.filter(pk=target.pk).exists()


def test_target_from_a_proposal_keeps_the_text_and_is_not_printed():
    [proposal] = propose("Hằng năm giới thiệu ít nhất 01 đồng chí/năm cho Đảng xem xét kết nạp.")
    fields = services.target_from_proposal(proposal)
    assert fields == {
        "text": "Hằng năm giới thiệu ít nhất 01 đồng chí/năm cho Đảng xem xét kết nạp",
        "kind": "count", "comparison": "at_least", "value": Decimal(1), "value_max": None,
        "unit": "đồng chí", "per": "năm", "increase": False, "printed": False,
    }  # fmt: skip
    [amount] = propose("Vận động tối thiểu 15 triệu đồng cho quỹ.")
    assert services.target_from_proposal(amount)["value"] == Decimal(15_000_000)
    assert services.target_from_proposal(amount)["unit"] == "đồng"
    [between] = propose("Hằng năm có 1 - 2 đồng chí được kết nạp Đảng.")
    assert (
        services.target_from_proposal(between)["value"],
        services.target_from_proposal(between)["value_max"],
    ) == (
        1,
        2,
    )


def test_accept_ignore_and_what_is_proposed_again(draft_plan, section, chair):
    section.body = "Kết nạp mới 05 đoàn viên; 100% đoàn viên được thăm hỏi; có 02 tổ công đoàn xuất sắc."
    section.save()
    first, second, third = [key for key, _p in services.open_proposals(section, [], set())]
    target = services.target_proposal_accept(section=section, by=chair, expected_version=1, key=first)
    assert (target.text, target.value, target.printed) == ("Kết nạp mới 05 đoàn viên", 5, False)
    services.target_proposal_ignore(section=section, by=chair, expected_version=2, key=second)
    assert FindingDismissal.objects.filter(plan=draft_plan, code="target_proposal").count() == 1
    left = services.open_proposals(section, list(section.targets.all()), services.dismissed_keys(section))
    assert [key for key, _p in left] == [third]
    # a proposal no longer in the text cannot be accepted or ignored
    with pytest.raises(ValidationError):
        services.target_proposal_accept(section=section, by=chair, expected_version=3, key="0" * 16)
    # deleting the accepted target proposes it again; the ignored one stays aside
    services.target_delete(target=target, by=chair, expected_version=3)
    left = services.open_proposals(section, list(section.targets.all()), services.dismissed_keys(section))
    assert [key for key, _p in left] == [first, third]


def test_an_edited_proposal_is_remembered(draft_plan, section, chair):
    section.body = "Phấn đấu có trên 55% thỏa ước đạt loại B."
    section.save()
    [(key, proposal)] = services.open_proposals(section, [], set())
    fields = services.target_from_proposal(proposal) | {"text": "Trên 55% thỏa ước đạt loại B trở lên"}
    services.target_add(
        plan=draft_plan, by=chair, expected_version=1, section=section, from_proposal=key, **fields
    )
    assert (
        services.open_proposals(section, list(section.targets.all()), services.dismissed_keys(section)) == []
    )


def test_copy_keeps_targets_in_their_sections_and_their_links(written_plan, chair, ward_target):
    section = written_plan.sections.get()
    child = Section.objects.create(plan=written_plan, parent=section, position=1, heading="Con")
    TargetFactory(plan=written_plan, section=section, position=1, contributes_to=ward_target)
    TargetFactory(
        plan=written_plan, section=child, position=1, text="Quý II", due_kind="quarter", due_quarter=2,
        due_year=2026,
    )  # fmt: skip
    TargetFactory(plan=written_plan, section=child, position=2, text="Hạn", due_kind="date",
                  due_on=datetime.date(2026, 6, 30))  # fmt: skip
    copy = plan_services.plan_copy(source=written_plan, by=chair)
    copied = list(copy.targets.order_by("section_id", "position"))
    assert [(t.section.heading, t.text) for t in copied] == [
        ("Mục đích, yêu cầu", "Kết nạp mới 10 đoàn viên"), ("Con", "Quý II"), ("Con", "Hạn"),
    ]  # fmt: skip
    assert all(t.section.plan_id == copy.pk for t in copied)
    assert copied[0].contributes_to == ward_target
    assert (copied[1].due_quarter, copied[1].due_year) == (2, 2027)  # moved on with the period
    assert copied[2].due_on == datetime.date(2027, 6, 30)
    assert written_plan.targets.count() == 3  # the source keeps its own


def test_a_new_version_keeps_the_same_targets_and_dates(issued_plan, chair, ward_target):
    TargetFactory(plan=issued_plan, section=issued_plan.sections.get(), contributes_to=ward_target,
                  due_kind="date", due_on=datetime.date(2026, 3, 31))  # fmt: skip
    draft = lifecycle.plan_new_version(plan=issued_plan, by=chair)
    [target] = draft.targets.all()
    assert (target.contributes_to, target.due_on) == (ward_target, datetime.date(2026, 3, 31))
    assert target.section.plan == draft


def test_the_snapshot_carries_the_targets_and_the_diff_shows_them(written_plan, chair):
    section = written_plan.sections.get()
    TargetFactory(plan=written_plan, section=section, position=1, responsible="Ban Chấp hành")
    before = lifecycle.snapshot(written_plan)
    assert json.loads(json.dumps(before)) == before  # stored as JSON in the version
    [entry] = before["sections"][0]["targets"]
    assert (entry["text"], entry["value"], entry["responsible"]) == (
        "Kết nạp mới 10 đoàn viên",
        "10.00",
        "Ban Chấp hành",
    )
    Target.objects.filter(plan=written_plan).update(text="Kết nạp mới 12 đoàn viên")
    rows = lifecycle.diff_versions(before, lifecycle.snapshot(written_plan))
    assert [row["kind"] for row in rows] == ["changed"]
    assert "<ins>12" in rows[0]["html"] and "<del>10" in rows[0]["html"]
    # a snapshot made before targets existed still compares
    old = {"sections": [{k: v for k, v in s.items() if k != "targets"} for s in before["sections"]]}
    rows = [row for row in lifecycle.diff_versions(old, before) if "kind" in row]  # not the header fields
    assert [row["kind"] for row in rows] == ["changed"]
