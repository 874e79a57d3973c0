"""Statistics of the roll and of welfare: exact numbers on a hand-made roll
(tests/members/fixtures_reports.py), an upper union's totals over the unions below it, who may see them,
and constant query counts."""

import datetime
import io
import unicodedata

import pdfplumber
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from members import stats
from members.models import Member

D = datetime.date


def _text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return unicodedata.normalize("NFC", "\n".join(page.extract_text() or "" for page in pdf.pages))


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(data))
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


# ------------------------------------------------------------------------------------------------ selectors


def test_member_counts_of_a_grassroots_union(reports_roll, reports_union_b_roll, union_a, reports_today):
    data = stats.member_stats(union_a, year=2026, today=reports_today)
    t = data.totals
    assert t["on_roll"] == 7
    assert (t["status_active"], t["status_suspended"], t["status_honorary"], t["status_left"]) == (5, 1, 1, 1)
    assert (t["female"], t["male"]) == (4, 3)
    assert (t["u30"], t["30"], t["40"], t["50"], t["age_unknown"]) == (2, 2, 1, 1, 1)
    assert t["party"] == 2
    assert data.groups == [("Tổ Nhà trẻ", 2)]  # Đào, in the group, has left
    assert data.without_group == 5
    assert (t["admitted"], t["readmitted"], t["transferred_in"]) == (2, 0, 0)  # Cúc and Tuấn; Yến was 2025
    assert data.new_total == 2
    assert data.children is None


def test_new_members_are_those_of_the_chosen_year(reports_roll, union_a, reports_today):
    assert stats.member_stats(union_a, year=2025, today=reports_today).totals["admitted"] == 1


def test_readmission_and_transfer_in_are_counted_in_their_own_columns(
    reports_roll, union_a, union_b, chair, other_chair, reports_today
):
    from members import services

    gone = reports_roll["Đào"]
    gone.status, gone.status_since = Member.Status.LEFT, D(2025, 1, 1)
    gone.save(update_fields=["status", "status_since"])
    services.member_readmit(member=gone, on=D(2026, 5, 1), by=chair)
    incoming = services.member_admit(
        organization=union_b, by=other_chair, admitted_on=D(2020, 1, 1), full_name="Lý Văn Tới", sex="male"
    )
    transfer = services.member_transfer_request(
        member=incoming, to_organization=union_a, on=D(2026, 4, 1), by=other_chair
    )
    services.member_transfer_decide(transfer=transfer, by=chair, accept=True)
    t = stats.member_stats(union_a, year=2026, today=reports_today).totals
    assert (t["admitted"], t["readmitted"], t["transferred_in"]) == (2, 1, 1)
    assert t["on_roll"] == 9
    assert stats.member_stats(union_b, year=2026, today=reports_today).totals["transferred_in"] == 0


def test_an_upper_union_sums_the_unions_below_it(
    reports_roll, reports_union_a2, reports_union_b_roll, ward, province, union_a, reports_today
):
    data = stats.member_stats(ward, year=2026, today=reports_today)
    assert data.totals["on_roll"] == 9  # 7 + 2; union B is under the other ward
    assert (data.totals["female"], data.totals["male"]) == (5, 4)
    assert data.totals["u30"] == 3  # Mạc Thị Hà, born 2001
    assert data.totals["party"] == 3
    assert data.union_count == 2
    assert data.groups is None
    rows = {
        row.organization.pk: (row.grassroots, row.counts["on_roll"], row.counts["admitted"])
        for row in data.children
    }
    assert rows == {union_a.pk: (1, 7, 2), reports_union_a2.pk: (1, 2, 0)}
    top = stats.member_stats(province, year=2026, today=reports_today)
    assert top.totals["on_roll"] == 12
    by_child = {row.organization.name: (row.grassroots, row.counts["on_roll"]) for row in top.children}
    assert by_child == {"Công đoàn phường Một": (2, 9), "Công đoàn phường Hai": (1, 3)}


def test_welfare_by_occasion_and_month_leaves_cancelled_records_out(reports_welfare, union_a, ward):
    data = stats.welfare_stats(union_a, year=2026)
    lines = {line.occasion: line for line in data.lines}
    assert lines["sickness"].counts[0] == 2 and lines["sickness"].amounts[0] == 1_000_000
    assert lines["tet"].counts[1] == 1 and lines["tet"].amounts[1] == 1_000_000  # the cancelled one is out
    assert lines["children_1_6"].counts[5] == 1 and lines["children_1_6"].amount == 200_000
    assert (data.total.count, data.total.amount) == (4, 2_200_000)
    assert data.total.counts == [2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert stats.welfare_stats(union_a, year=2025).total.amount == 700_000

    upper = stats.welfare_stats(ward, year=2026)
    assert (upper.total.count, upper.total.amount) == (5, 2_500_000)  # union B's 999.000 đ is elsewhere
    assert {line.occasion: line.amounts[1] for line in upper.lines}["tet"] == 1_300_000
    assert sorted((count, amount) for _org, count, amount in upper.children) == [(1, 300_000), (4, 2_200_000)]


# ------------------------------------------------------------------------------------------------ pages


def test_the_members_page_shows_the_counts(client, chair, reports_roll, union_a):
    client.force_login(chair)
    response = client.get(reverse("members:stats_members", args=[union_a.pk]), {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="on-roll">7<' in html
    assert 'id="new-total">2<' in html
    assert "Tổ Nhà trẻ" in html
    assert "Nguyễn Thị Lan" not in html  # counts, never a person


def test_a_bad_year_falls_back_to_this_year(client, chair, reports_roll, union_a):
    client.force_login(chair)
    response = client.get(reverse("members:stats_members", args=[union_a.pk]), {"year": "abc"})
    assert response.context["stats"].year == 2026
    response = client.get(reverse("members:stats_welfare", args=[union_a.pk]), {"year": "1800"})
    assert response.context["stats"].year == 2026


@pytest.mark.parametrize("persona", ["chair", "treasurer", "reviewer", "leader"])
def test_the_unions_officers_and_those_above_see_the_counts(client, request, persona, reports_roll, union_a):
    client.force_login(request.getfixturevalue(persona))
    for name in ("members:stats_members", "members:stats_welfare"):
        assert client.get(reverse(name, args=[union_a.pk])).status_code == 200


def test_an_upper_union_page_for_its_reviewer_and_leader(client, reviewer, leader, reports_welfare, ward):
    for user in (reviewer, leader):
        client.force_login(user)
        response = client.get(reverse("members:stats_members", args=[ward.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Công đoàn cơ sở Trường Tiểu học A2" in html and 'id="on-roll">9<' in html
        assert "Kiều Văn Sơn" not in html
        response = client.get(reverse("members:stats_welfare", args=[ward.pk]), {"year": 2026})
        assert response.status_code == 200
        assert "2.500.000 đ" in response.content.decode()


def test_the_upper_unions_own_treasurer_gets_403(client, reports_ward_treasurer, ward):
    client.force_login(reports_ward_treasurer)
    for name in ("members:stats_members", "members:stats_welfare_pdf", "members:stats_members_xlsx"):
        assert client.get(reverse(name, args=[ward.pk])).status_code == 403


def test_the_grassroots_union_does_not_see_the_ward_nor_the_other_ward(
    client, chair, reviewer, ward, other_ward
):
    client.force_login(chair)
    assert client.get(reverse("members:stats_members", args=[ward.pk])).status_code == 404
    client.force_login(reviewer)
    assert client.get(reverse("members:stats_members", args=[other_ward.pk])).status_code == 404


@pytest.mark.parametrize("name", ["members:stats_members_pdf", "members:stats_welfare_pdf"])
def test_outsiders_get_404_for_the_prints(client, other_chair, union_a, name):
    client.force_login(other_chair)
    assert client.get(reverse(name, args=[union_a.pk])).status_code == 404


def test_wrong_method_is_405(client, chair, union_a):
    client.force_login(chair)
    assert client.post(reverse("members:stats_members", args=[union_a.pk])).status_code == 405


# ------------------------------------------------------------------------------------------------ PDF, Excel


def test_the_members_pdf_is_an_official_bao_cao_with_the_counts(client, chair, reports_roll, union_a):
    client.force_login(chair)
    response = client.get(reverse("members:stats_members_pdf", args=[union_a.pk]), {"year": 2026})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "CÔNG ĐOÀN PHƯỜNG MỘT" in text  # the governing body: the ward above
    assert "CÔNG ĐOÀN CƠ SỞ TRƯỜNG" in text and "MẦM NON A" in text  # the issuer, on two lines
    assert "/BC-CĐMNA" in text
    assert "BÁO CÁO" in text and "Thống kê đoàn viên năm 2026" in text
    assert "ngày 15 tháng 6 năm 2026" in text
    assert "có 7 đoàn viên (nữ: 4; đảng viên: 2)" in " ".join(text.split())
    assert "Tổ Nhà trẻ 2" in text
    assert "TM. BAN CHẤP HÀNH" in text and "Nguyễn Thị Hoa" in text
    assert "Nguyễn Thị Lan" not in text


def test_the_upper_welfare_pdf_sums_the_unions_below(client, reviewer, reports_welfare, ward):
    client.force_login(reviewer)
    response = client.get(reverse("members:stats_welfare_pdf", args=[ward.pk]), {"year": 2026})
    text = " ".join(_text(response.content).split())
    assert "Thống kê công tác chăm lo, phúc lợi đoàn viên năm 2026" in text
    assert "5 lượt thăm hỏi, trợ cấp, tặng quà đoàn viên với tổng số tiền 2.500.000 đ" in text
    assert "Công đoàn cơ sở Trường Tiểu học A2 1 300.000 đ" in text
    assert "Lê Thị Mai" not in text


def test_the_members_excel(client, reviewer, reports_roll, reports_union_a2, ward, union_a):
    client.force_login(reviewer)
    response = client.get(reverse("members:stats_members_xlsx", args=[ward.pk]), {"year": 2026})
    assert response.status_code == 200
    sheets = _sheets(response.content)
    summary = {row[0]: row[1] for row in sheets["Đoàn viên"] if row and row[0]}
    assert summary["Đoàn viên trong danh sách"] == 9
    assert summary["Đảng viên"] == 3
    by_union = sheets["Theo công đoàn"]
    assert by_union[0][:3] == ("Công đoàn", "Số công đoàn cơ sở", "Đoàn viên trong danh sách")
    rows = {row[0]: row[2] for row in by_union[1:]}
    assert rows == {
        "Công đoàn cơ sở Trường Mầm non A": 7, "Công đoàn cơ sở Trường Tiểu học A2": 2, "Tổng": 9
    }  # fmt: skip


def test_the_welfare_excel(client, treasurer, reports_welfare, union_a):
    client.force_login(treasurer)
    response = client.get(reverse("members:stats_welfare_xlsx", args=[union_a.pk]), {"year": 2026})
    sheets = _sheets(response.content)
    counts, amounts = sheets["Số lượt"], sheets["Số tiền (đồng)"]
    assert counts[1] == ("Dịp", *(f"T{m}" for m in range(1, 13)), "Tổng")
    sickness = next(row for row in counts if row[0] == "Ốm đau, nằm viện")
    assert sickness[1] == 2 and sickness[-1] == 2
    total = amounts[-1]
    assert total[0] == "Tổng" and total[-1] == 2_200_000 and total[2] == 1_000_000


# ------------------------------------------------------------------------------------------------ queries


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name",
    [
        "members:stats_members",
        "members:stats_members_xlsx",
        "members:stats_welfare",
        "members:stats_welfare_xlsx",
    ],
)
def test_an_upper_union_costs_the_same_queries_for_more_unions(
    client, reviewer, reports_welfare, reports_more_unions, ward, name
):
    client.force_login(reviewer)
    url = reverse(name, args=[ward.pk]) + "?year=2026"
    before = _count(client, url)
    reports_more_unions()
    assert _count(client, url) == before
    assert before <= 12


# session, user, the union, the user's roles in it; then the counts (members, events, groups or the tree
# below, welfare by month, by union); pages add the role switcher and the unread notices
PINNED = [
    ("chair", "union_a", "members:stats_members", 9),
    ("chair", "union_a", "members:stats_members_xlsx", 7),
    ("chair", "union_a", "members:stats_welfare", 7),
    ("chair", "union_a", "members:stats_welfare_xlsx", 5),
    ("reviewer", "ward", "members:stats_members", 9),
    ("reviewer", "ward", "members:stats_welfare", 9),
    ("reviewer", "ward", "members:stats_welfare_xlsx", 7),
]


@pytest.mark.parametrize(("persona", "organization", "name", "queries"), PINNED)
def test_the_pages_pin_their_queries(
    client, request, reports_welfare, django_assert_num_queries, persona, organization, name, queries
):
    client.force_login(request.getfixturevalue(persona))
    url = reverse(name, args=[request.getfixturevalue(organization).pk])
    client.get(url)  # the session is read once before
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
