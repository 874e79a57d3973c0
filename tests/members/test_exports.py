"""Exports of personal data: the roll as filtered on its page (and re-importable), a year's welfare records,
each logged in the same request; the log's page for the union's committee."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members.collation import sort_key
from members.importing import COLUMNS, read_rows
from members.models import PersonalDataExport
from tests.factories import MemberFactory, UserFactory

D = datetime.date


def _rows(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [[cell for cell in row] for row in sheet.iter_rows()]


def _values(data: bytes) -> list[tuple]:
    return [tuple(cell.value for cell in row) for row in _rows(data)]


def test_the_roll_export_has_the_import_headers_then_the_status(client, chair, reports_roll, union_a):
    client.force_login(chair)
    response = client.get(reverse("members:roll_export", args=[union_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = _values(response.content)
    assert list(rows[0]) == [*COLUMNS, "Trạng thái"]
    names = [row[0] for row in rows[1:]]
    assert names == sorted(names, key=sort_key) and len(names) == 7  # the roll page's default: by name
    assert "Võ Thị Đào" not in names  # left
    lan = dict(zip(rows[0], next(row for row in rows if row[0] == "Nguyễn Thị Lan"), strict=True))
    assert lan["Giới tính"] == "Nữ" and lan["Đảng viên"] == "Không" and lan["Tổ công đoàn"] == "Tổ Nhà trẻ"
    assert lan["Tiền lương đóng BHXH"] == 5_000_000 and lan["Điện thoại"] == "0911000001"
    assert lan["Trạng thái"] == "Đang sinh hoạt"
    hung = dict(zip(rows[0], next(row for row in rows if row[0] == "Trần Văn Hùng"), strict=True))
    assert hung["Đảng viên"] == "Có" and hung["Giới tính"] == "Nam"


def test_dates_are_real_excel_dates_written_day_month_year(client, chair, reports_roll, union_a):
    client.force_login(chair)
    rows = _rows(client.get(reverse("members:roll_export", args=[union_a.pk])).content)
    header = [cell.value for cell in rows[0]]
    lan = next(row for row in rows if row[0].value == "Nguyễn Thị Lan")
    birth, admitted = lan[header.index("Ngày sinh")], lan[header.index("Ngày kết nạp")]
    assert birth.is_date and birth.value.date() == D(2000, 3, 1) and birth.number_format == "DD/MM/YYYY"
    assert admitted.is_date and admitted.value.date() == D(2020, 9, 1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sex=male&party=yes", ["Phạm Văn Bình", "Trần Văn Hùng"]),
        ("age=u30", ["Nguyễn Thị Lan", "Bùi Thị Yến"]),  # by given name: Lan, Yến
        ("status=left", ["Võ Thị Đào"]),
        ("q=Mai", ["Lê Thị Mai"]),
        ("sort=birth&sex=female&page=3", ["Lê Thị Mai", "Bùi Thị Yến", "Nguyễn Thị Lan", "Đỗ Thị Cúc"]),
    ],
)
def test_the_roll_pages_filters_apply_and_are_logged(client, chair, reports_roll, union_a, query, expected):
    client.force_login(chair)
    response = client.get(reverse("members:roll_export", args=[union_a.pk]) + "?" + query)
    names = [row[0] for row in _values(response.content)[1:]]
    if "sort" in query:
        # by birth date; where the one without a date goes depends on the database
        assert [name for name in names if name != "Đỗ Thị Cúc"] == expected[:3] and set(names) == set(
            expected
        )
    else:
        assert names == expected
    log = PersonalDataExport.objects.get()
    assert (log.kind, log.rows, log.user, log.organization) == ("roll", len(expected), chair, union_a)
    assert log.filters == query.replace("&page=3", "")


def test_an_exported_roll_reads_back_through_the_import(client, chair, reports_roll, union_a):
    client.force_login(chair)
    data = client.get(reverse("members:roll_export", args=[union_a.pk]) + "?status=all").content
    rows, errors = read_rows(data, union_a)
    assert errors == []
    by_name = {row["full_name"]: row for row in rows}
    assert len(by_name) == 8
    lan = by_name["Nguyễn Thị Lan"]
    assert (
        lan["birth_date"] == D(2000, 3, 1) and lan["sex"] == "female" and lan["insurance_salary"] == 5_000_000
    )
    assert lan["union_group_id"] == union_a.union_groups.get().pk
    assert by_name["Trần Văn Hùng"]["party_member"] is True


def test_typed_text_never_becomes_a_formula(client, chair, union_a):
    MemberFactory(organization=union_a, full_name='=HYPERLINK("http://x")', position="+84 nhân viên")
    client.force_login(chair)
    rows = _rows(client.get(reverse("members:roll_export", args=[union_a.pk])).content)
    assert rows[1][0].value == '=HYPERLINK("http://x")' and rows[1][0].data_type == "s"
    assert "+84 nhân viên" in [cell.value for cell in rows[1]]


def test_the_treasurer_may_export_the_upper_union_may_not(client, treasurer, reviewer, other_chair, union_a):
    url = reverse("members:roll_export", args=[union_a.pk])
    client.force_login(treasurer)
    assert client.get(url).status_code == 200
    client.force_login(reviewer)
    assert client.get(url).status_code == 403
    client.force_login(other_chair)
    assert client.get(url).status_code == 404
    assert list(PersonalDataExport.objects.values_list("user__username", flat=True)) == ["treasurer"]


def test_the_welfare_export_lists_the_years_records(client, chair, reports_welfare, union_a):
    client.force_login(chair)
    response = client.get(reverse("members:welfare_export", args=[union_a.pk]), {"year": 2026})
    rows = _rows(response.content)
    header = [cell.value for cell in rows[0]]
    assert header == [
        "Số", "Ngày", "Đoàn viên", "Người thân", "Dịp", "Số tiền (đồng)", "Người thăm, tặng", "Ghi chú",
        "Đã hủy", "Lý do hủy",
    ]  # fmt: skip
    values = [[cell.value for cell in row] for row in rows[1:]]
    assert [row[0] for row in values] == ["0001/2026", "0002/2026", "0003/2026", "0004/2026", "0005/2026"]
    first = values[0]
    assert first[1] == datetime.datetime(2026, 1, 10) and rows[1][1].number_format == "DD/MM/YYYY"
    assert first[2:7] == ["Nguyễn Thị Lan", None, "Ốm đau, nằm viện", 500_000, "Chị Hoa"]
    assert values[3][8:] == ["Có", "Ghi trùng"]  # the cancelled one, marked
    assert values[4][3] == "Đỗ Minh Khôi"
    log = PersonalDataExport.objects.get()
    assert (log.kind, log.rows, log.filters, log.user) == ("welfare", 5, "year=2026", chair)


def test_the_welfare_export_of_another_year(client, treasurer, reports_welfare, union_a):
    client.force_login(treasurer)
    response = client.get(reverse("members:welfare_export", args=[union_a.pk]), {"year": 2025})
    assert [row[4] for row in _values(response.content)[1:]] == ["Tết Nguyên đán"]


def test_the_export_log_page_for_the_committee(
    client, chair, treasurer, reviewer, union_a, reports_roll, django_assert_max_num_queries
):
    client.force_login(treasurer)
    client.get(reverse("members:roll_export", args=[union_a.pk]) + "?sex=male")
    for _ in range(30):
        PersonalDataExport.objects.create(organization=union_a, user=UserFactory(), kind="voucher", rows=1)
    client.force_login(chair)
    url = reverse("members:export_log", args=[union_a.pk])
    client.get(url)
    with django_assert_max_num_queries(9):
        response = client.get(url)
    html = response.content.decode()
    assert "Danh sách đoàn viên (Excel)" in html and "sex=male" in html
    assert "Phiếu chi (PDF)" in html
    assert response.context["page"].paginator.count == 31
    client.force_login(treasurer)
    assert client.get(url).status_code == 403
    client.force_login(reviewer)
    assert client.get(url).status_code == 403


def test_exports_refuse_other_methods(client, chair, union_a):
    client.force_login(chair)
    assert client.post(reverse("members:roll_export", args=[union_a.pk])).status_code == 405
    assert not PersonalDataExport.objects.exists()


def test_the_roll_page_exports_what_it_shows(client, chair, union_a):
    client.force_login(chair)
    html = client.get(
        reverse("members:member_list", args=[union_a.pk]), {"sex": "male", "page": 2}
    ).content.decode()
    assert f'href="{reverse("members:roll_export", args=[union_a.pk])}?sex=male"' in html
    assert reverse("members:export_log", args=[union_a.pk]) in html


def test_the_organisation_pages_link_to_their_statistics(client, chair, reviewer, union_a, ward):
    client.force_login(chair)
    html = client.get(reverse("members:organization_detail", args=[union_a.pk])).content.decode()
    assert reverse("members:stats_members", args=[union_a.pk]) in html
    client.force_login(reviewer)
    html = client.get(reverse("members:organization_detail", args=[ward.pk])).content.decode()
    assert (
        reverse("members:stats_members", args=[ward.pk]) in html
        and "Thống kê các công đoàn trực thuộc" in html
    )
