"""A chair pastes last year's plan, corrects one misread line, saves it as a draft and reads the checks."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_journeys import log_in

pytestmark = pytest.mark.e2e

# Written for this test in the style of a real plan: a blank reference in the text, Women's Day written
# wrong, and one numbered line ("3. 100% đoàn viên …") that is really a sentence of the body.
PASTED = """CÔNG ĐOÀN PHƯỜNG AN LÃO
CĐCS MN HOA SEN
Số: 03/KH-CĐMNHS
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Trường Thọ, ngày 10 tháng 9 năm 2025
KẾ HOẠCH
Hoạt động công đoàn năm học 2025-2026
Căn cứ Điều lệ Công đoàn Việt Nam;
Thực hiện Kế hoạch số /KH-CĐP ngày /2025 của Công đoàn phường.
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Chăm lo đời sống đoàn viên, tổ chức ngày Phụ nữ Việt Nam 20/11 thật ý nghĩa.
2. Chỉ tiêu
3. 100% đoàn viên được thăm hỏi khi ốm đau.
II. TỔ CHỨC THỰC HIỆN
Các tổ công đoàn triển khai kế hoạch này.
Trên đây là kế hoạch hoạt động công đoàn năm học 2025-2026.
TM. BAN CHẤP HÀNH
CHỦ TỊCH
Nguyễn Thị Hoa
Nơi nhận:
- CĐ phường An Lão;
- Lưu: VT.
"""


def test_chair_pastes_a_plan_corrects_a_line_and_sees_the_findings(page: Page, url, demo, shot):
    log_in(page, url, demo)
    page.locator("#import-plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập kế hoạch có sẵn")
    page.get_by_label("Dán nội dung kế hoạch").fill(PASTED)
    page.get_by_role("button", name="Đọc văn bản").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra phần nhận dạng")
    outline = page.locator("#import-outline li")
    expect(outline).to_have_count(5)  # I., 1., 2., the misread "3." and II.
    expect(page.get_by_label("Trích yếu (tên kế hoạch)")).to_have_value(
        "Hoạt động công đoàn năm học 2025-2026"
    )
    shot(page, "recognised")

    # the misread line: "3. 100% đoàn viên …" is body text of "2. Chỉ tiêu", not a heading
    row = page.locator("tr", has_text="100% đoàn viên được thăm hỏi")
    expect(row.get_by_text("Đề mục · cấp 2")).to_be_visible()
    row.locator("select[name^=kind-]").select_option("body")
    page.get_by_role("button", name="Áp dụng chỉnh sửa").click()
    expect(outline).to_have_count(4)
    expect(page.locator("tr", has_text="100% đoàn viên được thăm hỏi").locator(".badge")).to_have_text(
        "Nội dung"
    )
    shot(page, "corrected")

    page.get_by_role("button", name="Lưu thành kế hoạch nháp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra kế hoạch")
    expect(page.get_by_text("Đã nhập kế hoạch thành bản nháp.")).to_be_visible()
    findings = page.locator("#findings > li")
    expect(findings.filter(has_text="20/10")).to_have_count(1)  # Women's Day written 20/11
    expect(findings.filter(has_text="/KH-CĐP ngày /2025")).to_have_count(1)  # blank reference
    shot(page, "findings")

    # a finding set aside with a reason leaves the list
    women = findings.filter(has_text="20/10")
    women.get_by_label("Lý do").fill("Đã sửa trong bản giấy")
    women.get_by_role("button", name="Bỏ qua").click()
    expect(page.get_by_text("Đã bỏ qua điểm này với lý do bạn nêu.")).to_be_visible()
    expect(page.locator("#findings > li").filter(has_text="20/10")).to_have_count(0)

    # the structure arrived as corrected
    page.get_by_role("link", name="Sửa").first.click()
    headings = page.locator("#outline .outline-heading")
    expect(headings).to_have_count(4)
    expect(page.locator("#outline")).to_contain_text("100% đoàn viên được thăm hỏi")
    shot(page, "editor")
