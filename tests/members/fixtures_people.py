"""Fixtures of this area (imported by tests/conftest.py): members with real history, made by the services."""

import datetime

import pytest

from members import services

D = datetime.date


@pytest.fixture
def people_member(union_a, chair):
    """An active member of union A, admitted in 2015, with a child on record."""
    member = services.member_admit(
        organization=union_a, by=chair, admitted_on=D(2015, 9, 1), full_name="Lê Thị Mai", sex="female",
        birth_date=D(1990, 4, 12), citizen_id="001190012345", admission_decision="12/QĐ-CĐMNA",
        union_group=union_a.union_groups.get(),
    )  # fmt: skip
    services.family_add(
        member=member, by=chair, relation="child", full_name="Trần Minh An", birth_date=D(2018, 6, 1)
    )
    return member


@pytest.fixture
def people_relative(people_member):
    return people_member.family.get()


@pytest.fixture
def people_gone_member(union_a, chair):
    """A member of union A who left on 01/01/2025."""
    member = services.member_admit(
        organization=union_a, by=chair, admitted_on=D(2012, 9, 1), full_name="Phạm Văn Lâm", sex="male"
    )
    services.member_change(member=member, kind="left", on=D(2025, 1, 1), by=chair, reason="Nghỉ việc")
    member.refresh_from_db()
    return member


@pytest.fixture
def people_incoming_transfer(union_a, union_b, other_chair):
    """A member of union B on their way to union A, waiting for A's committee."""
    member = services.member_admit(
        organization=union_b, by=other_chair, admitted_on=D(2016, 3, 1), full_name="Hoàng Văn Nam",
        sex="male", citizen_id="031088000777", phone="0912345678",
    )  # fmt: skip
    return services.member_transfer_request(
        member=member, to_organization=union_a, on=D(2025, 6, 1), by=other_chair, decision="05/QĐ-CĐCTB"
    )
