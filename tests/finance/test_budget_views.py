"""The budget page of a year: estimate, actual and variance per line, totals and balances, the warnings, the
Excel file; who may see it; a fixed number of queries."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.finance.fixtures_budget import SECRET_MEMBER


def _url(name, organization, year=2026):
    return f"{reverse(name, args=[organization.pk])}?year={year}"


def _cells(response):
    """Every row of the page's tables as a list of cell texts."""
    import re
    from html import unescape

    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", response.content.decode(), flags=re.S)
    return [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, flags=re.S)
        ]
        for r in rows
    ]  # noqa: E501


def test_the_page_shows_each_line_its_totals_and_balances(client, budget_year, treasurer):
    client.force_login(treasurer)
    response = client.get(_url("finance:budget", budget_year))
    assert response.status_code == 200
    rows = _cells(response)
    assert ["Số dư đầu năm", "2.000.000 đ", "2.000.000 đ", ""] in rows
    assert ["Thu", "30.000.000 đ", "28.000.000 đ", "-2.000.000 đ"] in rows
    assert ["Đoàn phí công đoàn", "10.000.000 đ", "8.000.000 đ", "-2.000.000 đ"] in rows
    assert ["Chi", "13.000.000 đ", "8.500.000 đ", "-4.500.000 đ"] in rows
    assert ["Chi quản lý hành chính", "3.000.000 đ", "0 đ", "-3.000.000 đ"] in rows
    assert ["Số dư cuối năm", "19.000.000 đ", "21.500.000 đ", ""] in rows
    # the fund, on its own
    assert ["Đóng góp, ủng hộ", "1.000.000 đ", "1.500.000 đ", "500.000 đ"] in rows
    assert ["Số dư cuối năm", "-1.000.000 đ", "1.000.000 đ", ""] in rows
    assert SECRET_MEMBER not in response.content.decode()  # lines, never entries
    assert reverse("finance:budget_edit", args=[budget_year.pk]) in response.content.decode()


def test_the_warnings_are_shown_above_the_tables(client, budget_year, treasurer):
    client.force_login(treasurer)
    html = client.get(_url("finance:budget", budget_year)).content.decode()
    warnings = html[html.index('id="budget-warnings"') : html.index('id="ledger-')]
    assert "Quỹ tương trợ" in warnings  # its estimate spends money it does not have
    assert "3.500.000" in warnings and "45" in warnings  # allowances above 45 % of the dues kept


def test_a_year_without_books_shows_no_table(client, union_a, chair):
    client.force_login(chair)
    response = client.get(_url("finance:budget", union_a, 2025))
    assert response.status_code == 200
    assert "budget-warnings" not in response.content.decode()


def test_only_the_treasurer_chair_and_vice_chair_see_the_edit_button(client, budget_year, chair):
    from members.models import Officer
    from tests.factories import OfficerFactory, UserFactory

    member = UserFactory(username="committee")
    OfficerFactory(user=member, organization=budget_year, role=Officer.Role.COMMITTEE_MEMBER)
    client.force_login(member)
    response = client.get(_url("finance:budget", budget_year))
    assert response.status_code == 200  # an officer of the union sees the books
    assert 'id="edit-budget"' not in response.content.decode()
    assert client.get(_url("finance:budget_edit", budget_year)).status_code == 403


@pytest.mark.parametrize(("persona", "status"), [
    ("chair", 200), ("treasurer", 200), ("reviewer", 403), ("leader", 403), ("other_chair", 404),
])  # fmt: skip
def test_access_per_persona(client, request, budget_year, persona, status):
    client.force_login(request.getfixturevalue(persona))
    for name in (
        "finance:budget",
        "finance:budget_xlsx",
        "finance:disclosure_pdf",
        "finance:disclosure_xlsx",
    ):
        assert client.get(_url(name, budget_year)).status_code == status, name


def test_wrong_method_is_refused(client, budget_year, chair):
    client.force_login(chair)
    assert client.post(_url("finance:budget", budget_year)).status_code == 405
    assert client.post(_url("finance:budget_xlsx", budget_year)).status_code == 405
    assert client.put(_url("finance:budget_edit", budget_year)).status_code == 405


def test_a_strange_year_falls_back_to_this_year(client, budget_year, chair):
    client.force_login(chair)
    response = client.get(reverse("finance:budget", args=[budget_year.pk]) + "?year=abc")
    assert response.status_code == 200 and response.context["year"] == 2026


def test_the_page_costs_a_fixed_number_of_queries(client, budget_year, treasurer, django_assert_num_queries):
    from finance.models import BudgetLine, Ledger

    client.force_login(treasurer)
    url = _url("finance:budget", budget_year)
    client.get(url)
    with django_assert_num_queries(15):
        client.get(url)
    fund = Ledger.objects.create(
        organization=budget_year, kind="fund", name="Quỹ khuyến học", opened_on="2026-01-01"
    )
    BudgetLine.objects.create(ledger=fund, year=2026, category="care", amount=100_000)
    with django_assert_num_queries(15):  # one more ledger, the same queries
        client.get(url)


def test_the_excel_file_has_lines_totals_and_warnings(client, budget_year, treasurer):
    client.force_login(treasurer)
    response = client.get(_url("finance:budget_xlsx", budget_year))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="du-toan-quyet-toan-2026-{budget_year.pk}.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    dues = next(row for row in rows if row[1] == "Đoàn phí công đoàn")
    assert list(dues[1:5]) == ["Đoàn phí công đoàn", 10_000_000, 8_000_000, -2_000_000]
    closing = [row for row in rows if row[1] == "Số dư cuối năm"]
    assert [list(row[2:5]) for row in closing] == [
        [19_000_000, 21_500_000, 2_500_000],
        [-1_000_000, 1_000_000, 2_000_000],
    ]
    texts = " ".join(str(cell) for row in rows for cell in row if cell)
    assert "Cảnh báo" in texts and "Quỹ tương trợ" in texts
    assert SECRET_MEMBER not in texts
