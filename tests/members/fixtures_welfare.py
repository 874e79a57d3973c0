"""Fixtures of this area (imported by tests/conftest.py): a member of union_a with a child, a spending rule,
a welfare record and a gift campaign, all dated in 2025 (so never in the future, whatever today is)."""

import datetime

import pytest

from members import welfare_services
from members.models import GiftCampaign, Member, Occasion
from tests.factories import FamilyMemberFactory, MemberFactory

D = datetime.date
WELFARE_TODAY = datetime.datetime(2026, 6, 15, 10, 0)


@pytest.fixture
def welfare_today(time_machine):
    """Today pinned to 15/06/2026 (dates in the future are refused; ages depend on the day)."""
    time_machine.move_to(WELFARE_TODAY, tick=False)
    return WELFARE_TODAY.date()


@pytest.fixture
def welfare_member(union_a):
    return MemberFactory(
        organization=union_a, full_name="Nguyễn Văn An", sex=Member.Sex.MALE, birth_date=D(1985, 4, 2),
        union_group=union_a.union_groups.get(), admitted_on=D(2015, 9, 1),
    )  # fmt: skip


@pytest.fixture
def welfare_child(welfare_member):
    return FamilyMemberFactory(member=welfare_member, full_name="Nguyễn Minh Khôi", birth_date=D(2016, 3, 1))


@pytest.fixture
def welfare_rule(union_a, chair):
    return welfare_services.rule_create(
        organization=union_a, by=chair, occasion=Occasion.SICKNESS, amount=500_000,
        effective_from=D(2025, 1, 1), decision="01/QC-CĐCS",
    )  # fmt: skip


@pytest.fixture
def welfare_record(union_a, chair, welfare_member, welfare_rule):
    return welfare_services.record_create(
        organization=union_a, by=chair, member=welfare_member, occasion=Occasion.SICKNESS, on=D(2025, 3, 15)
    )


@pytest.fixture
def gift_campaign(union_a, chair, welfare_member):
    campaign, _ = welfare_services.campaign_create(
        organization=union_a, by=chair, title="Quà Tết năm 2025", occasion=Occasion.TET, on=D(2025, 1, 20),
        recipients=GiftCampaign.Recipients.MEMBERS, amount=300_000,
    )  # fmt: skip
    return campaign
