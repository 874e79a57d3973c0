"""Dues exemptions in the browser: the treasurer records the months a member owes nothing (social-insurance
benefits, no work and no income), the sheet shows those lines at 0 đ, and a closed month's sheet stays."""

import datetime

import pytest
from django.urls import reverse

from finance import ledgers
from finance.collection import collection, dues_mark_paid
from finance.models import DuesExemption
from tests.factories import MemberFactory, OfficerFactory, UserFactory

D = datetime.date


@pytest.fixture
def march(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 20, 9, 0), tick=False)


@pytest.fixture
def lan(union_a, march):
    return MemberFactory(organization=union_a, full_name="Trần Thị Lan", insurance_salary=8_000_000)


def list_url(union):
    return reverse("finance:exemptions", args=[union.pk])


def add_url(union):
    return reverse("finance:exemption_add", args=[union.pk])


def remove_url(exemption):
    return reverse("finance:exemption_remove", args=[exemption.member.organization_id, exemption.pk])


def exempt(member, start, end, reason="benefits"):
    return DuesExemption.objects.create(member=member, start=start, end=end, reason=reason)


def amounts(union, month):
    return {
        c.line.member.full_name: (c.line.dues.amount, c.line.dues.exempt) for c in collection(union, month)
    }


def test_the_treasurer_adds_an_exemption_and_the_sheet_shows_the_line_at_0(client, treasurer, union_a, lan):
    client.force_login(treasurer)
    data = {"member": lan.pk, "start": "03/2026", "end": "04/2026", "reason": "benefits", "note": "Thai sản"}
    response = client.post(add_url(union_a), data)
    assert response.status_code == 302 and response.url == list_url(union_a)
    exemption = DuesExemption.objects.get()
    assert (exemption.member, exemption.start, exemption.end, exemption.note) == (
        lan,
        D(2026, 3, 1),
        D(2026, 4, 1),
        "Thai sản",
    )
    page = client.get(list_url(union_a)).content.decode()
    assert "Trần Thị Lan được miễn đoàn phí từ 03/2026 đến 04/2026." in page
    row = page[page.index(f'data-exemption="{exemption.pk}"') :]
    row = row[: row.index("</tr>")]
    for text in ("Trần Thị Lan", "03/2026 – 04/2026", "Đang hưởng chế độ BHXH", "Thai sản", "Xóa"):
        assert text in row, text
    assert amounts(union_a, D(2026, 3, 1)) == {"Trần Thị Lan": (0, True)}
    assert amounts(union_a, D(2026, 5, 1)) == {"Trần Thị Lan": (40_000, False)}
    sheet = client.get(reverse("finance:dues_sheet", args=[union_a.pk]) + "?month=2026-04").content.decode()
    line = sheet[sheet.index(f'data-member="{lan.pk}"') :]
    line = line[: line.index("</tr>")]
    assert "data-exempt" in line and "miễn" in line and ">0 đ<" in line
    assert 'data-total="owed">0 đ' in sheet


def test_one_month_and_the_other_month_form_are_understood(client, chair, union_a, lan):
    client.force_login(chair)
    data = {"member": lan.pk, "start": "2026-02", "end": "2/2026", "reason": "no_income"}
    assert client.post(add_url(union_a), data).status_code == 302
    assert DuesExemption.objects.values_list("start", "end", "reason").get() == (
        D(2026, 2, 1),
        D(2026, 2, 1),
        "no_income",
    )
    assert "02/2026" in client.get(list_url(union_a)).content.decode()


def test_overlapping_months_are_refused_with_a_message_and_nothing_lost(client, treasurer, union_a, lan):
    exempt(lan, D(2026, 1, 1), D(2026, 3, 1))
    client.force_login(treasurer)
    data = {
        "member": lan.pk,
        "start": "03/2026",
        "end": "05/2026",
        "reason": "no_income",
        "note": "Nghỉ việc",
    }
    response = client.post(add_url(union_a), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Trần Thị Lan đã được miễn đoàn phí từ 01/2026 đến 03/2026" in page
    assert 'value="05/2026"' in page and 'value="Nghỉ việc"' in page  # what was typed stays
    assert DuesExemption.objects.count() == 1
    other = MemberFactory(organization=union_a, full_name="Lê Văn Bình")  # another member: no overlap
    assert client.post(add_url(union_a), {**data, "member": other.pk}).status_code == 302
    adjacent = {**data, "start": "04/2026", "end": "04/2026"}  # the month after: fine
    assert client.post(add_url(union_a), adjacent).status_code == 302
    assert DuesExemption.objects.count() == 3


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("13/2026", "03/2026", "Hãy nhập tháng theo dạng mm/yyyy, ví dụ 03/2026."),
        ("tháng 3", "03/2026", "Hãy nhập tháng theo dạng mm/yyyy, ví dụ 03/2026."),
        ("03/2026", "31/03/2026", "Hãy nhập tháng theo dạng mm/yyyy, ví dụ 03/2026."),
        ("04/2026", "03/2026", "Tháng cuối không được trước tháng đầu."),
        ("", "03/2026", "Trường này bắt buộc."),
    ],
)
def test_invalid_months_are_refused(client, treasurer, union_a, lan, start, end, message):
    client.force_login(treasurer)
    data = {"member": lan.pk, "start": start, "end": end, "reason": "benefits"}
    response = client.post(add_url(union_a), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not DuesExemption.objects.exists()


def test_a_member_of_another_union_or_a_bad_reason_is_refused(client, treasurer, union_a, union_b, lan):
    stranger = MemberFactory(organization=union_b, full_name="Người Ngoài")
    client.force_login(treasurer)
    data = {"member": stranger.pk, "start": "03/2026", "end": "03/2026", "reason": "benefits"}
    response = client.post(add_url(union_a), data)
    assert response.status_code == 422
    assert "Hãy chọn một đoàn viên trong danh sách của công đoàn." in response.content.decode()
    assert client.post(add_url(union_a), {**data, "member": lan.pk, "reason": "holiday"}).status_code == 422
    assert not DuesExemption.objects.exists()


def test_a_closed_month_keeps_its_sheet(client, treasurer, union_a, lan):
    """Removing an exemption, or adding one, over a closed month would change that month's sheet."""
    exemption = exempt(lan, D(2026, 1, 1), D(2026, 2, 1))
    ledgers.month_close(organization=union_a, month=D(2026, 2, 1), by=treasurer)
    before = amounts(union_a, D(2026, 2, 1))
    client.force_login(treasurer)
    response = client.post(remove_url(exemption))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Sổ sách tháng 02/2026 đã khóa: không thể xóa lần miễn đoàn phí này nữa." in page
    assert "tháng đã khóa sổ" in page  # no remove button on that row any more
    assert DuesExemption.objects.filter(pk=exemption.pk).exists()
    other = MemberFactory(organization=union_a, full_name="Lê Văn Bình", insurance_salary=8_000_000)
    data = {"member": other.pk, "start": "02/2026", "end": "03/2026", "reason": "benefits"}
    refused = client.post(add_url(union_a), data)
    assert refused.status_code == 422
    assert "Sổ sách tháng 02/2026 đã khóa: bảng thu đoàn phí của tháng đó không thể thay đổi nữa." in (
        refused.content.decode()
    )
    assert DuesExemption.objects.count() == 1
    assert amounts(union_a, D(2026, 2, 1)) == before | {"Lê Văn Bình": (40_000, False)}


def test_an_open_exemption_is_removed_and_the_month_is_owed_again(client, treasurer, union_a, lan):
    exemption = exempt(lan, D(2026, 3, 1), D(2026, 3, 1))
    ledgers.month_close(organization=union_a, month=D(2026, 2, 1), by=treasurer)  # another month: no matter
    client.force_login(treasurer)
    response = client.post(remove_url(exemption))
    assert response.status_code == 302 and response.url == list_url(union_a)
    assert not DuesExemption.objects.exists()
    assert "Đã xóa lần miễn đoàn phí của Trần Thị Lan từ 03/2026 đến 03/2026." in (
        client.get(response.url).content.decode()
    )
    assert amounts(union_a, D(2026, 3, 1)) == {"Trần Thị Lan": (40_000, False)}


def test_a_paid_month_is_not_exempted(client, treasurer, union_a, lan):
    dues_mark_paid(organization=union_a, month=D(2026, 3, 1), by=treasurer, method="cash")
    client.force_login(treasurer)
    data = {"member": lan.pk, "start": "02/2026", "end": "04/2026", "reason": "benefits"}
    response = client.post(add_url(union_a), data)
    assert response.status_code == 422
    assert "Trần Thị Lan đã nộp đoàn phí tháng 03/2026" in response.content.decode()
    assert not DuesExemption.objects.exists()


def test_access_per_persona(client, chair, treasurer, reviewer, other_chair, union_a, lan):
    exemption = exempt(lan, D(2026, 3, 1), D(2026, 3, 1))
    data = {"member": lan.pk, "start": "05/2026", "end": "05/2026", "reason": "benefits"}
    client.force_login(other_chair)  # outside the scope: nothing shows it exists
    assert client.get(list_url(union_a)).status_code == 404
    assert client.post(add_url(union_a), data).status_code == 404
    assert client.post(remove_url(exemption)).status_code == 404
    client.force_login(reviewer)  # the union above: totals only, never a member's months
    assert client.get(list_url(union_a)).status_code == 403
    assert client.post(add_url(union_a), data).status_code == 403
    assert client.post(remove_url(exemption)).status_code == 403
    committee = UserFactory(username="committee")
    OfficerFactory(user=committee, organization=union_a, role="committee_member")
    client.force_login(committee)  # an officer who may see the books, not keep them
    page = client.get(list_url(union_a)).content.decode()
    assert "Trần Thị Lan" in page and 'id="exemption-form"' not in page and "exemption_remove" not in page
    assert remove_url(exemption) not in page
    assert client.post(add_url(union_a), data).status_code == 403
    assert client.post(remove_url(exemption)).status_code == 403
    assert list(DuesExemption.objects.all()) == [exemption]
    for keeper in (chair, treasurer):
        client.force_login(keeper)
        page = client.get(list_url(union_a)).content.decode()
        assert 'id="exemption-form"' in page and remove_url(exemption) in page
    assert client.get(add_url(union_a)).status_code == 405
    assert client.get(remove_url(exemption)).status_code == 405


def test_an_exemption_of_another_union_is_not_found(client, treasurer, union_b):
    stranger = MemberFactory(organization=union_b, full_name="Người Ngoài")
    theirs = exempt(stranger, D(2026, 3, 1), D(2026, 3, 1))
    client.force_login(treasurer)
    url = reverse("finance:exemption_remove", args=[treasurer.officer_roles.get().organization_id, theirs.pk])
    assert client.post(url).status_code == 404
    assert DuesExemption.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("count", [1, 12])
def test_the_list_costs_the_same_queries_however_long(
    client, treasurer, union_a, march, django_assert_num_queries, count
):
    for n in range(count):
        exempt(
            MemberFactory(organization=union_a, full_name=f"Đoàn viên {n:02d}"), D(2026, 1, 1), D(2026, 2, 1)
        )
    client.force_login(treasurer)
    client.get(list_url(union_a))
    # session, user, union, roles, exemptions, closed months, the menu (roles, notifications), form members
    with django_assert_num_queries(9):
        page = client.get(list_url(union_a)).content.decode()
    assert page.count("data-exemption=") == count


def test_the_member_page_lists_the_exemptions_with_a_link(client, chair, union_a, lan):
    exempt(lan, D(2026, 1, 1), D(2026, 2, 1), reason="no_income")
    client.force_login(chair)
    page = client.get(reverse("members:member_detail", args=[union_a.pk, lan.pk])).content.decode()
    section = page[page.index('id="member-exemptions"') :]
    assert "Miễn đoàn phí" in section and "01/2026 – 02/2026" in section
    assert "Không có việc làm, không có thu nhập" in section
    assert f"{list_url(union_a)}?member={lan.pk}" in section
    form = client.get(f"{list_url(union_a)}?member={lan.pk}").content.decode()
    assert f'<option value="{lan.pk}" selected>' in form


def test_the_sheet_links_the_exemptions(client, chair, union_a, lan):
    client.force_login(chair)
    page = client.get(reverse("finance:dues_sheet", args=[union_a.pk]) + "?month=2026-03").content.decode()
    assert list_url(union_a) in page and "Miễn đoàn phí" in page


def test_the_exemption_services_ask_the_policy_themselves(union_a, reviewer, treasurer):
    import pytest
    from django.core.exceptions import PermissionDenied

    from finance.collection import exemption_add
    from tests.factories import MemberFactory

    member = MemberFactory(organization=union_a)
    with pytest.raises(PermissionDenied):
        exemption_add(member=member, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 2, 1),
                      reason="benefits", by=reviewer)  # fmt: skip
