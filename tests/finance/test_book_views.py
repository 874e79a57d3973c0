"""The books in the browser: ledgers, cash book, posting (amounts, attachments, closed months), reversing,
closing months and the voucher PDF read back."""

import datetime
import io
import unicodedata

import pdfplumber
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from finance import ledgers
from finance.book_forms import parse_amount
from finance.models import ClosedMonth, Ledger, Transaction
from tests.factories import MemberFactory
from tests.finance.fixtures_books import PDF_BYTES

D = datetime.date
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def march(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 20, 9, 0), tick=False)


@pytest.fixture
def lan(union_a):
    return MemberFactory(
        organization=union_a, full_name="Trần Thị Lan", insurance_salary=8_000_000,
        union_group=union_a.union_groups.get(),
    )  # fmt: skip


def post_receipt(client, union_a, ledger, **changes):
    data = {
        "on": "15/03/2026", "category": "donations", "amount": "1.500.000", "member": "", "counterparty": "",
        "description": "Ủng hộ quỹ công đoàn",
    } | changes  # fmt: skip
    url = reverse("finance:entry_create", args=[union_a.pk, ledger.pk]) + "?direction=income"
    return client.post(url, data)


# ------------------------------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("1.500.000", 1_500_000), ("1500000", 1_500_000), ("1 500 000", 1_500_000), ("200.000 đ", 200_000),
     (" 12.345 ", 12_345), ("1.500", 1_500)],
)  # fmt: skip
def test_amounts_are_typed_with_or_without_dots(typed, amount):
    assert parse_amount(typed) == amount


@pytest.mark.parametrize(
    ("typed", "code"),
    [("1.500.000,50", "decimal"), ("1500.5", "decimal"), ("15,5", "decimal"), ("-200.000", "negative"),
     ("0", "negative"), ("abc", "invalid"), ("1.50.000", "invalid"), ("", "required")],
)  # fmt: skip
def test_decimals_signs_and_words_are_refused(typed, code):
    with pytest.raises(ValidationError) as refused:
        parse_amount(typed)
    assert refused.value.code == code


# ------------------------------------------------------------------------------------------------- ledgers


def test_the_first_visit_opens_the_official_ledger_and_shows_balances(client, treasurer, union_a, march):
    client.force_login(treasurer)
    url = reverse("finance:ledgers", args=[union_a.pk])
    assert client.get(url).status_code == 200
    official = Ledger.objects.get(organization=union_a, kind=Ledger.Kind.OFFICIAL)
    fund = Ledger.objects.create(
        organization=union_a, kind="fund", name="Quỹ xã hội", opened_on=D(2020, 1, 1)
    )
    for ledger, amount in ((official, 2_000_000), (fund, 300_000)):
        ledgers.entry_post(
            ledger=ledger, direction="income", category="donations", on=D(2026, 3, 1), amount=amount,
            description="Ủng hộ", by=treasurer, counterparty="Công ty B",
        )  # fmt: skip
    ledgers.entry_post(
        ledger=official, direction="expense", category="care", on=D(2026, 3, 2), amount=500_000,
        description="Thăm hỏi", by=treasurer, counterparty="Nguyễn Văn C",
    )  # fmt: skip
    page = client.get(url).content.decode()
    assert "1.500.000 đ" in page and "300.000 đ" in page and "1.800.000 đ" in page
    assert page.index("Tài chính công đoàn") < page.index("Quỹ xã hội")  # the official ledger first


def test_the_ledgers_page_costs_the_same_queries_however_many_ledgers(
    client, chair, union_a, books_ledger, django_assert_num_queries
):
    for n in range(5):
        Ledger.objects.create(organization=union_a, kind="fund", name=f"Quỹ {n}", opened_on=D(2020, 1, 1))
    client.force_login(chair)
    url = reverse("finance:ledgers", args=[union_a.pk])
    client.get(url)
    with django_assert_num_queries(7):  # session, user, the layout (2), union, roles, ledgers with balances
        assert client.get(url).status_code == 200


def test_a_fund_is_opened_by_the_treasurer_with_a_unique_name(client, treasurer, union_a, books_fund):
    client.force_login(treasurer)
    url = reverse("finance:fund_create", args=[union_a.pk])
    assert 'name="opened_on"' in client.get(url).content.decode()
    response = client.post(url, {"name": "quỹ  xã hội", "opened_on": "01/01/2026"})
    assert response.status_code == 422
    assert "Công đoàn đã có sổ mang tên này." in response.content.decode()
    response = client.post(url, {"name": "Quỹ khuyến học", "opened_on": "01/01/2026"})
    fund = Ledger.objects.get(organization=union_a, name="Quỹ khuyến học")
    assert (fund.kind, fund.opened_on) == ("fund", D(2026, 1, 1))
    assert response.url == reverse("finance:cash_book", args=[union_a.pk, fund.pk])


def test_the_upper_reviewer_is_refused_the_union_s_books(client, reviewer, union_a, books_entry):
    client.force_login(reviewer)
    for url in (
        reverse("finance:ledgers", args=[union_a.pk]),
        reverse("finance:entry_detail", args=[union_a.pk, books_entry.pk]),
        reverse("finance:entry_voucher", args=[union_a.pk, books_entry.pk]),
        reverse("finance:dues_sheet", args=[union_a.pk]),
    ):
        assert client.get(url).status_code == 403
    response = post_receipt(client, union_a, books_entry.ledger)
    assert response.status_code == 403
    assert Transaction.objects.count() == 1


def test_another_union_s_entry_is_not_found_through_union_a(client, chair, union_a, union_b, other_chair):
    book_b = ledgers.official_ledger(union_b)
    entry_b = ledgers.entry_post(
        ledger=book_b, direction="income", category="donations", on=D(2025, 1, 2), amount=1000,
        description="Ủng hộ", by=other_chair, counterparty="X",
    )  # fmt: skip
    client.force_login(chair)
    assert client.get(reverse("finance:entry_detail", args=[union_a.pk, entry_b.pk])).status_code == 404
    assert client.get(reverse("finance:cash_book", args=[union_a.pk, book_b.pk])).status_code == 404
    assert client.get(reverse("finance:entry_voucher", args=[union_a.pk, entry_b.pk])).status_code == 404


def test_wrong_methods_are_refused(client, chair, union_a, books_entry):
    client.force_login(chair)
    assert client.post(reverse("finance:ledgers", args=[union_a.pk])).status_code == 405
    assert client.get(reverse("finance:entry_reverse", args=[union_a.pk, books_entry.pk])).status_code == 405
    assert client.get(reverse("finance:dues_mark", args=[union_a.pk])).status_code == 405


# ------------------------------------------------------------------------------------------------ posting


def test_a_receipt_is_posted_and_its_voucher_shown(client, treasurer, union_a, books_ledger, lan, march):
    client.force_login(treasurer)
    response = post_receipt(client, union_a, books_ledger, member=str(lan.pk))
    entry = Transaction.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("finance:entry_detail", args=[union_a.pk, entry.pk])
    assert (entry.voucher, entry.amount, entry.member, entry.counterparty) == (
        "PT-2026-0001",
        1_500_000,
        lan,
        "Trần Thị Lan",
    )
    page = client.get(response.url).content.decode()
    assert "Đã ghi sổ PT-2026-0001." in page
    assert reverse("finance:entry_voucher", args=[union_a.pk, entry.pk]) in page


def test_a_payment_offers_only_spending_lines(client, treasurer, union_a, books_ledger, march):
    client.force_login(treasurer)
    url = reverse("finance:entry_create", args=[union_a.pk, books_ledger.pk]) + "?direction=expense"
    page = client.get(url).content.decode()
    assert 'value="care"' in page and 'value="dues"' not in page
    response = client.post(url, {"on": "16/03/2026", "category": "dues", "amount": "100.000",
                                 "counterparty": "X", "description": "Chi"})  # fmt: skip
    assert response.status_code == 422
    assert not Transaction.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "1.500.000,50"}, "không nhập phần thập phân"),
        ({"amount": "-5"}, "Số tiền phải lớn hơn 0."),
        ({"amount": "một triệu"}, "Hãy nhập số tiền bằng đồng"),
        ({"on": "31/02/2026"}, "ngày hợp lệ"),
        ({"on": "21/03/2026"}, "Chỉ ghi sổ khi tiền đã thu hoặc chi"),
        ({"description": ""}, "Trường này bắt buộc."),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_kept(
    client, treasurer, union_a, books_ledger, march, changes, message
):
    client.force_login(treasurer)
    response = post_receipt(client, union_a, books_ledger, counterparty="Công ty B", **changes)
    page = response.content.decode()
    assert response.status_code == 422
    assert message in page
    assert "Công ty B" in page  # what was typed is still in the form
    assert not Transaction.objects.exists()


def test_a_payer_is_needed(client, treasurer, union_a, books_ledger, march):
    client.force_login(treasurer)
    response = post_receipt(client, union_a, books_ledger)
    assert response.status_code == 422
    assert "Hãy chọn đoàn viên hoặc nhập họ tên người nộp, người nhận tiền." in response.content.decode()


def test_a_member_of_another_union_cannot_be_chosen(client, treasurer, union_a, union_b, books_ledger, march):
    stranger = MemberFactory(organization=union_b)
    client.force_login(treasurer)
    response = post_receipt(client, union_a, books_ledger, member=str(stranger.pk))
    assert response.status_code == 422
    assert not Transaction.objects.exists()


def test_a_closed_month_refuses_the_post_with_the_service_s_message(
    client, treasurer, union_a, books_ledger, march
):
    client.force_login(treasurer)
    response = client.post(reverse("finance:month_close", args=[union_a.pk]), {"month": "2026-02"})
    assert response.status_code == 302
    assert ClosedMonth.objects.filter(organization=union_a, month=D(2026, 2, 1)).exists()
    response = post_receipt(client, union_a, books_ledger, on="10/02/2026", counterparty="Công ty B")
    assert response.status_code == 422
    assert "Sổ sách tháng 02/2026 đã khóa" in response.content.decode()
    assert not Transaction.objects.exists()
    page = client.get(reverse("finance:closed_months", args=[union_a.pk])).content.decode()
    assert "02/2026" in page


def test_closing_a_month_asks_first_and_refuses_twice_or_early(client, chair, union_a, march):
    client.force_login(chair)
    url = reverse("finance:month_close", args=[union_a.pk])
    page = client.get(url + "?month=2026-01").content.decode()
    assert "Khóa sổ tháng 01/2026?" in page and 'name="month" value="2026-01"' in page
    assert not ClosedMonth.objects.exists()  # a GET only asks
    assert client.post(url, {"month": "2026-01"}).status_code == 302
    again = client.post(url, {"month": "2026-01"})
    assert again.status_code == 422 and "Tháng này đã khóa sổ." in again.content.decode()
    early = client.post(url, {"month": "2026-04"})
    assert early.status_code == 422 and "Chỉ khóa sổ tháng đã bắt đầu." in early.content.decode()
    assert client.post(url, {"month": "tháng hai"}).status_code == 422


def test_attachments_are_checked_by_size_and_content(
    client, treasurer, union_a, books_ledger, march, settings
):
    client.force_login(treasurer)
    fake = SimpleUploadedFile("hoa-don.pdf", PNG_BYTES, content_type="application/pdf")
    response = post_receipt(client, union_a, books_ledger, counterparty="Công ty B", attachment=fake)
    assert response.status_code == 422
    assert "không phải tệp PDF, JPG hoặc PNG" in response.content.decode()
    settings.FINANCE_ATTACHMENT_MAX_BYTES = 20
    big = SimpleUploadedFile("hoa-don.pdf", PDF_BYTES, content_type="application/pdf")
    response = post_receipt(client, union_a, books_ledger, counterparty="Công ty B", attachment=big)
    assert response.status_code == 422 and "chứng từ kèm theo tối đa" in response.content.decode()
    settings.FINANCE_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    good = SimpleUploadedFile("hoa-don.pdf", PDF_BYTES, content_type="application/pdf")
    assert (
        post_receipt(client, union_a, books_ledger, counterparty="Công ty B", attachment=good).status_code
        == 302
    )
    entry = Transaction.objects.get()
    download = client.get(reverse("finance:entry_attachment", args=[union_a.pk, entry.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES


# --------------------------------------------------------------------------------------------- reversing


def test_an_entry_is_reversed_from_its_page_once(client, treasurer, union_a, books_entry):
    client.force_login(treasurer)
    url = reverse("finance:entry_reverse", args=[union_a.pk, books_entry.pk])
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 422
    response = client.post(url, {"reason": "Ghi nhầm số tiền"})
    reversal = Transaction.objects.get(reverses=books_entry)
    assert response.url == reverse("finance:entry_detail", args=[union_a.pk, reversal.pk])
    assert reversal.effect == -books_entry.amount
    original = client.get(reverse("finance:entry_detail", args=[union_a.pk, books_entry.pk])).content.decode()
    assert reversal.voucher in original and 'id="reverse-form"' not in original
    again = client.post(url, {"reason": "Lần nữa"})
    assert again.status_code == 422 and "Bút toán này đã được điều chỉnh hủy." in again.content.decode()
    assert Transaction.objects.count() == 2


# ---------------------------------------------------------------------------------------------- cash book


@pytest.fixture
def busy_ledger(union_a, books_ledger, treasurer, march):
    """1.000.000 đ before March, then 120 entries in March (a receipt of 10.000, a payment of 1.000, …)."""
    ledgers.entry_post(
        ledger=books_ledger, direction="income", category="donations", on=D(2026, 2, 1), amount=1_000_000,
        description="Số dư đầu kỳ", by=treasurer, counterparty="Công ty B",
    )  # fmt: skip
    for n in range(120):
        income = n % 2 == 0
        ledgers.entry_post(
            ledger=books_ledger, direction="income" if income else "expense",
            category="donations" if income else "care", on=D(2026, 3, 1 + n % 19),
            amount=10_000 if income else 1_000, description=f"Bút toán {n}", by=treasurer, counterparty="X",
        )  # fmt: skip
    return books_ledger


def test_the_cash_book_shows_opening_rows_totals_and_closing_by_pages(client, chair, union_a, busy_ledger):
    client.force_login(chair)
    url = reverse("finance:cash_book", args=[union_a.pk, busy_ledger.pk])
    page = client.get(url + "?kind=month&month=2026-03").content.decode()
    assert page.count("data-entry=") == 100
    assert "1.000.000 đ" in page  # opening
    assert "600.000 đ" in page and "60.000 đ" in page  # receipts and payments of the month
    assert "1.540.000 đ" in page  # closing
    assert "page=2" in page
    second = client.get(url + "?kind=month&month=2026-03&page=2").content.decode()
    assert second.count("data-entry=") == 20
    quarter = client.get(url + "?kind=quarter&year=2026&quarter=1").content.decode()
    assert "Quý I/2026" in quarter and "1.540.000 đ" in quarter
    custom = client.get(url + "?kind=custom&start=01/02/2026&end=28/02/2026").content.decode()
    assert custom.count("data-entry=") == 1


def test_a_cash_book_page_costs_a_constant_number_of_queries(
    client, chair, union_a, busy_ledger, django_assert_num_queries
):
    client.force_login(chair)
    url = reverse("finance:cash_book", args=[union_a.pk, busy_ledger.pk]) + "?kind=month&month=2026-03&page=2"
    client.get(url)
    with django_assert_num_queries(13):  # the layout, union, roles, ledger, 5 for the book, reversals
        assert client.get(url).status_code == 200


def test_reversals_are_marked_in_the_cash_book(client, treasurer, union_a, books_entry):
    reversal = ledgers.entry_reverse(entry=books_entry, by=treasurer, reason="Nhầm")
    client.force_login(treasurer)
    page = client.get(reverse("finance:cash_book", args=[union_a.pk, books_entry.ledger_id])).content.decode()
    assert f"điều chỉnh hủy {books_entry.voucher}" in page and "đã hủy" in page
    assert reversal.voucher in page


def test_the_excel_export_has_every_row_of_the_period(client, chair, union_a, busy_ledger):
    client.force_login(chair)
    url = reverse("finance:cash_book_xlsx", args=[union_a.pk, busy_ledger.pk]) + "?kind=month&month=2026-03"
    response = client.get(url)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("Số phiếu", "Ngày", "Nội dung")
    assert rows[2][2] == "Số dư đầu kỳ" and rows[2][6] == 1_000_000
    entries = [row for row in rows[3:] if row[0]]
    assert len(entries) == 120
    assert rows[-2][4:6] == (600_000, 60_000)
    assert rows[-1][6] == 1_540_000


# ------------------------------------------------------------------------------------------------ voucher


def _text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return unicodedata.normalize("NFC", "\n".join(page.extract_text() or "" for page in pdf.pages))


def test_the_voucher_is_a_phieu_thu_with_amount_in_words_and_signatures(
    client, treasurer, chair, union_a, books_ledger, lan, march
):
    client.force_login(treasurer)
    post_receipt(client, union_a, books_ledger, member=str(lan.pk), description="Đóng góp quỹ Tết")
    entry = Transaction.objects.get()
    response = client.get(reverse("finance:entry_voucher", args=[union_a.pk, entry.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    for line in (
        "CÔNG ĐOÀN PHƯỜNG MỘT",
        "CÔNG ĐOÀN CƠ SỞ TRƯỜNG",  # the union's name, on two lines
        "MẦM NON A",
        "PHIẾU THU",
        "An Lão, ngày 15 tháng 3 năm 2026",
        "Số: PT-2026-0001",
        "Họ và tên người nộp tiền: Trần Thị Lan",
        "Địa chỉ: Tổ công đoàn Tổ Nhà trẻ",
        "Lý do thu: Đóng góp quỹ Tết",
        "Số tiền: 1.500.000 đồng",
        "Bằng chữ: Một triệu năm trăm nghìn đồng.",
        "Kèm theo: …… chứng từ gốc.",
        "Nguyễn Thị Hoa",  # the chair, under CHỦ TỊCH
    ):
        assert line in text, line
    for title in ("CHỦ TỊCH", "KẾ TOÁN", "THỦ QUỸ", "NGƯỜI LẬP", "NGƯỜI NỘP"):
        assert title in text
    assert text.count("(Ký, họ tên)") == 5


def test_a_payment_voucher_and_the_reversal_marks(client, treasurer, union_a, books_ledger, march):
    payment = ledgers.entry_post(
        ledger=books_ledger, direction="expense", category="care", on=D(2026, 3, 2), amount=105_000,
        description="Thăm hỏi ốm đau", by=treasurer, counterparty="Lê Văn Bình",
    )  # fmt: skip
    reversal = ledgers.entry_reverse(entry=payment, by=treasurer, reason="Trùng phiếu")
    client.force_login(treasurer)
    text = _text(client.get(reverse("finance:entry_voucher", args=[union_a.pk, payment.pk])).content)
    assert "PHIẾU CHI" in text and "Số: PC-2026-0001" in text
    assert "Họ và tên người nhận tiền: Lê Văn Bình" in text and "Lý do chi: Thăm hỏi ốm đau" in text
    assert "Bằng chữ: Một trăm linh năm nghìn đồng." in text
    assert "ĐÃ HỦY" in text and "PC-2026-0002" in text
    text = _text(client.get(reverse("finance:entry_voucher", args=[union_a.pk, reversal.pk])).content)
    assert "ĐIỀU CHỈNH HỦY" in text and "Hủy PC-2026-0001 ngày 02/03/2026" in text


def test_the_books_excel_files_are_logged_as_exports_of_personal_data(client, treasurer, union_a):
    from finance.ledgers import official_ledger
    from members.models import PersonalDataExport

    book = official_ledger(union_a)
    client.force_login(treasurer)
    assert client.get(reverse("finance:cash_book_xlsx", args=[union_a.pk, book.pk])).status_code == 200
    assert client.get(reverse("finance:dues_xlsx", args=[union_a.pk]) + "?month=2026-03").status_code == 200
    assert sorted(PersonalDataExport.objects.values_list("kind", flat=True)) == ["cash_book", "dues"]


def test_a_fund_opened_in_the_browser_pays_the_welfare_it_is_given(client, treasurer, union_a):
    from members.models import Occasion

    client.force_login(treasurer)
    url = reverse("finance:fund_create", args=[union_a.pk])
    data = {"name": "Quỹ tình nghĩa", "opened_on": "01/01/2026", "welfare_occasions": [Occasion.BEREAVEMENT]}
    assert client.post(url, data).status_code == 302
    fund = union_a.ledgers.get(name="Quỹ tình nghĩa")
    assert fund.welfare_occasions == [Occasion.BEREAVEMENT]
    again = {**data, "name": "Quỹ thứ hai"}
    response = client.post(url, again)
    assert response.status_code == 422 and "Quỹ tình nghĩa" in response.content.decode()
