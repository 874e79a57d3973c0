import datetime
import hashlib
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from members.models import Officer
from plans import lifecycle, services
from plans.models import Notification, Plan, PlanTransition, Section
from plans.tasks import notification_email_task
from tests.factories import OfficerFactory, OrganizationFactory, UserFactory

S = Plan.Status


@pytest.fixture(autouse=True)
def _emails(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFICATION_EMAIL_DELAY = 0


def test_the_whole_loop_with_its_audit_trail(
    written_plan, chair, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = lifecycle.plan_submit(plan=written_plan, by=chair, note="Kính gửi")
    assert version.number == 1 and version.snapshot["sections"][0]["heading"] == "Mục đích, yêu cầu"
    lifecycle.plan_return(plan=written_plan, by=reviewer, note="Bổ sung chỉ tiêu")
    written_plan.refresh_from_db()
    assert written_plan.status == S.RETURNED
    services.section_update(
        section=written_plan.sections.get(), version=written_plan.version, body="Đã bổ sung"
    )
    lifecycle.plan_submit(plan=written_plan, by=chair)
    lifecycle.plan_approve(plan=written_plan, by=reviewer)
    issued = lifecycle.plan_issue(plan=written_plan, by=chair)
    assert issued.status == S.ISSUED and issued.number == 7  # it had a number: kept
    data = issued.issued_pdf.read()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == issued.issued_sha256
    trail = list(
        PlanTransition.objects.filter(plan=written_plan).values_list("from_status", "to_status", "by")
    )
    assert trail == [
        (S.DRAFT, S.SUBMITTED, chair.pk), (S.SUBMITTED, S.RETURNED, reviewer.pk),
        (S.RETURNED, S.SUBMITTED, chair.pk), (S.SUBMITTED, S.APPROVED, reviewer.pk),
        (S.APPROVED, S.ISSUED, chair.pk),
    ]  # fmt: skip
    assert PlanTransition.objects.get(to_status=S.RETURNED).note == "Bổ sung chỉ tiêu"


def test_issue_gives_the_next_free_number(written_plan, chair, reviewer):
    Plan.objects.filter(pk=written_plan.pk).update(number=None)
    lifecycle.plan_submit(plan=written_plan, by=chair)
    lifecycle.plan_approve(plan=written_plan, by=reviewer)
    issued = lifecycle.plan_issue(plan=written_plan, by=chair)
    assert issued.number == 1 and issued.reference == "01/KH-CĐMNA"


@pytest.mark.parametrize(
    ("status", "action", "persona"),
    [
        (S.DRAFT, "submit", "treasurer"), (S.DRAFT, "submit", "reviewer"), (S.DRAFT, "approve", "reviewer"),
        (S.DRAFT, "issue", "chair"), (S.SUBMITTED, "submit", "chair"), (S.SUBMITTED, "approve", "chair"),
        (S.SUBMITTED, "approve", "leader"), (S.SUBMITTED, "return", "other_chair"),
        (S.SUBMITTED, "issue", "chair"), (S.APPROVED, "approve", "reviewer"),
        (S.APPROVED, "issue", "reviewer"), (S.APPROVED, "issue", "treasurer"),
        (S.RETURNED, "issue", "chair"), (S.ISSUED, "submit", "chair"), (S.ISSUED, "return", "reviewer"),
        (S.ISSUED, "issue", "chair"),
    ],
)  # fmt: skip
def test_forbidden_transitions_are_refused_from_any_entry_point(
    request, written_plan, status, action, persona
):
    Plan.objects.filter(pk=written_plan.pk).update(status=status)
    user = request.getfixturevalue(persona)
    call = {
        "submit": lambda: lifecycle.plan_submit(plan=written_plan, by=user),
        "approve": lambda: lifecycle.plan_approve(plan=written_plan, by=user),
        "return": lambda: lifecycle.plan_return(plan=written_plan, by=user, note="x"),
        "issue": lambda: lifecycle.plan_issue(plan=written_plan, by=user),
    }[action]
    with pytest.raises((PermissionDenied, lifecycle.TransitionRefused)):
        call()
    assert Plan.objects.get(pk=written_plan.pk).status == status
    assert not PlanTransition.objects.exists()


def test_nobody_reviews_their_own_organisations_plan(submitted_plan, ward):
    """A chair who also reviews at the ward may not review her own union's plan."""
    chair_and_reviewer = Officer.objects.get(
        role=Officer.Role.CHAIR, organization=submitted_plan.organization
    ).user
    OfficerFactory(user=chair_and_reviewer, organization=ward, role=Officer.Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        lifecycle.plan_approve(plan=submitted_plan, by=chair_and_reviewer)


def test_a_leader_of_the_province_does_not_review_a_ward_childs_plan(submitted_plan, leader):
    with pytest.raises(PermissionDenied):
        lifecycle.plan_approve(plan=submitted_plan, by=leader)  # only the union directly above reviews


def test_returning_needs_a_note(submitted_plan, reviewer):
    with pytest.raises(lifecycle.TransitionRefused):
        lifecycle.plan_return(plan=submitted_plan, by=reviewer, note="  ")


def test_an_issued_plan_is_frozen_in_the_service_layer(issued_plan, chair):
    section = issued_plan.sections.get()
    with pytest.raises(services.Frozen):
        services.section_update(section=section, version=issued_plan.version, body="sửa lén")
    with pytest.raises(services.Frozen):
        services.plan_update(plan=issued_plan, version=issued_plan.version, title="đổi tên")
    with pytest.raises(services.Frozen):
        services.section_add(plan=issued_plan, version=issued_plan.version)
    assert Section.objects.get(pk=section.pk).body == "Nội dung."
    draft = lifecycle.plan_new_version(plan=issued_plan, by=chair)
    assert draft.status == S.DRAFT and draft.number is None and draft.period_start == issued_plan.period_start


def test_a_submitted_plan_cannot_be_edited_either(submitted_plan, client, chair):
    with pytest.raises(services.Frozen):
        services.section_update(
            section=submitted_plan.sections.get(), version=submitted_plan.version, body="x"
        )
    client.force_login(chair)
    assert client.get(reverse("plans:edit", args=[submitted_plan.pk])).status_code == 403


def test_versions_are_compared_section_by_section(submitted_plan, chair, reviewer):
    lifecycle.plan_return(plan=submitted_plan, by=reviewer, note="Sửa mục một")
    submitted_plan.refresh_from_db()
    first = submitted_plan.sections.get()
    services.section_update(section=first, version=submitted_plan.version, body="Nội dung đã sửa kỹ.")
    services.section_add(plan=submitted_plan, version=submitted_plan.version, heading="Mục mới thêm")
    lifecycle.plan_submit(plan=submitted_plan, by=chair)
    old, new = (v.snapshot for v in submitted_plan.versions.all())
    rows = {row.get("kind"): row for row in lifecycle.diff_versions(old, new)}
    assert "Nội <del>dung.</del> <ins>dung đã sửa kỹ.</ins>" in rows["changed"]["html"]
    assert rows["added"]["new"]["heading"] == "Mục mới thêm"
    hostile = dict(new, sections=[dict(new["sections"][0], body="<script>x</script>")])
    assert "<script>" not in lifecycle.diff_versions(new, hostile)[0]["html"]


def test_comments_threads_and_resolution(client, submitted_plan, chair, reviewer, review_comment):
    client.force_login(chair)
    url = reverse("plans:comment", args=[submitted_plan.pk])
    client.post(url, {"parent": review_comment.pk, "body": "Đã bổ sung ở mục 1."})
    assert review_comment.replies.get().author == chair
    client.post(reverse("plans:resolve", args=[submitted_plan.pk, review_comment.pk]))
    review_comment.refresh_from_db()
    assert review_comment.resolved_by == chair
    page = client.get(reverse("plans:review", args=[submitted_plan.pk])).content.decode()
    assert "Bổ sung chỉ tiêu cụ thể." in page and "Đã bổ sung ở mục 1." in page
    client.force_login(reviewer)
    assert client.post(url, {"body": "   "}).status_code == 302  # refused with a message, nothing saved
    assert submitted_plan.comments.count() == 2


def test_reviewer_decides_in_the_browser_flow(client, submitted_plan, reviewer, chair):
    client.force_login(reviewer)
    client.post(reverse("plans:decide", args=[submitted_plan.pk]), {"decision": "return", "note": ""})
    assert Plan.objects.get(pk=submitted_plan.pk).status == S.SUBMITTED  # a return needs a note
    client.post(
        reverse("plans:decide", args=[submitted_plan.pk]), {"decision": "return", "note": "Thiếu chỉ tiêu"}
    )
    assert Plan.objects.get(pk=submitted_plan.pk).status == S.RETURNED
    client.force_login(chair)
    assert (
        client.post(reverse("plans:decide", args=[submitted_plan.pk]), {"decision": "approve"}).status_code
        == 403
    )


def test_submit_page_shows_the_checks_first(client, written_plan, chair):
    Plan.objects.filter(pk=written_plan.pk).update(closing="Hạn chót ngày 30/02/2026.")
    client.force_login(chair)
    page = client.get(reverse("plans:submit", args=[written_plan.pk])).content.decode()
    assert "30/02/2026" in page and 'id="confirm-submit"' in page  # warned, not blocked
    assert client.post(reverse("plans:submit", args=[written_plan.pk])).status_code == 302
    assert Plan.objects.get(pk=written_plan.pk).status == S.SUBMITTED


def test_notifications_and_one_email_even_if_the_task_runs_twice(
    written_plan, chair, reviewer, django_capture_on_commit_callbacks
):
    reviewer.email = "kiemtra@example.org"
    reviewer.save()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.plan_submit(plan=written_plan, by=chair)
    notice = Notification.objects.get(user=reviewer)
    assert notice.kind == S.SUBMITTED and "phiên bản 1" in notice.message
    assert len(mail.outbox) == 1 and written_plan.title in mail.outbox[0].body
    assert notification_email_task.delay(reviewer.pk).get() == 0  # run again: nothing to send
    assert len(mail.outbox) == 1
    lifecycle.plan_submit  # noqa: B018 - the same event never creates a second notice:
    from plans import notifications

    assert notifications.notify(written_plan, S.SUBMITTED, [reviewer.pk], version=1) == []


def test_a_busy_reviewer_gets_one_digest(union_a, ward, chair, reviewer, settings):
    reviewer.email = "kiemtra@example.org"
    reviewer.save()
    from plans import notifications
    from tests.factories import PlanFactory

    for number in range(3):
        plan = PlanFactory(organization=union_a, number=number + 20)
        notifications.notify(plan, S.SUBMITTED, [reviewer.pk], version=1, by=chair)
    assert notification_email_task.delay(reviewer.pk).get() == 3
    assert len(mail.outbox) == 1 and "3" in mail.outbox[0].subject


def test_inbox_counts_filters_and_export(client, submitted_plan, reviewer, ward, chair):
    quiet = OrganizationFactory(name="Công đoàn cơ sở Chưa Nộp", symbol="CĐCN", parent=ward)
    OfficerFactory(organization=quiet, role=Officer.Role.CHAIR, user=UserFactory(full_name="Trần Văn Chậm"))
    client.force_login(reviewer)
    page = client.get(reverse("plans:inbox")).content.decode()
    assert submitted_plan.title in page
    filtered = client.get(reverse("plans:inbox"), {"kind": "school_year", "year": 2025}).content.decode()
    assert "Công đoàn cơ sở Chưa Nộp" in filtered and "Trần Văn Chậm" in filtered
    response = client.get(reverse("plans:not_submitted_xlsx"), {"kind": "school_year", "year": 2025})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][0] == "Công đoàn" and ["Công đoàn cơ sở Chưa Nộp", "CĐCN", "Trần Văn Chậm"] == rows[2][:3]
    assert all("Trường Mầm non A" not in str(row[0]) for row in rows)  # union A has submitted
    client.force_login(chair)
    assert client.get(reverse("plans:inbox")).status_code == 403


def test_review_page_and_inbox_stay_constant_in_queries(
    client, submitted_plan, reviewer, ward, review_comment, django_assert_max_num_queries
):
    from tests.factories import PlanFactory

    client.force_login(reviewer)
    review = reverse("plans:review", args=[submitted_plan.pk])
    inbox = reverse("plans:inbox")
    client.get(review)
    with django_assert_max_num_queries(20) as small_review:
        client.get(review)
    with django_assert_max_num_queries(20) as small_inbox:
        client.get(inbox, {"kind": "school_year", "year": 2025})
    for index in range(15):
        section = Section.objects.create(plan=submitted_plan, position=index + 5, heading=f"Mục {index}")
        lifecycle.comment_add(plan=submitted_plan, by=reviewer, body=f"Ý kiến {index}", section=section)
        union = OrganizationFactory(parent=ward)
        OfficerFactory(organization=union, role=Officer.Role.CHAIR)
        PlanFactory(organization=union, status=S.SUBMITTED)
    with django_assert_max_num_queries(len(small_review.captured_queries)):
        client.get(review)
    with django_assert_max_num_queries(len(small_inbox.captured_queries)):
        client.get(inbox, {"kind": "school_year", "year": 2025})


def test_the_union_only_answers_in_threads_the_reviewer_opened(client, submitted_plan, chair, review_comment):
    client.force_login(chair)
    url = reverse("plans:comment", args=[submitted_plan.pk])
    assert client.post(url, {"body": "Ý kiến mới của đơn vị"}).status_code == 403
    assert client.post(url, {"body": "Trả lời", "parent": review_comment.pk}).status_code == 302
    assert submitted_plan.comments.count() == 2


def test_a_decision_on_a_page_someone_else_already_decided(client, submitted_plan, reviewer, leader, ward):
    OfficerFactory(user=leader, organization=ward, role=Officer.Role.LEADER)
    lifecycle.plan_approve(plan=submitted_plan, by=reviewer)
    client.force_login(leader)
    response = client.post(
        reverse("plans:decide", args=[submitted_plan.pk]), {"decision": "return", "note": "x"}
    )
    assert response.url == reverse("plans:review", args=[submitted_plan.pk])
    page = client.get(response.url).content.decode()
    assert "đã có người xử lý trước" in page


def test_error_pages_are_in_vietnamese(client, chair, issued_plan):
    client.force_login(chair)
    forbidden = client.get(reverse("plans:edit", args=[issued_plan.pk]))
    assert forbidden.status_code == 403 and "Không được phép" in forbidden.content.decode()
    missing = client.get(reverse("plans:detail", args=[999999]))
    assert missing.status_code == 404 and "Không tìm thấy" in missing.content.decode()


def test_open_comments_show_in_the_editor(client, submitted_plan, chair, reviewer, review_comment):
    lifecycle.plan_return(plan=submitted_plan, by=reviewer, note="Sửa")
    client.force_login(chair)
    page = client.get(reverse("plans:edit", args=[submitted_plan.pk])).content.decode()
    assert "1 ý kiến chưa xử lý" in page


def test_emails_are_plain_text_and_exports_hold_no_formulas(client, written_plan, chair, reviewer, ward):
    reviewer.email = "kiemtra@example.org"
    reviewer.save()
    Plan.objects.filter(pk=written_plan.pk).update(title="Kế hoạch A & B <thi đua>")
    written_plan.refresh_from_db()
    from plans import notifications

    notifications.notify(written_plan, S.SUBMITTED, [reviewer.pk], version=1, by=chair)
    notification_email_task.delay(reviewer.pk)
    assert "A & B <thi đua>" in mail.outbox[0].subject and "&amp;" not in mail.outbox[0].body
    OrganizationFactory(name='=HYPERLINK("http://x")', symbol="=1+1", parent=ward)
    client.force_login(reviewer)
    response = client.get(reverse("plans:not_submitted_xlsx"), {"kind": "school_year", "year": 2025})
    cells = [
        cell.value for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for cell in row
    ]
    assert "'=1+1" in cells and not any(str(value).startswith("=") for value in cells if value)


def test_a_plan_missing_its_signer_cannot_be_issued(approved_plan, chair):
    Plan.objects.filter(pk=approved_plan.pk).update(signer_name="")
    with pytest.raises(lifecycle.TransitionRefused, match="họ tên người ký"):
        lifecycle.plan_issue(plan=approved_plan, by=chair)


def test_the_sweep_sends_notices_whose_email_was_lost(written_plan, reviewer, time_machine):
    from plans import notifications
    from plans.tasks import notification_sweep_task

    reviewer.email = "kiemtra@example.org"
    reviewer.save()
    [notice] = notifications.notify(written_plan, S.SUBMITTED, [reviewer.pk], version=1)
    Notification.objects.filter(pk=notice.pk).update(  # a worker died while sending
        email_status=Notification.Email.SENDING, email_claimed_at=timezone.now()
    )
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=2))
    assert notification_sweep_task.delay().get() == 1
    assert len(mail.outbox) == 1
    assert notification_sweep_task.delay().get() == 0  # nothing left


def test_a_new_version_is_linked_recorded_and_started_once(issued_plan, chair):
    draft = lifecycle.plan_new_version(plan=issued_plan, by=chair)
    assert draft.replaces == issued_plan and list(issued_plan.replaced_by.all()) == [draft]
    change = PlanTransition.objects.get(plan=draft)
    assert (change.from_status, change.to_status, change.by) == (S.ISSUED, S.DRAFT, chair)
    assert issued_plan.reference in change.note
    assert lifecycle.plan_new_version(plan=issued_plan, by=chair) == draft  # a second click: the same draft
