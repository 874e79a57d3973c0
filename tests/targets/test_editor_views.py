"""Targets in the plan editor (htmx): the list under each section, its form, proposals from the text."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import Plan, Section
from targets import services
from targets.models import Target
from targets.proposals import propose
from tests.factories import TargetFactory
from tests.targets.fixtures_editor import EDITOR_BODY

HTMX = {"HTTP_HX_REQUEST": "true"}
FORM = {
    "text": "Kết nạp mới 1.500 đoàn viên", "kind": "count", "comparison": "at_least", "value": "1.500",
    "unit": "đoàn viên", "due_kind": "ongoing", "printed": "on",
}  # fmt: skip


def _url(name, *args):
    return reverse(f"plans:{name}", args=args)


def _add(client, plan, section, version=1, **fields):
    return client.post(
        _url("target_add", plan.pk, section.pk), {"version": version, **FORM, **fields}, **HTMX
    )


@pytest.fixture
def section(written_plan):
    return written_plan.sections.get()


def test_editor_page_lists_each_sections_targets(client, chair, editor_target):
    plan = editor_target.plan
    client.force_login(chair)
    html = client.get(_url("edit", plan.pk)).content.decode()
    assert f'id="targets-{editor_target.section_id}"' in html
    assert "Kết nạp mới 05 đoàn viên" in html and "≥ 5 đoàn viên" in html
    assert "Tổ chức Hội nghị người lao động" in html and "Ban Chấp hành" in html
    assert _url("target_add", plan.pk, editor_target.section_id) in html
    assert _url("target_edit", plan.pk, editor_target.pk) in html


def test_adding_reads_vietnamese_numbers_and_answers_the_block(client, chair, written_plan, section):
    client.force_login(chair)
    response = _add(client, written_plan, section)
    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {"plan-changed": True}
    html = response.content.decode()
    assert 'id="plan-version" name="version" value="2" hx-swap-oob="true"' in html
    assert "≥ 1.500 đoàn viên" in html
    target = section.targets.get()
    assert (target.value, target.position, target.printed) == (Decimal(1500), 1, True)
    response = _add(client, written_plan, section, version=2, text="Trên 55,5% đoàn viên", kind="percentage",
                    comparison="more_than", value="55,5", unit="%")  # fmt: skip
    assert response.status_code == 200 and "&gt; 55,5%" in response.content.decode()
    assert section.targets.get(position=2).value == Decimal("55.5")


def test_the_add_form_opens_and_closes(client, chair, written_plan, section, ward_target):
    client.force_login(chair)
    html = client.get(_url("target_add", written_plan.pk, section.pk), **HTMX).content.decode()
    assert 'class="target-form"' in html and 'name="text"' in html
    # the upper union's targets in force for the period, by the reference of their plan
    assert f"03/KH-CĐP1 – {ward_target.text}" in html
    closed = client.get(_url("target_add", written_plan.pk, section.pk), {"display": "1"}, **HTMX)
    assert 'class="target-form"' not in closed.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"comparison": "between", "value": "10", "value_max": "5"}, "value_max"),
        ({"due_kind": "date", "due_on": "30/02/2026"}, "không phải là một ngày có thật"),
        ({"due_kind": "quarter", "due_quarter": "2", "due_year": ""}, "due_year"),
        ({"kind": "percentage", "value": "120", "unit": "%"}, "value"),
        ({"value": "mười"}, "mười"),
        ({"text": "   "}, "text"),
    ],
)
def test_bad_input_answers_422_with_the_typed_values_and_saves_nothing(
    client, chair, written_plan, section, fields, message
):
    client.force_login(chair)
    response = _add(client, written_plan, section, **fields)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Chưa lưu được: hãy sửa các ô được đánh dấu bên dưới." in html
    assert "is-invalid" in html and message in html
    assert not section.targets.exists()
    written_plan.refresh_from_db()
    assert written_plan.version == 1 and "hx-swap-oob" not in html  # the page keeps its version


def test_a_stale_add_keeps_the_typed_text(client, chair, written_plan, section):
    client.force_login(chair)
    Plan.objects.filter(pk=written_plan.pk).update(version=5)  # someone saved meanwhile
    response = _add(client, written_plan, section, text="Chữ tôi vừa gõ <b>&")
    html = response.content.decode()
    assert response.status_code == 409
    assert "người khác đã lưu kế hoạch này (nay là phiên bản 5)" in html
    assert "Chữ tôi vừa gõ &lt;b&gt;&amp;" in html
    assert 'value="5" hx-swap-oob="true"' in html  # saving again adds it
    assert not section.targets.exists()
    assert _add(client, written_plan, section, version=5, text="Chữ tôi vừa gõ").status_code == 200


def test_a_change_without_a_version_is_refused(client, chair, editor_target):
    client.force_login(chair)
    plan = editor_target.plan
    response = client.post(_url("target_edit", plan.pk, editor_target.pk), FORM, **HTMX)
    assert response.status_code == 422 and "tải lại trang" in response.content.decode()
    move = client.post(_url("target_move", plan.pk, editor_target.pk), {"direction": "down"}, **HTMX)
    assert move.status_code == 422
    assert Target.objects.get(pk=editor_target.pk).text == "Kết nạp mới 05 đoàn viên"


def test_edit_saves_the_changed_fields_and_a_stale_edit_keeps_both_texts(client, chair, editor_target):
    client.force_login(chair)
    plan = editor_target.plan
    url = _url("target_edit", plan.pk, editor_target.pk)
    form = client.get(url, **HTMX).content.decode()
    assert 'name="initial-text"' in form and "Kết nạp mới 05 đoàn viên" in form
    loaded = {"initial-text": "Kết nạp mới 05 đoàn viên", "initial-responsible": "", "initial-value": "5"}
    # another person sets the responsible and saves (version 2)
    Target.objects.filter(pk=editor_target.pk).update(responsible="Tổ Nhà trẻ")
    Plan.objects.filter(pk=plan.pk).update(version=2)
    typed = {**FORM, **loaded, "version": 1, "text": "Kết nạp mới 07 đoàn viên", "value": "7"}
    stale = client.post(url, typed, **HTMX)
    html = stale.content.decode()
    assert stale.status_code == 409
    assert "Kết nạp mới 07 đoàn viên" in html  # typed, kept
    assert 'value="2" hx-swap-oob="true"' in html
    assert Target.objects.get(pk=editor_target.pk).value == 5
    again = client.post(url, {**typed, "version": 2}, **HTMX)
    assert again.status_code == 200
    target = Target.objects.get(pk=editor_target.pk)
    assert (target.text, target.value, target.responsible) == ("Kết nạp mới 07 đoàn viên", 7, "Tổ Nhà trẻ")


def test_move_and_delete(client, chair, editor_target):
    client.force_login(chair)
    plan = editor_target.plan
    section = editor_target.section
    move = client.post(
        _url("target_move", plan.pk, editor_target.pk), {"version": 1, "direction": "down"}, **HTMX
    )
    assert move.status_code == 200
    assert [t.text for t in section.targets.order_by("position")] == [
        "Tổ chức Hội nghị người lao động", "Kết nạp mới 05 đoàn viên",
    ]  # fmt: skip
    refused = client.post(
        _url("target_move", plan.pk, editor_target.pk), {"version": 2, "direction": "down"}, **HTMX
    )
    assert refused.status_code == 422
    stale = client.post(_url("target_delete", plan.pk, editor_target.pk), {"version": 1}, **HTMX)
    assert stale.status_code == 409 and 'value="2" hx-swap-oob="true"' in stale.content.decode()
    deleted = client.post(_url("target_delete", plan.pk, editor_target.pk), {"version": 2}, **HTMX)
    assert (
        deleted.status_code == 200
        and "Kết nạp mới 05 đoàn viên" not in deleted.content.decode().split("target-proposals")[0]
    )
    assert [(t.position, t.text) for t in section.targets.all()] == [(1, "Tổ chức Hội nghị người lao động")]


def test_the_section_form_offers_the_proposals_not_yet_taken(client, chair, editor_target):
    client.force_login(chair)
    plan, section = editor_target.plan, editor_target.section
    html = client.get(_url("section_edit", plan.pk, section.pk), **HTMX).content.decode()
    proposals = html.split('class="target-proposals')[1]
    assert "100% đoàn viên được thăm hỏi khi ốm đau" in proposals and "≥ 100%" in proposals
    assert "Kết nạp mới 05 đoàn viên" not in proposals  # already a target
    assert _url("target_accept", plan.pk, section.pk) in proposals
    assert _url("target_ignore", plan.pk, section.pk) in proposals
    assert """hx-vals='{"proposals": "1"}'""" in html  # the block's answers keep showing them


def test_saving_a_section_shows_what_its_new_text_proposes(client, chair, written_plan, section):
    client.force_login(chair)
    url = _url("section_edit", written_plan.pk, section.pk)
    response = client.post(
        url, {"version": 1, "heading": "Chỉ tiêu", "body": "Thành lập mới 01 doanh nghiệp."}, **HTMX
    )
    assert response.status_code == 200
    assert "Thành lập mới 01 doanh nghiệp" in response.content.decode().split('class="target-proposals')[1]


def test_accept_ignore_and_edit_then_add_a_proposal(client, chair, editor_section):
    client.force_login(chair)
    plan, section = editor_section.plan, editor_section
    first, second = (services.proposal_key(p) for p in propose(EDITOR_BODY))
    data = {"version": 1, "proposal": first, "proposals": "1"}
    accepted = client.post(_url("target_accept", plan.pk, section.pk), data, **HTMX)
    assert accepted.status_code == 200
    [target] = section.targets.all()
    assert (target.text, target.value, target.printed) == ("Kết nạp mới 05 đoàn viên", 5, False)
    # edit, then add: the form comes filled from the proposal
    form = client.get(_url("target_add", plan.pk, section.pk), {"proposal": second, "proposals": "1"}, **HTMX)
    html = form.content.decode()
    assert "100% đoàn viên được thăm hỏi khi ốm đau" in html and f'name="proposal" value="{second}"' in html
    assert 'name="value" value="100"' in html
    fields = {**FORM, "text": "100% đoàn viên ốm đau được thăm hỏi", "kind": "percentage", "value": "100",
              "unit": "%", "proposal": second, "proposals": "1"}  # fmt: skip
    added = client.post(_url("target_add", plan.pk, section.pk), {"version": 2, **fields}, **HTMX)
    assert added.status_code == 200
    assert 'class="target-proposals' not in added.content.decode()  # nothing left to propose
    assert section.targets.count() == 2
    # ignoring: a proposal that is gone answers 422
    gone = client.post(_url("target_ignore", plan.pk, section.pk), {"version": 3, "proposal": first}, **HTMX)
    assert gone.status_code == 200  # `first` is still in the text: set aside (although taken)
    bogus = client.post(_url("target_ignore", plan.pk, section.pk), {"version": 4, "proposal": "x"}, **HTMX)
    assert bogus.status_code == 422


def test_ignoring_hides_the_proposal_for_good(client, chair, editor_target):
    client.force_login(chair)
    plan, section = editor_target.plan, editor_target.section
    second = services.proposal_key(propose(EDITOR_BODY)[1])
    data = {"version": 1, "proposal": second, "proposals": "1"}
    response = client.post(_url("target_ignore", plan.pk, section.pk), data, **HTMX)
    assert response.status_code == 200
    assert "target-proposals" not in response.content.decode()
    html = client.get(_url("section_edit", plan.pk, section.pk), **HTMX).content.decode()
    assert "target-proposals" not in html
    assert not section.targets.filter(text__startswith="100%").exists()


def test_a_plan_that_left_the_draft_refuses_target_changes(client, chair, editor_target):
    plan = editor_target.plan
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.SUBMITTED)
    client.force_login(chair)
    assert (
        client.post(
            _url("target_edit", plan.pk, editor_target.pk), {"version": 1, **FORM}, **HTMX
        ).status_code
        == 403
    )
    assert (
        client.post(_url("target_delete", plan.pk, editor_target.pk), {"version": 1}, **HTMX).status_code
        == 403
    )
    assert Target.objects.filter(pk=editor_target.pk).exists()


def test_a_target_of_another_plan_is_not_found(client, chair, editor_target, draft_plan):
    other = Plan.objects.create(
        organization=draft_plan.organization,
        title="Khác",
        period_start=draft_plan.period_start,
        period_end=draft_plan.period_end,
    )
    client.force_login(chair)
    assert client.get(_url("target_edit", other.pk, editor_target.pk), **HTMX).status_code == 404
    section = Section.objects.create(plan=other, heading="Khác")
    assert client.get(_url("target_add", editor_target.plan_id, section.pk), **HTMX).status_code == 404


def test_wrong_methods(client, chair, editor_target):
    client.force_login(chair)
    plan = editor_target.plan
    assert client.get(_url("target_move", plan.pk, editor_target.pk)).status_code == 405
    assert client.get(_url("target_delete", plan.pk, editor_target.pk)).status_code == 405
    assert client.get(_url("target_accept", plan.pk, editor_target.section_id)).status_code == 405
    assert client.put(_url("target_edit", plan.pk, editor_target.pk)).status_code == 405


def _grow(plan, count):
    """`count` more targets spread over new sections, with due dates, people and links."""
    sections = [Section.objects.create(plan=plan, position=10 + i, heading=f"Mục {i}") for i in range(5)]
    for index in range(count):
        TargetFactory(
            plan=plan, section=sections[index % 5], position=index, text=f"Chỉ tiêu {index}",
            responsible="Ban Chấp hành", due_kind="date", due_on=datetime.date(2026, 6, 30),
        )  # fmt: skip


def test_the_editor_page_stays_constant_in_queries(
    client, chair, editor_target, django_assert_max_num_queries
):
    plan = editor_target.plan
    client.force_login(chair)
    url = _url("edit", plan.pk)
    client.get(url)  # warm the session
    with django_assert_max_num_queries(14) as small:
        client.get(url)
    _grow(plan, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(url).content.decode()
    assert "Chỉ tiêu 39" in html


def test_the_target_block_stays_constant_in_queries(
    client, chair, editor_target, django_assert_max_num_queries
):
    plan, section = editor_target.plan, editor_target.section
    client.force_login(chair)
    url = _url("target_add", plan.pk, section.pk)
    client.get(reverse("home"))
    with django_assert_max_num_queries(35) as small:
        assert _add(client, plan, section, proposals="1").status_code == 200
    for index in range(30):
        TargetFactory(plan=plan, section=section, position=4 + index, text=f"Thêm {index}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.post(url, {"version": 2, **FORM, "proposals": "1"}, **HTMX).status_code == 200


def test_the_admin_shows_targets_read_only_once_the_plan_left_the_draft(client, editor_target, admin_user):
    plan = editor_target.plan
    client.force_login(admin_user)
    url = reverse("admin:plans_plan_change", args=[plan.pk])
    assert 'name="targets-0-text"' in client.get(url).content.decode()
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ISSUED)
    html = client.get(url).content.decode()
    assert "Kết nạp mới 05 đoàn viên" in html and 'name="targets-0-text"' not in html
