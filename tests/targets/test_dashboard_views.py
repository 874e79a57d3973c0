"""The dashboard page and its Excel export: who may see them, what they show, constant query counts."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from members import access
from tests.conftest import R, _officer
from tests.targets.test_dashboard import children

MARCH_20 = "2026-03-20 10:00 +07:00"
BAD_PERIOD = "“%(key)s” is not a reporting period (e.g. 2026-Q1, 2026-H1, 2026-Y): showing %(period)s."


def url(org, name="targets:dashboard", query=""):
    return reverse(name, args=[org.pk]) + query


@pytest.fixture
def as_reviewer(client, reviewer, time_machine):
    time_machine.move_to(MARCH_20)
    client.force_login(reviewer)
    return client


def test_reviewer_sees_the_quarter_containing_today(as_reviewer, dashboard_world, ward):
    response = as_reviewer.get(url(ward))
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["period"].key == "2026-Q1"
    assert '<option value="2026-Q1" selected>' in page
    assert "87 / 106" in page and "82,1%" in page and "2/3 · 66,7%" in page
    assert 'style="width: 66%"' in page  # the share met, as a progress bar
    assert "<svg" in page and 'width="35.4%"' in page  # union_c's 75 on a scale of 106 (50% of the width)
    totals = {key: count for key, _label, count, _colour in response.context["summary"]}
    assert totals == {"": 3, "submitted": 2, "on_time": 1, "late": 1, "overdue": 1, "not_started": 1}


def test_period_and_status_filter(as_reviewer, dashboard_world, ward):
    response = as_reviewer.get(url(ward, query="?period=2026-Q1&status=late"))
    assert [row.organization.symbol for row in response.context["rows"]] == ["CĐCTC"]
    response = as_reviewer.get(url(ward, query="?period=2026-Q2&status=nonsense"))
    assert response.context["period"].key == "2026-Q2" and response.context["status"] == ""
    assert len(response.context["rows"]) == 3


@pytest.mark.parametrize("key", ["2026-Q5", "hôm nay", "2026-Q1'><script>"])
def test_a_bad_period_shows_the_default_with_a_message(as_reviewer, dashboard_world, ward, key):
    response = as_reviewer.get(url(ward), {"period": key})
    assert response.status_code == 200
    assert response.context["period"].key == "2026-Q1"
    [message] = [str(m) for m in response.context["messages"]]
    assert message == gettext(BAD_PERIOD) % {"key": key, "period": "Quý I/2026"}
    assert "<script>" not in response.content.decode()


def test_the_excel_file_holds_the_table_and_the_cascade(as_reviewer, dashboard_world, ward):
    response = as_reviewer.get(url(ward, "targets:dashboard_xlsx", "?period=2026-Q1"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    units, cascade = book.worksheets
    assert (units.title, cascade.title) == (gettext("Unions"), gettext("Upper union's targets"))
    header = [cell.value for cell in units[2]]
    assert header[:3] == [gettext("No."), gettext("Union"), "Kế hoạch"] and gettext("Due date") in header
    table = {row[1]: row for row in units.iter_rows(min_row=3, values_only=True)}
    c = table["Công đoàn cơ sở Công ty C"]
    assert c[4] == gettext("Submitted late")
    assert c[5] == datetime.datetime(2026, 3, 15) and c[6] == datetime.datetime(2026, 3, 17)  # dates as dates
    assert (c[7], c[9], c[10], c[11]) == (2, 1, 1, 1)  # 2 days late; 1 of 1 met: 100%
    assert (
        units.cell(row=3 + list(table).index("Công đoàn cơ sở Công ty C"), column=12).number_format == "0.0%"
    )
    d = table["Công đoàn cơ sở Trường D"]
    assert (d[4], d[8]) == (gettext("Not started"), 5)
    total = next(row for row in cascade.iter_rows(min_row=3, values_only=True) if row[2] == gettext("Total"))
    assert total[0] == "Phát triển mới 106 đoàn viên"
    assert (total[4], total[5], round(total[6], 3)) == (106, 87, 0.821)


def test_the_excel_file_follows_the_filter(as_reviewer, dashboard_world, ward):
    response = as_reviewer.get(url(ward, "targets:dashboard_xlsx", "?period=bad&status=overdue"))
    units = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [row[1] for row in units.iter_rows(min_row=3, values_only=True)] == ["Công đoàn cơ sở Trường D"]


@pytest.mark.parametrize("name", ["targets:dashboard", "targets:dashboard_xlsx"])
def test_access(client, ward, union_a, province, chair, treasurer, leader, other_chair, name):
    """Outside one's scope → 404; in scope but not an upper union's reviewer or leader → 403."""
    assert not access.visible_organizations(chair).filter(pk=ward.pk).exists()
    for user, org, status in [
        (other_chair, ward, 404),  # another ward's union
        (chair, ward, 404),  # the union above is not in a grassroots chair's scope
        (chair, union_a, 403),  # a grassroots union has no dashboard
        (treasurer, union_a, 403),
        (leader, ward, 403),  # the province's leader sees the ward, but watches the province's children
        (leader, province, 200),
    ]:
        client.force_login(user)
        assert client.get(url(org, name)).status_code == status, (user, org)


def test_committee_member_of_the_ward_is_refused(client, ward):
    member = _officer("ward_member", ward, R.COMMITTEE_MEMBER)
    client.force_login(member)
    assert client.get(url(ward)).status_code == 403


@pytest.mark.parametrize("name", ["targets:dashboard", "targets:dashboard_xlsx"])
def test_only_get(client, reviewer, ward, name):
    client.force_login(reviewer)
    assert client.post(url(ward, name)).status_code == 405


@pytest.mark.parametrize("name", ["targets:dashboard", "targets:dashboard_xlsx"])
@pytest.mark.parametrize("n", [3, 30])
def test_query_count_does_not_grow_with_the_children(
    client, reviewer, ward, ward_target, django_assert_num_queries, time_machine, name, n
):
    children(ward, ward_target, n)
    time_machine.move_to(MARCH_20)
    client.force_login(reviewer)
    # session, user, get_organization_for + the reviewer's roles there, the dashboard's eight; the page adds
    # the navigation bar's roles and unread notifications
    with django_assert_num_queries(14 if name == "targets:dashboard" else 12):
        response = client.get(url(ward, name))
    assert response.status_code == 200


def test_the_rows_escape_names_and_show_every_state(as_reviewer, dashboard_world, ward, union_c):
    """The table's rows are written in Python (`rows_html`): every text escaped, every state shown."""
    union, _plan, _targets = union_c
    union.name = 'Công đoàn <b>"C"</b> & Co'
    union.save(update_fields=["name"])
    page = as_reviewer.get(url(ward)).content.decode()
    assert "<b>" not in page and "Công đoàn &lt;b&gt;&quot;C&quot;&lt;/b&gt; &amp; Co" in page
    rows = {row.organization.symbol: row for row in as_reviewer.get(url(ward)).context["rows"]}
    d, c = rows["CĐTD"], rows["CĐCTC"]
    assert f'<small class="overdue" data-deadline>{d.deadline_label}</small>' in page  # overdue by 5 days
    assert f"<small data-deadline>{c.deadline_label}</small>" in page  # 2 days late
    assert f'<a href="{c.report_url}">{gettext("Submitted late")}</a>' in page
    assert f'data-organization="{union.pk}" data-status="submitted"' in page
    assert "2/3 · 66,7%" in page and 'style="width: 66%"' in page
