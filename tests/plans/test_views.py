import json

import pytest
from django.urls import reverse

from plans import services
from plans.models import Plan, PlanRender, Section

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_chair_sees_the_plan_page_preview_and_downloads_the_pdf(
    client, chair, written_plan, django_capture_on_commit_callbacks
):
    client.force_login(chair)
    page = client.get(reverse("plans:detail", args=[written_plan.pk])).content.decode()
    assert (
        written_plan.title in page
        and "Tạo bản PDF" in page
        and reverse("plans:edit", args=[written_plan.pk]) in page
    )
    preview = client.get(reverse("plans:preview", args=[written_plan.pk]))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in preview.content.decode()
    assert preview["X-Frame-Options"] == "SAMEORIGIN"  # shown in the page's preview frame
    pdf_url = reverse("plans:pdf", args=[written_plan.pk])
    assert client.get(pdf_url).url == reverse("plans:detail", args=[written_plan.pk])  # not made yet
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:render", args=[written_plan.pk]), **HTMX)
    response = client.get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert 'filename="ke-hoach-07-2025-' in response["Content-Disposition"]
    assert written_plan.title in client.get(reverse("home")).content.decode()


def test_reviewer_sees_a_plan_only_once_submitted(client, reviewer, draft_plan):
    client.force_login(reviewer)
    url = reverse("plans:detail", args=[draft_plan.pk])
    assert client.get(url).status_code == 404
    Plan.objects.filter(pk=draft_plan.pk).update(status=Plan.Status.SUBMITTED)
    page = client.get(url).content.decode()
    assert reverse("plans:edit", args=[draft_plan.pk]) not in page  # may look, not change


def test_a_submitted_plan_cannot_be_edited_by_its_chair(client, chair, draft_plan):
    Plan.objects.filter(pk=draft_plan.pk).update(status=Plan.Status.SUBMITTED)
    client.force_login(chair)
    assert client.get(reverse("plans:edit", args=[draft_plan.pk])).status_code == 403


def test_read_only_views_refuse_post(client, chair, draft_plan):
    client.force_login(chair)
    for name in ("detail", "preview", "pdf", "docx", "render_status", "edit"):
        assert client.post(reverse(f"plans:{name}", args=[draft_plan.pk])).status_code == 405


def test_chair_creates_a_plan_from_the_skeleton(client, chair, union_a):
    client.force_login(chair)
    response = client.post(
        reverse("plans:create", args=[union_a.pk]),
        {"start": "skeleton", "kind": "school_year", "title": "Kế hoạch năm học 2026-2027",
         "period_start": "01/09/2026", "period_end": "31/08/2027", "period_label": "năm học 2026-2027"},
    )  # fmt: skip
    plan = Plan.objects.get(title="Kế hoạch năm học 2026-2027")
    assert response.url == reverse("plans:edit", args=[plan.pk])
    assert plan.sections.filter(parent=None).count() == 4 and plan.created_by == chair
    editor = client.get(response.url).content.decode()
    assert "MỤC ĐÍCH, YÊU CẦU" not in editor  # uppercase is CSS; the text stays as typed
    assert "Mục đích, yêu cầu" in editor and 'id="plan-version" name="version" value="1"' in editor


def test_an_impossible_date_is_refused_and_nothing_is_created(client, chair, union_a):
    client.force_login(chair)
    response = client.post(
        reverse("plans:create", args=[union_a.pk]),
        {"start": "blank", "kind": "term", "title": "Kế hoạch", "period_start": "30/02/2026",
         "period_end": "31/12/2026"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "“30/02/2026” không phải là một ngày có thật" in response.content.decode()
    assert not Plan.objects.filter(title="Kế hoạch").exists()


def test_copying_a_plan(client, chair, written_plan):
    client.force_login(chair)
    response = client.post(
        reverse("plans:create", args=[written_plan.organization.pk]),
        {"start": "copy", "source": written_plan.pk},
    )
    copied = Plan.objects.exclude(pk=written_plan.pk).get()
    assert response.url == reverse("plans:edit", args=[copied.pk])
    assert copied.period_label == "năm học 2026-2027" and copied.sections.count() == 1


def test_section_save_and_stale_save_keeps_the_typed_text(client, chair, written_plan):
    client.force_login(chair)
    section = written_plan.sections.get()
    url = reverse("plans:section_edit", args=[written_plan.pk, section.pk])
    ok = client.post(url, {"version": 1, "heading": "Mục đích", "body": "Bản thứ nhất."}, **HTMX)
    assert ok.status_code == 200 and json.loads(ok["HX-Trigger"]) == {"plan-changed": True}
    assert 'id="plan-version" name="version" value="2" hx-swap-oob="true"' in ok.content.decode()
    stale = client.post(url, {"version": 1, "heading": "Mục đích", "body": "Chữ tôi vừa gõ <b>&"}, **HTMX)
    html = stale.content.decode()
    assert stale.status_code == 409
    assert "người khác đã lưu kế hoạch này (nay là phiên bản 2)" in html
    assert "Chữ tôi vừa gõ &lt;b&gt;&amp;" in html  # still in the textarea, escaped
    assert "Bản thứ nhất." in html  # what is saved now, to compare
    assert 'value="2" hx-swap-oob="true"' in html  # saving again overwrites knowingly
    section.refresh_from_db()
    assert section.body == "Bản thứ nhất."
    again = client.post(url, {"version": 2, "heading": "Mục đích", "body": "Chữ tôi vừa gõ"}, **HTMX)
    assert again.status_code == 200
    section.refresh_from_db()
    assert section.body == "Chữ tôi vừa gõ"


def test_a_change_without_a_version_or_with_a_bad_id_is_refused(client, chair, written_plan):
    client.force_login(chair)
    section = written_plan.sections.get()
    edit = reverse("plans:section_edit", args=[written_plan.pk, section.pk])
    response = client.post(edit, {"heading": "Không có phiên bản"}, **HTMX)
    assert response.status_code == 422 and "tải lại trang" in response.content.decode()
    add = reverse("plans:section_add", args=[written_plan.pk])
    assert client.post(add, {"version": 1, "parent": "abc"}, **HTMX).status_code == 422
    move = reverse("plans:section_move", args=[written_plan.pk, section.pk])
    assert client.post(move, {"version": "x", "direction": "up"}, **HTMX).status_code == 422
    assert (
        client.post(move, {"version": 1, "target": "1; DROP", "place": "before"}, **HTMX).status_code == 422
    )
    written_plan.refresh_from_db()
    assert written_plan.version == 1 and written_plan.sections.get().heading == "Mục đích, yêu cầu"


def test_saving_after_a_conflict_keeps_the_other_persons_fields(client, chair, written_plan):
    """B loaded the section, A changed its timeline, B changes the body: A's timeline survives B's save."""
    client.force_login(chair)
    section = written_plan.sections.get()
    url = reverse("plans:section_edit", args=[written_plan.pk, section.pk])
    loaded = {"initial-heading": section.heading, "initial-body": section.body, "initial-timeline": "",
              "initial-responsible": ""}  # fmt: skip
    a = {
        "version": 1,
        "heading": section.heading,
        "body": section.body,
        "timeline": "Quý I",
        "responsible": "",
    }
    assert client.post(url, a | loaded, **HTMX).status_code == 200
    b = {
        "version": 1,
        "heading": section.heading,
        "body": "Nội dung của B",
        "timeline": "",
        "responsible": "",
    }
    assert client.post(url, b | loaded, **HTMX).status_code == 409
    assert client.post(url, b | loaded | {"version": 2}, **HTMX).status_code == 200
    section.refresh_from_db()
    assert (section.body, section.timeline) == ("Nội dung của B", "Quý I")


def test_invalid_section_answers_422_with_the_form(client, chair, written_plan):
    client.force_login(chair)
    section = written_plan.sections.get()
    url = reverse("plans:section_edit", args=[written_plan.pk, section.pk])
    response = client.post(url, {"version": 1, "heading": "", "body": "Giữ lại đoạn này"}, **HTMX)
    assert response.status_code == 422
    assert "Giữ lại đoạn này" in response.content.decode()
    assert Plan.objects.get(pk=written_plan.pk).version == 1


def test_header_save_and_conflict(client, chair, written_plan):
    from tests.plans.test_services import header_data

    client.force_login(chair)
    url = reverse("plans:header", args=[written_plan.pk])
    data = header_data(written_plan, version=1, title="Tên đã sửa", number="12")
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200 and "Đã lưu." in response.content.decode()
    written_plan.refresh_from_db()
    assert (written_plan.title, written_plan.number, written_plan.version) == ("Tên đã sửa", 12, 2)
    conflict = client.post(url, data | {"title": "Bản cũ của tôi"}, **HTMX)
    assert conflict.status_code == 409 and "Bản cũ của tôi" in conflict.content.decode()
    bad = client.post(url, data | {"version": 2, "dated_on": "31/04/2025"}, **HTMX)
    assert bad.status_code == 422 and "“31/04/2025” không phải là một ngày có thật" in bad.content.decode()
    assert Plan.objects.get(pk=written_plan.pk).title == "Tên đã sửa"


def test_outline_operations_answer_the_renumbered_outline(client, chair, written_plan):
    client.force_login(chair)
    first = written_plan.sections.get()
    add = client.post(
        reverse("plans:section_add", args=[written_plan.pk]), {"version": 1, "after": first.pk}, **HTMX
    )
    assert add.status_code == 200
    new = written_plan.sections.get(heading="Mục mới")
    html = add.content.decode()
    assert f'data-focus="{new.pk}"' in html and 'name="heading"' in html  # opened for typing
    move = client.post(
        reverse("plans:section_move", args=[written_plan.pk, new.pk]),
        {"version": 2, "direction": "in"},
        **HTMX,
    )
    assert move.status_code == 200
    assert Section.objects.get(pk=new.pk).parent_id == first.pk
    refused = client.post(
        reverse("plans:section_move", args=[written_plan.pk, first.pk]),
        {"version": 3, "direction": "up"},
        **HTMX,
    )
    assert refused.status_code == 422 and "Mục này đã đứng đầu" in refused.content.decode()
    stale = client.post(
        reverse("plans:section_delete", args=[written_plan.pk, first.pk]), {"version": 1}, **HTMX
    )
    assert stale.status_code == 409 and Section.objects.filter(pk=first.pk).exists()
    gone = client.post(
        reverse("plans:section_delete", args=[written_plan.pk, first.pk]), {"version": 3}, **HTMX
    )
    assert gone.status_code == 200 and not written_plan.sections.exists()


def test_a_section_of_another_plan_is_not_found(client, chair, written_plan, union_b):
    from tests.factories import PlanFactory

    other = PlanFactory(organization=union_b)
    foreign = Section.objects.create(plan=other, heading="Của đơn vị khác")
    client.force_login(chair)
    url = reverse("plans:section_edit", args=[written_plan.pk, foreign.pk])
    assert client.post(url, {"version": 1, "heading": "x"}).status_code == 404
    move = reverse("plans:section_move", args=[written_plan.pk, written_plan.sections.get().pk])
    assert client.post(move, {"version": 1, "target": foreign.pk, "place": "before"}).status_code == 422


def test_render_flow_lists_what_is_missing_then_offers_the_download(
    client, chair, draft_plan, django_capture_on_commit_callbacks
):
    client.force_login(chair)
    status_url = reverse("plans:render_status", args=[draft_plan.pk])
    assert "ít nhất một mục nội dung" in client.get(status_url).content.decode()
    refused = client.post(reverse("plans:render", args=[draft_plan.pk]), **HTMX)
    assert refused.status_code == 422 and not PlanRender.objects.exists()
    pdf = client.get(reverse("plans:pdf", args=[draft_plan.pk]))
    assert pdf.status_code == 302  # back to the plan page, with the list of what is missing
    Section.objects.create(plan=draft_plan, heading="Mục đích")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("plans:render", args=[draft_plan.pk]), **HTMX).content.decode()
    assert 'data-status="queued"' in started and 'hx-trigger="every 1s"' in started  # the page polls
    ready = client.get(status_url).content.decode()
    assert 'data-status="ready"' in ready and "Đã xong: 1 trang." in ready
    assert 'id="download-pdf"' in ready


def test_a_pending_render_polls(client, chair, written_plan):
    PlanRender.objects.create(plan=written_plan, content_hash=written_plan.content_hash())
    client.force_login(chair)
    html = client.get(reverse("plans:render_status", args=[written_plan.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'data-status="queued"' in html
    assert (
        client.get(reverse("plans:pdf", args=[written_plan.pk])).status_code == 302
    )  # not ready: wait on the page


def test_docx_download(client, chair, written_plan):
    client.force_login(chair)
    response = client.get(reverse("plans:docx", args=[written_plan.pk]))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert response.content[:2] == b"PK"


def _grow(plan, count):
    parent = None
    for index in range(count):
        section = Section.objects.create(
            plan=plan, parent=parent, position=index, heading=f"Mục {index}", body="Nội dung"
        )
        parent = section if index % 3 == 0 else parent


@pytest.mark.parametrize("name", ["plans:edit", "plans:detail", "plans:preview"])
def test_plan_pages_stay_constant_in_queries(
    client, chair, written_plan, django_assert_max_num_queries, name
):
    client.force_login(chair)
    url = reverse(name, args=[written_plan.pk])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    _grow(written_plan, 60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_outline_answer_stays_constant_in_queries(client, chair, written_plan, django_assert_max_num_queries):
    client.force_login(chair)
    section = written_plan.sections.get()
    Section.objects.create(plan=written_plan, position=2, heading="Thứ hai")
    url = reverse("plans:section_move", args=[written_plan.pk, section.pk])
    client.get(reverse("home"))
    with django_assert_max_num_queries(20) as small:
        assert client.post(url, {"version": 1, "direction": "down"}, **HTMX).status_code == 200
    _grow(written_plan, 60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.post(url, {"version": 2, "direction": "up"}, **HTMX).status_code == 200
    assert services.missing_for_pdf(written_plan) == []
