"""The upper union's reporting calendar page (targets:calendar)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from targets import reminders
from targets.models import ReportingRule

HCM = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture(autouse=True)
def _february_2026(time_machine):
    time_machine.move_to(datetime.datetime(2026, 2, 1, 9, tzinfo=HCM), tick=False)


def url(organization):
    return reverse("targets:calendar", args=[organization.pk])


def data(loaded="", **changes):
    values = {"loaded": loaded}
    for f in "QHY":
        values |= {
            f"{f}-enabled": "on", f"{f}-month_offset": "0", f"{f}-day": "15", f"{f}-days_before": "7, 1",
            f"{f}-on_the_day": "on", f"{f}-overdue_every": "7", f"{f}-overdue_for": "90",
        }  # fmt: skip
    return values | changes


def test_reviewer_sees_the_defaults_and_this_years_dates(client, reviewer, ward):
    client.force_login(reviewer)
    response = client.get(url(ward))
    assert response.status_code == 200
    html = response.content.decode()
    for f in "QHY":
        assert f'id="rule-{f}"' in html
    assert 'name="Q-days_before"' in html and 'value="7, 1"' in html
    preview = html.split('id="calendar-preview"')[1]
    assert "15/03/2026" in preview and "08/03/2026, 14/03/2026" in preview  # Q1: deadline, 7 and 1 day before
    assert "15/06/2026" in preview and "15/12/2026" in preview
    assert "22/03/2026" in preview and "07/06/2026" in preview  # overdue: every 7 days for 90 days


def test_a_leader_of_the_ward_may_set_it_too(client, ward_leader, ward):
    client.force_login(ward_leader)
    assert client.get(url(ward)).status_code == 200


def test_outsider_gets_404(client, other_chair, ward):
    client.force_login(other_chair)
    assert client.get(url(ward)).status_code == 404
    assert client.post(url(ward), data()).status_code == 404
    assert not ReportingRule.objects.exists()


@pytest.mark.parametrize(
    ("persona", "organization"),
    [
        ("leader", "ward"),  # sees ward from the province, but has no role in it
        ("chair", "union_a"),  # a grassroots union has no children to set deadlines for
        ("reviewer", "union_a"),  # the reviewer sees union_a, but reviews from the ward
        ("treasurer", "union_a"),
    ],
)
def test_wrong_role_gets_403(client, request, persona, organization):
    user, organization = request.getfixturevalue(persona), request.getfixturevalue(organization)
    client.force_login(user)
    assert client.get(url(organization)).status_code == 403
    assert client.post(url(organization), data()).status_code == 403
    assert not ReportingRule.objects.exists()


def test_wrong_method_gets_405(client, reviewer, ward):
    client.force_login(reviewer)
    assert client.put(url(ward)).status_code == 405
    assert client.delete(url(ward)).status_code == 405


def test_saving_writes_the_three_rules(client, reviewer, ward):
    client.force_login(reviewer)
    changes = {
        "Q-month_offset": "1", "Q-day": "5", "Q-days_before": "3", "Q-overdue_every": "14",
        "Q-overdue_for": "60", "H-enabled": "", "Y-on_the_day": "", "Y-days_before": "30; 7 ,7",
    }  # fmt: skip
    response = client.post(url(ward), data(**changes))
    assert response.status_code == 302 and response.url == url(ward)
    rules = {rule.frequency: rule for rule in ReportingRule.objects.filter(organization=ward)}
    q, h, y = rules["Q"], rules["H"], rules["Y"]
    assert (q.month_offset, q.day, q.days_before, q.on_the_day, q.overdue_every, q.overdue_for) == (
        1, 5, [3], True, 14, 60,
    )  # fmt: skip
    assert h.enabled is False and y.on_the_day is False and y.days_before == [30, 7]
    html = client.get(url(ward)).content.decode()
    preview = html.split('id="calendar-preview"')[1]
    assert "05/04/2026" in preview and "02/04/2026" in preview  # Q1: the 5th of April, 3 days before
    assert "6 tháng" not in preview  # half-years no longer required
    assert "15/12/2026" in preview and "15/11/2026, 08/12/2026" in preview


def test_the_saved_rule_drives_the_reminders(client, reviewer, ward, union_a):
    client.force_login(reviewer)
    client.post(url(ward), data(**{"Q-month_offset": "1", "Q-day": "5", "Q-days_before": "3"}))
    due = reminders.plan_reminders(datetime.date(2026, 4, 2))
    assert [(item.period, item.kind, item.due_on) for item in due] == [
        ("2026-Q1", "before-3", datetime.date(2026, 4, 5))
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("Q-days_before", "7, abc"),
        ("Q-days_before", "0"),
        ("Q-days_before", "61"),
        ("Q-days_before", "1.5"),
        ("Q-days_before", ", ".join(str(n) for n in range(1, 12))),
        ("Q-day", "32"),
        ("Q-day", "0"),
        ("Q-day", ""),
        ("H-month_offset", "4"),
        ("Q-month_offset", "-3"),  # a quarter has three months
        ("Y-overdue_every", "-1"),
        ("Y-overdue_for", "400"),
        ("Y-overdue_for", "5"),  # shorter than the 7 days between reminders
    ],
)
def test_bad_input_is_refused_with_the_form_kept(client, reviewer, ward, field, value):
    client.force_login(reviewer)
    response = client.post(url(ward), data(**{field: value, "H-day": "20"}))
    assert response.status_code == 422
    form = next(form for form in response.context["forms"] if form.frequency == field[0])
    assert form.errors[field[2:]]
    assert not ReportingRule.objects.exists()  # nothing saved
    html = response.content.decode()
    assert 'name="H-day" value="20"' in html  # what was typed elsewhere stays
    assert "is-invalid" in html


def test_days_before_may_be_empty(client, reviewer, ward):
    client.force_login(reviewer)
    assert client.post(url(ward), data(**{"Q-days_before": ""})).status_code == 302
    assert ReportingRule.objects.get(organization=ward, frequency="Q").days_before == []


def test_a_stale_save_is_refused_and_keeps_what_was_typed(client, reviewer, ward_leader, ward):
    client.force_login(reviewer)
    loaded = client.get(url(ward)).context["loaded"]
    client.force_login(ward_leader)  # saves first
    assert client.post(url(ward), data(loaded, **{"Q-day": "10"})).status_code == 302
    client.force_login(reviewer)
    response = client.post(url(ward), data(loaded, **{"Q-day": "20"}))
    assert response.status_code == 409
    assert ReportingRule.objects.get(organization=ward, frequency="Q").day == 10  # theirs is kept
    html = response.content.decode()
    assert 'id="calendar-stale"' in html and 'name="Q-day" value="20"' in html  # mine is on the page
    # the page now carries the current stamp: saving again (after checking) goes through
    again = client.post(url(ward), data(response.context["loaded"], **{"Q-day": "20"}))
    assert again.status_code == 302
    assert ReportingRule.objects.get(organization=ward, frequency="Q").day == 20


def test_the_service_checks_access_itself(chair, ward, union_a):
    with pytest.raises(PermissionDenied):
        reminders.reporting_rules_set(organization=ward, by=chair, rules={"Q": {"day": 1}}, loaded="")
    assert not ReportingRule.objects.exists()


def test_the_page_costs_the_same_few_queries(client, reviewer, ward, django_assert_max_num_queries):
    client.force_login(reviewer)
    client.get(url(ward))
    with django_assert_max_num_queries(12):
        assert client.get(url(ward)).status_code == 200
