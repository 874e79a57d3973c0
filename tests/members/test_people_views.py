"""A member's record in the browser (members/member_views.py): admission, the member page, details, family."""

import datetime
import html

import pytest
from django.urls import reverse

from members import services
from members.models import FamilyMember, Member, MemberEvent

D = datetime.date


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 9, 0), tick=False)


def page(member, name="member_detail", *extra):
    return reverse(f"members:{name}", args=[member.organization_id, member.pk, *extra])


def admission(union, **changes):
    data = {
        "full_name": "  Trần   Thị Lan ", "birth_date": "15/08/1992", "sex": "female", "ethnicity": "Tày",
        "citizen_id": "001192004567", "phone": "0987654321", "email": "lan@example.org", "job": "Giáo viên",
        "position": "Tổ trưởng chuyên môn", "contract": "civil_servant", "insurance_salary": "5850000",
        "party_member": "on", "party_joined_on": "03/02/2020", "admitted_on": "01/09/2019",
        "admission_decision": "15/QĐ-CĐMNA", "card_number": "CĐ-0001234", "card_issued_on": "20/11/2019",
        "union_group": union.union_groups.get().pk, "union_office": "Tổ trưởng công đoàn",
    }  # fmt: skip
    return data | changes


# ------------------------------------------------------------------------------------------------- admission


def test_the_chair_admits_a_member_with_every_field(client, chair, union_a):
    client.force_login(chair)
    response = client.post(reverse("members:member_create", args=[union_a.pk]), admission(union_a))
    member = Member.objects.get()
    assert response.status_code == 302 and response.url == page(member)
    assert member.full_name == "Trần Thị Lan" and member.organization == union_a
    assert (member.birth_date, member.admitted_on, member.status_since) == (
        D(1992, 8, 15),
        D(2019, 9, 1),
        D(2019, 9, 1),
    )
    assert (member.citizen_id, member.insurance_salary, member.party_joined_on) == (
        "001192004567",
        5_850_000,
        D(2020, 2, 3),
    )
    assert member.union_group.name == "Tổ Nhà trẻ" and member.card_issued_on == D(2019, 11, 20)
    event = member.events.get()
    assert (event.kind, event.on, event.decision, event.recorded_by) == (
        "admitted",
        D(2019, 9, 1),
        "15/QĐ-CĐMNA",
        chair,
    )


def test_an_impossible_date_is_refused_in_vietnamese_and_nothing_saved(client, chair, union_a):
    client.force_login(chair)
    data = admission(union_a, birth_date="30/02/1990", citizen_id="12345")
    response = client.post(reverse("members:member_create", args=[union_a.pk]), data)
    assert response.status_code == 422
    text = response.content.decode()
    assert "“30/02/1990” không phải là một ngày có thật" in text
    assert "Số CCCD gồm đúng 12 chữ số." in text
    assert 'value="Tày"' in text  # what was typed stays
    assert not Member.objects.exists()


def test_admission_rules_come_back_on_the_form(client, chair, union_a, union_b, people_member):
    client.force_login(chair)
    url = reverse("members:member_create", args=[union_a.pk])
    duplicate = client.post(url, admission(union_a, citizen_id=people_member.citizen_id))
    assert duplicate.status_code == 422
    assert "Số CCCD này đã có trong danh sách đoàn viên" in duplicate.content.decode()
    future = client.post(url, admission(union_a, admitted_on="02/06/2026"))
    assert future.status_code == 422
    assert "ngày không được ở tương lai" in future.content.decode()
    party = client.post(url, admission(union_a, party_member=""))
    assert party.status_code == 422 and "Đảng viên" in party.content.decode()
    other_group = union_b.union_groups.create(name="Tổ Sản xuất")
    assert client.post(url, admission(union_a, union_group=other_group.pk)).status_code == 422
    assert Member.objects.count() == 1


def test_the_admission_form_offers_only_this_unions_groups(client, chair, union_a, union_b):
    union_b.union_groups.create(name="Tổ Sản xuất")
    client.force_login(chair)
    response = client.get(reverse("members:member_create", args=[union_a.pk]))
    text = response.content.decode()
    assert response.status_code == 200 and "Tổ Nhà trẻ" in text and "Tổ Sản xuất" not in text


def test_the_roll_links_to_each_member_and_to_the_admission(client, chair, treasurer, people_member):
    url = reverse("members:member_list", args=[people_member.organization_id])
    client.force_login(chair)
    text = client.get(url).content.decode()
    assert f'href="{page(people_member)}"' in text
    assert reverse("members:member_create", args=[people_member.organization_id]) in text
    client.force_login(treasurer)
    text = client.get(url).content.decode()
    assert f'href="{page(people_member)}"' in text
    assert reverse("members:member_create", args=[people_member.organization_id]) not in text


# ------------------------------------------------------------------------------------------- the member page


def test_the_member_page_shows_details_family_and_history(client, chair, people_member):
    services.member_change(
        member=people_member,
        kind="suspended",
        on=D(2024, 1, 2),
        by=chair,
        reason="Nghỉ sinh",
        decision="3/QĐ",
    )
    client.force_login(chair)
    response = client.get(page(people_member))
    assert response.status_code == 200
    text = response.content.decode()
    for shown in ("Lê Thị Mai", "12/04/1990", "001190012345", "Tổ Nhà trẻ", "Trần Minh An", "01/06/2018"):
        assert shown in text
    history = text[text.index('id="history"') :]
    assert history.index("01/09/2015") < history.index("02/01/2024")
    assert "Nghỉ sinh" in history and "3/QĐ" in history and "12/QĐ-CĐMNA" in history
    assert "Nguyễn Thị Hoa" in history  # recorded by the chair
    assert "Tạm dừng sinh hoạt" in text
    assert page(people_member, "member_edit") in text and page(people_member, "member_change") in text


def test_the_treasurer_reads_the_member_page_without_the_buttons(client, treasurer, people_member):
    client.force_login(treasurer)
    response = client.get(page(people_member))
    assert response.status_code == 200 and "Lê Thị Mai" in response.content.decode()
    assert 'id="member-actions"' not in response.content.decode()
    assert page(people_member, "member_edit") not in response.content.decode()


def test_another_unions_member_is_not_found_through_ones_own_union(
    client, other_chair, union_b, people_member
):
    client.force_login(other_chair)
    url = reverse("members:member_detail", args=[union_b.pk, people_member.pk])
    assert client.get(url).status_code == 404
    url = reverse("members:member_edit", args=[union_b.pk, people_member.pk])
    assert client.post(url, {"full_name": "x"}).status_code == 404
    relative = people_member.family.get()
    url = reverse("members:family_remove", args=[union_b.pk, people_member.pk, relative.pk])
    assert client.post(url).status_code == 404
    assert people_member.family.exists()


def test_a_relative_of_another_member_is_not_found(client, chair, union_a, people_member, people_gone_member):
    relative = people_member.family.get()
    client.force_login(chair)
    url = reverse("members:family_edit", args=[union_a.pk, people_gone_member.pk, relative.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("rows", [1, 12])
def test_the_member_page_costs_the_same_queries_however_long_the_history(
    client, chair, people_member, django_assert_num_queries, rows
):
    for n in range(rows):
        FamilyMember.objects.create(member=people_member, relation="child", full_name=f"Con {n}")
        MemberEvent.objects.create(
            member=people_member, kind="suspended", on=D(2016, 1, 1), organization=people_member.organization,
            recorded_by=chair,
        )  # fmt: skip
    client.force_login(chair)
    client.get(page(people_member))  # warm the session
    # session, user, union, roles, member, transfer, the menu (roles, notifications), family, history, and
    # the dues exemptions (finance.templatetags.dues_exemptions)
    with django_assert_num_queries(11):
        assert client.get(page(people_member)).status_code == 200


def test_hostile_text_is_shown_as_text(client, chair, union_a):
    member = services.member_admit(
        organization=union_a, by=chair, admitted_on=D(2020, 1, 1), sex="male",
        full_name='<script>alert("x")</script>', job="<b>bold</b>",
    )  # fmt: skip
    services.member_change(
        member=member, kind="suspended", on=D(2021, 1, 1), by=chair, reason="<img src=x onerror=alert(1)>"
    )
    client.force_login(chair)
    text = client.get(page(member)).content.decode()
    assert "<script>alert" not in text and "<img src=x" not in text and "<b>bold</b>" not in text
    assert html.escape('<script>alert("x")</script>') in text
    roll = client.get(reverse("members:member_list", args=[union_a.pk])).content.decode()
    assert "<script>alert" not in roll


def test_wrong_methods_are_refused(client, chair, people_member):
    client.force_login(chair)
    assert client.post(page(people_member)).status_code == 405
    relative = people_member.family.get()
    assert client.get(page(people_member, "family_remove", relative.pk)).status_code == 405


# ---------------------------------------------------------------------------------------------------- details


def details(member, **changes):
    form = {
        "full_name": member.full_name, "birth_date": "12/04/1990", "sex": member.sex, "ethnicity": "Kinh",
        "citizen_id": member.citizen_id, "phone": "", "email": "", "job": "", "position": "", "contract": "",
        "insurance_salary": "", "card_number": "", "card_issued_on": "", "party_joined_on": "",
        "union_group": member.union_group_id or "", "union_office": "",
        "version": services.member_version(member),
    }  # fmt: skip
    return form | changes


def test_the_chair_corrects_a_members_details(client, chair, people_member):
    client.force_login(chair)
    response = client.post(
        page(people_member, "member_edit"),
        details(people_member, phone="0901112223", job="Cấp dưỡng", insurance_salary="4680000"),
    )
    assert response.status_code == 302 and response.url == page(people_member)
    people_member.refresh_from_db()
    assert (people_member.phone, people_member.job, people_member.insurance_salary) == (
        "0901112223",
        "Cấp dưỡng",
        4_680_000,
    )
    assert people_member.status == "active" and people_member.events.count() == 1  # history untouched


def test_the_edit_form_loads_the_saved_values(client, chair, people_member):
    client.force_login(chair)
    text = client.get(page(people_member, "member_edit")).content.decode()
    assert 'value="12/04/1990"' in text and 'value="001190012345"' in text
    assert f'value="{services.member_version(people_member)}"' in text


def test_a_stale_edit_is_refused_with_409_and_keeps_what_was_typed(
    client, chair, people_member, time_machine
):
    client.force_login(chair)
    loaded = details(people_member, phone="0900000001", job="Kế toán")
    time_machine.shift(datetime.timedelta(minutes=5))
    services.member_update(
        member=people_member,
        by=chair,
        version=services.member_version(people_member),
        email="mai@example.org",
    )
    response = client.post(page(people_member, "member_edit"), loaded)
    assert response.status_code == 409
    text = response.content.decode()
    assert "Người khác đã lưu thông tin đoàn viên này" in text
    assert 'value="0900000001"' in text and 'value="Kế toán"' in text
    assert "mai@example.org" in text  # what is saved now, where it differs
    people_member.refresh_from_db()
    assert (people_member.phone, people_member.email) == ("", "mai@example.org")
    # the form now carries the current version: saving again keeps the typed values
    again = response.context["form"].data
    assert client.post(page(people_member, "member_edit"), again).status_code == 302
    people_member.refresh_from_db()
    assert (people_member.phone, people_member.job) == ("0900000001", "Kế toán")


def test_bad_details_answer_422_and_save_nothing(client, chair, people_member):
    client.force_login(chair)
    response = client.post(
        page(people_member, "member_edit"), details(people_member, birth_date="31/04/1990")
    )
    assert response.status_code == 422
    assert "“31/04/1990” không phải là một ngày có thật" in response.content.decode()
    people_member.refresh_from_db()
    assert people_member.birth_date == D(1990, 4, 12)


# ----------------------------------------------------------------------------------------------------- family


def test_family_members_are_added_edited_and_removed(client, chair, people_member):
    client.force_login(chair)
    response = client.post(
        page(people_member, "family_add"),
        {"relation": "spouse", "full_name": "Trần Văn Hùng", "birth_date": ""},
    )
    assert response.status_code == 302
    spouse = people_member.family.get(relation="spouse")
    edit = page(people_member, "family_edit", spouse.pk)
    data = {"relation": "spouse", "full_name": "Trần Văn Hưng", "birth_date": "02/03/1988"}
    data["version"] = services.family_version(spouse)
    assert client.post(edit, data).status_code == 302
    spouse.refresh_from_db()
    assert (spouse.full_name, spouse.birth_date) == ("Trần Văn Hưng", D(1988, 3, 2))
    assert client.post(page(people_member, "family_remove", spouse.pk)).status_code == 302
    assert list(people_member.family.values_list("full_name", flat=True)) == ["Trần Minh An"]


def test_a_bad_family_row_answers_422(client, chair, people_member):
    client.force_login(chair)
    response = client.post(
        page(people_member, "family_add"), {"relation": "child", "full_name": " ", "birth_date": "30/02/2019"}
    )
    assert response.status_code == 422
    assert "không phải là một ngày có thật" in response.content.decode()
    assert people_member.family.count() == 1


def test_a_stale_family_edit_answers_409(client, chair, people_relative):
    member = people_relative.member
    client.force_login(chair)
    loaded = {
        "relation": "child", "full_name": "Trần Minh Ân", "birth_date": "01/06/2018",
        "version": services.family_version(people_relative),
    }  # fmt: skip
    services.family_update(
        relative=people_relative,
        by=chair,
        version=services.family_version(people_relative),
        birth_date=D(2018, 7, 1),
    )
    response = client.post(page(member, "family_edit", people_relative.pk), loaded)
    assert response.status_code == 409
    assert 'value="Trần Minh Ân"' in response.content.decode() and "01/07/2018" in response.content.decode()
    people_relative.refresh_from_db()
    assert people_relative.full_name == "Trần Minh An"
