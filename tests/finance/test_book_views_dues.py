"""The dues sheet in the browser (marking lines paid posts the receipt), its Excel export, the remittances of
a grassroots union for a hand-made case, and the upper union's totals (no member named)."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finance import ledgers
from finance.collection import collection
from finance.models import DuesExemption, DuesPayment, Transaction
from tests.factories import MemberFactory, OrganizationFactory, UnionGroupFactory

D = datetime.date


@pytest.fixture
def march(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 20, 9, 0), tick=False)


@pytest.fixture
def roll(union_a, march):
    """An enterprise union: 8.000.000 đ → 40.000 đ, 30.000.000 đ → 150.000 đ, no fixed salary → the flat
    11.700 đ, an exempt member → 0."""
    group = union_a.union_groups.get()
    members = {
        name: MemberFactory(organization=union_a, full_name=name, insurance_salary=salary, union_group=group)
        for name, salary in [
            ("An Thị Giàu", 30_000_000), ("Bùi Văn Vừa", 8_000_000), ("Cao Thị Khoán", None),
            ("Đỗ Văn Nghỉ", 9_000_000),
        ]
    }  # fmt: skip
    DuesExemption.objects.create(
        member=members["Đỗ Văn Nghỉ"], start=D(2026, 1, 1), end=D(2026, 6, 1), reason="benefits"
    )
    return members


def sheet_url(union_a, month="2026-03"):
    return reverse("finance:dues_sheet", args=[union_a.pk]) + f"?month={month}"


def test_the_sheet_shows_every_line_with_its_rate_and_totals(client, chair, union_a, roll):
    client.force_login(chair)
    page = client.get(sheet_url(union_a)).content.decode()
    assert page.count("data-member=") == 4
    for text in ("0,5 %", "mức khoán", "miễn", "150.000 đ", "40.000 đ", "11.700 đ", "30.000.000 đ"):
        assert text in page, text
    assert 'data-total="owed">201.700 đ' in page and 'data-total="unpaid">201.700 đ' in page


def test_marking_ticked_lines_then_all_posts_receipts_and_marks_lines(client, treasurer, union_a, roll):
    client.force_login(treasurer)
    url = reverse("finance:dues_mark", args=[union_a.pk])
    an = roll["An Thị Giàu"]
    response = client.post(url, {"month": "2026-03", "method": "cash", "members": [str(an.pk)]})
    assert response.status_code == 302 and response.url == sheet_url(union_a)
    receipt = Transaction.objects.get()
    assert (receipt.voucher, receipt.amount, receipt.category, receipt.member) == (
        "PT-2026-0001",
        150_000,
        "dues",
        an,
    )
    page = client.get(response.url).content.decode()
    assert "1 dòng đã nộp: phiếu thu PT-2026-0001, số tiền 150.000 đ" in page
    assert 'data-total="paid">150.000 đ' in page and "PT-2026-0001" in page
    client.post(url, {"month": "2026-03", "method": "payroll", "all": "1"})
    rest = Transaction.objects.latest("pk")
    assert (rest.voucher, rest.amount) == ("PT-2026-0002", 40_000 + 11_700)
    lines = collection(union_a, D(2026, 3, 1))
    assert sorted(c.paid for c in lines) == [False, True, True, True]  # the exempt line owes nothing
    assert [c.line.dues.exempt for c in lines if not c.paid] == [True]
    assert DuesPayment.objects.filter(method="payroll").count() == 2
    again = client.post(url, {"month": "2026-03", "method": "cash", "all": "1"})
    assert again.status_code == 422
    assert "đã nộp" in again.content.decode()
    assert Transaction.objects.count() == 2


def test_marking_needs_a_choice_and_a_method(client, treasurer, union_a, roll):
    client.force_login(treasurer)
    url = reverse("finance:dues_mark", args=[union_a.pk])
    nothing = client.post(url, {"month": "2026-03", "method": "cash"})
    assert nothing.status_code == 422
    assert "Hãy đánh dấu các dòng đã nộp" in nothing.content.decode()
    assert client.post(url, {"month": "2026-03", "method": "cheque", "all": "1"}).status_code == 422
    assert client.post(url, {"month": "2026-04", "method": "cash", "all": "1"}).status_code == 422
    assert not Transaction.objects.exists()


def test_the_reviewer_may_not_mark_and_the_outsider_does_not_see(
    client, reviewer, other_chair, union_a, roll
):
    url = reverse("finance:dues_mark", args=[union_a.pk])
    data = {"month": "2026-03", "method": "cash", "all": "1"}
    client.force_login(reviewer)
    assert client.post(url, data).status_code == 403
    client.force_login(other_chair)
    assert client.post(url, data).status_code == 404
    assert client.get(sheet_url(union_a)).status_code == 404
    assert not Transaction.objects.exists()


def test_a_month_without_rules_says_so(client, chair, union_a, roll):
    client.force_login(chair)
    response = client.get(sheet_url(union_a, "1995-01"))
    assert response.status_code == 200
    assert "Chưa có quy định" in response.content.decode()


def test_a_closed_month_refuses_the_marking_with_its_message(client, treasurer, union_a, roll):
    ledgers.month_close(organization=union_a, month=D(2026, 3, 1), by=treasurer)
    client.force_login(treasurer)
    response = client.post(
        reverse("finance:dues_mark", args=[union_a.pk]), {"month": "2026-02", "method": "cash", "all": "1"}
    )
    assert response.status_code == 422
    assert "Sổ sách tháng 03/2026 đã khóa" in response.content.decode()  # the receipt would be dated today
    assert not DuesPayment.objects.exists()


@pytest.mark.parametrize("count", [3, 30])
def test_the_sheet_costs_the_same_queries_however_long(
    client, chair, union_a, march, django_assert_num_queries, count
):
    for n in range(count):
        MemberFactory(organization=union_a, full_name=f"Đoàn viên {n:03d}", insurance_salary=7_000_000 + n)
    client.force_login(chair)
    client.get(sheet_url(union_a))
    # the layout, union, roles, rules, roll, history, exemptions, payments, union groups
    with django_assert_num_queries(12):
        assert client.get(sheet_url(union_a)).status_code == 200
    with django_assert_num_queries(12):  # a search, a group and a page cost nothing more
        assert client.get(sheet_url(union_a) + "&q=doan&page=2").status_code == 200


def test_the_page_shows_100_lines_with_the_month_s_totals_and_marks_all_of_them(
    client, treasurer, union_a, march
):
    group, other = union_a.union_groups.get(), UnionGroupFactory(organization=union_a, name="Tổ Bếp")
    for n in range(205):
        MemberFactory(
            organization=union_a, full_name=f"Đặng Văn {n:03d}", insurance_salary=8_000_000,
            union_group=group if n % 5 else other,
        )  # fmt: skip
    client.force_login(treasurer)
    first = client.get(sheet_url(union_a)).content.decode()
    last = client.get(sheet_url(union_a) + "&page=3").content.decode()
    assert first.count("data-member=") == 100 and last.count("data-member=") == 5
    for page in (first, last):  # the totals are the whole month's, on every page: 205 × 40.000 đ
        assert 'data-total="owed">8.200.000 đ' in page and "Ghi nhận tất cả 205 dòng chưa nộp đã nộp" in page
    assert "Trang 1/3" in first and "page=2" in first
    assert ">201</td>" in last and "Đặng Văn 204" in last  # lines keep their number in the sheet
    assert client.get(sheet_url(union_a) + "&page=99").content.decode().count("data-member=") == 5
    found = client.get(sheet_url(union_a) + "&q=dang+van+20").content.decode()  # no diacritics needed
    assert found.count("data-member=") == 5 and "5/205 dòng khớp với tìm kiếm" in found
    assert 'data-total="owed">8.200.000 đ' in found
    grouped = client.get(sheet_url(union_a) + f"&group={other.pk}").content.decode()
    assert grouped.count("data-member=") == 41 and "Đặng Văn 000" in grouped and "Đặng Văn 001" not in grouped
    client.post(
        reverse("finance:dues_mark", args=[union_a.pk]), {"month": "2026-03", "method": "cash", "all": "1"}
    )
    assert Transaction.objects.get().amount == 205 * 40_000  # "all" is the whole month, not the page
    assert DuesPayment.objects.count() == 205


def test_a_hostile_name_is_shown_as_text_on_the_sheet(client, chair, union_a, march):
    MemberFactory(organization=union_a, full_name='<script>alert("x")</script>', insurance_salary=8_000_000)
    client.force_login(chair)
    page = client.get(sheet_url(union_a) + "&q=<script>").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_the_sheet_marks_exempt_lines_and_links_the_exemptions(client, chair, union_a, roll):
    client.force_login(chair)
    page = client.get(sheet_url(union_a)).content.decode()
    row = page[page.index(f'data-member="{roll["Đỗ Văn Nghỉ"].pk}"') :]
    row = row[: row.index("</tr>")]
    assert "data-exempt" in row and "miễn" in row and "0 đ" in row and "miễn tháng này" in row
    assert 'data-total="exempt">1<' in page
    assert reverse("finance:exemptions", args=[union_a.pk]) in page
    assert page.count("data-exempt") == 1


def test_the_sheet_exports_to_excel(client, treasurer, union_a, roll):
    client.force_login(treasurer)
    client.post(
        reverse("finance:dues_mark", args=[union_a.pk]),
        {"month": "2026-03", "method": "cash", "members": [str(roll["Bùi Văn Vừa"].pk)]},
    )
    response = client.get(reverse("finance:dues_xlsx", args=[union_a.pk]) + "?month=2026-03")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:6] == (
        "STT",
        "Họ và tên",
        "Tổ công đoàn",
        "Tiền lương làm căn cứ",
        "Mức đóng",
        "Đoàn phí",
    )
    by_name = {row[1]: row for row in rows[2:-1]}
    assert by_name["Bùi Văn Vừa"][3:9] == (8_000_000, "0,5 %", 40_000, 40_000, "Tiền mặt", "PT-2026-0001")
    assert by_name["Cao Thị Khoán"][4:7] == ("mức khoán", 11_700, None)
    assert by_name["An Thị Giàu"][2] == "Tổ Nhà trẻ"
    assert rows[-1][5:7] == (201_700, 40_000)


# ---------------------------------------------------------------------------------------------- remittances


@pytest.fixture
def first_quarter(union_a, treasurer, march):
    """Q1 2026: 1.000.000 đ of dues and 2.000.000 đ of KPCĐ collected, 300.000 đ remitted.

    Owed: 30 % of the dues (70 % kept) = 300.000 đ, 25 % of KPCĐ (75 % kept) = 500.000 đ."""
    book = ledgers.official_ledger(union_a)
    for category, on, amount in (("dues", D(2026, 1, 10), 1_000_000), ("kpcd", D(2026, 2, 15), 2_000_000)):
        ledgers.entry_post(
            ledger=book, direction="income", category=category, on=on, amount=amount, description="Thu",
            by=treasurer, member=MemberFactory(organization=union_a, full_name="Phạm Thị Riêng"),
        )  # fmt: skip
    ledgers.entry_post(
        ledger=book, direction="expense", category="remittance", on=D(2026, 3, 5), amount=300_000,
        description="Nộp cấp trên", by=treasurer, counterparty=union_a.parent.name,
    )  # fmt: skip
    return book


def test_the_remittances_page_shows_the_quarter_s_figures(client, chair, union_a, first_quarter):
    client.force_login(chair)
    page = client.get(reverse("finance:remittances", args=[union_a.pk]) + "?year=2026").content.decode()
    row = page[page.index('data-quarter="2026-Q1"') : page.index('data-quarter="2026-Q2"')]
    cells = ["1.000.000 đ", "300.000 đ", "2.000.000 đ", "500.000 đ", "800.000 đ", "300.000 đ", "500.000 đ"]
    positions = [row.index(cell) for cell in cells[:5]]
    assert positions == sorted(positions)
    assert row.count("300.000 đ") == 2 and "data-outstanding>500.000 đ" in row
    assert "?quarter=2026-Q1" in row  # the button to remit


def test_the_remittance_is_posted_with_the_outstanding_amount_and_prints(
    client, treasurer, union_a, first_quarter
):
    client.force_login(treasurer)
    url = reverse("finance:remittance_post", args=[union_a.pk]) + "?quarter=2026-Q1"
    form = client.get(url).content.decode()
    assert 'value="500.000"' in form and "quý I năm 2026" in form
    response = client.post(
        url, {"on": "20/03/2026", "amount": "500.000", "description": "Nộp KPCĐ, đoàn phí quý I năm 2026"}
    )
    entry = Transaction.objects.latest("pk")
    assert response.url == reverse("finance:entry_detail", args=[union_a.pk, entry.pk])
    assert (entry.voucher, entry.category, entry.counterparty, entry.amount) == (
        "PC-2026-0002",
        "remittance",
        "Công đoàn phường Một",
        500_000,
    )
    page = client.get(reverse("finance:remittances", args=[union_a.pk]) + "?year=2026").content.decode()
    assert "data-outstanding>0 đ" in page
    assert client.get(reverse("finance:entry_voucher", args=[union_a.pk, entry.pk])).status_code == 200


def test_a_bad_remittance_amount_is_refused(client, treasurer, union_a, first_quarter):
    client.force_login(treasurer)
    url = reverse("finance:remittance_post", args=[union_a.pk]) + "?quarter=2026-Q1"
    response = client.post(url, {"on": "20/03/2026", "amount": "500.000,5", "description": "Nộp"})
    assert response.status_code == 422
    assert Transaction.objects.count() == 3


def test_the_remittances_page_costs_a_constant_number_of_queries(
    client, chair, union_a, first_quarter, django_assert_num_queries
):
    client.force_login(chair)
    url = reverse("finance:remittances", args=[union_a.pk])
    client.get(url)
    with django_assert_num_queries(22):  # the layout, union, roles, then four queries per quarter
        assert client.get(url).status_code == 200


def test_the_upper_union_sees_totals_of_the_unions_below_and_no_member(
    client, reviewer, leader, ward, union_a, first_quarter, django_assert_num_queries
):
    OrganizationFactory(name="Công đoàn cơ sở Trường Tiểu học C", parent=ward)
    url = reverse("finance:remittances_below", args=[ward.pk]) + "?quarter=2026-Q1"
    client.force_login(reviewer)
    client.get(url)
    with django_assert_num_queries(11):  # the layout, ward, roles, the unions below, four for the figures
        page = client.get(url).content.decode()
    row = page[page.index(f'data-organization="{union_a.pk}"') :]
    row = row[: row.index("</tr>")]
    for cell in ("1.000.000 đ", "2.000.000 đ", "800.000 đ", "300.000 đ", "500.000 đ"):
        assert cell in row
    assert "Công đoàn cơ sở Trường Tiểu học C" in page
    assert "Phạm Thị Riêng" not in page and "PT-2026" not in page  # totals only
    totals = page[page.index('id="below-totals"') :]
    assert "800.000 đ" in totals[: totals.index("</tr>")]
    client.force_login(leader)  # a leader of the province above sees the ward's children too
    assert client.get(url).status_code == 200


def test_a_grassroots_union_has_no_unions_below(client, chair, union_a):
    client.force_login(chair)
    assert client.get(reverse("finance:remittances_below", args=[union_a.pk])).status_code == 404


def test_the_organisation_page_links_the_books(client, chair, reviewer, union_a, ward):
    client.force_login(chair)
    page = client.get(union_a.get_absolute_url()).content.decode()
    assert reverse("finance:ledgers", args=[union_a.pk]) in page
    assert reverse("finance:dues_sheet", args=[union_a.pk]) in page
    client.force_login(reviewer)
    assert (
        reverse("finance:remittances_below", args=[ward.pk])
        in client.get(ward.get_absolute_url()).content.decode()
    )
    assert (
        reverse("finance:ledgers", args=[union_a.pk])
        not in client.get(union_a.get_absolute_url()).content.decode()
    )
