import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members import services
from members.models import Officer, Organization, OrganizationMove
from tests.factories import OfficerFactory, OrganizationFactory

L = Organization.Level


def test_closing_before_founding_is_refused(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(founded_on=datetime.date(2020, 1, 1), closed_on=datetime.date(2019, 1, 1))


def test_only_the_national_union_has_no_parent(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="Mồ côi", symbol="MC", level=L.GRASSROOTS, parent=None)


def test_clean_refuses_a_parent_at_the_same_level(union_a, union_b):
    union_b.parent = union_a
    with pytest.raises(ValidationError) as error:
        union_b.full_clean()
    assert "parent" in error.value.message_dict


def test_officer_period_must_not_end_before_it_starts(union_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficerFactory(
            organization=union_a, start_on=datetime.date(2025, 1, 1), end_on=datetime.date(2024, 1, 1)
        )


def test_active_officers_follow_their_period(union_a):
    current = OfficerFactory(organization=union_a, start_on=datetime.date(2023, 1, 1))
    ended = OfficerFactory(
        organization=union_a,
        role=Officer.Role.TREASURER,
        start_on=datetime.date(2020, 1, 1),
        end_on=datetime.date(2022, 12, 31),
    )
    on = datetime.date(2024, 6, 1)
    assert list(Officer.objects.active(on)) == [current]
    assert ended.is_active(datetime.date(2021, 1, 1))
    assert current.signature_title == "CHỦ TỊCH"


def test_moving_a_union_keeps_its_history(union_a, ward, other_ward):
    move = services.organization_move(
        organization=union_a, new_parent=other_ward, on=datetime.date(2025, 7, 1), decision="01/QĐ-LĐLĐ"
    )
    union_a.refresh_from_db()
    assert union_a.parent == other_ward
    assert (move.from_parent, move.to_parent, move.moved_on) == (ward, other_ward, datetime.date(2025, 7, 1))
    services.organization_move(organization=union_a, new_parent=ward, on=datetime.date(2026, 1, 1))
    assert list(
        OrganizationMove.objects.filter(organization=union_a).values_list("to_parent", flat=True)
    ) == [
        other_ward.pk,
        ward.pk,
    ]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("ward", "đã trực thuộc"),  # already there
        ("union_b", "cấp cao hơn"),  # a grassroots union cannot be a parent
    ],
)
def test_impossible_moves_are_refused_in_vietnamese(request, union_a, union_b, target, message):
    with pytest.raises(ValidationError, match=message):
        services.organization_move(
            organization=union_a, new_parent=request.getfixturevalue(target), on=datetime.date(2025, 7, 1)
        )
    assert not OrganizationMove.objects.exists()


def test_a_union_cannot_move_below_itself(province, ward):
    with pytest.raises(ValidationError, match="chính nó"):
        services.organization_move(organization=province, new_parent=ward, on=datetime.date(2025, 7, 1))


def test_moving_under_a_closed_union_is_refused(union_a, province):
    closed = OrganizationFactory(
        level=L.UPPER_GRASSROOTS, parent=province, closed_on=datetime.date(2025, 6, 30)
    )
    with pytest.raises(ValidationError, match="kết thúc hoạt động"):
        services.organization_move(organization=union_a, new_parent=closed, on=datetime.date(2025, 7, 1))


def test_organization_is_closed_after_its_closing_day(db):
    org = OrganizationFactory(closed_on=datetime.date(2025, 6, 30))
    assert not org.is_closed(datetime.date(2025, 6, 30))
    assert org.is_closed(datetime.date(2025, 7, 1))
    assert list(Organization.objects.open_on(datetime.date(2025, 7, 1)).filter(pk=org.pk)) == []
