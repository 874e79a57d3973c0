"""Statuses with history and transfers through the browser (members/member_views.py)."""

import datetime
import re

import pytest
from django.urls import reverse

from members import services
from members.models import Member, MemberTransfer

D = datetime.date


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 9, 0), tick=False)


def page(member, name="member_detail"):
    return reverse(f"members:{name}", args=[member.organization_id, member.pk])


def change(client, member, kind, on, **extra):
    return client.post(page(member, "member_change"), {"kind": kind, "on": on, **extra})


def offered(response):
    return re.findall(r'<option value="([a-z_]+)"', response.content.decode())


def test_the_change_form_offers_only_what_the_status_allows(client, chair, people_member):
    client.force_login(chair)
    assert offered(client.get(page(people_member, "member_change"))) == [
        "suspended", "left", "expelled", "ceased", "honorary", "dissolved"
    ]  # fmt: skip
    services.member_change(member=people_member, kind="suspended", on=D(2025, 1, 1), by=chair)
    assert offered(client.get(page(people_member, "member_change"))) == [
        "reinstated", "left", "expelled", "ceased", "dissolved"
    ]  # fmt: skip


def test_every_status_change_through_the_form(client, chair, people_member, time_machine):
    client.force_login(chair)
    steps = [
        ("suspended", "01/02/2025", "suspended"),
        ("reinstated", "01/03/2025", "active"),
        ("ceased", "01/04/2025", "ceased"),
        ("honorary", "02/04/2025", "honorary"),
        ("left", "01/05/2025", "left"),
    ]
    for kind, on, status in steps:
        response = change(client, people_member, kind, on, reason=f"Lý do {kind}", decision=f"QĐ-{kind}")
        assert response.status_code == 302, kind
        people_member.refresh_from_db()
        assert people_member.status == status
    response = client.post(page(people_member, "member_readmit"), {"on": "01/09/2025", "decision": "9/QĐ"})
    assert response.status_code == 302
    assert change(client, people_member, "expelled", "01/10/2025").status_code == 302
    assert client.post(page(people_member, "member_readmit"), {"on": "02/01/2026"}).status_code == 302
    assert change(client, people_member, "dissolved", "01/02/2026").status_code == 302
    people_member.refresh_from_db()
    assert people_member.status == "dissolved"
    kinds = list(people_member.events.values_list("kind", "decision"))
    assert [kind for kind, _ in kinds] == [
        "admitted", "suspended", "reinstated", "ceased", "honorary", "left", "readmitted", "expelled",
        "readmitted", "dissolved",
    ]  # fmt: skip
    assert ("suspended", "QĐ-suspended") in kinds and ("readmitted", "9/QĐ") in kinds
    text = client.get(page(people_member)).content.decode()
    assert "Lý do honorary" in text and "QĐ-left" in text


def test_a_forbidden_change_gets_the_services_message(client, chair, people_member):
    client.force_login(chair)
    response = change(client, people_member, "reinstated", "01/02/2025")
    assert response.status_code == 422
    assert "Đoàn viên đang ở trạng thái “Đang sinh hoạt” không thể ghi nhận “Sinh hoạt trở lại”." in (
        response.content.decode()
    )
    people_member.refresh_from_db()
    assert people_member.status == "active" and people_member.events.count() == 1


def test_bad_change_dates_answer_422(client, chair, people_member):
    client.force_login(chair)
    future = change(client, people_member, "suspended", "02/06/2026")
    assert future.status_code == 422 and "ngày không được ở tương lai" in future.content.decode()
    early = change(client, people_member, "suspended", "31/08/2015")
    assert early.status_code == 422
    assert (
        "Ngày không được trước lần thay đổi gần nhất trong danh sách (01/09/2015)" in early.content.decode()
    )
    impossible = change(client, people_member, "suspended", "30/02/2025")
    assert impossible.status_code == 422
    assert "“30/02/2025” không phải là một ngày có thật" in impossible.content.decode()
    assert change(client, people_member, "promoted", "01/02/2025").status_code == 422
    assert people_member.events.count() == 1


def test_readmission_within_three_months_shows_the_earliest_date(client, chair, union_a):
    member = services.member_admit(
        organization=union_a, by=chair, admitted_on=D(2020, 1, 1), full_name="Vũ Thị Hà", sex="female"
    )
    services.member_change(member=member, kind="left", on=D(2026, 3, 31), by=chair)
    client.force_login(chair)
    form = client.get(page(member, "member_readmit"))
    assert form.status_code == 200 and "30/06/2026" in form.content.decode()
    response = client.post(page(member, "member_readmit"), {"on": "01/06/2026"})
    assert response.status_code == 422
    text = response.content.decode()
    assert "Chỉ được kết nạp lại sau 3 tháng" in text and "ra khỏi tổ chức ngày 31/03/2026" in text
    assert "sớm nhất là ngày 30/06/2026" in text
    member.refresh_from_db()
    assert member.status == "left"


def test_an_active_member_cannot_be_readmitted(client, chair, people_member):
    client.force_login(chair)
    response = client.post(page(people_member, "member_readmit"), {"on": "01/05/2026"})
    assert response.status_code == 422
    assert page(people_member, "member_readmit") not in client.get(page(people_member)).content.decode()


def test_the_reviewer_and_treasurer_may_not_change_a_status(client, treasurer, reviewer, people_member):
    for user in (treasurer, reviewer):
        client.force_login(user)
        assert change(client, people_member, "suspended", "01/02/2025").status_code == 403
    people_member.refresh_from_db()
    assert people_member.status == "active"


# -------------------------------------------------------------------------------------------------- transfers


def test_the_union_search_finds_open_grassroots_unions_but_this_one(
    client, chair, union_a, union_b, ward, people_member
):
    from tests.factories import OrganizationFactory

    OrganizationFactory(name="Công đoàn cơ sở Công ty Đóng cửa", symbol="CĐCTĐC", closed_on=D(2025, 1, 1))
    client.force_login(chair)
    response = client.get(page(people_member, "member_transfer"), {"q": "Công"})
    names = [union.name for union in response.context["results"]]
    assert names == ["Công đoàn cơ sở Công ty B"]  # not this union, a closed one, nor the wards above
    by_symbol = client.get(page(people_member, "member_transfer"), {"q": "CĐCTB"})
    assert [union.pk for union in by_symbol.context["results"]] == [union_b.pk]


def test_the_union_search_shows_at_most_twenty(client, chair, people_member):
    from tests.factories import OrganizationFactory

    for n in range(25):
        OrganizationFactory(name=f"Công đoàn cơ sở Trường số {n:02}")
    client.force_login(chair)
    response = client.get(page(people_member, "member_transfer"), {"q": "Trường số"})
    assert len(response.context["results"]) == 20 and response.context["more"]


def test_a_transfer_from_union_a_to_union_b_accepted_by_its_chair(
    client, chair, other_chair, union_a, union_b, people_member
):
    client.force_login(chair)
    data = {
        "to_organization": union_b.pk,
        "on": "15/05/2026",
        "decision": "30/QĐ-CĐMNA",
        "reason": "Chuyển công tác",
    }
    response = client.post(page(people_member, "member_transfer"), data)
    assert response.status_code == 302
    transfer = MemberTransfer.objects.get()
    assert (transfer.status, transfer.to_organization, transfer.on) == ("pending", union_b, D(2026, 5, 15))
    text = client.get(page(people_member)).content.decode()
    assert 'id="pending-transfer"' in text and "Công đoàn cơ sở Công ty B" in text and "15/05/2026" in text
    assert page(people_member, "member_transfer") not in text  # one transfer at a time

    client.force_login(other_chair)
    incoming = client.get(reverse("members:transfer_incoming", args=[union_b.pk]))
    text = incoming.content.decode()
    assert "Lê Thị Mai" in text and "Công đoàn cơ sở Trường Mầm non A" in text and "30/QĐ-CĐMNA" in text
    assert "001190012345" not in text and "12/04/1990" not in text  # nothing personal before acceptance
    assert client.get(page(people_member)).status_code == 404  # not on B's roll yet
    decide = reverse("members:transfer_decide", args=[union_b.pk, transfer.pk])
    response = client.post(decide, {"decision": "accept"})
    people_member.refresh_from_db()
    assert people_member.organization == union_b and people_member.status == "active"
    assert response.status_code == 302 and response.url == page(people_member)
    roll = client.get(reverse("members:member_list", args=[union_b.pk]))
    assert [member.full_name for member in roll.context["page"]] == ["Lê Thị Mai"]
    text = client.get(page(people_member)).content.decode()
    assert "Chuyển công tác" in text and "12/QĐ-CĐMNA" in text  # the history came along
    kinds = list(people_member.events.values_list("kind", flat=True))
    assert kinds == ["admitted", "transferred_out", "transferred_in"]
    assert client.post(decide, {"decision": "refuse"}).status_code == 422  # decided already

    client.force_login(chair)
    assert (
        client.get(reverse("members:member_detail", args=[union_a.pk, people_member.pk])).status_code == 404
    )


def test_a_refused_transfer_leaves_the_member_where_they_are(
    client, chair, union_a, people_incoming_transfer
):
    client.force_login(chair)
    decide = reverse("members:transfer_decide", args=[union_a.pk, people_incoming_transfer.pk])
    assert client.post(decide, {"decision": "maybe"}).status_code == 422
    response = client.post(decide, {"decision": "refuse"})
    assert response.status_code == 302
    people_incoming_transfer.refresh_from_db()
    assert people_incoming_transfer.status == "refused"
    assert people_incoming_transfer.member.organization_id != union_a.pk
    text = client.get(reverse("members:transfer_incoming", args=[union_a.pk])).content.decode()
    assert 'id="no-incoming"' in text


def test_a_transfer_needs_a_union_and_an_active_member(client, chair, union_a, union_b, people_gone_member):
    client.force_login(chair)
    url = page(people_gone_member, "member_transfer")
    missing = client.post(url, {"on": "01/05/2026"})
    assert missing.status_code == 422 and "Hãy tìm và chọn công đoàn tiếp nhận." in missing.content.decode()
    own = client.post(url, {"to_organization": union_a.pk, "on": "01/05/2026"})
    assert own.status_code == 422
    gone = client.post(url, {"to_organization": union_b.pk, "on": "01/05/2026", "q": "CĐCTB"})
    assert gone.status_code == 422 and [u.pk for u in gone.context["results"]] == [union_b.pk]
    assert not MemberTransfer.objects.exists()


def test_the_incoming_list_is_for_the_receiving_committee(
    client, treasurer, reviewer, union_a, people_incoming_transfer
):
    url = reverse("members:transfer_incoming", args=[union_a.pk])
    decide = reverse("members:transfer_decide", args=[union_a.pk, people_incoming_transfer.pk])
    for user in (treasurer, reviewer):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(decide, {"decision": "accept"}).status_code == 403
    assert Member.objects.get(pk=people_incoming_transfer.member_id).organization_id != union_a.pk


def test_another_unions_transfer_cannot_be_decided(
    client, chair, other_chair, union_b, people_incoming_transfer
):
    client.force_login(other_chair)  # the sending union may not accept its own request
    decide = reverse("members:transfer_decide", args=[union_b.pk, people_incoming_transfer.pk])
    assert client.post(decide, {"decision": "accept"}).status_code == 404
    people_incoming_transfer.refresh_from_db()
    assert people_incoming_transfer.status == "pending"
