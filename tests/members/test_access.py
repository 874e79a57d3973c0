import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from members import access
from members.models import Officer
from tests.factories import OfficerFactory, OrganizationFactory


def test_grassroots_officer_sees_only_their_union(chair, union_a, union_b, ward):
    assert set(access.visible_organizations(chair)) == {union_a}


def test_reviewer_sees_own_union_and_everything_below(reviewer, ward, union_a, union_b):
    assert set(access.visible_organizations(reviewer)) == {ward, union_a}


def test_provincial_leader_sees_the_whole_subtree(leader, province, ward, other_ward, union_a, union_b):
    assert set(access.visible_organizations(leader)) == {province, ward, other_ward, union_a, union_b}


def test_committee_member_of_an_upper_union_does_not_see_below(ward, union_a):
    member = OfficerFactory(organization=ward, role=Officer.Role.COMMITTEE_MEMBER).user
    assert set(access.visible_organizations(member)) == {ward}


def test_ended_role_gives_no_access(union_a):
    past = OfficerFactory(
        organization=union_a, start_on=datetime.date(2020, 1, 1), end_on=datetime.date(2021, 1, 1)
    )
    assert list(access.visible_organizations(past.user)) == []


def test_scope_is_one_query_whatever_the_tree_size(leader, province, django_assert_num_queries):
    for _ in range(3):
        upper = OrganizationFactory(level="upper_grassroots", parent=province)
        for _ in range(5):
            OrganizationFactory(parent=upper)
    with django_assert_num_queries(1):
        assert len(list(access.visible_organizations(leader))) >= 18


def test_outside_scope_is_404_inside_but_not_allowed_is_403(chair, treasurer, other_chair, union_a):
    assert access.get_organization_for(chair, union_a.pk, action="edit") == union_a
    with pytest.raises(PermissionDenied):
        access.get_organization_for(treasurer, union_a.pk, action="edit")
    with pytest.raises(Http404):
        access.get_organization_for(other_chair, union_a.pk)


def test_closed_union_is_readable_but_not_editable(chair, union_a):
    union_a.closed_on = datetime.date(2025, 5, 31)
    union_a.save()
    assert access.can(chair, "view", union_a)
    assert not access.can(chair, "edit", union_a)
    assert not access.can(chair, "manage_groups", union_a)


def test_unknown_action_is_a_programming_error(chair, union_a):
    with pytest.raises(ValueError):
        access.can(chair, "fly", union_a)
