"""The roll pages (members/roll_views.py): filters, pages, the import page, and who may see personal data."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from members import services
from members.models import Member

D = datetime.date


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 9, 0), tick=False)


def admit(union, by, name, **fields):
    values = {"sex": "female", "admitted_on": D(2015, 9, 1)} | fields
    return services.member_admit(organization=union, by=by, full_name=name, **values)


@pytest.fixture
def roll(union_a, chair):
    group = union_a.union_groups.get()
    admit(union_a, chair, "An Thị Bình", birth_date=D(2000, 1, 1), union_group=group, party_member=True)
    admit(union_a, chair, "Cao Văn Dũng", sex="male", birth_date=D(1980, 5, 5))
    gone = admit(union_a, chair, "Đỗ Thị Em", birth_date=D(1975, 2, 2))
    services.member_change(member=gone, kind="left", on=D(2026, 3, 1), by=chair)
    return union_a


def names(response):
    return [member.full_name for member in response.context["page"]]


def test_the_roll_lists_members_on_it_with_filters(client, chair, roll):
    client.force_login(chair)
    url = reverse("members:member_list", args=[roll.pk])
    assert names(client.get(url)) == ["An Thị Bình", "Cao Văn Dũng"]  # the one who left is not on the roll
    assert names(client.get(url, {"status": "all"})) == ["An Thị Bình", "Cao Văn Dũng", "Đỗ Thị Em"]
    assert names(client.get(url, {"sex": "male"})) == ["Cao Văn Dũng"]
    assert names(client.get(url, {"age": "u30"})) == ["An Thị Bình"]
    assert names(client.get(url, {"age": "40"})) == ["Cao Văn Dũng"]
    assert names(client.get(url, {"party": "yes"})) == ["An Thị Bình"]
    assert names(client.get(url, {"q": "văn dũng"})) == ["Cao Văn Dũng"]
    assert names(client.get(url, {"group": roll.union_groups.get().pk})) == ["An Thị Bình"]
    assert names(client.get(url, {"sort": "birth"})) == ["Cao Văn Dũng", "An Thị Bình"]
    response = client.get(url, {"sex": "other"})  # a value no form offers: dropped, with the form saying so
    assert response.status_code == 200 and names(response) == ["An Thị Bình", "Cao Văn Dũng"]


def test_the_treasurer_sees_the_roll_the_union_above_does_not(client, treasurer, reviewer, other_chair, roll):
    url = reverse("members:member_list", args=[roll.pk])
    client.force_login(treasurer)
    assert client.get(url).status_code == 200
    client.force_login(reviewer)
    assert client.get(url).status_code == 403
    client.force_login(other_chair)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_roll_page_costs_the_same_queries_however_long(
    client, chair, union_a, django_assert_num_queries, count
):
    Member.objects.bulk_create(
        [Member(organization=union_a, full_name=f"Đoàn viên {n}", sex="male", admitted_on=D(2015, 1, 1),
                status_since=D(2015, 1, 1), union_group=union_a.union_groups.get()) for n in range(count)]
    )  # fmt: skip
    client.force_login(chair)
    url = reverse("members:member_list", args=[union_a.pk])
    client.get(url)  # warm the session and role caches
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200


def test_pages_of_fifty(client, chair, union_a):
    Member.objects.bulk_create(
        [Member(organization=union_a, full_name=f"Đoàn viên {n:03d}", sex="male", admitted_on=D(2015, 1, 1),
                status_since=D(2015, 1, 1)) for n in range(120)]
    )  # fmt: skip
    client.force_login(chair)
    url = reverse("members:member_list", args=[union_a.pk])
    last = client.get(url, {"page": 3, "sex": "male"})
    assert len(last.context["page"]) == 20 and "sex=male" in last.context["query"]


def test_the_template_downloads_as_excel(client, chair, union_a):
    client.force_login(chair)
    response = client.get(reverse("members:member_template", args=[union_a.pk]))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).active["A1"].value == "Họ và tên"


def _xlsx(*rows):
    book = Workbook()
    book.active.append(["Họ và tên", "Giới tính", "Ngày kết nạp", "Ngày sinh"])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("ds.xlsx", buffer.getvalue())


def test_import_page_adds_everyone_or_lists_every_problem(client, chair, union_a):
    client.force_login(chair)
    url = reverse("members:member_import", args=[union_a.pk])
    response = client.post(url, {"file": _xlsx(["Hà Thị Giang", "Nữ", "01/09/2020", "30/02/1990"])})
    assert response.status_code == 422
    html = response.content.decode()
    assert "30/02/1990" in html and "Ngày sinh" in html and Member.objects.count() == 0
    response = client.post(url, {"file": _xlsx(["Hà Thị Giang", "Nữ", "01/09/2020", "28/02/1990"])})
    assert response.status_code == 302 and Member.objects.get().full_name == "Hà Thị Giang"


def test_import_page_refuses_a_file_that_is_not_excel(client, chair, union_a):
    client.force_login(chair)
    response = client.post(
        reverse("members:member_import", args=[union_a.pk]), {"file": SimpleUploadedFile("ds.xlsx", b"hello")}
    )
    assert response.status_code == 422 and "Excel" in response.content.decode()
