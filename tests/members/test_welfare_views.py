"""Welfare pages: the union's officers see, its committee and treasurer write; bad input 422, stale edits 409,
objects of other unions 404, hostile text escaped, query counts fixed."""

import datetime

import pytest
from django.urls import reverse

from members import welfare_services
from members.models import GiftCampaign, Occasion, SpendingRule, WelfareRecord
from tests.factories import FamilyMemberFactory, MemberFactory

D = datetime.date
pytestmark = pytest.mark.usefixtures("welfare_today")


def url(name, *args):
    return reverse(f"members:{name}", args=[getattr(a, "pk", a) for a in args])


def _records(union, chair, member, count, on=None):
    on = on or D(2026, 3, 15)
    for _ in range(count):
        welfare_services.record_create(
            organization=union, by=chair, member=member, occasion=Occasion.SICKNESS, on=on, amount=100_000
        )


# ------------------------------------------------------------------------------------------ spending rules


def test_the_rules_page_shows_what_is_in_force_today_and_the_history(client, union_a, chair, treasurer):
    for amount, day in ((300_000, D(2025, 1, 1)), (500_000, D(2026, 1, 1)), (800_000, D(2027, 1, 1))):
        welfare_services.rule_create(
            organization=union_a, by=chair, occasion=Occasion.SICKNESS, amount=amount, effective_from=day
        )
    client.force_login(treasurer)
    response = client.get(url("welfare_rules", union_a))
    html = response.content.decode()
    in_force = html.split('id="rules-in-force"')[1].split("</table>")[0]
    assert "500.000 đ" in in_force and "300.000 đ" not in in_force and "800.000 đ" not in in_force
    history = html.split('id="rules-history"')[1].split("</table>")[0]
    assert history.index("800.000 đ") < history.index("500.000 đ") < history.index("300.000 đ")
    assert "Sắp áp dụng" in history and "Đang áp dụng" in history and "Đã được thay thế" in history
    assert 'id="add-rule"' not in html  # the rules are the committee's: the treasurer applies them


def test_adding_the_same_occasion_and_day_twice_answers_422(client, union_a, chair):
    client.force_login(chair)
    data = {"occasion": "sickness", "amount": "500000", "effective_from": "01/01/2026", "decision": "01/QC"}
    assert client.post(url("welfare_rule_create", union_a), data).status_code == 302
    response = client.post(url("welfare_rule_create", union_a), {**data, "amount": "600000"})
    assert response.status_code == 422
    assert "Đã có mức chi cho “Ốm đau, nằm viện” áp dụng từ ngày 01/01/2026" in response.content.decode()
    assert list(SpendingRule.objects.values_list("amount", flat=True)) == [500_000]
    bad = client.post(url("welfare_rule_create", union_a), {**data, "effective_from": "31/02/2026"})
    assert bad.status_code == 422
    assert "31/02/2026" in bad.context["form"].errors["effective_from"][0]


# ------------------------------------------------------------------------------------------------ records


def test_a_new_record_takes_the_rules_amount_when_none_is_typed(
    client, union_a, treasurer, welfare_member, welfare_rule
):
    client.force_login(treasurer)
    page = client.get(url("welfare_record_create", union_a), {"member": welfare_member.pk})
    assert page.status_code == 200
    fields = client.get(
        url("welfare_record_fields", union_a),
        {"member": welfare_member.pk, "occasion": "sickness", "on": "15/03/2026"},
    )
    assert 'value="500000"' in fields.content.decode()
    assert "500.000 đ" in fields.content.decode()
    data = {
        "member": welfare_member.pk,
        "occasion": "sickness",
        "on": "15/03/2026",
        "amount": "",
        "visited_by": "BCH",
    }
    response = client.post(url("welfare_record_create", union_a), data)
    record = WelfareRecord.objects.get()
    assert response.status_code == 302
    assert response.url == url("welfare_record_detail", union_a, record)
    assert (record.amount, record.number, record.year, record.recorded_by) == (500_000, 1, 2026, treasurer)


def test_the_family_field_lists_only_the_chosen_members_own_children(
    client, union_a, chair, welfare_member, welfare_child
):
    other_child = FamilyMemberFactory(member=MemberFactory(organization=union_a), full_name="Con người khác")
    client.force_login(chair)
    html = client.get(
        url("welfare_record_fields", union_a),
        {"member": welfare_member.pk, "occasion": "children_1_6", "on": "01/06/2026"},
    ).content.decode()
    assert welfare_child.full_name in html and other_child.full_name not in html
    assert "Quy chế chi tiêu chưa có mức chi cho dịp này" in html


def test_a_childrens_gift_without_the_child_answers_422_and_saves_nothing(
    client, union_a, chair, welfare_member
):
    client.force_login(chair)
    data = {"member": welfare_member.pk, "occasion": "children_1_6", "on": "01/06/2026", "amount": "200000"}
    response = client.post(url("welfare_record_create", union_a), data)
    assert response.status_code == 422
    assert "Dịp này dành cho con của đoàn viên: hãy chọn người con." in response.content.decode()
    no_amount = client.post(
        url("welfare_record_create", union_a), {**data, "occasion": "wedding", "amount": ""}
    )
    assert no_amount.status_code == 422
    assert "Quy chế chi tiêu chưa có mức chi cho “Kết hôn” vào ngày 01/06/2026" in no_amount.content.decode()
    assert not WelfareRecord.objects.exists()


def test_a_member_of_another_union_cannot_be_chosen(client, union_a, union_b, chair):
    client.force_login(chair)
    stranger = MemberFactory(organization=union_b)
    data = {"member": stranger.pk, "occasion": "sickness", "on": "01/06/2026", "amount": "200000"}
    assert client.post(url("welfare_record_create", union_a), data).status_code == 422
    assert not WelfareRecord.objects.exists()


def test_an_edit_from_a_stale_page_answers_409_and_keeps_what_was_typed(
    client, union_a, chair, treasurer, welfare_record
):
    client.force_login(chair)
    page = client.get(url("welfare_record_edit", union_a, welfare_record))
    version = page.context["form"]["version"].value()
    welfare_services.record_update(
        record=welfare_record,
        by=treasurer,
        version=welfare_services.record_version(welfare_record),
        amount=650_000,
    )
    data = {
        "occasion": "sickness",
        "on": "15/03/2025",
        "amount": "720000",
        "visited_by": "Tổ Nhà trẻ",
        "version": version,
    }
    response = client.post(url("welfare_record_edit", union_a, welfare_record), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Người khác vừa lưu phiếu này" in html
    assert 'value="720000"' in html and "650.000 đ" in html
    welfare_record.refresh_from_db()
    assert welfare_record.amount == 650_000
    # saved again from the refreshed form: it goes through
    data["version"] = response.context["form"]["version"].value()
    assert client.post(url("welfare_record_edit", union_a, welfare_record), data).status_code == 302
    welfare_record.refresh_from_db()
    assert (welfare_record.amount, welfare_record.visited_by) == (720_000, "Tổ Nhà trẻ")


def test_cancelling_needs_a_reason_and_keeps_the_number(client, union_a, chair, welfare_record):
    client.force_login(chair)
    empty = client.post(url("welfare_record_cancel", union_a, welfare_record), {"reason": "  "})
    assert empty.status_code == 422
    assert "Hãy ghi lý do hủy phiếu." in empty.content.decode()
    done = client.post(url("welfare_record_cancel", union_a, welfare_record), {"reason": "Ghi nhầm"})
    assert done.status_code == 302
    welfare_record.refresh_from_db()
    assert welfare_record.is_cancelled and welfare_record.reference == "0001/2025"
    detail = client.get(url("welfare_record_detail", union_a, welfare_record)).content.decode()
    assert "Ghi nhầm" in detail and 'id="edit-record"' not in detail
    # a cancelled record cannot be edited any more
    assert client.get(url("welfare_record_edit", union_a, welfare_record)).status_code == 302


def test_records_of_another_union_are_404_through_ones_own_union(
    client, union_a, union_b, other_chair, welfare_record, gift_campaign
):
    client.force_login(other_chair)
    for name in (
        "welfare_record_detail",
        "welfare_record_edit",
        "welfare_record_cancel",
        "welfare_record_voucher",
    ):
        assert client.get(url(name, union_b, welfare_record)).status_code == 404
    for name in ("gift_campaign_detail", "gift_campaign_signatures"):
        assert client.get(url(name, union_b, gift_campaign)).status_code == 404
    assert client.post(url("gift_campaign_run", union_b, gift_campaign)).status_code == 404


def test_the_upper_reviewer_may_not_write(client, union_a, reviewer, welfare_member, welfare_record):
    client.force_login(reviewer)
    data = {"member": welfare_member.pk, "occasion": "sickness", "on": "01/06/2026", "amount": "1"}
    assert client.post(url("welfare_record_create", union_a), data).status_code == 403
    assert (
        client.post(url("welfare_record_cancel", union_a, welfare_record), {"reason": "x"}).status_code == 403
    )
    assert client.get(url("welfare_record_voucher", union_a, welfare_record)).status_code == 403
    assert WelfareRecord.objects.count() == 1


def test_the_list_filters_and_totals_without_the_cancelled(client, union_a, chair, welfare_member):
    other = MemberFactory(organization=union_a, full_name="Phạm Thị Bích")
    _records(union_a, chair, welfare_member, 2, on=D(2026, 3, 15))
    _records(union_a, chair, other, 1, on=D(2026, 5, 2))
    _records(union_a, chair, other, 1, on=D(2025, 5, 2))
    welfare_services.record_cancel(
        record=WelfareRecord.objects.get(year=2026, number=1), by=chair, reason="Nhầm"
    )
    client.force_login(chair)
    this_year = client.get(url("welfare_records", union_a))  # no filter: this year
    assert len(this_year.context["page"].object_list) == 3
    assert this_year.context["totals"] == {"count": 2, "amount": 200_000, "cancelled": 1}
    assert "200.000 đ" in this_year.content.decode()
    may = client.get(url("welfare_records", union_a), {"year": "", "month": "5"})
    assert {r.year for r in may.context["page"].object_list} == {2025, 2026}
    named = client.get(url("welfare_records", union_a), {"year": "2026", "q": "bích"})
    assert [r.member for r in named.context["page"].object_list] == [other]
    wedding = client.get(url("welfare_records", union_a), {"occasion": "wedding"})
    assert wedding.context["totals"]["count"] == 0


def test_the_list_costs_the_same_queries_for_5_or_120_records(
    client, union_a, chair, welfare_member, django_assert_num_queries
):
    client.force_login(chair)
    _records(union_a, chair, welfare_member, 5)
    client.get(url("welfare_records", union_a))  # warm the session
    with django_assert_num_queries(10) as few:
        client.get(url("welfare_records", union_a))
    queries = len(few)
    _records(union_a, chair, welfare_member, 115)
    with django_assert_num_queries(queries):
        response = client.get(url("welfare_records", union_a), {"year": "2026", "page": "3"})
    assert len(response.context["page"].object_list) == 20  # 50 a page


def test_hostile_text_is_escaped(client, union_a, chair):
    member = MemberFactory(organization=union_a, full_name="<script>alert('x')</script>")
    record = welfare_services.record_create(
        organization=union_a, by=chair, member=member, occasion=Occasion.SICKNESS, on=D(2026, 3, 1), amount=1,
        visited_by="<img src=x onerror=alert(1)>",
    )  # fmt: skip
    client.force_login(chair)
    for page in (url("welfare_records", union_a), url("welfare_record_detail", union_a, record)):
        html = client.get(page).content.decode()
        assert "<script>alert(" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html


# ----------------------------------------------------------------------------------------- gift campaigns


def _campaign_data(**extra):
    data = {
        "title": "Quà 1/6 năm 2026",
        "occasion": "children_1_6",
        "on": "01/06/2026",
        "recipients": "children",
    }
    return {**data, "max_child_age": "15", "amount": "200000", **extra}


def test_a_campaign_is_previewed_then_given_once(client, union_a, chair, welfare_member, welfare_child):
    older = FamilyMemberFactory(member=welfare_member, full_name="Nguyễn Thu Hà", birth_date=D(2008, 1, 1))
    client.force_login(chair)
    preview = client.post(url("gift_campaign_create", union_a), _campaign_data())
    assert preview.status_code == 200
    html = preview.content.decode()
    assert welfare_child.full_name in html and older.full_name not in html  # 18 on 1/6
    assert preview.context["preview"]["count"] == 1 and preview.context["preview"]["total"] == 200_000
    assert not WelfareRecord.objects.exists()  # nothing given yet

    confirm = _campaign_data(confirm="1", expected="1")
    response = client.post(url("gift_campaign_create", union_a), confirm)
    campaign = GiftCampaign.objects.get()
    assert response.status_code == 302
    assert response.url == url("gift_campaign_detail", union_a, campaign)
    assert [(r.member, r.family_member, r.amount) for r in campaign.records.all()] == [
        (welfare_member, welfare_child, 200_000)
    ]
    # the same confirmation again (a second click): nobody is given twice
    again = client.post(url("gift_campaign_create", union_a), {**confirm, "expected": "0"})
    assert again.status_code == 302
    assert WelfareRecord.objects.count() == 1 and GiftCampaign.objects.count() == 1


def test_a_confirmation_after_the_roll_changed_shows_the_preview_again(client, union_a, chair, welfare_child):
    client.force_login(chair)
    response = client.post(url("gift_campaign_create", union_a), _campaign_data(confirm="1", expected="5"))
    assert response.status_code == 409
    assert "Danh sách đoàn viên đã thay đổi từ lúc xem trước" in response.content.decode()
    assert not WelfareRecord.objects.exists()


def test_a_campaign_with_broken_rules_answers_422(client, union_a, chair):
    client.force_login(chair)
    response = client.post(url("gift_campaign_create", union_a), _campaign_data(recipients="members"))
    assert response.status_code == 422
    assert "Dịp này dành cho con đoàn viên" in response.content.decode()
    no_amount = client.post(url("gift_campaign_create", union_a), _campaign_data(amount=""))
    assert no_amount.status_code == 422
    assert not GiftCampaign.objects.exists()


def test_the_campaign_page_lists_recipients_and_total_in_fixed_queries(
    client, union_a, chair, gift_campaign, django_assert_num_queries
):
    client.force_login(chair)
    client.get(url("gift_campaign_detail", union_a, gift_campaign))
    with django_assert_num_queries(12) as few:
        response = client.get(url("gift_campaign_detail", union_a, gift_campaign))
    queries = len(few)
    assert response.context["totals"]["amount"] == 300_000
    assert "Nguyễn Văn An" in response.content.decode()
    for index in range(30):
        MemberFactory(organization=union_a, full_name=f"Người mới {index:02d}")
    assert client.post(url("gift_campaign_run", union_a, gift_campaign)).status_code == 302
    with django_assert_num_queries(queries):
        response = client.get(url("gift_campaign_detail", union_a, gift_campaign))
    assert response.context["totals"] == {"count": 31, "amount": 31 * 300_000, "cancelled": 0}
    listed = client.get(url("gift_campaigns", union_a)).content.decode()
    assert "Quà Tết năm 2025" in listed and "9.300.000 đ" in listed
