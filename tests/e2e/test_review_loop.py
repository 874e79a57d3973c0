"""The review loop in Chromium, on the demo world, with two people in two browsers.

The chair of the kindergarten union (chutich.hoasen) sends the plan up; the reviewer of the ward union
above it (kiemtra.phuong) comments on a section and returns it; the chair answers, resolves, corrects and
sends it again; the reviewer sees what changed and approves; the chair issues it, and the issued PDF is
exactly the one whose SHA-256 the page shows. An issued plan is frozen: a change is a new version.

The demo plans come from `plans.demo`: one draft per grassroots union, and `seed_review_states` moves two
of them along (the company's plan waits in the ward's inbox, the technical school's plan is issued), so the
reviewer finds the kindergarten's plan among others, and starts with two notices already unread.
"""

import hashlib
import io
import re
import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import DESKTOP, SCREENSHOTS, TIMEOUT_MS, _safe

pytestmark = pytest.mark.e2e

CHAIR = "chutich.hoasen"
CHAIR_NAME = "Nguyễn Thị Hoa"
REVIEWER = "kiemtra.phuong"
REVIEWER_NAME = "Hoàng Văn Nam"
LEADER = "lanhdao.phuong"
KINDERGARTEN_SHORT = "CĐCS MN Hoa Sen"
WARD = "Công đoàn phường An Lão"
WARD_SHORT = "CĐ phường An Lão"
TITLE = "Hoạt động công đoàn năm học 2025-2026"
COMPANY_TITLE = "Hoạt động công đoàn năm 2026"

EDIT_PATH = re.compile(r"/plans/(\d+)/edit/$")
REVIEW_PATH = re.compile(r"/plans/\d+/review/(#.*)?$")
VERSIONS_PATH = re.compile(r"/plans/\d+/versions/\?a=1&b=2$")

# what the chair writes before sending (a section whose body the demo leaves empty)
ORGANISATION = "Về tổ chức"
ORGANISATION_BODY = "Kiện toàn Ban chấp hành và các tổ công đoàn ngay từ đầu năm học."
# the section the reviewer comments on, and how the chair corrects it
PURPOSE = "Mục đích"
PURPOSE_BODY = (
    "Cụ thể hóa nhiệm vụ công đoàn năm học 2025-2026 thành các việc làm có người phụ trách, thời hạn và "
    "chỉ tiêu đo được; chăm lo đời sống vật chất, tinh thần của đoàn viên, người lao động."
)
ADDED = "(báo cáo kết quả trước ngày 25 hằng tháng)"
REVISED_BODY = PURPOSE_BODY.replace("thời hạn và", f"thời hạn {ADDED} và").replace("đo được;", "cụ thể;")
COMMENT = "Đề nghị nêu rõ thời hạn báo cáo kết quả và chỉ tiêu cụ thể."
REPLY = "Đã bổ sung thời hạn báo cáo trước ngày 25 hằng tháng."
SUBMIT_NOTE = "Kính gửi Công đoàn phường xem xét."
RETURN_NOTE = "Mục đích chưa nêu thời hạn báo cáo; đề nghị bổ sung rồi gửi lại."

# Vietnamese labels (locale/vi/LC_MESSAGES/django.po)
DRAFT, SUBMITTED, RETURNED, APPROVED, ISSUED = "Bản nháp", "Đã gửi", "Bị trả lại", "Đã duyệt", "Đã ban hành"


@pytest.fixture
def plans_world(demo):
    """The demo plans, moved along as `seed_demo` does; returns the kindergarten's draft."""
    from plans import demo as plans_demo
    from plans.models import Plan

    plans_demo.seed_plans()
    plans_demo.seed_review_states()
    return Plan.objects.get(organization__short_name=KINDERGARTEN_SHORT)


@pytest.fixture
def other_browser(browser: Browser, live_server, request):
    """open("reviewer") → a desktop page in a context of its own (other cookies: another person); on a
    failure its screenshot is saved as <test name>-FAILED-reviewer.png (the fixture `page` saves its own)."""
    contexts = []

    def open_page(who: str) -> Page:
        context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=DESKTOP)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append((who, context, context.new_page()))
        return contexts[-1][2]

    yield open_page
    report = getattr(request.node, "rep_call", None)
    for who, context, page in contexts:
        try:
            if report is not None and report.failed and not page.is_closed():
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                path = SCREENSHOTS / f"{_safe(request.node.name)}-FAILED-{who}.png"
                page.screenshot(path=path, full_page=True)
        finally:
            context.close()


def log_in(page: Page, url, username: str, password: str) -> None:
    page.goto(url("/accounts/login/"))
    form = page.locator("main form").filter(has=page.get_by_label("Mật khẩu"))
    form.get_by_label("Tên đăng nhập").fill(username)
    form.get_by_label("Mật khẩu").fill(password)
    form.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page).to_have_url(url("/"))


def status(page: Page) -> Locator:
    """The status badge under the plan's title (plan page and review page)."""
    return page.locator("main h1 + p .badge")


def message(page: Page) -> Locator:
    return page.locator("main .alert-dismissible")


def unread(page: Page) -> Locator:
    return page.locator("#nav-notifications .badge")


def settled(page: Page) -> None:
    """No htmx request in flight, and what came back swapped in and settled (see test_plan_editor)."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


def write_section(page: Page, heading: str, body: str) -> None:
    """In the editor: "Sửa" on a section's row, a new body, "Lưu mục"; the row comes back with the body."""
    row = page.locator("#outline .outline-row").filter(has=page.get_by_text(heading, exact=True))
    item = page.locator(f"#section-{row.get_attribute('data-section')}")
    row.get_by_role("button", name="Sửa", exact=True).click()
    form = item.locator(":scope > .outline-content > form.section-form")
    expect(form.get_by_label("Tiêu đề")).to_be_focused()
    expect(form.get_by_label("Tiêu đề")).to_have_value(heading)
    settled(page)
    form.get_by_label("Nội dung", exact=True).fill(body)
    form.get_by_role("button", name="Lưu mục").click()
    expect(form).to_have_count(0)
    settled(page)
    expect(item.locator(".outline-body").first).to_contain_text(body[:40])
    expect(page.locator("#editor-live")).to_have_text("Đã lưu.")


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))
    return " ".join(text.split())


def test_the_whole_review_loop(page: Page, other_browser, url, demo, plans_world, shot):
    from plans import checks
    from plans.models import Plan

    plan = plans_world
    purpose = plan.sections.get(heading=PURPOSE)
    assert purpose.body == PURPOSE_BODY  # the demo text the reviewer comments on, and the chair changes
    chair = page

    # 1. the chair opens the draft from the home page, writes a section, and sends the plan up
    log_in(chair, url, CHAIR, demo)
    documents = chair.locator("main .list-group-item").filter(has_text=TITLE)
    expect(documents).to_contain_text(DRAFT)
    documents.get_by_role("link", name=TITLE).click()
    expect(chair).to_have_url(url(f"/plans/{plan.pk}/"))
    expect(chair.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(status(chair)).to_have_text(DRAFT)
    expect(chair.locator("#plan-comments")).to_have_count(0)  # nothing sent yet: no comments, no versions
    chair.get_by_role("link", name="Sửa", exact=True).click()
    expect(chair).to_have_url(EDIT_PATH)
    expect(chair.get_by_role("heading", level=1)).to_have_text("Soạn kế hoạch")
    write_section(chair, ORGANISATION, ORGANISATION_BODY)
    shot(chair, "chair-wrote-a-section")

    chair.locator("#to-pdf").click()
    expect(chair).to_have_url(url(f"/plans/{plan.pk}/"))
    expect(chair.frame_locator("iframe.document-preview").get_by_text(ORGANISATION_BODY)).to_be_visible()
    chair.locator("#submit-plan").click()
    expect(chair).to_have_url(url(f"/plans/{plan.pk}/submit/"))
    expect(chair.get_by_role("heading", level=1)).to_have_text("Gửi duyệt")
    expect(chair.locator("main")).to_contain_text(f"Kế hoạch sẽ được gửi tới {WARD_SHORT} để duyệt.")
    findings, _dismissed = checks.active_findings(plan)
    if findings:  # the checks warn, they never block
        expect(chair.locator("#submit-findings li")).to_have_text([f.message for f in findings])
    else:
        expect(chair.get_by_role("status").filter(has_text="Kiểm tra không phát hiện")).to_be_visible()
    chair.get_by_label("Ghi chú cho người duyệt").fill(SUBMIT_NOTE)
    shot(chair, "submit-checks")
    chair.locator("#confirm-submit").click()
    expect(chair).to_have_url(url(f"/plans/{plan.pk}/"))
    expect(message(chair)).to_contain_text("Đã gửi phiên bản 1 lên công đoàn cấp trên để duyệt.")
    expect(status(chair)).to_have_text(SUBMITTED)
    expect(chair.locator("#submit-plan")).to_have_count(0)  # sent: neither sent again nor edited
    expect(chair.get_by_role("link", name="Sửa", exact=True)).to_have_count(0)
    expect(chair.locator("#plan-comments")).to_have_text("Ý kiến")
    shot(chair, "submitted")

    # 2. the reviewer, in another browser: a notice, the inbox, a comment on one section, then return
    reviewer = other_browser("reviewer")
    log_in(reviewer, url, REVIEWER, demo)
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(WARD)
    # the demo left three (the company's plan submitted, the school's submitted and issued), and ours
    expect(unread(reviewer)).to_have_text("4 chưa đọc")
    shot(reviewer, "reviewer-home-with-notices", full_page=False)
    reviewer.locator("#nav-inbox").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Hộp thư duyệt")
    expect(reviewer.locator("#inbox-counts a").filter(has_text=SUBMITTED).locator(".badge")).to_have_text("2")
    entries = reviewer.locator("#inbox-table tbody tr")
    expect(entries).to_have_count(3)  # the company's (waiting), the school's (issued) and ours
    ours = entries.filter(has_text=KINDERGARTEN_SHORT)
    expect(ours.locator("td")).to_have_text(
        [TITLE, KINDERGARTEN_SHORT, SUBMITTED, re.compile(r"\d\d/\d\d/\d{4}")]
    )
    shot(reviewer, "inbox")
    ours.get_by_role("link", name=TITLE).click()

    expect(reviewer).to_have_url(url(f"/plans/{plan.pk}/review/"))
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reviewer.locator("#plan-status")).to_have_text(SUBMITTED)
    expect(reviewer.locator("main h1 + p")).to_contain_text("phiên bản 1")
    expect(reviewer.locator("main h1 + p")).to_contain_text("0 ý kiến chưa xử lý")
    expect(reviewer.locator("main .alert-info")).to_contain_text(f"{CHAIR_NAME} (")
    expect(reviewer.locator("main .alert-info")).to_contain_text(SUBMIT_NOTE)
    expect(reviewer.locator("#compare-versions")).to_have_count(0)  # one version: nothing to compare
    card = reviewer.locator(f"#section-{purpose.pk}")
    expect(card.get_by_role("heading")).to_have_text(f"1. {PURPOSE}")
    expect(card).to_contain_text(PURPOSE_BODY)
    card.get_by_label("Góp ý").fill(COMMENT)
    card.get_by_role("button", name="Góp ý", exact=True).click()
    expect(reviewer).to_have_url(url(f"/plans/{plan.pk}/review/#section-{purpose.pk}"))
    comment = card.locator("li.comment")
    expect(comment).to_have_count(1)
    expect(comment).to_contain_text(REVIEWER_NAME)
    expect(comment).to_contain_text(COMMENT)
    expect(comment).to_contain_text("v1")
    expect(reviewer.locator("main h1 + p")).to_contain_text("1 ý kiến chưa xử lý")
    expect(reviewer.locator("main li.comment")).to_have_count(1)  # under that section only
    shot(reviewer, "commented")

    reviewer.get_by_label("Ý kiến chung").fill(RETURN_NOTE)
    reviewer.get_by_role("button", name="Trả lại để sửa").click()
    expect(message(reviewer)).to_contain_text("Đã trả kế hoạch về đơn vị kèm ý kiến của bạn.")
    expect(reviewer.locator("#plan-status")).to_have_text(RETURNED)
    expect(reviewer.locator("main .alert-info")).to_contain_text(RETURN_NOTE)
    expect(reviewer.get_by_role("heading", name="Quyết định của bạn")).to_have_count(0)  # decided
    expect(reviewer.locator("form.new-comment")).to_have_count(0)
    shot(reviewer, "returned")

    # 3. the chair hears of it, answers the comment, resolves it, corrects the section, sends it again
    chair.goto(url("/"))
    expect(unread(chair)).to_have_text("1 chưa đọc")
    chair.locator("#nav-notifications").click()
    notice = chair.locator("#notification-list li").first
    expect(notice).to_contain_text(f"Kế hoạch “{TITLE}” đã bị {REVIEWER_NAME} trả lại để sửa.")
    expect(notice).to_have_class(re.compile(r"\bfw-semibold\b"))  # unread when the page was made
    shot(chair, "chair-notifications")
    notice.get_by_role("link").click()
    expect(chair).to_have_url(url(f"/plans/{plan.pk}/"))
    expect(unread(chair)).to_have_count(0)  # read now
    expect(status(chair)).to_have_text(RETURNED)
    expect(chair.locator("#submit-plan")).to_be_visible()
    expect(chair.locator("#review-plan")).to_have_count(0)  # nobody reviews their own union's plan
    chair.locator("#plan-comments").click()

    expect(chair).to_have_url(url(f"/plans/{plan.pk}/review/"))
    expect(chair.get_by_role("heading", name="Quyết định của bạn")).to_have_count(0)
    expect(chair.locator("form.new-comment")).to_have_count(0)  # the union answers, it does not comment
    expect(chair.locator("main .alert-info")).to_contain_text(f"{REVIEWER_NAME} (")
    expect(chair.locator("main .alert-info")).to_contain_text(RETURN_NOTE)
    comment = chair.locator(f"#section-{purpose.pk} li.comment")
    expect(comment).to_contain_text(COMMENT)
    comment.get_by_label("Trả lời").fill(REPLY)
    comment.get_by_role("button", name="Trả lời", exact=True).click()
    expect(chair).to_have_url(url(f"/plans/{plan.pk}/review/#section-{purpose.pk}"))
    expect(comment.locator(".border-start")).to_have_count(1)
    expect(comment.locator(".border-start")).to_contain_text(CHAIR_NAME)
    expect(comment.locator(".border-start")).to_contain_text(REPLY)
    expect(chair.locator("main h1 + p")).to_contain_text("1 ý kiến chưa xử lý")  # answered, still open
    comment.get_by_role("button", name="Đánh dấu đã xử lý").click()
    expect(comment.locator(".badge")).to_have_text("đã xử lý")
    expect(comment).to_have_class(re.compile(r"\bcomment-resolved\b"))
    expect(comment.get_by_role("button", name="Đánh dấu đã xử lý")).to_have_count(0)
    expect(chair.locator("main h1 + p")).to_contain_text("0 ý kiến chưa xử lý")
    shot(chair, "answered-and-resolved")

    chair.get_by_role("navigation", name="Đường dẫn").get_by_role("link", name=TITLE).click()
    expect(chair).to_have_url(url(f"/plans/{plan.pk}/"))
    chair.get_by_role("link", name="Sửa", exact=True).click()
    expect(chair).to_have_url(url(f"/plans/{plan.pk}/edit/"))
    write_section(chair, PURPOSE, REVISED_BODY)
    shot(chair, "corrected")
    chair.locator("#to-pdf").click()
    expect(chair).to_have_url(url(f"/plans/{plan.pk}/"))
    chair.locator("#submit-plan").click()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Gửi duyệt")
    chair.locator("#confirm-submit").click()
    expect(chair).to_have_url(url(f"/plans/{plan.pk}/"))
    expect(message(chair)).to_contain_text("Đã gửi phiên bản 2 lên công đoàn cấp trên để duyệt.")
    expect(status(chair)).to_have_text(SUBMITTED)
    shot(chair, "resubmitted")

    # 4. the reviewer sees what changed, and that the comment was dealt with, and approves
    reviewer.goto(url("/"))
    expect(unread(reviewer)).to_have_text("5 chưa đọc")
    reviewer.locator("#nav-notifications").click()
    notice = reviewer.locator("#notification-list li").first
    expect(notice).to_contain_text(f"{KINDERGARTEN_SHORT} đã gửi kế hoạch “{TITLE}” (phiên bản 2) để duyệt.")
    expect(reviewer.locator("#notification-list li")).to_have_count(5)
    notice.get_by_role("link").click()
    expect(reviewer).to_have_url(url(f"/plans/{plan.pk}/"))
    expect(status(reviewer)).to_have_text(SUBMITTED)
    expect(reviewer.locator("#issue-plan")).to_have_count(0)
    expect(reviewer.locator("#submit-plan")).to_have_count(0)
    reviewer.locator("#review-plan").click()

    expect(reviewer).to_have_url(url(f"/plans/{plan.pk}/review/"))
    expect(reviewer.locator("main h1 + p")).to_contain_text("phiên bản 2")
    card = reviewer.locator(f"#section-{purpose.pk}")
    expect(card).to_have_class(re.compile(r"\bborder-warning\b"))
    expect(card.get_by_role("heading")).to_contain_text("có thay đổi ở phiên bản này")
    expect(reviewer.locator("main .badge", has_text="có thay đổi ở phiên bản này")).to_have_count(1)
    expect(card).to_contain_text(ADDED)
    comment = card.locator("li.comment")
    expect(comment.locator(".badge")).to_have_text("đã xử lý")
    expect(comment).to_contain_text(REPLY)
    expect(comment.get_by_role("button", name="Đánh dấu đã xử lý")).to_have_count(0)
    expect(reviewer.locator("main h1 + p")).to_contain_text("0 ý kiến chưa xử lý")
    shot(reviewer, "second-review")

    compare = reviewer.locator("#compare-versions")
    expect(compare).to_have_text("Thay đổi so với phiên bản trước")
    compare.click()
    expect(reviewer).to_have_url(VERSIONS_PATH)
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Các phiên bản")
    expect(reviewer.locator("main table tbody tr")).to_have_count(2)
    expect(reviewer.locator("main table tbody tr td:nth-child(2)")).to_have_text([CHAIR_NAME, CHAIR_NAME])
    diff = reviewer.locator("#diff")
    changed = diff.locator("li.diff-changed")
    expect(changed).to_have_count(1)  # only the corrected section
    expect(changed.locator(".badge")).to_have_text("thay đổi")
    expect(changed.locator("strong")).to_have_text("1.")
    expect(changed.locator("ins")).to_have_text([ADDED, "cụ thể;"])
    expect(changed.locator("del")).to_have_text(["đo được;"])
    expect(diff.locator("ins, del")).to_have_count(3)
    expect(diff.locator("li.diff-added, li.diff-removed")).to_have_count(0)
    shot(reviewer, "changes")

    reviewer.go_back()
    expect(reviewer).to_have_url(url(f"/plans/{plan.pk}/review/"))
    reviewer.get_by_role("button", name="Duyệt", exact=True).click()
    expect(message(reviewer)).to_contain_text("Đã duyệt kế hoạch.")
    expect(reviewer.locator("#plan-status")).to_have_text(APPROVED)
    expect(reviewer.get_by_role("heading", name="Quyết định của bạn")).to_have_count(0)
    shot(reviewer, "approved")

    # 5. the chair issues it: the PDF downloaded is the one whose SHA-256 the page shows
    chair.reload()
    expect(unread(chair)).to_have_text("1 chưa đọc")
    expect(status(chair)).to_have_text(APPROVED)
    chair.locator("#issue-plan").click()
    expect(chair).to_have_url(url(f"/plans/{plan.pk}/"))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ISSUED
    expect(message(chair)).to_contain_text(f"Đã ban hành kế hoạch số {plan.reference}.")
    expect(status(chair)).to_have_text(ISSUED)
    card = chair.locator("#issued-card")
    expect(card).to_be_visible()
    expect(card.get_by_role("heading")).to_have_text(ISSUED)
    sha = card.locator("code")
    expect(sha).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    shown = sha.inner_text()
    assert shown == plan.issued_sha256
    shot(chair, "issued")
    with chair.expect_download() as download:
        card.locator("#issued-pdf").click()
    assert download.value.suggested_filename == f"ke-hoach-{plan.reference.replace('/', '-')}.pdf"
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == shown
    text = pdf_text(data)
    assert TITLE in text, text[:500]
    assert ADDED in text  # the corrected section, as approved
    assert ORGANISATION_BODY in text

    # 5b. the chair signs it digitally (her certificate, then the union's seal); the signed file verifies
    #     on the public verification page, and one changed byte makes it fail there
    from django.core.management import call_command

    call_command(
        "make_demo_certificate", "--org", plan.organization.symbol, "--if-missing", stdout=io.StringIO()
    )
    chair.locator("#sign-plan").click()
    chair.locator("#id_signer_password").fill(demo)
    chair.locator("#id_organization_password").fill(demo)
    chair.locator("main form [type=submit]").last.click()
    expect(chair).to_have_url(url(f"/plans/{plan.pk}/"))
    with chair.expect_download() as signed_download:
        chair.locator("#signed-pdf").click()
    signed = Path(signed_download.value.path()).read_bytes()
    shot(chair, "signed")
    chair.goto(url("/verify/"))
    chair.locator("#id_file").set_input_files(
        files=[{"name": "da-ky.pdf", "mimeType": "application/pdf", "buffer": signed}]
    )
    chair.locator("main form [type=submit]").last.click()
    expect(chair.locator("#verdict")).to_have_class(re.compile("alert-success"))
    expect(chair.locator("#verdict")).to_contain_text("còn nguyên vẹn")
    expect(chair.locator("#matching-plan")).to_contain_text(plan.reference)
    shot(chair, "verified")
    tampered = bytearray(signed)
    at = signed.index(b"stream", len(signed) // 4) + 20
    tampered[at] = tampered[at] ^ 0x01
    chair.goto(url("/verify/"))
    chair.locator("#id_file").set_input_files(
        files=[{"name": "sua.pdf", "mimeType": "application/pdf", "buffer": bytes(tampered)}]
    )
    chair.locator("main form [type=submit]").last.click()
    expect(chair.locator("#verdict")).to_contain_text("không còn nguyên vẹn")
    shot(chair, "tampered")
    chair.goto(url(f"/plans/{plan.pk}/"))

    # 6. an issued plan is frozen: the editor answers 403; a change starts a new version
    expect(chair.locator("#submit-plan, #issue-plan")).to_have_count(0)
    expect(chair.get_by_role("link", name="Sửa", exact=True)).to_have_count(0)
    refused = chair.request.get(url(f"/plans/{plan.pk}/edit/"))
    assert refused.status == 403
    response = chair.goto(url(f"/plans/{plan.pk}/edit/"))
    assert response is not None and response.status == 403
    expect(chair.locator("#outline")).to_have_count(0)
    expect(chair.get_by_role("heading", name="Soạn kế hoạch")).to_have_count(0)
    shot(chair, "editor-refused")
    chair.goto(url(f"/plans/{plan.pk}/"))
    new_version = chair.locator("#new-version")
    expect(new_version).to_have_text("Phiên bản mới")
    new_version.click()
    expect(chair).to_have_url(EDIT_PATH)
    draft_pk = int(EDIT_PATH.search(chair.url).group(1))
    assert draft_pk != plan.pk
    expect(chair.get_by_role("heading", level=1)).to_have_text("Soạn kế hoạch")
    expect(message(chair)).to_contain_text("Đã tạo bản nháp mới từ kế hoạch đã ban hành.")
    expect(chair.locator("#outline .outline-body").filter(has_text=ADDED)).to_have_count(1)
    shot(chair, "new-version")
    draft = Plan.objects.get(pk=draft_pk)
    assert (draft.status, draft.number, draft.title) == (Plan.Status.DRAFT, None, TITLE)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ISSUED and plan.issued_sha256 == shown  # the issued one is untouched


def test_a_return_without_a_note_is_refused(page: Page, url, demo, plans_world, shot):
    """The ward's leader (not only its reviewer) decides on the company's plan waiting in the inbox;
    returning it needs a note, said in Vietnamese, and the plan stays where it was."""
    from plans.models import Plan

    company = Plan.objects.get(title=COMPANY_TITLE, status=Plan.Status.SUBMITTED)
    log_in(page, url, LEADER, demo)
    page.locator("#nav-inbox").click()
    page.locator("#inbox-table tbody tr").filter(has_text=COMPANY_TITLE).get_by_role("link").click()
    expect(page).to_have_url(url(f"/plans/{company.pk}/review/"))
    expect(page.locator("#plan-status")).to_have_text(SUBMITTED)
    page.get_by_role("button", name="Trả lại để sửa").click()
    error = page.locator("main .alert-danger")
    expect(error).to_contain_text("Hãy ghi rõ cần sửa gì: trả lại kế hoạch phải kèm ý kiến.")
    expect(page.locator("#plan-status")).to_have_text(SUBMITTED)
    expect(page.get_by_role("heading", name="Quyết định của bạn")).to_be_visible()
    shot(page, "refused")
    company.refresh_from_db()
    assert company.status == Plan.Status.SUBMITTED
    assert not company.transitions.filter(to_status=Plan.Status.RETURNED).exists()


def test_the_chair_can_neither_comment_nor_decide_on_her_own_plan(page: Page, url, demo, plans_world):
    """Sent up, the plan shows its comments page to its chair, without the reviewer's forms; a decision
    posted anyway is refused (403) and changes nothing."""
    from members.models import User
    from plans import lifecycle
    from plans.models import Plan

    plan = plans_world
    lifecycle.plan_submit(plan=plan, by=User.objects.get(username=CHAIR))
    log_in(page, url, CHAIR, demo)
    page.goto(url(f"/plans/{plan.pk}/"))
    expect(page.locator("#review-plan")).to_have_count(0)
    page.locator("#plan-comments").click()
    expect(page).to_have_url(REVIEW_PATH)
    expect(page.locator("#plan-status")).to_have_text(SUBMITTED)
    expect(page.get_by_role("heading", name="Quyết định của bạn")).to_have_count(0)
    expect(page.locator("form.new-comment")).to_have_count(0)
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    answer = page.request.post(
        url(f"/plans/{plan.pk}/decide/"),
        form={"csrfmiddlewaretoken": token, "decision": "approve"},
        headers={"Referer": url(f"/plans/{plan.pk}/review/")},
    )
    assert answer.status == 403
    assert "CSRF" not in answer.text()  # refused as a decision, not for a missing token
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED
