"""The plan editor in Chromium: write a plan from the standard outline, move its sections with buttons,
keys and the mouse, export it, and see what happens when two pages edit the same plan.

The persona is the chair of union A (tests/conftest.py). Every change in the editor is an htmx request
that swaps a part of the page: `window.__marker` set once must survive them all (no page reload).
"""

import datetime
import io
import re
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import TIMEOUT_MS

pytestmark = pytest.mark.e2e

PASSWORD = "Mật-khẩu-thử-2025"  # tests.factories.UserFactory
TITLE = "Hoạt động công đoàn năm học 2026-2027"
EDIT_PATH = re.compile(r"/plans/(\d+)/edit/$")
DETAIL_PATH = re.compile(r"/plans/\d+/$")
STALE = re.compile("người khác đã lưu")
PUSH = "Tổ chức tuyên truyền"
CARE = "Chăm lo đời sống đoàn viên"
TARGETS = "Chỉ tiêu thi đua"
BODY = (
    "Phổ biến đến **toàn thể đoàn viên**:\n"
    "- Nghị quyết Đại hội Công đoàn các cấp;\n"
    "- Chính sách mới về tiền lương."
)


def log_in(page: Page, url, username: str = "chair") -> None:
    page.goto(url("/accounts/login/"))
    form = page.locator("main form").filter(has=page.get_by_label("Mật khẩu"))
    form.get_by_label("Tên đăng nhập").fill(username)
    form.get_by_label("Mật khẩu").fill(PASSWORD)
    form.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page).to_have_url(url("/"))


def row(page: Page, heading: str) -> Locator:
    """The outline row of the section whose heading is exactly `heading`."""
    return page.locator("#outline .outline-row").filter(has=page.get_by_text(heading, exact=True))


def item(page: Page, heading: str) -> Locator:
    """The whole list item (row, summary, sub-sections) of a section, by its id."""
    return page.locator(f"#section-{row(page, heading).get_attribute('data-section')}")


def expect_outline(page: Page, numbered: list[tuple[str, str]]) -> None:
    """The outline shows exactly these numbers and headings, in this order (sections not being edited)."""
    rows = page.locator("#outline .outline-row")
    expect(rows.locator(".outline-number")).to_have_text([number for number, _ in numbered])
    expect(rows.locator(".outline-heading")).to_have_text([heading for _, heading in numbered])
    settled(page)


def settled(page: Page) -> None:
    """No htmx request in flight, and what came back is swapped in and settled: htmx wires up the new
    buttons only when it settles (20 ms after the swap), so a click before that would do nothing."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


def expect_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"


def move(page: Page, heading: str, direction: str) -> None:
    row(page, heading).locator(f'[data-move="{direction}"]').click()


def drop(page: Page, heading: str, onto: str, place: str) -> None:
    """Drag a section by its handle onto the top (before), middle (child) or bottom (after) third of a row.
    Both rows are brought into view first, as a person dragging would scroll: a drag that has to scroll the
    page under the pointer is not what this tests."""
    row(page, heading).scroll_into_view_if_needed()
    row(page, onto).scroll_into_view_if_needed()
    target = row(page, onto)
    box = target.bounding_box()
    y = {"before": box["height"] / 6, "child": box["height"] / 2, "after": box["height"] * 5 / 6}[place]
    source = row(page, heading)
    source.drag_to(target, source_position={"x": 8, "y": 8}, target_position={"x": 40, "y": y})


def open_form(page: Page, heading: str) -> Locator:
    """Click "Sửa" on a section: its form replaces the row, and takes the focus once settled."""
    section = item(page, heading)  # before the click: the row, found by its heading, goes away
    row(page, heading).get_by_role("button", name="Sửa", exact=True).click()
    form = section.locator(":scope > .outline-content > form.section-form")
    expect(form.get_by_label("Tiêu đề")).to_be_focused()
    expect(form.get_by_label("Tiêu đề")).to_have_value(heading)
    return form


def edit_section(page: Page, heading: str, new_heading: str, body: str | None = None) -> None:
    save_open_form(open_form(page, heading), new_heading, body)


def save_open_form(form: Locator, heading: str, body: str | None = None) -> None:
    form.get_by_label("Tiêu đề").fill(heading)
    if body is not None:
        form.get_by_label("Nội dung", exact=True).fill(body)
    form.get_by_role("button", name="Lưu mục").click()
    expect(form).to_have_count(0)
    settled(form.page)


def printed_heading(number: str, heading: str) -> str:
    """How the PDF and the .docx print a heading: level 1 (I., II., …) in capitals in this numbering."""
    return f"{number} {heading.upper() if not any(c.isdigit() for c in number) else heading}"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


def in_order(text: str, parts: list[str]) -> bool:
    at = -1
    for part in parts:
        at = text.find(part, at + 1)
        if at < 0:
            return False
    return True


def test_chair_writes_moves_and_exports_a_plan(page: Page, url, chair, shot):
    log_in(page, url)
    page.locator("#new-plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kế hoạch mới")
    page.get_by_label("Theo khung chuẩn").check()
    page.get_by_label("Trích yếu").fill(TITLE)
    page.get_by_label("Từ ngày").fill("01/09/2026")
    page.get_by_label("Đến ngày").fill("31/08/2027")
    shot(page, "new-plan")
    page.get_by_role("button", name="Tạo kế hoạch").click()

    expect(page).to_have_url(EDIT_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text("Soạn kế hoạch")
    expect(page.locator("main .alert-success")).to_contain_text("Đã tạo kế hoạch")
    expect_outline(
        page,
        [
            ("I.", "Mục đích, yêu cầu"),
            ("1.", "Mục đích"),
            ("2.", "Yêu cầu"),
            ("II.", "Nội dung, chỉ tiêu"),
            ("III.", "Nhiệm vụ, giải pháp"),
            ("IV.", "Tổ chức thực hiện"),
        ],
    )
    page.evaluate("window.__marker = 1")
    shot(page, "editor-skeleton")

    # a third level: a sub-section of "1. Mục đích" opens as a form with a default heading
    row(page, "Mục đích").get_by_role("button", name="+ Mục con").click()
    form = page.locator("#outline form.section-form")
    heading = form.get_by_label("Tiêu đề")
    expect(heading).to_have_value("Mục mới")
    expect(form.locator(".outline-number")).to_have_text("1.1.")
    settled(page)
    heading.fill(PUSH)
    form.get_by_label("Nội dung", exact=True).fill(BODY)
    shot(page, "sub-section-form")
    form.get_by_role("button", name="Lưu mục").click()
    expect(form).to_have_count(0)
    settled(form.page)
    expect(item(page, PUSH).locator(".outline-body")).to_contain_text("toàn thể đoàn viên")
    expect(page.locator("#editor-live")).to_have_text("Đã lưu.")  # said to screen readers
    preview = page.frame_locator("#live-preview")
    expect(preview.get_by_text(f"1.1. {PUSH}")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("toàn thể đoàn viên")
    expect(preview.locator("p.block-dash")).to_have_text(
        ["- Nghị quyết Đại hội Công đoàn các cấp;", "- Chính sách mới về tiền lương."]
    )
    expect_not_reloaded(page)

    # a sibling after it, then a new heading for "II."
    row(page, PUSH).get_by_role("button", name="+ Mục kế tiếp").click()
    form = page.locator("#outline form.section-form")
    expect(form.locator(".outline-number")).to_have_text("1.2.")
    settled(page)
    save_open_form(form, CARE, "Thăm hỏi đoàn viên ốm đau, **hoàn cảnh khó khăn**.")
    edit_section(page, "Nội dung, chỉ tiêu", TARGETS, "100% đoàn viên tham gia phong trào thi đua.")
    expect(page.frame_locator("#live-preview").get_by_text(f"II. {TARGETS}")).to_be_visible()
    expect_outline(
        page,
        [
            ("I.", "Mục đích, yêu cầu"),
            ("1.", "Mục đích"),
            ("1.1.", PUSH),
            ("1.2.", CARE),
            ("2.", "Yêu cầu"),
            ("II.", TARGETS),
            ("III.", "Nhiệm vụ, giải pháp"),
            ("IV.", "Tổ chức thực hiện"),
        ],
    )
    expect_not_reloaded(page)
    shot(page, "three-levels")

    # ↑ button: "1.2." becomes "1.1."
    move(page, CARE, "up")
    expect_outline(
        page,
        [
            ("I.", "Mục đích, yêu cầu"),
            ("1.", "Mục đích"),
            ("1.1.", CARE),
            ("1.2.", PUSH),
            ("2.", "Yêu cầu"),
            ("II.", TARGETS),
            ("III.", "Nhiệm vụ, giải pháp"),
            ("IV.", "Tổ chức thực hiện"),
        ],
    )
    expect_not_reloaded(page)

    # Alt + ↓ on a focused row: "II." becomes "III."
    row(page, TARGETS).focus()
    page.keyboard.press("Alt+ArrowDown")
    expect_outline(
        page,
        [
            ("I.", "Mục đích, yêu cầu"),
            ("1.", "Mục đích"),
            ("1.1.", CARE),
            ("1.2.", PUSH),
            ("2.", "Yêu cầu"),
            ("II.", "Nhiệm vụ, giải pháp"),
            ("III.", TARGETS),
            ("IV.", "Tổ chức thực hiện"),
        ],
    )
    expect_not_reloaded(page)

    # → : "2. Yêu cầu" goes under "1. Mục đích" (its last child); ← : "1.2." comes out after "1."
    move(page, "Yêu cầu", "in")
    expect_outline(
        page,
        [
            ("I.", "Mục đích, yêu cầu"),
            ("1.", "Mục đích"),
            ("1.1.", CARE),
            ("1.2.", PUSH),
            ("1.3.", "Yêu cầu"),
            ("II.", "Nhiệm vụ, giải pháp"),
            ("III.", TARGETS),
            ("IV.", "Tổ chức thực hiện"),
        ],
    )
    expect(item(page, "Yêu cầu")).to_have_class(re.compile(r"\bdepth-3\b"))
    move(page, PUSH, "out")
    expect_outline(
        page,
        [
            ("I.", "Mục đích, yêu cầu"),
            ("1.", "Mục đích"),
            ("1.1.", CARE),
            ("1.2.", "Yêu cầu"),
            ("2.", PUSH),
            ("II.", "Nhiệm vụ, giải pháp"),
            ("III.", TARGETS),
            ("IV.", "Tổ chức thực hiện"),
        ],
    )
    expect(item(page, PUSH)).to_have_class(re.compile(r"\bdepth-2\b"))
    expect_not_reloaded(page)
    shot(page, "after-button-moves")

    # drag and drop: top third of a row = before it, middle = inside it, bottom third = after it
    drop(page, "Tổ chức thực hiện", onto="Nhiệm vụ, giải pháp", place="before")
    expect_outline(
        page,
        [
            ("I.", "Mục đích, yêu cầu"),
            ("1.", "Mục đích"),
            ("1.1.", CARE),
            ("1.2.", "Yêu cầu"),
            ("2.", PUSH),
            ("II.", "Tổ chức thực hiện"),
            ("III.", "Nhiệm vụ, giải pháp"),
            ("IV.", TARGETS),
        ],
    )
    drop(page, PUSH, onto=TARGETS, place="child")
    expect_outline(
        page,
        [
            ("I.", "Mục đích, yêu cầu"),
            ("1.", "Mục đích"),
            ("1.1.", CARE),
            ("1.2.", "Yêu cầu"),
            ("II.", "Tổ chức thực hiện"),
            ("III.", "Nhiệm vụ, giải pháp"),
            ("IV.", TARGETS),
            ("1.", PUSH),
        ],
    )
    drop(page, "Yêu cầu", onto="Nhiệm vụ, giải pháp", place="after")
    expect_outline(
        page,
        [
            ("I.", "Mục đích, yêu cầu"),
            ("1.", "Mục đích"),
            ("1.1.", CARE),
            ("II.", "Tổ chức thực hiện"),
            ("III.", "Nhiệm vụ, giải pháp"),
            ("IV.", "Yêu cầu"),
            ("V.", TARGETS),
            ("1.", PUSH),
        ],
    )
    expect_not_reloaded(page)
    shot(page, "after-drags")
    final = [
        ("I.", "Mục đích, yêu cầu"),
        ("1.", "Mục đích"),
        ("1.1.", CARE),
        ("II.", "Tổ chức thực hiện"),
        ("III.", "Nhiệm vụ, giải pháp"),
        ("IV.", TARGETS),
        ("1.", PUSH),
    ]

    # delete: a dismissed confirmation changes nothing, an accepted one deletes the section
    delete = row(page, "Yêu cầu").get_by_role("button", name="Xóa", exact=True)
    page.once("dialog", lambda dialog: dialog.dismiss())
    delete.click()
    expect(row(page, "Yêu cầu")).to_have_count(1)
    questions = []

    def accept(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    delete.click()
    expect_outline(page, final)
    assert questions == ["Xóa mục “Yêu cầu” cùng mọi mục con của nó?"]
    preview = page.frame_locator("#live-preview")
    expect(preview.locator("p.heading")).to_have_text([f"{number} {heading}" for number, heading in final])
    expect_not_reloaded(page)
    shot(page, "final-outline")

    # the document details
    header = page.locator("#header-form")
    header.get_by_label("Tên giai đoạn").fill("năm học 2026-2027")
    header.get_by_label("Số", exact=True).fill("12")
    header.get_by_label("Căn cứ").fill(
        "Căn cứ Điều lệ Công đoàn Việt Nam\nCăn cứ Kế hoạch của Công đoàn phường Một"
    )
    header.get_by_label("Họ tên người ký").fill("Nguyễn Thị Hoa")
    header.get_by_label("Nơi nhận").fill("Công đoàn phường Một\nBan Giám hiệu nhà trường\nLưu: VT, BCH")
    header.get_by_role("button", name="Lưu thông tin văn bản").click()
    expect(header.get_by_role("status")).to_have_text("Đã lưu.")
    expect(header.get_by_label("Số", exact=True)).to_have_value("12")
    expect(preview.get_by_text("- Ban Giám hiệu nhà trường;")).to_be_visible()
    expect(preview.get_by_text("Số: 12/KH-CĐMNA")).to_be_visible()
    expect_not_reloaded(page)
    shot(page, "details-saved")

    # the plan page: make the PDF, download it and the Word file
    page.locator("#to-pdf").click()
    expect(page).to_have_url(DETAIL_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("button", name="Tạo bản PDF").click()
    download_pdf = page.locator("#download-pdf")
    expect(download_pdf).to_have_text("Tải bản PDF")
    expect(page.locator("#render-status [data-status=ready]")).to_contain_text("Đã xong")
    shot(page, "pdf-ready")
    with page.expect_download() as pdf_download:
        download_pdf.click()
    assert re.fullmatch(r"ke-hoach-12-2026-\d+\.pdf", pdf_download.value.suggested_filename)
    data = Path(pdf_download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert TITLE in text
    printed = [printed_heading(number, heading) for number, heading in final]
    assert in_order(" ".join(text.split()), printed), (printed, text)
    assert "Yêu cầu" not in text  # the deleted section (level 1 prints "YÊU CẦU")

    with page.expect_download() as docx_download:
        page.get_by_role("link", name="Tải bản Word (.docx)").click()
    word = docx_download.value
    assert word.suggested_filename.endswith(".docx")
    document = Document(word.path())
    paragraphs = [p.text for p in document.paragraphs]
    assert TITLE in paragraphs
    headings = [p for p in paragraphs if any(p == line for line in printed)]
    assert headings == printed
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold and "đoàn viên" in r.text]
    assert "toàn thể đoàn viên" in bold
    assert "- Nghị quyết Đại hội Công đoàn các cấp;" in paragraphs
    expect(page).to_have_url(DETAIL_PATH)
    shot(page, "downloaded")


@pytest.fixture
def plan(union_a, chair):
    """A draft laid out like the standard outline: I. (1. Mục đích, 2. Yêu cầu), II., III., IV."""
    from plans.models import Plan, Section

    plan = Plan.objects.create(
        organization=union_a,
        created_by=chair,
        title=TITLE,
        period_start=datetime.date(2026, 9, 1),
        period_end=datetime.date(2027, 8, 31),
        signer_name="Nguyễn Văn Chủ",
        recipients="Công đoàn phường Một\nLưu: VT",
    )
    outline = [
        ("Mục đích, yêu cầu", ["Mục đích", "Yêu cầu"]),
        ("Nội dung, chỉ tiêu", []),
        ("Nhiệm vụ, giải pháp", []),
        ("Tổ chức thực hiện", []),
    ]
    for position, (heading, children) in enumerate(outline, start=1):
        parent = Section.objects.create(plan=plan, position=position, heading=heading)
        for child_position, child in enumerate(children, start=1):
            Section.objects.create(plan=plan, parent=parent, position=child_position, heading=child)
    return plan


@pytest.fixture
def second_window(page: Page):
    """open() → a page in another window of the same browser, with the cookies `page` has by then (so the
    same logged-in user). A window, not a tab: a background tab's timers are throttled to a crawl."""
    contexts = []

    def open_window() -> Page:
        context = page.context.browser.new_context(
            storage_state=page.context.storage_state(),
            viewport=page.viewport_size,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_window
    for context in contexts:
        context.close()


def open_editor(page: Page, url, plan) -> None:
    page.goto(url(f"/plans/{plan.pk}/edit/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Soạn kế hoạch")
    page.evaluate("window.__marker = 1")


def test_a_stale_save_is_refused_and_keeps_what_was_typed(page: Page, second_window, url, plan, shot):
    log_in(page, url)
    open_editor(page, url, plan)
    other = second_window()  # the same chair in another window
    open_editor(other, url, plan)

    # B opens the form first, A saves the same section, then B saves: B is told, nothing is lost
    form_b = open_form(other, "Mục đích")
    edit_section(page, "Mục đích", "Mục đích của kế hoạch", "Bản của trang A.")
    expect(row(page, "Mục đích của kế hoạch")).to_be_visible()

    form_b.get_by_label("Tiêu đề").fill("Mục đích chung")
    form_b.get_by_label("Nội dung", exact=True).fill("Bản của trang B:\n- giữ nguyên khi bị từ chối.")
    form_b.get_by_role("button", name="Lưu mục").click()
    conflict = form_b.get_by_role("alert")
    expect(conflict).to_contain_text(STALE)
    expect(form_b.get_by_label("Tiêu đề")).to_have_value("Mục đích chung")
    expect(form_b.get_by_label("Nội dung", exact=True)).to_have_value(
        "Bản của trang B:\n- giữ nguyên khi bị từ chối."
    )
    conflict.get_by_text("Nội dung đang được lưu").click()  # what A saved, to compare
    expect(conflict.locator(".saved-heading")).to_have_text("Mục đích của kế hoạch")
    expect(conflict.locator(".saved-text")).to_have_text("Bản của trang A.")
    expect(other.locator("#editor-error")).to_be_hidden()  # a conflict is not a server error
    settled(other)
    shot(other, "conflict-in-b")

    form_b.get_by_role("button", name="Lưu mục").click()  # B keeps its text: saved over A's
    expect(form_b).to_have_count(0)
    settled(other)
    expect(row(other, "Mục đích chung")).to_be_visible()
    expect(item(other, "Mục đích chung").locator(".outline-body")).to_contain_text("Bản của trang B:")
    expect(other.frame_locator("#live-preview").get_by_text("1. Mục đích chung")).to_be_visible()
    expect_not_reloaded(other)
    shot(other, "saved-again-in-b")

    # A is stale now: a move is refused, and the outline shows what B saved
    move(page, "Mục đích của kế hoạch", "down")
    expect(page.locator("#outline").get_by_role("alert")).to_contain_text(STALE)
    expect_outline(
        page,
        [
            ("I.", "Mục đích, yêu cầu"),
            ("1.", "Mục đích chung"),
            ("2.", "Yêu cầu"),
            ("II.", "Nội dung, chỉ tiêu"),
            ("III.", "Nhiệm vụ, giải pháp"),
            ("IV.", "Tổ chức thực hiện"),
        ],
    )
    shot(page, "stale-move-refused-in-a")
    move(page, "Mục đích chung", "down")  # now up to date: the move goes through
    expect_outline(
        page,
        [
            ("I.", "Mục đích, yêu cầu"),
            ("1.", "Yêu cầu"),
            ("2.", "Mục đích chung"),
            ("II.", "Nội dung, chỉ tiêu"),
            ("III.", "Nhiệm vụ, giải pháp"),
            ("IV.", "Tổ chức thực hiện"),
        ],
    )
    expect(page.locator("#outline").get_by_role("alert")).to_have_count(0)
    expect_not_reloaded(page)

    # an impossible date: said in Vietnamese, nothing saved, everything typed still there
    header = page.locator("#header-form")
    header.get_by_label("Số", exact=True).fill("3")
    header.get_by_label("Ngày ban hành").fill("30/02/2023")
    header.get_by_label("Họ tên người ký").fill("Trần Thị Bình")
    header.get_by_label("Nơi nhận").fill("Công đoàn phường Một\nLưu: VT")
    header.get_by_role("button", name="Lưu thông tin văn bản").click()
    date_field = header.get_by_label("Ngày ban hành")
    expect(header.get_by_role("alert")).to_contain_text("Chưa lưu được")
    expect(header.get_by_text(re.compile("“30/02/2023” không phải là một ngày có thật"))).to_be_visible()
    expect(date_field).to_have_value("30/02/2023")
    expect(date_field).to_have_attribute("aria-invalid", "true")
    expect(header.get_by_label("Số", exact=True)).to_have_value("3")
    expect(header.get_by_label("Họ tên người ký")).to_have_value("Trần Thị Bình")
    expect(header.get_by_label("Nơi nhận")).to_have_value("Công đoàn phường Một\nLưu: VT")
    expect(page.frame_locator("#live-preview").get_by_text("Trần Thị Bình")).to_have_count(0)
    settled(page)
    shot(page, "impossible-date")

    date_field.fill("05/09/2026")
    header.get_by_role("button", name="Lưu thông tin văn bản").click()
    expect(header.get_by_role("status")).to_have_text("Đã lưu.")
    expect(page.frame_locator("#live-preview").get_by_text("Trần Thị Bình")).to_be_visible()
    expect(page.frame_locator("#live-preview").get_by_text("Số: 03/KH-CĐMNA")).to_be_visible()
    expect_not_reloaded(page)


def tab_to(page: Page, target: Locator, limit: int = 80) -> int:
    """Press Tab until `target` has the focus; returns how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return presses
    raise AssertionError(f"not reached with {limit} presses of Tab")


def test_keyboard_only_reaches_a_section_and_moves_it(page: Page, url, plan, shot):
    log_in(page, url)
    open_editor(page, url, plan)
    first_row = page.locator("#outline .outline-row").first
    tab_to(page, first_row)
    expect(first_row).to_be_focused()
    expect(first_row).to_have_accessible_name("Mục I. Mục đích, yêu cầu")
    requirements = row(page, "Yêu cầu")
    tab_to(page, requirements, limit=30)
    expect(requirements).to_be_focused()
    shot(page, "row-focused", full_page=False)

    page.keyboard.press("Alt+ArrowUp")
    expect_outline(
        page,
        [
            ("I.", "Mục đích, yêu cầu"),
            ("1.", "Yêu cầu"),
            ("2.", "Mục đích"),
            ("II.", "Nội dung, chỉ tiêu"),
            ("III.", "Nhiệm vụ, giải pháp"),
            ("IV.", "Tổ chức thực hiện"),
        ],
    )
    expect_not_reloaded(page)
    shot(page, "moved-up", full_page=False)


# Found as bugs by the first version of these journeys, now fixed: each test says what the editor does.


def test_focus_follows_the_moved_or_added_section(page: Page, url, plan):
    log_in(page, url)
    open_editor(page, url, plan)
    requirements = row(page, "Yêu cầu")
    requirements.focus()
    page.keyboard.press("Alt+ArrowUp")
    expect_outline(
        page,
        [
            ("I.", "Mục đích, yêu cầu"),
            ("1.", "Yêu cầu"),
            ("2.", "Mục đích"),
            ("II.", "Nội dung, chỉ tiêu"),
            ("III.", "Nhiệm vụ, giải pháp"),
            ("IV.", "Tổ chức thực hiện"),
        ],
    )
    expect(requirements).to_be_focused(timeout=2_000)
    page.keyboard.press("Alt+ArrowUp")  # a second press, without finding the section again
    expect(page.locator("#outline").get_by_role("alert")).to_have_text(
        "Mục này đã đứng đầu trong cấp của nó."
    )
    expect(requirements).to_be_focused(timeout=2_000)

    row(page, "Mục đích").get_by_role("button", name="+ Mục con").click()
    heading = page.locator("#outline form.section-form").get_by_label("Tiêu đề")
    expect(heading).to_be_focused(timeout=2_000)  # ready to type over the selected "Mục mới"
    page.keyboard.type(PUSH)
    expect(heading).to_have_value(PUSH)


def test_download_pdf_button_downloads_the_file(page: Page, url, plan):
    log_in(page, url)
    page.goto(url(f"/plans/{plan.pk}/"))
    page.get_by_role("button", name="Tạo bản PDF").click()
    download_pdf = page.locator("#download-pdf")
    expect(download_pdf).to_be_visible()
    with page.expect_download(timeout=5_000) as download:
        download_pdf.click()
    assert download.value.suggested_filename.endswith(".pdf")
    expect(page).to_have_url(DETAIL_PATH)


def test_invalid_header_on_a_stale_page_still_ends_in_a_conflict(page: Page, second_window, url, plan):
    log_in(page, url)
    open_editor(page, url, plan)
    other = second_window()
    open_editor(other, url, plan)
    header_a = page.locator("#header-form")
    header_a.get_by_label("Họ tên người ký").fill("Nguyễn Thị Hoa")
    header_a.get_by_role("button", name="Lưu thông tin văn bản").click()
    expect(header_a.get_by_role("status")).to_have_text("Đã lưu.")
    settled(page)

    header_b = other.locator("#header-form")  # B still shows the old signer, and changes it too
    header_b.get_by_label("Họ tên người ký").fill("Trần Văn Bình")
    header_b.get_by_label("Ngày ban hành").fill("30/02/2023")
    header_b.get_by_role("button", name="Lưu thông tin văn bản").click()
    expect(header_b.get_by_text(re.compile("không phải là một ngày có thật"))).to_be_visible()
    settled(other)
    header_b.get_by_label("Ngày ban hành").fill("05/09/2026")
    with other.expect_response(re.compile(r"/edit/header/$")) as response:
        header_b.get_by_role("button", name="Lưu thông tin văn bản").click()
    assert response.value.status == 409, "B's signer overwrote A's, which B never saw, without a conflict"
    expect(header_b.get_by_role("alert")).to_contain_text(STALE)


def test_invalid_section_on_a_stale_page_still_ends_in_a_conflict(page: Page, second_window, url, plan):
    log_in(page, url)
    open_editor(page, url, plan)
    other = second_window()
    open_editor(other, url, plan)
    form_b = open_form(other, "Mục đích")
    edit_section(page, "Mục đích", "Mục đích của trang A", "Bản của trang A.")

    form_b.get_by_label("Tiêu đề").fill("")  # invalid: a heading is required
    form_b.get_by_role("button", name="Lưu mục").click()
    expect(form_b.get_by_role("alert")).to_contain_text("Chưa lưu được")
    settled(other)
    form_b.get_by_label("Tiêu đề").fill("Mục đích của trang B")
    with other.expect_response(re.compile(r"/sections/\d+/$")) as response:
        form_b.get_by_role("button", name="Lưu mục").click()
    assert response.value.status == 409, "B overwrote A's text of the same section without a conflict"
    expect(form_b.get_by_role("alert")).to_contain_text(STALE)


def test_text_refused_by_the_server_still_counts_as_unsaved(page: Page, url, plan):
    log_in(page, url)
    open_editor(page, url, plan)
    form = open_form(page, "Mục đích")
    form.get_by_label("Nội dung", exact=True).fill("Một đoạn dài đã gõ.")
    form.get_by_label("Tiêu đề").fill("")  # refused: a heading is required
    form.get_by_role("button", name="Lưu mục").click()
    expect(form.get_by_role("alert")).to_contain_text("Chưa lưu được")
    expect(form.get_by_label("Nội dung", exact=True)).to_have_value("Một đoạn dài đã gõ.")
    settled(page)

    questions = []

    def accept(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    move(page, "Tổ chức thực hiện", "up")
    expect(page.locator("#outline .outline-row .outline-heading").last).to_have_text("Nhiệm vụ, giải pháp")
    assert questions, "the typed text was thrown away without asking"
