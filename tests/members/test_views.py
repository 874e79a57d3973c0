import datetime

import pytest
from django.urls import reverse

from members.middleware import SESSION_KEY
from members.models import Officer, UnionGroup
from tests.factories import OfficerFactory, OrganizationFactory, UnionGroupFactory


@pytest.mark.usefixtures("_early_in_a_quarter")
def test_home_for_a_grassroots_chair_shows_their_union_and_what_to_do_next(client, chair, union_a):
    union_a.founded_on = datetime.date(2026, 3, 20)  # after the first quarter's deadline: nothing owed yet
    union_a.save(update_fields=["founded_on"])
    client.force_login(chair)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert union_a.name in html
    assert "Chưa có kế hoạch nào." in html
    assert "Không có báo cáo nào đến hạn trong vài tuần tới." in html
    assert "Tổ Nhà trẻ" not in html  # the readiness list counts groups, it does not list them
    assert 'lang="vi"' in html


@pytest.fixture
def _early_in_a_quarter(time_machine):
    time_machine.move_to(datetime.datetime(2026, 4, 2, 9, 0), tick=False)  # Q2 due 15/06: more than 45 days


def test_home_lists_the_reports_a_union_owes_with_their_deadlines(client, chair, union_a, time_machine):
    """Default rule: the 15th of the quarter's last month; 2026-Q1 (15/03) is overdue on 25/03."""
    time_machine.move_to(datetime.datetime(2026, 3, 25, 9, 0), tick=False)
    client.force_login(chair)
    html = client.get(reverse("home")).content.decode()
    assert reverse("targets:report_start", args=[union_a.pk, "2026-Q1"]) in html
    assert "Hạn 15/03/2026" in html and "quá hạn 10 ngày" in html
    assert reverse("targets:report_start", args=[union_a.pk, "2026-Q2"]) not in html  # 15/06: not yet


def test_home_for_an_upper_union_lists_its_unions_with_their_chair(client, reviewer, chair, union_a, ward):
    closed = OrganizationFactory(
        parent=ward, name="Công đoàn cơ sở Đã giải thể", closed_on=datetime.date(2025, 5, 31)
    )
    client.force_login(reviewer)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert union_a.name in html and closed.name in html
    assert chair.full_name in html
    assert "kết thúc 31/05/2025" in html
    assert "1 đang hoạt động" in html


def test_upper_union_with_no_unions_says_what_to_do(client, province, db):
    lone = OrganizationFactory(level="upper_grassroots", parent=province)
    user = OfficerFactory(organization=lone, role=Officer.Role.REVIEWER).user
    client.force_login(user)
    assert "Chưa có công đoàn nào trực thuộc" in client.get(reverse("home")).content.decode()


def test_user_without_role_is_told_whom_to_ask(client, no_role_user):
    client.force_login(no_role_user)
    assert "chưa được giao chức vụ" in client.get(reverse("home")).content.decode()


def test_upper_home_stays_constant_in_queries(client, reviewer, ward, django_assert_max_num_queries):
    client.force_login(reviewer)
    client.get(reverse("home"))  # warm the session
    for _ in range(15):
        union = OrganizationFactory(parent=ward)
        OfficerFactory(organization=union)
        UnionGroupFactory(organization=union)
    with django_assert_max_num_queries(8):  # session, user, roles, org, children, chairs, plans, unread count
        response = client.get(reverse("home"))
    assert response.content.decode().count("Công đoàn cơ sở Đơn vị") >= 15


def test_switching_organisation_changes_the_home_page(client, union_a, ward):
    officer = OfficerFactory(organization=union_a)
    ward_role = OfficerFactory(user=officer.user, organization=ward, role=Officer.Role.COMMITTEE_MEMBER)
    client.force_login(officer.user)
    response = client.post(reverse("members:switch"), {"officer": ward_role.pk, "next": "/"}, follow=True)
    assert client.session[SESSION_KEY] == ward_role.pk
    html = response.content.decode()
    assert '<h1 class="h3 mb-1">Công đoàn phường Một</h1>' in html
    assert "Bạn đang làm việc với vai trò Ủy viên BCH của Công đoàn phường Một." in html


def test_switch_refuses_an_unsafe_next_url(client, chair):
    client.force_login(chair)
    officer = Officer.objects.get(user=chair)
    response = client.post(
        reverse("members:switch"), {"officer": officer.pk, "next": "https://evil.example/"}
    )
    assert response.url == reverse("home")


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_switch_with_garbage_is_404(client, chair, value):
    client.force_login(chair)
    assert client.post(reverse("members:switch"), {"officer": value}).status_code == 404


def test_switch_is_post_only(client, chair):
    client.force_login(chair)
    assert client.get(reverse("members:switch")).status_code == 405


def test_organization_detail_shows_history_groups_and_officers(client, chair, union_a, ward, other_ward):
    from members import services

    services.organization_move(
        organization=union_a, new_parent=other_ward, on=datetime.date(2025, 7, 1), decision="01/QĐ-LĐLĐ"
    )
    client.force_login(chair)
    html = client.get(reverse("members:organization_detail", args=[union_a.pk])).content.decode()
    assert "01/07/2025" in html and "01/QĐ-LĐLĐ" in html and ward.name in html
    assert "Tổ Nhà trẻ" in html
    assert "Sửa thông tin" in html and "Thêm tổ" in html


def test_reviewer_sees_a_child_union_without_edit_buttons(client, reviewer, union_a):
    client.force_login(reviewer)
    html = client.get(reverse("members:organization_detail", args=[union_a.pk])).content.decode()
    assert union_a.name in html
    assert "Sửa thông tin" not in html and "Thêm tổ" not in html


def test_chair_edits_the_header_details(client, chair, union_a):
    client.force_login(chair)
    url = reverse("members:organization_edit", args=[union_a.pk])
    response = client.post(
        url,
        {
            "short_name": "CĐCS MN A",
            "symbol": "CĐMNA",
            "locality": "Trường Thọ",
            "governing_body_line": " CÔNG ĐOÀN PHƯỜNG MỘT ",
            "email": "cd@a.example",
        },
    )
    assert response.status_code == 302
    union_a.refresh_from_db()
    assert (union_a.locality, union_a.governing_body_line) == ("Trường Thọ", "CÔNG ĐOÀN PHƯỜNG MỘT")


def test_bad_input_re_renders_with_vietnamese_errors_and_keeps_what_was_typed(client, chair, union_a):
    client.force_login(chair)
    url = reverse("members:organization_edit", args=[union_a.pk])
    response = client.post(
        url, {"symbol": "CĐ MN/A", "locality": "Trường Thọ <b>", "email": "không-phải-email"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ký hiệu văn bản không có dấu cách hay dấu gạch chéo" in html
    assert "Nhập địa chỉ email." in html
    assert "Trường Thọ &lt;b&gt;" in html  # kept and escaped
    union_a.refresh_from_db()
    assert union_a.symbol == "CĐMNA"


def test_closed_union_cannot_be_edited(client, chair, union_a):
    union_a.closed_on = datetime.date(2025, 5, 31)
    union_a.save()
    client.force_login(chair)
    assert client.get(reverse("members:organization_edit", args=[union_a.pk])).status_code == 403
    html = client.get(reverse("members:organization_detail", args=[union_a.pk])).content.decode()
    assert "đã kết thúc hoạt động từ ngày 31/05/2025" in html


def test_chair_adds_a_union_group(client, chair, union_a):
    client.force_login(chair)
    url = reverse("members:uniongroup_create", args=[union_a.pk])
    assert client.post(url, {"name": "  Tổ   Mẫu giáo ", "position": 2}).status_code == 302
    assert UnionGroup.objects.filter(organization=union_a, name="Tổ Mẫu giáo").exists()


def test_duplicate_group_name_is_refused(client, chair, union_a):
    client.force_login(chair)
    url = reverse("members:uniongroup_create", args=[union_a.pk])
    response = client.post(url, {"name": "tổ nhà trẻ", "position": 1})
    assert response.status_code == 200
    assert "đã có tổ công đoàn trùng tên" in response.content.decode()
    assert UnionGroup.objects.filter(organization=union_a).count() == 1
