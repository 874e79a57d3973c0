"""Editing the year's estimates: whole đồng with dots, negatives and decimals refused (422, nothing lost),
a save over someone else's (409, the typed values kept), and who may edit."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from finance.budget_forms import budget_stamp, parse_dong
from finance.ledgers import official_ledger
from finance.models import BudgetLine, Ledger


def _url(organization, year=2026):
    return f"{reverse('finance:budget_edit', args=[organization.pk])}?year={year}"


def _form_data(response) -> dict:
    """What the browser would send back: every field as drawn (the stamp, amounts, notes)."""
    form = response.context["form"]
    data = {"stamp": form["stamp"].value()}
    for name in form.fields:
        if name != "stamp":
            value = form[name].value()
            data[name] = form.fields[name].prepare_value(value) if value is not None else ""
    return data


@pytest.mark.parametrize(("text", "amount"), [
    ("1.500.000", 1_500_000), ("1500000", 1_500_000), (" 1 500 000 đ ", 1_500_000), ("0", 0), ("", None),
    ("12.000.000 đồng", 12_000_000),
])  # fmt: skip
def test_amounts_are_read_as_vietnamese_write_them(text, amount):
    assert parse_dong(text) == amount


@pytest.mark.parametrize("text", ["-5.000", "1,5", "1.5", "1.50.000", "abc", "1.000.000,50", "9" * 16])
def test_other_amounts_are_refused(text):
    with pytest.raises(ValidationError):
        parse_dong(text)


def test_the_form_shows_the_saved_estimates_with_dots(client, budget_year, treasurer):
    client.force_login(treasurer)
    response = client.get(_url(budget_year))
    assert response.status_code == 200
    book = official_ledger(budget_year)
    html = response.content.decode()
    assert f'name="amount_{book.pk}_dues"' in html and 'value="10.000.000"' in html
    assert response.context["form"]["stamp"].value() == budget_stamp(
        list(budget_year.ledgers.values_list("pk", flat=True)), 2026
    )


def test_a_valid_save_writes_changes_and_removes_emptied_lines(client, budget_year, treasurer):
    client.force_login(treasurer)
    book = official_ledger(budget_year)
    data = _form_data(client.get(_url(budget_year)))
    data[f"amount_{book.pk}_dues"] = "12.500.000"
    data[f"note_{book.pk}_dues"] = "Theo số đoàn viên dự kiến"
    data[f"amount_{book.pk}_administration"] = ""
    data[f"amount_{book.pk}_propaganda"] = "1500000"
    response = client.post(_url(budget_year), data)
    assert response.status_code == 302
    assert response.url == reverse("finance:budget", args=[budget_year.pk]) + "?year=2026"
    lines = {line.category: line for line in BudgetLine.objects.filter(ledger=book, year=2026)}
    assert (lines["dues"].amount, lines["dues"].note) == (12_500_000, "Theo số đoàn viên dự kiến")
    assert lines["propaganda"].amount == 1_500_000
    assert "administration" not in lines
    assert lines["kpcd"].amount == 20_000_000  # untouched


def test_bad_amounts_answer_422_with_the_typed_values_and_save_nothing(client, budget_year, treasurer):
    client.force_login(treasurer)
    book = official_ledger(budget_year)
    data = _form_data(client.get(_url(budget_year)))
    data[f"amount_{book.pk}_dues"] = "-1.000.000"
    data[f"amount_{book.pk}_kpcd"] = "2,5 triệu"
    data[f"amount_{book.pk}_care"] = "7.000.000"
    response = client.post(_url(budget_year), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Dự toán không được là số âm." in html
    assert "Hãy nhập số đồng chẵn" in html
    assert 'value="-1.000.000"' in html and 'value="2,5 triệu"' in html and 'value="7.000.000"' in html
    assert BudgetLine.objects.get(ledger=book, year=2026, category="care").amount == 6_000_000


def test_a_stale_save_answers_409_keeps_the_typed_values_and_saves_on_the_second_try(
    client, budget_year, treasurer, chair
):
    book = official_ledger(budget_year)
    client.force_login(treasurer)
    data = _form_data(client.get(_url(budget_year)))
    # meanwhile the chair saves another figure
    other = type(client)()
    other.force_login(chair)
    theirs = _form_data(other.get(_url(budget_year)))
    theirs[f"amount_{book.pk}_care"] = "6.500.000"
    assert other.post(_url(budget_year), theirs).status_code == 302

    data[f"amount_{book.pk}_dues"] = "11.000.000"
    response = client.post(_url(budget_year), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "người khác đã lưu dự toán" in html
    assert 'value="11.000.000"' in html  # what the treasurer typed
    assert "6.500.000 đ" in html  # what is saved now, under the line
    assert BudgetLine.objects.get(ledger=book, year=2026, category="dues").amount == 10_000_000

    again = _form_data(response)  # the form now carries the current stamp
    assert client.post(_url(budget_year), again).status_code == 302
    lines = {line.category: line.amount for line in BudgetLine.objects.filter(ledger=book, year=2026)}
    assert lines["dues"] == 11_000_000
    assert lines["care"] == 6_000_000  # the treasurer's form still said 6.000.000: theirs on top, as warned


def test_a_missing_stamp_is_stale(client, budget_year, treasurer):
    client.force_login(treasurer)
    data = _form_data(client.get(_url(budget_year)))
    data["stamp"] = ""
    assert client.post(_url(budget_year), data).status_code == 409


def test_a_union_without_books_gets_its_official_ledger_and_estimates(client, union_a, chair):
    client.force_login(chair)
    data = _form_data(client.get(_url(union_a)))
    book = Ledger.objects.get(organization=union_a, kind="official")
    data[f"amount_{book.pk}_kpcd"] = "3.000.000"
    assert client.post(_url(union_a), data).status_code == 302
    assert BudgetLine.objects.get(ledger=book, category="kpcd").amount == 3_000_000


@pytest.mark.parametrize(("persona", "status"), [
    ("chair", 200), ("treasurer", 200), ("reviewer", 403), ("leader", 403), ("other_chair", 404),
])  # fmt: skip
def test_who_may_edit(client, request, budget_year, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(budget_year)).status_code == status
    assert client.post(_url(budget_year), {"stamp": "x"}).status_code in {status, 409}


def test_the_form_and_the_save_cost_a_fixed_number_of_queries(
    client, budget_year, treasurer, django_assert_num_queries
):
    client.force_login(treasurer)
    book = official_ledger(budget_year)
    with django_assert_num_queries(10):
        response = client.get(_url(budget_year))
    data = _form_data(response)
    data[f"amount_{book.pk}_dues"] = "12.000.000"
    with django_assert_num_queries(14):  # one write per changed line
        assert client.post(_url(budget_year), data).status_code == 302
