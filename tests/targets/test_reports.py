"""Report services: start (pre-fill, carry-over, races), update (versions, files), submit/return/accept."""

import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from plans.models import Notification, Plan, Section
from plans.tasks import notification_email_task
from targets import report_services
from targets.models import Report, ReportEntry, ReportTransition
from targets.periods import Period
from tests.factories import OfficerFactory, PlanFactory, TargetFactory, UserFactory
from tests.targets.fixtures import YEAR_2026

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
Q1, Q2, H1 = Period.parse("2026-Q1"), Period.parse("2026-Q2"), Period.parse("2026-H1")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n%%EOF\n"


def at(day: str):
    return datetime.datetime.fromisoformat(day).replace(hour=9, tzinfo=HCM)


def start(org, period, by):
    return report_services.report_start(organization=org, period=period, by=by)


def entries_of(report):
    return list(report.entries.select_related("target").order_by("position"))


# ------------------------------------------------------------------------------------------------- start


def test_start_prefills_every_target_of_the_plans_in_force_in_document_order(
    union_a, chair, plan_in_force, targets_in_force
):
    purpose = plan_in_force.sections.get(heading="Mục đích, yêu cầu")
    first = TargetFactory(plan=plan_in_force, section=purpose, position=9, text="Chỉ tiêu ở mục I")
    loose = TargetFactory(plan=plan_in_force, section=None, position=0, text="Chỉ tiêu chung")
    report = start(union_a, Q1, chair)
    assert [e.target for e in entries_of(report)] == [first, *targets_in_force, loose]
    assert [e.position for e in entries_of(report)] == [1, 2, 3, 4, 5]
    assert list(report.areas.values_list("heading", flat=True)) == ["Mục đích, yêu cầu", "Nội dung, chỉ tiêu"]
    assert report.title == "Kết quả thực hiện nhiệm vụ quý I năm 2026"
    assert report.status == Report.Status.DRAFT and report.number is None and report.created_by == chair
    assert report.signer_name == "Nguyễn Thị Hoa" and report.place == "An Lão"
    assert report.recipients.splitlines()[0] == "Công đoàn phường Một"


def test_start_leaves_out_drafts_replaced_versions_other_periods_and_other_unions(
    union_a, union_b, chair, reviewer, targets_in_force, ward_target
):
    draft = PlanFactory(organization=union_a, **(YEAR_2026 | {"status": Plan.Status.DRAFT, "number": None}))
    TargetFactory(plan=draft, text="Trong bản nháp")
    old = PlanFactory(organization=union_a, **(YEAR_2026 | {"number": 5, "title": "Chuyên đề"}))
    TargetFactory(plan=old, text="Bản cũ")
    new = PlanFactory(organization=union_a, replaces=old, **(YEAR_2026 | {"number": 6, "title": "Chuyên đề"}))
    kept = TargetFactory(plan=new, text="Bản mới")
    last_year = PlanFactory(
        organization=union_a, status=Plan.Status.ISSUED, period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31), number=9, dated_on=datetime.date(2025, 1, 5),
    )  # fmt: skip
    TargetFactory(plan=last_year, text="Năm trước")
    TargetFactory(plan=PlanFactory(organization=union_b, **YEAR_2026), text="Của đơn vị khác")
    report = start(union_a, Q1, chair)
    assert [e.target for e in entries_of(report)] == [*targets_in_force, kept]


def test_a_plan_ending_inside_the_period_is_in_force_for_it(union_a, chair):
    school_year = PlanFactory(organization=union_a, status=Plan.Status.ISSUED)  # 01/09/2025 – 31/08/2026
    target = TargetFactory(plan=school_year)
    assert [e.target for e in entries_of(start(union_a, Period.parse("2026-Q3"), chair))] == [target]
    assert entries_of(start(union_a, Period.parse("2026-Q4"), chair)) == []


def test_reached_is_carried_over_from_the_latest_earlier_report(union_a, chair, targets_in_force):
    q1 = start(union_a, Q1, chair)
    e1, e2, _e3 = entries_of(q1)
    report_services.report_update(
        report=q1,
        by=chair,
        expected_version=1,
        entries={e1.pk: {"reached": Decimal(4)}, e2.pk: {"reached": 60}},
    )
    q3 = start(union_a, Period.parse("2026-Q3"), chair)
    report_services.report_update(
        report=q3, by=chair, expected_version=1, entries={entries_of(q3)[0].pk: {"reached": 99}}
    )
    q2 = start(union_a, Q2, chair)  # Q3 ends later: it is not earlier than Q2
    assert [e.reached for e in entries_of(q2)] == [Decimal(4), Decimal(60), None]
    report_services.report_update(
        report=q2, by=chair, expected_version=1, entries={entries_of(q2)[0].pk: {"reached": 7}}
    )
    h1 = start(union_a, H1, chair)  # Q2 and H1 end together: the quarter, being the later start, wins
    assert [e.reached for e in entries_of(h1)] == [Decimal(7), Decimal(60), None]
    assert [e.note for e in entries_of(h1)] == ["", "", ""]


def test_starting_again_gives_the_same_report(union_a, chair, targets_in_force):
    first = start(union_a, Q1, chair)
    assert start(union_a, Q1, chair) == first
    assert Report.objects.count() == 1 and first.entries.count() == 3


def test_a_start_that_loses_the_race_returns_the_winners_report(
    union_a, chair, targets_in_force, monkeypatch
):
    winner = start(union_a, Q1, chair)
    real, calls = report_services._existing, []

    def late_check(organization, period):  # the other start commits between our check and our insert
        calls.append(period)
        return None if len(calls) == 1 else real(organization, period)

    monkeypatch.setattr(report_services, "_existing", late_check)
    assert start(union_a, Q1, chair) == winner
    assert len(calls) == 2
    assert Report.objects.count() == 1 and ReportEntry.objects.count() == 3


def test_start_refuses_a_period_not_started_yet(union_a, chair, time_machine):
    time_machine.move_to(at("2026-03-31"))
    with pytest.raises(ValidationError) as refused:
        start(union_a, Q2, chair)
    assert refused.value.code == "not_started" and "01/04/2026" in refused.value.messages[0]
    time_machine.move_to(at("2026-04-01"))
    assert start(union_a, Q2, chair).period == "2026-Q2"


@pytest.mark.parametrize("who", ["treasurer", "reviewer", "other_chair"])
def test_start_refuses_who_may_not_write_the_unions_reports(request, union_a, who):
    with pytest.raises(PermissionDenied):
        start(union_a, Q1, request.getfixturevalue(who))
    assert not Report.objects.exists()


def test_start_refuses_a_closed_union(union_a, chair):
    union_a.closed_on = datetime.date(2026, 1, 31)
    union_a.save()
    with pytest.raises(PermissionDenied):
        start(union_a, Q1, chair)


# ------------------------------------------------------------------------------------------------ update


def test_update_writes_the_given_changes_and_moves_the_version(report_draft, chair):
    e1, e2, e3 = entries_of(report_draft)
    area = report_draft.areas.first()
    report_services.report_update(
        report=report_draft, by=chair, expected_version=1,
        fields={"summary": "Tình hình ổn định."},
        entries={e1.pk: {"reached": Decimal("12"), "note": "Vượt"}, e3.pk: {"reached": 1}},
        areas={area.pk: {"body": "Đã làm."}},
    )  # fmt: skip
    assert report_draft.version == 2
    report_draft.refresh_from_db()
    assert report_draft.version == 2 and report_draft.summary == "Tình hình ổn định."
    assert [(e.reached, e.note) for e in entries_of(report_draft)] == [
        (Decimal(12), "Vượt"), (None, ""), (Decimal(1), ""),
    ]  # fmt: skip
    area.refresh_from_db()
    assert area.body == "Đã làm."


def test_update_writes_only_the_entries_it_is_given(report_draft, chair):
    e1, e2, _e3 = entries_of(report_draft)
    ReportEntry.objects.filter(pk=e2.pk).update(note="Ghi trong lúc khác")
    report_services.report_update(
        report=report_draft, by=chair, expected_version=1, entries={e1.pk: {"note": "A"}}
    )
    assert [e.note for e in entries_of(report_draft)] == ["A", "Ghi trong lúc khác", ""]


def test_a_stale_update_writes_nothing(report_draft, chair, settings):
    e1, e2, _e3 = entries_of(report_draft)
    report_services.report_update(
        report=report_draft, by=chair, expected_version=1, fields={"summary": "Mới"}
    )
    with pytest.raises(report_services.StaleEdit) as stale:
        report_services.report_update(
            report=report_draft, by=chair, expected_version=1,
            fields={"summary": "Cũ", "difficulties": "Khó"},
            entries={e1.pk: {"reached": 3, "evidence": SimpleUploadedFile("a.pdf", PDF)},
                     e2.pk: {"note": "x"}},
        )  # fmt: skip
    assert stale.value.current_version == 2
    report_draft.refresh_from_db()
    assert (report_draft.version, report_draft.summary, report_draft.difficulties) == (2, "Mới", "")
    assert [(e.reached, e.note, e.evidence.name) for e in entries_of(report_draft)] == [(None, "", "")] * 3
    assert not (settings.MEDIA_ROOT / "reports").exists()  # no file written either


def test_a_refused_file_writes_nothing_of_the_save(report_draft, chair, settings):
    e1, e2, _e3 = entries_of(report_draft)
    with pytest.raises(ValidationError):
        report_services.report_update(
            report=report_draft, by=chair, expected_version=1, fields={"summary": "Mới"},
            entries={e1.pk: {"evidence": SimpleUploadedFile("a.pdf", PDF)},
                     e2.pk: {"evidence": SimpleUploadedFile("b.pdf", b"MZ not a pdf")}},
        )  # fmt: skip
    report_draft.refresh_from_db()
    assert (report_draft.version, report_draft.summary) == (1, "")
    assert not (settings.MEDIA_ROOT / "reports").exists()


def test_a_new_file_replaces_the_old_one(report_draft, chair, django_capture_on_commit_callbacks):
    entry = entries_of(report_draft)[0]
    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_update(
            report=report_draft,
            by=chair,
            expected_version=1,
            entries={entry.pk: {"evidence": SimpleUploadedFile("a.pdf", PDF)}},
        )
    entry.refresh_from_db()
    old = entry.evidence.name
    assert entry.evidence.storage.exists(old)
    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_update(
            report=report_draft,
            by=chair,
            expected_version=2,
            entries={entry.pk: {"evidence": SimpleUploadedFile("b.png", PNG)}},
        )
    entry.refresh_from_db()
    assert entry.evidence.name.endswith(".png") and entry.evidence.read() == PNG
    assert not entry.evidence.storage.exists(old)


def test_update_refuses_a_submitted_report_and_the_wrong_role(
    report_submitted, report_draft, chair, treasurer
):
    with pytest.raises(report_services.Frozen):
        report_services.report_update(
            report=report_submitted, by=chair, expected_version=1, fields={"summary": "x"}
        )
    report_submitted.status = Report.Status.DRAFT
    report_submitted.save()
    with pytest.raises(PermissionDenied):
        report_services.report_update(
            report=report_draft, by=treasurer, expected_version=1, fields={"summary": "x"}
        )
    with pytest.raises(ValueError):
        report_services.report_update(report=report_draft, by=chair, expected_version=1, fields={"number": 3})


# ------------------------------------------------------------------------------------------------- files


def _docx() -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [("bien-ban.pdf", PDF), ("anh.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 16), ("anh.png", PNG),
     ("danh-sach.docx", None), ("bang.xlsx", None)],
)  # fmt: skip
def test_evidence_of_the_accepted_kinds_passes(name, content):
    content = content or (_docx() if name.endswith("docx") else _xlsx())
    report_services.validate_evidence(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content"),
    [("virus.exe", b"MZ\x90\x00"), ("gia.pdf", b"<html>not a pdf</html>"), ("anh.pdf", PNG),
     ("bang.docx", None), ("hong.xlsx", b"PK\x03\x04broken"), ("ghi-chu.txt", b"text")],
)  # fmt: skip
def test_evidence_is_checked_by_its_content(name, content):
    content = content or _xlsx()  # an Excel file named .docx
    with pytest.raises(ValidationError) as refused:
        report_services.validate_evidence(SimpleUploadedFile(name, content))
    assert refused.value.code == "file_type" and name in refused.value.messages[0]


def test_evidence_over_the_size_limit_is_refused(settings):
    settings.REPORT_EVIDENCE_MAX_BYTES = 1024 * 1024
    report_services.validate_evidence(SimpleUploadedFile("a.pdf", PDF + b"0" * (1024 * 1024 - len(PDF))))
    with pytest.raises(ValidationError) as refused:
        report_services.validate_evidence(SimpleUploadedFile("a.pdf", PDF + b"0" * 1024 * 1024))
    assert refused.value.code == "too_large" and "a.pdf" in refused.value.messages[0]


# -------------------------------------------------------------------------------------------- the review


def test_submit_numbers_reports_in_their_own_register_per_year(
    union_a, chair, reviewer, plan_in_force, time_machine
):
    time_machine.move_to(at("2026-07-05"))
    q1, q2, h1 = start(union_a, Q1, chair), start(union_a, Q2, chair), start(union_a, H1, chair)
    for report in (q1, h1, q2):
        report_services.report_submit(report=report, by=chair)
    assert [r.reference for r in (q1, h1, q2)] == ["01/BC-CĐMNA", "02/BC-CĐMNA", "03/BC-CĐMNA"]
    assert plan_in_force.number == 2  # plans (KH) keep their own numbers
    time_machine.move_to(at("2027-01-08"))
    year = start(union_a, Period.parse("2026-Y"), chair)
    report_services.report_submit(report=year, by=chair)
    assert (year.number, year.dated_on) == (1, datetime.date(2027, 1, 8))


def test_the_first_submission_time_is_kept_and_the_number_too(report_draft, chair, reviewer, time_machine):
    time_machine.move_to(at("2026-03-20"))
    report_services.report_submit(report=report_draft, by=chair)
    first = Report.objects.get().submitted_at
    assert timezone.localtime(first).date() == datetime.date(2026, 3, 20)
    time_machine.move_to(at("2026-03-25"))
    report_services.report_return(report=report_draft, by=reviewer, note="Thiếu minh chứng")
    time_machine.move_to(at("2026-04-02"))
    report = report_services.report_submit(report=report_draft, by=chair)
    report.refresh_from_db()
    assert report.submitted_at == first
    assert (report.number, report.dated_on, report.status) == (1, datetime.date(2026, 4, 2), "submitted")
    assert list(report.transitions.values_list("from_status", "to_status", "note")) == [
        ("draft", "submitted", ""),
        ("submitted", "returned", "Thiếu minh chứng"),
        ("returned", "submitted", ""),
    ]  # fmt: skip
    # returned in December, sent again in January: a number of the new year
    time_machine.move_to(at("2026-12-30"))
    report_services.report_return(report=report, by=reviewer, note="Sửa số liệu")
    time_machine.move_to(at("2027-01-04"))
    other = start(report.organization, Period.parse("2026-Y"), chair)
    report_services.report_submit(report=other, by=chair)
    report_services.report_submit(report=report, by=chair)
    assert (other.number, report.number, report.dated_on.year) == (1, 2, 2027)


def test_submit_notifies_the_reviewers_above_once(
    report_draft, chair, reviewer, leader, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = UserFactory(username="reviewer2")
    OfficerFactory(user=colleague, organization=reviewer.officer_roles.get().organization, role="leader")
    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_submit(report=report_draft, by=chair)
    notices = Notification.objects.filter(kind=Notification.Kind.REPORT_SUBMITTED)
    assert sorted(n.user.username for n in notices) == ["reviewer", "reviewer2"]  # not the province's leader
    notice = notices.get(user=reviewer)
    assert (notice.report, notice.plan, notice.version_number) == (report_draft, None, 1)
    assert notice.link == f"/targets/reports/{report_draft.pk}/" == notice.get_absolute_url()
    assert "Công đoàn cơ sở Trường Mầm non A" in notice.message
    assert sorted(m.to[0] for m in mailoutbox) == ["reviewer2@example.org", "reviewer@example.org"]
    assert notification_email_task(reviewer.pk) == 0  # run again: nothing more to send
    assert report_services._notify(report_draft, Notification.Kind.REPORT_SUBMITTED, {reviewer.pk}) == []
    assert len(mailoutbox) == 2 and notices.count() == 2


def test_return_and_accept_notify_the_chair_and_resubmission_notifies_again(
    report_submitted, chair, reviewer
):
    report_services.report_return(report=report_submitted, by=reviewer, note="Bổ sung")
    returned = Notification.objects.get(user=chair)
    assert (returned.kind, returned.version_number) == (Notification.Kind.REPORT_RETURNED, 1)
    report_services.report_submit(report=report_submitted, by=chair)
    assert list(
        Notification.objects.filter(user=reviewer)
        .order_by("version_number")
        .values_list("version_number", flat=True)
    ) == [1, 2]
    report_services.report_accept(report=report_submitted, by=reviewer, note="Tốt")
    report_submitted.refresh_from_db()
    assert report_submitted.status == "accepted" and report_submitted.decided_at is not None
    assert (
        Notification.objects.filter(
            user=chair, kind=Notification.Kind.REPORT_ACCEPTED, version_number=2
        ).count()
        == 1
    )


def test_the_review_refuses_the_wrong_people_and_a_return_without_note(
    report_draft, chair, treasurer, reviewer, leader, other_chair
):
    for who in (treasurer, reviewer, other_chair):
        with pytest.raises(PermissionDenied):
            report_services.report_submit(report=report_draft, by=who)
    with pytest.raises(PermissionDenied):  # nothing to decide on a draft
        report_services.report_accept(report=report_draft, by=reviewer)
    report_services.report_submit(report=report_draft, by=chair)
    with pytest.raises(ValidationError) as again:
        report_services.report_submit(report=report_draft, by=chair)
    assert again.value.code == "submitted"
    for who in (chair, leader, other_chair):  # the union itself, the level above the parent, a stranger
        with pytest.raises(PermissionDenied):
            report_services.report_accept(report=report_draft, by=who)
    with pytest.raises(ValidationError) as no_note:
        report_services.report_return(report=report_draft, by=reviewer, note="   ")
    assert no_note.value.code == "note"
    assert Report.objects.get().status == "submitted"
    assert ReportTransition.objects.count() == 1


def test_a_grassroots_union_reports_to_an_upper_union_only(ward, reviewer, ward_plan_in_force, ward_target):
    """The ward reports to the province too (it has a parent); its leaders write it."""
    OfficerFactory(user=reviewer, organization=ward, role="leader")
    report = start(ward, Q1, reviewer)
    assert [e.target for e in entries_of(report)] == [ward_target]
    assert Section.objects.count() == 0 and report.areas.count() == 0
