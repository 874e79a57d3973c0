"""The upper union's totals: each grassroots union below it, its official ledger and funds by line, never an
entry or a member; for the union's reviewers and leaders; a fixed number of queries whatever the children."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finance.disclosure import union_totals
from tests.factories import OrganizationFactory
from tests.finance.fixtures_budget import SECRET_MEMBER


def _url(name, organization, year=2026):
    return f"{reverse(name, args=[organization.pk])}?year={year}"


def test_the_totals_sum_the_unions_below_and_leave_out_the_others(budget_year, budget_union_c_books, ward):
    totals = union_totals(ward, 2026)
    by_union = {row.organization.symbol: row for row in totals.unions}
    assert set(by_union) == {"CĐMNA", "CĐTHC"}  # union B is under the other ward
    a, c = by_union["CĐMNA"], by_union["CĐTHC"]
    assert (a.official.opening, a.official.income, a.official.spending, a.official.closing) == (
        2_000_000, 28_000_000, 8_500_000, 21_500_000,
    )  # fmt: skip
    assert (a.funds.income, a.funds.spending, a.funds.closing) == (1_500_000, 500_000, 1_000_000)
    assert (c.official.income, c.official.spending, c.official.closing) == (5_000_000, 1_000_000, 4_000_000)
    assert (totals.official.income, totals.official.spending, totals.official.closing) == (
        33_000_000, 9_500_000, 25_500_000,
    )  # fmt: skip
    lines = {str(line["label"]): (line["official"], line["funds"]) for line in totals.lines()}
    assert lines["Kinh phí công đoàn"] == (25_000_000, 0)
    assert lines["Chi trực tiếp chăm lo, bảo vệ, đào tạo đoàn viên và người lao động"] == (5_000_000, 500_000)


def test_the_province_sees_every_grassroots_union_at_every_level(budget_year, budget_union_c_books, province):
    totals = union_totals(province, 2026)
    assert {row.organization.symbol for row in totals.unions} == {"CĐMNA", "CĐTHC", "CĐCTB"}
    assert totals.official.income == 28_000_000 + 5_000_000 + 9_000_000


def test_the_page_shows_totals_and_no_member(client, budget_year, budget_union_c_books, ward, reviewer):
    client.force_login(reviewer)
    response = client.get(_url("finance:totals", ward))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Công đoàn cơ sở Trường Tiểu học C" in html and "Công đoàn cơ sở Trường Mầm non A" in html
    assert "21.500.000 đ" in html and "4.000.000 đ" in html and "25.500.000 đ" in html
    assert "Công đoàn cơ sở Công ty B" not in html
    assert SECRET_MEMBER not in html and "Thu chi" not in html  # no entry, no description, no name


def test_the_excel_file_has_a_row_per_union_and_the_lines(
    client, budget_year, budget_union_c_books, ward, leader
):
    client.force_login(leader)
    response = client.get(_url("finance:totals_xlsx", ward))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[3][1:5] == ("Công đoàn cơ sở Trường Mầm non A", 28_000_000, 8_500_000, 21_500_000)
    assert rows[-1][1:5] == ("Tổng", 33_000_000, 9_500_000, 25_500_000)
    texts = " ".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                     for cell in row if cell)  # fmt: skip
    assert SECRET_MEMBER not in texts


@pytest.mark.parametrize(("persona", "status"), [
    ("reviewer", 200), ("leader", 200), ("budget_ward_treasurer", 403), ("chair", 404), ("other_chair", 404),
])  # fmt: skip
def test_access_per_persona(client, request, budget_year, ward, persona, status):
    client.force_login(request.getfixturevalue(persona))
    for name in ("finance:totals", "finance:totals_xlsx"):
        assert client.get(_url(name, ward)).status_code == status, name


def test_a_grassroots_union_sees_its_own_totals(client, budget_year, chair):
    client.force_login(chair)
    response = client.get(_url("finance:totals", budget_year))
    assert response.status_code == 200
    assert [row.organization for row in response.context["totals"].unions] == [budget_year]


def test_wrong_method_is_refused(client, ward, reviewer):
    client.force_login(reviewer)
    assert client.post(_url("finance:totals", ward)).status_code == 405


def test_queries_do_not_grow_with_the_children(
    client, budget_year, budget_union_c_books, ward, reviewer, django_assert_num_queries
):
    client.force_login(reviewer)
    url = _url("finance:totals", ward)
    client.get(url)
    with django_assert_num_queries(8):
        client.get(url)
    for index in range(5):
        OrganizationFactory(name=f"Công đoàn cơ sở Thêm {index}", parent=ward)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["totals"].unions) == 7
