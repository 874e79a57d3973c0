"""Welfare in Chromium: the chair of union_a imports the roll from Excel, sets the amount for a sickness
visit, records a visit (the amount filled in from the rule), downloads its voucher (PHIẾU CHI) and reads the
amount in words back; then runs the 1/6 campaign for the members' children up to 15 (a preview, then every
record at once) and downloads the list to sign (DANH SÁCH KÝ NHẬN).

The roll import has no family columns, so the children are added to the imported members' records directly
(a member's family page belongs to another part of the app). Dates are relative to today: the visit is
today, the 1/6 campaign is this year's when 1 June has passed, else last year's.
"""

import datetime
import io
import unicodedata

import pdfplumber
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.test_report_journey import log_in

pytestmark = pytest.mark.e2e

GROUP = "Tổ Nhà trẻ"  # union_a's group (tests/conftest.py)
ROLL = [  # full name, date of birth, sex, admitted on
    ("Nguyễn Văn Bình", "12/04/1985", "Nam", "01/09/2012"),
    ("Trần Thị Mai", "03/11/1990", "Nữ", "01/09/2015"),
    ("Lê Thị Hồng", "20/02/1978", "Nữ", "01/09/2005"),
]


def _years_before(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year - years, day=min(day.day, 28) if day.month == 2 else day.day)


def _roll_workbook() -> bytes:
    from openpyxl import load_workbook

    from members.importing import COLUMNS, template_workbook

    book = load_workbook(io.BytesIO(template_workbook()))
    sheet = book.active
    sheet.delete_rows(2)  # the example row
    headers = list(COLUMNS)
    for name, born, sex, admitted in ROLL:
        row = dict.fromkeys(headers, "")
        row |= {"Họ và tên": name, "Ngày sinh": born, "Giới tính": sex, "Ngày kết nạp": admitted,
                "Tổ công đoàn": GROUP, "Đảng viên": "Không"}  # fmt: skip
        sheet.append([row[header] for header in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def _pdf_rows(data: bytes) -> list[list[str]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [
            [" ".join(unicodedata.normalize("NFC", cell or "").split()) for cell in row]
            for page in pdf.pages
            for table in page.extract_tables()
            for row in table
        ]


def _download(page: Page, url, link_id: str) -> bytes:
    """The PDF behind a link, fetched with the page's own session (the link opens it in a new tab)."""
    response = page.context.request.get(url(page.locator(f"#{link_id}").get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    return response.body()


def test_chair_imports_the_roll_records_a_visit_and_runs_the_1_6_campaign(
    page: Page, url, union_a, chair, shot, tmp_path
):
    from members.models import FamilyMember, Member, PersonalDataExport, WelfareRecord

    today = timezone.localdate()
    year = today.year
    campaign_day = datetime.date(year if today >= datetime.date(year, 6, 1) else year - 1, 6, 1)

    # 1. the roll, imported from the Excel template filled in
    log_in(page, url, "chair")
    page.goto(url(reverse("members:organization_detail", args=[union_a.pk])))
    page.locator("#member-roll").click()
    page.locator("#import-members").click()
    workbook = tmp_path / "danh-sach-doan-vien.xlsx"
    workbook.write_bytes(_roll_workbook())
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(workbook)
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.locator("#roll tbody tr")).to_have_count(3)
    shot(page, "roll-imported")

    # the children, on the imported members' records
    binh = Member.objects.get(full_name="Nguyễn Văn Bình")
    mai = Member.objects.get(full_name="Trần Thị Mai")
    child = lambda member, name, born: FamilyMember.objects.create(  # noqa: E731
        member=member, relation=FamilyMember.Relation.CHILD, full_name=name, birth_date=born
    )
    child(binh, "Nguyễn Minh Khôi", _years_before(campaign_day, 8))
    child(mai, "Phạm Gia Hân", _years_before(campaign_day, 15) + datetime.timedelta(days=1))  # 15 that day
    child(mai, "Phạm Gia Huy", _years_before(campaign_day, 16))  # 16 that very day: too old

    # 2. the union's amount for a sickness visit
    page.goto(url(reverse("members:organization_detail", args=[union_a.pk])))
    page.locator("#welfare-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sổ thăm hỏi, trợ cấp")
    page.get_by_role("link", name="Quy chế chi tiêu").click()
    page.locator("#add-rule").click()
    page.get_by_label("Dịp").select_option(label="Ốm đau, nằm viện")
    page.get_by_label("Số tiền (đồng)").fill("1500000")
    page.get_by_label("Áp dụng từ ngày").fill(f"01/01/{campaign_day.year}")
    page.get_by_label("Quyết định").fill("01/QC-CĐCS")
    page.get_by_role("button", name="Thêm vào quy chế").click()
    expect(page.locator("#rules-in-force")).to_contain_text("1.500.000 đ")
    shot(page, "spending-rules")

    # 3. a sickness visit: the amount comes from the rule in force
    page.get_by_role("link", name="Sổ thăm hỏi, trợ cấp").first.click()
    page.locator("#new-record").click()
    page.get_by_label("Đoàn viên").select_option(label="Trần Thị Mai")
    page.get_by_label("Dịp").select_option(label="Ốm đau, nằm viện")
    expect(page.locator("#id_amount")).to_have_value("1500000")
    expect(page.locator("#amount-hint")).to_contain_text("1.500.000 đ")
    page.get_by_label("Người thăm hỏi, trao tặng").fill("Ban chấp hành công đoàn")
    shot(page, "new-record")
    page.get_by_role("button", name="Lưu").click()
    record = WelfareRecord.objects.get(campaign__isnull=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Phiếu số {record.reference}")
    expect(page.locator("#record-amount")).to_have_text("1.500.000 đ")
    shot(page, "record")

    # 4. its voucher, read back
    voucher = _pdf_text(_download(page, url, "voucher"))
    assert "PHIẾU CHI" in voucher
    assert f"Số trong sổ thăm hỏi: {record.reference}" in voucher and "Số: PC-" in voucher
    assert "Lý do chi: Thăm hỏi ốm đau đoàn viên Trần Thị Mai" in voucher
    assert "Số tiền: 1.500.000 đồng" in voucher
    assert "Bằng chữ: Một triệu năm trăm nghìn đồng." in voucher

    # 5. the 1/6 campaign for the children up to 15: a preview, then every record at once
    page.get_by_role("link", name="Đợt tặng quà").first.click()
    page.locator("#new-campaign").click()
    page.get_by_label("Tên đợt").fill(f"Quà 1/6 năm {campaign_day.year}")
    page.get_by_label("Dịp").select_option(label="Ngày Quốc tế Thiếu nhi 1/6")
    page.get_by_label("Ngày trao").fill(campaign_day.strftime("%d/%m/%Y"))
    page.get_by_label("Con của đoàn viên").check()
    page.get_by_label("Con từ bao nhiêu tuổi trở xuống").fill("15")
    page.get_by_label("Số tiền mỗi người (đồng)").fill("200000")
    page.get_by_role("button", name="Xem trước danh sách nhận").click()
    preview = page.locator("#campaign-preview")
    expect(preview.locator("#preview-recipients tbody tr")).to_have_count(2)
    expect(preview).to_contain_text("Nguyễn Minh Khôi")
    expect(preview).to_contain_text("Phạm Gia Hân")
    expect(preview).not_to_contain_text("Phạm Gia Huy")
    expect(page.locator("#preview-summary")).to_contain_text("400.000 đ")
    shot(page, "campaign-preview")
    page.get_by_role("button", name="Xác nhận tặng cho 2 người").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Quà 1/6 năm {campaign_day.year}")
    expect(page.locator("#campaign-totals")).to_contain_text("2 người nhận, tổng cộng 400.000 đ")
    expect(page.locator("#campaign-records tbody tr")).to_have_count(2)
    shot(page, "campaign")

    # 6. the list to sign, read back
    data = _download(page, url, "signatures")
    listed = _pdf_text(data)
    assert "DANH SÁCH KÝ NHẬN" in listed
    assert f"Quà 1/6 năm {campaign_day.year}" in listed
    born = [str(_years_before(campaign_day, 8).year), str(_years_before(campaign_day, 15).year)]
    assert _pdf_rows(data)[1:] == [
        ["1", "Nguyễn Văn Bình", "Nguyễn Minh Khôi", born[0], GROUP, "200.000", ""],
        ["2", "Trần Thị Mai", "Phạm Gia Hân", born[1], GROUP, "200.000", ""],
        ["", "Tổng cộng (2 người)", "", "", "", "400.000", ""],
    ]
    assert "Tổng số tiền bằng chữ: Bốn trăm nghìn đồng." in listed
    assert list(PersonalDataExport.objects.order_by("pk").values_list("kind", "rows")) == [
        ("voucher", 1),
        ("signatures", 2),
    ]
