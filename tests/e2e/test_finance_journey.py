"""The books in Chromium (issue 8): a private kindergarten's union, five members on its roll.

The treasurer opens last month's dues sheet from her home page (0,5 % of each member's social-insurance
salary, capped at 10 % of the base salary: 234.000 đ), marks every line paid by payroll deduction and gets
receipt PT-<year>-0001. The chair records a sickness visit of 750.000 đ, which posts its own payment
(PC-<year>-0001). The treasurer reads the official ledger's cash book for the year (2.000.000 đ carried
from last year, the receipt, the payment, the running balance), sets this year's estimates and sees the
variance, prints the public disclosure (THÔNG BÁO) and the payment's voucher (PHIẾU CHI) and reads both back.
Last, the ward's reviewer finds the union's totals from the ward's home page.

Dates are relative to today: the dues are last month's, both entries are posted today (so in this year's
cash book even in January), and last year's balance is posted on 15 December of last year.
"""

import datetime
import importlib

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESKTOP, _new_page
from tests.e2e.test_report_journey import log_in
from tests.e2e.test_welfare_journey import _download, _pdf_rows, _pdf_text

pytestmark = pytest.mark.e2e

ROLL = [  # full name, sex, social-insurance salary, dues of the month as shown; in list order (by given name)
    ("Nguyễn Thị An", "female", 8_000_000, "40.000 đ"),
    ("Trần Thị Bích", "female", 6_500_000, "32.500 đ"),
    ("Lê Văn Cường", "male", 50_000_000, "234.000 đ"),  # 250.000 đ, capped at 10 % of 2.340.000 đ
    ("Phạm Thị Dung", "female", 5_310_000, "26.550 đ"),
    ("Hoàng Thị Em", "female", 7_200_000, "36.000 đ"),
]
DUES_TOTAL = 369_050
CARRIED = 2_000_000
VISIT = 750_000


def _national_rules() -> None:
    """The rules seeded by finance's migration 0002 (dues rate, cap, base salary); an earlier transactional
    test flushes them from the live server's database, so they are put back when missing."""
    from django.apps import apps

    importlib.import_module("finance.migrations.0002_seed_rules").seed(apps, None)


@pytest.fixture
def kindergarten(union_a, chair, treasurer, reviewer):
    """Union A as a private kindergarten's union (non-public unit), five members admitted in 2020, and
    2.000.000 đ received last December in its official ledger."""
    from finance.ledgers import entry_post, official_ledger
    from members.models import Organization
    from members.services import member_admit

    _national_rules()
    union_a.unit_type = Organization.UnitType.NON_PUBLIC
    union_a.save(update_fields=["unit_type"])
    group = union_a.union_groups.get()
    for name, sex, salary, _dues in ROLL:
        member_admit(
            organization=union_a, by=chair, admitted_on=datetime.date(2020, 9, 1), full_name=name, sex=sex,
            insurance_salary=salary, union_group=group,
        )  # fmt: skip
    year = timezone.localdate().year
    entry_post(
        ledger=official_ledger(union_a), direction="income", category="other_income",
        on=datetime.date(year - 1, 12, 15), amount=CARRIED, description="Thu khác năm trước", by=treasurer,
    )  # fmt: skip
    return union_a


def _vnd(amount: int) -> str:
    """As the pages write amounts (finance.templatetags.money): `-1.000.000 đ`."""
    return f"{amount:,}".replace(",", ".") + " đ"


def test_treasurer_collects_dues_keeps_the_books_and_discloses(
    page: Page, browser, request, url, kindergarten, shot
):
    from finance.models import Transaction

    union = kindergarten
    today = timezone.localdate()
    year = today.year
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    receipt_no, payment_no = f"PT-{year}-0001", f"PC-{year}-0001"

    # 1. the dues sheet of last month, from the treasurer's home page
    log_in(page, url, "treasurer")
    page.locator("#finance-home").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sổ sách")
    page.locator("#books-tabs").get_by_role("link", name="Bảng thu đoàn phí").click()
    page.locator("#month").fill(last_month.strftime("%Y-%m"))
    page.locator("#choose-month").get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bảng thu đoàn phí tháng {last_month:%m/%Y}")
    rows = page.locator("#dues tbody tr")
    expect(rows).to_have_count(len(ROLL))
    for row, (name, _sex, salary, dues) in zip(rows.all(), ROLL, strict=True):
        expect(row.locator("th")).to_have_text(name)
        expect(row.locator("td").nth(2)).to_have_text(_vnd(salary))
        expect(row.locator("td").nth(3)).to_have_text("0,5 %")
        expect(row.locator("td").nth(4)).to_have_text(dues)
    expect(page.locator('[data-total="owed"]')).to_have_text(_vnd(DUES_TOTAL))
    expect(page.locator('[data-total="unpaid"]')).to_have_text(_vnd(DUES_TOTAL))
    shot(page, "finance-dues-sheet")

    # every line paid by payroll deduction: one receipt for the total
    page.get_by_label("Hình thức nộp").select_option(label="Trừ qua lương")
    page.locator("#mark-all").click()
    expect(page.locator("main .alert-dismissible")).to_contain_text(
        f"Đã ghi nhận 5 dòng đã nộp: phiếu thu {receipt_no}, số tiền {_vnd(DUES_TOTAL)}."
    )
    expect(page.locator("#dues tbody tr[data-paid]")).to_have_count(len(ROLL))
    expect(rows.first.locator("td").last).to_contain_text(receipt_no)
    expect(rows.first.locator("td").last).to_contain_text("Trừ qua lương")
    expect(page.locator('[data-total="paid"]')).to_have_text(_vnd(DUES_TOTAL))
    expect(page.locator('[data-total="unpaid"]')).to_have_text("0 đ")
    expect(page.locator("#mark-all")).to_have_count(0)
    shot(page, "finance-dues-paid")

    # 2. the chair records a sickness visit: its payment is posted by itself
    chair_page = _new_page(browser, request, viewport=DESKTOP)
    log_in(chair_page, url, "chair")
    chair_page.goto(url(reverse("members:organization_detail", args=[union.pk])))
    chair_page.locator("#welfare-link").click()
    chair_page.locator("#new-record").click()
    chair_page.get_by_label("Đoàn viên").select_option(label="Trần Thị Bích")
    chair_page.get_by_label("Dịp").select_option(label="Ốm đau, nằm viện")
    expect(chair_page.locator("#amount-hint")).to_contain_text("hãy nhập số tiền")
    chair_page.get_by_label("Số tiền (đồng)").fill(str(VISIT))
    chair_page.get_by_label("Người thăm hỏi, trao tặng").fill("Ban chấp hành công đoàn")
    shot(chair_page, "finance-welfare-visit")
    chair_page.get_by_role("button", name="Lưu").click()
    expect(chair_page.locator("#record-amount")).to_have_text(_vnd(VISIT))
    payment = Transaction.objects.get(welfare_record__isnull=False)
    assert (payment.voucher, payment.amount, payment.on) == (payment_no, VISIT, today)

    # 3. the cash book of the official ledger for the year, with its running balance
    page.locator("#books-tabs").get_by_role("link", name="Sổ sách").click()
    ledger_row = page.locator("#ledgers tbody tr")
    expect(ledger_row).to_have_count(1)
    expect(ledger_row.locator("[data-balance]")).to_have_text(_vnd(CARRIED + DUES_TOTAL - VISIT))
    ledger_row.get_by_role("link", name="Tài chính công đoàn").click()
    page.locator("#id_kind").select_option("year")
    page.locator("#id_year").fill(str(year))
    page.locator("#period-filter").get_by_role("button", name="Xem").click()
    expect(page.locator("main p.text-body-secondary").first).to_contain_text(f"Năm {year}")
    expect(page.locator("#opening td").last).to_have_text(_vnd(CARRIED))
    entries = page.locator("#cash-book tbody tr[data-entry]")
    expect(entries).to_have_count(2)
    receipt, paid_out = entries.nth(0).locator("td"), entries.nth(1).locator("td")
    expect(receipt.nth(0)).to_have_text(receipt_no)
    expect(receipt.nth(2)).to_contain_text(f"Thu đoàn phí tháng {last_month:%m/%Y}")
    expect(receipt.nth(4)).to_have_text(_vnd(DUES_TOTAL))
    expect(receipt.nth(6)).to_have_text(_vnd(CARRIED + DUES_TOTAL))
    expect(paid_out.nth(0)).to_have_text(payment_no)
    expect(paid_out.nth(2)).to_contain_text("Ốm đau, nằm viện: Trần Thị Bích")
    expect(paid_out.nth(3)).to_have_text("Trần Thị Bích")
    expect(paid_out.nth(5)).to_have_text(_vnd(VISIT))
    expect(paid_out.nth(6)).to_have_text(_vnd(CARRIED + DUES_TOTAL - VISIT))
    expect(page.locator("#totals td.fw-semibold")).to_have_text([_vnd(DUES_TOTAL), _vnd(VISIT)])
    expect(page.locator("#closing td").last).to_have_text(_vnd(CARRIED + DUES_TOTAL - VISIT))
    shot(page, "finance-cash-book")

    # the payment's voucher (PHIẾU CHI), read back
    paid_out.nth(0).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Phiếu chi {payment_no}")
    voucher = _pdf_text(_download(page, url, "voucher-pdf"))
    assert "PHIẾU CHI" in voucher
    assert f"Số: {payment_no}" in voucher
    assert "Số tiền: 750.000 đồng" in voucher
    assert "Bằng chữ: Bảy trăm năm mươi nghìn đồng." in voucher
    assert "Trần Thị Bích" in voucher

    # 4. this year's estimates, then budget against actual with the variance
    page.locator("#books-tabs").get_by_role("link", name="Sổ sách").click()
    page.locator("#budget-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dự toán và quyết toán năm {year}")
    page.locator("#edit-budget").click()
    page.get_by_label("Đoàn phí công đoàn", exact=True).fill("4.500.000")
    page.get_by_label("Chi trực tiếp chăm lo, bảo vệ, đào tạo đoàn viên và người lao động", exact=True).fill(
        "3000000"
    )
    page.get_by_label("Chi quản lý hành chính", exact=True).fill("1.000.000 đ")
    shot(page, "finance-estimates")
    page.locator("#save-budget").click()
    expect(page.locator("main .alert-dismissible")).to_contain_text("Đã lưu dự toán.")
    table = page.locator("table.budget")

    def cells(selector: str):
        return table.locator(selector).locator("td")

    expect(cells('[data-row="opening"]').nth(0)).to_have_text(_vnd(CARRIED))
    expect(cells('[data-line="dues"]')).to_have_text(
        ["Đoàn phí công đoàn", "4.500.000 đ", _vnd(DUES_TOTAL), _vnd(DUES_TOTAL - 4_500_000)]
    )
    expect(cells('[data-line="care"]').nth(1)).to_have_text("3.000.000 đ")
    expect(cells('[data-line="care"]').nth(2)).to_have_text(_vnd(VISIT))
    expect(cells('[data-line="care"]').nth(3)).to_have_text(_vnd(VISIT - 3_000_000))
    expect(cells('[data-line="administration"]').nth(3)).to_have_text("-1.000.000 đ")
    expect(cells('[data-row="spending"]')).to_have_text(["4.000.000 đ", _vnd(VISIT), _vnd(VISIT - 4_000_000)])
    closing = cells('[data-row="closing"]')
    expect(closing.nth(0)).to_have_text(_vnd(CARRIED + 4_500_000 - 4_000_000))
    expect(closing.nth(1)).to_have_text(_vnd(CARRIED + DUES_TOTAL - VISIT))
    shot(page, "finance-budget")

    # 5. the public disclosure (THÔNG BÁO), read back
    page.get_by_label("Hình thức công khai thêm").select_option(label="Hội nghị người lao động")
    action = page.locator("#disclosure-pdf").get_attribute("formaction")
    response = page.context.request.get(url(f"{action}?year={year}&means=conference"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    data = response.body()
    notice = _pdf_text(data)
    assert "THÔNG BÁO" in notice
    assert f"Công khai tài chính năm {year}" in notice
    assert f"/TB-{union.symbol}" in notice
    assert "công bố tại hội nghị người lao động" in notice
    assert "Nguyễn Thị Hoa" in notice  # the chair signs
    assert "Trần Thị Bích" not in notice  # totals only, never a member
    rows = {row[1]: row[2:] for row in _pdf_rows(data) if len(row) == 4}
    assert rows["Số dư đầu năm"] == [_vnd(CARRIED)] * 2
    assert rows["Tổng thu"] == ["4.500.000 đ", _vnd(DUES_TOTAL)]
    assert rows["Tổng chi"] == ["4.000.000 đ", _vnd(VISIT)]
    assert rows["Số dư cuối năm (A + B − C)"] == ["2.500.000 đ", _vnd(CARRIED + DUES_TOTAL - VISIT)]

    # 6. the ward's reviewer: the totals of the unions below, from the ward's home page
    ward_page = _new_page(browser, request, viewport=DESKTOP)
    log_in(ward_page, url, "reviewer")
    ward_page.locator("#finance-totals").click()
    expect(ward_page.get_by_role("heading", level=1)).to_contain_text(f"năm {year}")
    union_row = ward_page.locator(f'#union-totals tr[data-organization="{union.pk}"] td')
    expect(union_row.nth(1)).to_have_text(_vnd(DUES_TOTAL))
    expect(union_row.nth(2)).to_have_text(_vnd(VISIT))
    expect(union_row.nth(3)).to_have_text(_vnd(CARRIED + DUES_TOTAL - VISIT))
    shot(ward_page, "finance-ward-totals")
    ward_page.locator(".breadcrumb").get_by_role("link", name=union.parent.name).click()  # the ward's page
    links = ward_page.locator("#finance-links")
    expect(links.locator("#totals-link")).to_have_text("Tài chính các CĐCS trực thuộc")
    expect(
        links.get_by_role("link", name="Tình hình nộp cấp trên của các công đoàn trực thuộc")
    ).to_be_visible()
