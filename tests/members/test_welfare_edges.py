"""Welfare at its edges: a closed month in the books, a relative named on records, an impossible amount."""

import datetime

from django.urls import reverse

from finance import ledgers
from members import welfare_services
from members.models import FamilyMember, Occasion, WelfareRecord
from tests.factories import MemberFactory

D = datetime.date


def test_giving_a_campaign_again_in_a_closed_month_says_why(
    client, welfare_today, union_a, chair, treasurer, gift_campaign, welfare_member
):
    ledgers.official_ledger(union_a)
    ledgers.month_close(organization=union_a, month=D(2025, 1, 1), by=treasurer)
    MemberFactory(organization=union_a, full_name="Lê Thị Mới", admitted_on=D(2024, 1, 1))  # newly eligible
    client.force_login(chair)
    url = reverse("members:gift_campaign_run", args=[union_a.pk, gift_campaign.pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "01/2025" in response.content.decode()  # the books' message, not a 500
    assert WelfareRecord.objects.filter(campaign=gift_campaign).count() == 1


def test_a_relative_named_on_a_welfare_record_stays_in_the_family(
    client, welfare_today, union_a, chair, welfare_member, welfare_child
):
    welfare_services.record_create(
        organization=union_a, by=chair, member=welfare_member, occasion=Occasion.CHILDREN_1_6,
        on=D(2026, 6, 1), family_member=welfare_child, amount=200_000,
    )  # fmt: skip
    client.force_login(chair)
    url = reverse("members:family_remove", args=[union_a.pk, welfare_member.pk, welfare_child.pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "Nguyễn Minh Khôi" in response.content.decode()
    assert FamilyMember.objects.filter(pk=welfare_child.pk).exists()


def test_an_impossible_amount_is_refused_with_a_message(
    client, welfare_today, union_a, chair, welfare_member
):
    client.force_login(chair)
    response = client.post(
        reverse("members:welfare_record_create", args=[union_a.pk]),
        {"member": welfare_member.pk, "occasion": Occasion.SICKNESS, "on": "10/06/2026",
         "amount": "10000000000000000000"},
    )  # fmt: skip
    assert response.status_code == 422
    assert not WelfareRecord.objects.exists()
