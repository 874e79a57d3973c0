"""The quarterly report in Chromium: a reminder, the chair's report, the ward's dashboard.

The ward (reviewer) asks for quarterly reports due seven days from today, so the daily sweep sends union_a's
chair one reminder today (by email, and in the app). The chair follows it from her notifications, starts
the report, types what was reached for each target of the union's plan in force (7 of 10 new members, 100%
insured, the workers' conference held), writes what was done in one area, attaches a PDF as evidence, saves
and submits; the report gets its number (Số: 01/BC-…) and prints as a BÁO CÁO. The sweep, run again, sends
nothing. The ward's reviewer sees the report on the dashboard (on time, 2 of 3 targets met, 7 of the ward's
106 new members) and accepts it from there.

Everything is built for the current year and quarter (`timezone.localdate()`), so the journey works on any
day. The ward's rule has no overdue reminders (and so no weekly digest): earlier quarters, never reported,
would otherwise bring reminders of their own on some days, and the email count would depend on the date.
"""

import datetime
import io
import re
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import DESKTOP, SCREENSHOTS, TIMEOUT_MS, _safe

pytestmark = pytest.mark.e2e

PASSWORD = "Mật-khẩu-thử-2025"  # tests.factories.UserFactory
CHAIR_EMAIL = "chair@example.org"
WARD_NAME = "Công đoàn phường Một"
UNION_NAME = "Công đoàn cơ sở Trường Mầm non A"
REFERENCE = "01/BC-CĐMNA"

NEW_MEMBERS = "Kết nạp mới 10 đoàn viên"
INSURED = "100% đoàn viên được tham gia bảo hiểm"
CONFERENCE = "Tổ chức Hội nghị người lao động"
WARD_TARGET = "Phát triển mới 106 đoàn viên"
AREA = "Nội dung, chỉ tiêu"
AREA_BODY = "Kết nạp 7 đoàn viên mới; tổ chức Hội nghị người lao động ngày 20 của tháng đầu quý."
SUMMARY = "Công đoàn có 45 đoàn viên; các tổ công đoàn hoạt động đều đặn."
NEW_MEMBERS_NOTE = "Còn 3 người đang làm hồ sơ."
EVIDENCE_NAME = "danh-sach-ket-nap.pdf"
EVIDENCE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# Vietnamese labels (locale/vi/LC_MESSAGES/django.po)
DRAFT, SUBMITTED, ACCEPTED = "Bản nháp", "Đã gửi", "Đã chấp nhận"
MET, NOT_MET = "Đạt", "Chưa đạt"
ON_TIME = "Nộp đúng hạn"


@pytest.fixture
def reporting_world(ward, union_a, chair, reviewer):
    """This year's issued plans (the ward's, with its 106 new members; union_a's, with three targets, the
    first counting towards the ward's), and the ward's quarterly rule: due seven days from today."""
    from plans.models import Plan, Section
    from targets.models import ReportingRule
    from targets.periods import Period
    from tests.factories import PlanFactory, TargetFactory

    today = timezone.localdate()
    year = today.year
    this_year = {
        "title": f"Hoạt động công đoàn năm {year}",
        "kind": Plan.Kind.CALENDAR_YEAR,
        "period_start": datetime.date(year, 1, 1),
        "period_end": datetime.date(year, 12, 31),
        "period_label": f"năm {year}",
        "dated_on": datetime.date(year, 1, 1),
        "status": Plan.Status.ISSUED,
    }
    ward_plan = PlanFactory(organization=ward, created_by=reviewer, number=3, **this_year)
    ward_target = TargetFactory(plan=ward_plan, text=WARD_TARGET, value=106, increase=True, position=1)
    plan = PlanFactory(organization=union_a, created_by=chair, number=2, **this_year)
    Section.objects.create(plan=plan, position=1, heading="Mục đích, yêu cầu", body="Nội dung.")
    section = Section.objects.create(
        plan=plan, position=2, heading=AREA,
        body="Kết nạp mới 10 đoàn viên; 100% đoàn viên được tham gia bảo hiểm.",
    )  # fmt: skip
    targets = [
        TargetFactory(
            plan=plan, section=section, position=1, text=NEW_MEMBERS, value=10, contributes_to=ward_target
        ),
        TargetFactory(
            plan=plan, section=section, position=2, text=INSURED, kind="percentage", value=100, unit="%",
            increase=False,
        ),
        TargetFactory(
            plan=plan, section=section, position=3, text=CONFERENCE, kind="yes_no", comparison="exactly",
            value=1, unit="", increase=False,
        ),
    ]  # fmt: skip

    period = Period.containing(today, "Q")
    due = today + datetime.timedelta(days=7)
    last_year, last_month = period.month(period.months)
    rule = ReportingRule.objects.create(
        organization=ward, frequency="Q", enabled=True,
        month_offset=(due.year - last_year) * 12 + due.month - last_month, day=due.day,
        days_before=[7, 1], on_the_day=True, overdue_every=0, overdue_for=0,
    )  # fmt: skip
    for frequency in ("H", "Y"):
        ReportingRule.objects.create(organization=ward, frequency=frequency, enabled=False)
    assert rule.due_on(period) == due
    return {
        "today": today, "period": period, "due": due, "targets": targets, "ward_target": ward_target,
        "union": union_a, "ward": ward,
    }  # fmt: skip


@pytest.fixture
def second_person(browser: Browser, live_server, request):
    """A desktop page in a context of its own (another person's cookies); on a failure its screenshot is
    saved as <test name>-FAILED-reviewer.png (the fixture `page` saves the chair's)."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=DESKTOP)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append((context, context.new_page()))
        return contexts[-1][1]

    yield open_page
    report = getattr(request.node, "rep_call", None)
    for context, page in contexts:
        try:
            if report is not None and report.failed and not page.is_closed():
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(
                    path=SCREENSHOTS / f"{_safe(request.node.name)}-FAILED-reviewer.png", full_page=True
                )
        finally:
            context.close()


def log_in(page: Page, url, username: str) -> None:
    page.goto(url("/accounts/login/"))
    form = page.locator("main form").filter(has=page.get_by_label("Mật khẩu"))
    form.get_by_label("Tên đăng nhập").fill(username)
    form.get_by_label("Mật khẩu").fill(PASSWORD)
    form.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page).to_have_url(url("/"))


def unread(page: Page) -> Locator:
    return page.locator("#nav-notifications .badge")


def message(page: Page) -> Locator:
    return page.locator("main .alert-dismissible")


def target_row(page: Page, text: str) -> Locator:
    return page.locator("#report-targets tbody tr").filter(has=page.get_by_role("rowheader", name=text))


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_chair_reports_after_a_reminder_and_the_ward_sees_it_on_its_dashboard(
    page: Page, second_person, url, live_server, settings, mailoutbox, reporting_world, shot
):
    from plans.models import Notification
    from targets.models import Reminder, Report
    from targets.reminders import reminder_sweep

    world = reporting_world
    today, period, due, union = world["today"], world["period"], world["due"], world["union"]
    quarter = period.short_label  # "Quý IV/2026"
    due_text = due.strftime("%d/%m/%Y")
    start_path = f"/targets/reports/{union.pk}/{period.key}/start/"
    settings.SITE_URL = live_server.url  # the email's link leads to this server

    # 1. the daily sweep: one reminder, seven days before the deadline, to the chair (email and notice)
    result = reminder_sweep(today)
    assert [(s["organization"], s["period"], s["kind"], s["to"]) for s in result.sent] == [
        (UNION_NAME, period.key, "before-7", [CHAIR_EMAIL])
    ]
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [CHAIR_EMAIL]
    reminder_text = f"Báo cáo {period.label} gửi {WARD_NAME} đến hạn ngày {due_text}, còn 7 ngày."
    assert email.subject == reminder_text
    assert reminder_text in email.body
    assert live_server.url + start_path in email.body
    html = email.alternatives[0][0]
    assert live_server.url + start_path in html
    assert Notification.objects.filter(user__username="chair", kind=Notification.Kind.REMINDER).count() == 1

    # 2. the chair: the notice, the deadline on the home page, then the reminder's link
    chair = page
    log_in(chair, url, "chair")
    expect(chair.get_by_role("heading", level=1)).to_have_text(UNION_NAME)
    expect(unread(chair)).to_have_text("1 chưa đọc")
    deadline = chair.locator("#deadlines li").filter(has=chair.get_by_role("link", name=f"Báo cáo {quarter}"))
    expect(deadline).to_contain_text(f"Hạn {due_text}")
    expect(deadline.locator(".badge")).to_have_text("cần làm")
    shot(chair, "chair-home-with-the-deadline")
    chair.locator("#nav-notifications").click()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Thông báo")
    notice = chair.locator("#notification-list li").first
    expect(notice).to_contain_text(reminder_text)
    expect(notice).to_have_class(re.compile(r"\bfw-semibold\b"))
    shot(chair, "chair-notifications")
    notice.get_by_role("link").click()

    expect(chair).to_have_url(url(start_path))
    expect(unread(chair)).to_have_count(0)  # read now
    expect(chair.get_by_role("heading", level=1)).to_have_text(f"Báo cáo {quarter}")
    expect(chair.locator("main")).to_contain_text("chưa lập báo cáo này.")
    expect(chair.locator("main")).to_contain_text(f"Hạn nộp là ngày {due_text}.")
    shot(chair, "start-page")
    chair.locator("#start-report").click()

    report = Report.objects.get(organization=union, period=period.key)
    expect(chair).to_have_url(url(f"/targets/reports/{report.pk}/"))
    expect(message(chair)).to_contain_text("Đã lập báo cáo từ các kế hoạch đang có hiệu lực.")
    expect(chair.get_by_role("heading", level=1)).to_have_text(f"Kết quả thực hiện nhiệm vụ {period.label}")
    expect(chair.locator("#report-status")).to_have_text(DRAFT)
    expect(chair.locator("main h1 + p")).to_contain_text(f"hạn nộp {due_text}")
    rows = chair.locator("#report-targets tbody tr")
    expect(rows.locator("th")).to_have_text([NEW_MEMBERS, INSURED, CONFERENCE])
    expect(rows.locator("td:nth-child(3)")).to_have_text(["≥ 10 đoàn viên", "≥ 100%", "Thực hiện"])
    expect(rows.locator("td:nth-child(5)")).to_have_text(["Chưa nhập"] * 3)
    expect(chair.locator("#submit-report")).to_be_visible()

    # 3. the chair fills the report: values, a note, a file of evidence, an area, the general situation
    new_members = target_row(chair, NEW_MEMBERS)
    new_members.get_by_label(re.compile(r"^Thực hiện đến nay")).fill("7")
    new_members.get_by_label("Ghi chú").fill(NEW_MEMBERS_NOTE)
    new_members.get_by_label("Tệp minh chứng").set_input_files(
        files=[{"name": EVIDENCE_NAME, "mimeType": "application/pdf", "buffer": EVIDENCE}]
    )
    target_row(chair, INSURED).get_by_label(re.compile(r"^Thực hiện đến nay")).fill("100%")
    target_row(chair, CONFERENCE).get_by_label(re.compile(r"^Thực hiện đến nay")).select_option(
        label="Đã thực hiện"
    )
    chair.get_by_label(f"2. {AREA}").fill(AREA_BODY)
    chair.get_by_label("Tình hình chung").fill(SUMMARY)
    shot(chair, "report-filled")
    chair.locator("#save-report").click()

    expect(chair).to_have_url(url(f"/targets/reports/{report.pk}/"))
    expect(message(chair)).to_contain_text("Đã lưu báo cáo.")
    expect(chair.locator("#report-status")).to_have_text(DRAFT)
    expect(target_row(chair, NEW_MEMBERS).get_by_label(re.compile(r"^Thực hiện đến nay"))).to_have_value("7")
    expect(target_row(chair, NEW_MEMBERS).get_by_label("Ghi chú")).to_have_value(NEW_MEMBERS_NOTE)
    expect(target_row(chair, INSURED).get_by_label(re.compile(r"^Thực hiện đến nay"))).to_have_value("100")
    expect(rows.locator("td:nth-child(5) .badge")).to_have_text([NOT_MET, MET, MET])
    expect(chair.get_by_label(f"2. {AREA}")).to_have_value(AREA_BODY)
    evidence_link = target_row(chair, NEW_MEMBERS).get_by_role("link", name=re.compile(r"danh-sach-ket-nap"))
    expect(evidence_link).to_be_visible()
    shot(chair, "report-saved")
    with chair.expect_download() as evidence_download:
        evidence_link.click()
    assert Path(evidence_download.value.path()).read_bytes() == EVIDENCE

    # still a draft: the next reminders of the period would go (checked without sending: a dry run)
    day_before = due - datetime.timedelta(days=1)
    assert [(s["period"], s["kind"]) for s in reminder_sweep(day_before, dry_run=True).sent] == [
        (period.key, "before-1")
    ]

    # 4. the chair submits: a number in the union's register, no more editing
    chair.locator("#submit-report").click()
    expect(chair).to_have_url(url(f"/targets/reports/{report.pk}/"))
    expect(message(chair)).to_contain_text(f"Đã gửi báo cáo đến {WARD_NAME}, số {REFERENCE}.")
    expect(chair.locator("#report-status")).to_have_text(SUBMITTED)
    expect(chair.locator("main h1 + p")).to_contain_text(f"Số: {REFERENCE} · {today.strftime('%d/%m/%Y')}")
    expect(chair.locator("#submit-report")).to_have_count(0)
    expect(chair.locator("#report-form")).to_have_count(0)
    expect(target_row(chair, NEW_MEMBERS).locator("td:nth-child(4)")).to_contain_text("7")
    expect(chair.locator(f"#area-{report.areas.get(heading=AREA).pk}")).to_contain_text(AREA_BODY)
    shot(chair, "submitted")

    # the PDF: an official BÁO CÁO with its number and what was typed
    pdf_link = chair.locator("#report-pdf")
    expect(pdf_link).to_have_attribute("href", f"/targets/reports/{report.pk}/pdf/")
    with chair.context.expect_event(
        "response", lambda r: r.url == url(f"/targets/reports/{report.pk}/pdf/")
    ) as got:
        with chair.expect_popup() as popup:
            pdf_link.click()
    response = got.value
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith('inline; filename="bao-cao-01-')
    # Chromium shows the PDF in its viewer (the response's body is then the viewer's page): the bytes are
    # fetched again with the chair's cookies, from the address the tab shows
    viewer = popup.value
    expect(viewer).to_have_url(url(f"/targets/reports/{report.pk}/pdf/"))
    data = viewer.request.get(viewer.url).body()
    viewer.close()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "BÁO CÁO" in text, text[:500]
    assert f"Số: {REFERENCE}" in text
    assert f"Kết quả thực hiện nhiệm vụ {period.label}" in text
    assert AREA_BODY in text
    assert SUMMARY in text

    # 5. the sweep again, the same day: nothing to send; and none later for this period
    sent_before = len(mailoutbox)  # the reviewer's notice of the submission is emailed too
    again = reminder_sweep(today)
    assert again.sent == []
    assert len(mailoutbox) == sent_before
    for later in (today, day_before, due):
        assert reminder_sweep(later, dry_run=True).sent == [], later
    assert list(Reminder.objects.values_list("period", "kind", "status")) == [
        (period.key, "before-7", Reminder.Status.SENT)
    ]

    # 6. the ward's reviewer: the dashboard shows the report on time, its share, the cascaded sum
    reviewer = second_person()
    log_in(reviewer, url, "reviewer")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(WARD_NAME)
    expect(unread(reviewer)).to_have_text("1 chưa đọc")  # the submission
    reviewer.locator("#open-dashboard").click()
    expect(reviewer).to_have_url(url(f"/targets/dashboard/{world['ward'].pk}/"))
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(f"Bảng theo dõi — {quarter}")
    expect(reviewer.locator("main h1 + p")).to_contain_text(f"hạn nộp báo cáo {due_text}")
    summary = reviewer.locator("#dashboard-summary")
    expect(summary.locator("[data-status=all] [data-count]")).to_have_text("1")
    expect(summary.locator("[data-status=submitted] [data-count]")).to_have_text("1")
    expect(summary.locator("[data-status=on_time] [data-count]")).to_have_text("1")
    expect(summary.locator("[data-status=late] [data-count]")).to_have_text("0")
    expect(summary.locator("[data-status=overdue] [data-count]")).to_have_text("0")
    row = reviewer.locator(f"#dashboard-table tbody tr[data-organization='{union.pk}']")
    expect(row.locator("th")).to_contain_text(UNION_NAME)
    expect(row.locator("[data-report-status]")).to_have_text(ON_TIME)
    expect(row).to_contain_text(f"nộp ngày {today.strftime('%d/%m/%Y')}")
    expect(row.locator("[data-deadline]")).to_have_count(0)  # sent on time: no deadline to show
    expect(row.locator("[data-share]")).to_have_text("2/3 · 66,7%")
    card = reviewer.locator(f"#dashboard-cascade [data-target='{world['ward_target'].pk}']")
    expect(card.get_by_role("heading")).to_have_text(WARD_TARGET)
    expect(card.locator("[data-total]")).to_have_text("7 / 106")
    card.locator("details summary").click()
    expect(card.locator("[data-reached]")).to_have_text(["7"])
    shot(reviewer, "dashboard-submitted")

    # the reviewer opens the report from its row and accepts it
    row.locator("[data-report-status] a").click()
    expect(reviewer).to_have_url(url(f"/targets/reports/{report.pk}/"))
    expect(reviewer.locator("#report-status")).to_have_text(SUBMITTED)
    expect(reviewer.locator("main h1 + p")).to_contain_text(f"Số: {REFERENCE}")
    expect(reviewer.locator("#report-form")).to_have_count(0)
    expect(target_row(reviewer, NEW_MEMBERS).locator("td:nth-child(5) .badge")).to_have_text(NOT_MET)
    expect(
        target_row(reviewer, NEW_MEMBERS).get_by_role("link", name=re.compile("danh-sach"))
    ).to_be_visible()
    decision = reviewer.get_by_role("region", name="Quyết định của bạn")
    expect(decision).to_be_visible()
    shot(reviewer, "report-to-decide")
    decision.get_by_role("button", name="Chấp nhận", exact=True).click()
    expect(message(reviewer)).to_contain_text("Đã chấp nhận báo cáo.")
    expect(reviewer.locator("#report-status")).to_have_text(ACCEPTED)
    expect(reviewer.get_by_role("heading", name="Quyết định của bạn")).to_have_count(0)

    reviewer.get_by_role("link", name="Trang chủ").click()
    reviewer.locator("#open-dashboard").click()
    row = reviewer.locator(f"#dashboard-table tbody tr[data-organization='{union.pk}']")
    expect(row.locator("[data-report-status]")).to_have_text(ACCEPTED)
    expect(row.locator("[data-share]")).to_have_text("2/3 · 66,7%")
    expect(summary.locator("[data-status=submitted] [data-count]")).to_have_text("1")
    expect(
        reviewer.locator(f"#dashboard-cascade [data-target='{world['ward_target'].pk}'] [data-total]")
    ).to_have_text("7 / 106")
    shot(reviewer, "dashboard-accepted")

    # the chair hears of it
    chair.reload()
    expect(unread(chair)).to_have_text("1 chưa đọc")
    expect(chair.locator("#report-status")).to_have_text(ACCEPTED)
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED and report.reference == REFERENCE
