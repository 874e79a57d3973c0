"""The member roll's services (members/services.py): admission, every status change and the forbidden ones,
re-admission after three months, transfers between unions under different upper unions, history kept."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members import services
from members.models import Member, MemberEvent, MemberTransfer

D = datetime.date
S, K = Member.Status, MemberEvent.Kind


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 9, 0), tick=False)


@pytest.fixture
def member(union_a, chair):
    return services.member_admit(
        organization=union_a, by=chair, admitted_on=D(2020, 9, 1), full_name="Trần Thị Mai", sex="female",
        citizen_id="001190012345", admission_decision="12/QĐ-CĐCS",
    )  # fmt: skip


def history(member):
    return list(member.events.values_list("kind", "on", "organization__symbol"))


def test_admission_starts_the_history(member, union_a):
    assert member.status == S.ACTIVE and member.status_since == D(2020, 9, 1)
    assert history(member) == [(K.ADMITTED, D(2020, 9, 1), union_a.symbol)]
    assert member.events.get().decision == "12/QĐ-CĐCS"


def test_a_citizen_id_is_on_one_roll_only(member, union_a, chair):
    with pytest.raises(ValidationError) as refused:
        services.member_admit(
            organization=union_a, by=chair, admitted_on=D(2021, 1, 1), full_name="Người khác", sex="male",
            citizen_id=member.citizen_id,
        )  # fmt: skip
    assert "citizen_id" in refused.value.message_dict


def test_a_citizen_id_has_twelve_digits(union_a, chair):
    with pytest.raises(ValidationError) as refused:
        services.member_admit(
            organization=union_a, by=chair, admitted_on=D(2021, 1, 1), full_name="Lê Văn An", sex="male",
            citizen_id="12345",
        )  # fmt: skip
    assert "citizen_id" in refused.value.message_dict


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (K.SUSPENDED, S.SUSPENDED),
        (K.LEFT, S.LEFT),
        (K.EXPELLED, S.EXPELLED),
        (K.CEASED, S.CEASED),
        (K.HONORARY, S.HONORARY),
        (K.DISSOLVED, S.DISSOLVED),
    ],
)
def test_each_change_from_active(member, chair, kind, status):
    event = services.member_change(member=member, kind=kind, on=D(2026, 5, 2), by=chair, decision="5/QĐ")
    member.refresh_from_db()
    assert (member.status, member.status_since) == (status, D(2026, 5, 2))
    assert event.kind == kind and event.decision == "5/QĐ"
    assert [k for k, _on, _org in history(member)] == [K.ADMITTED, kind]


def test_suspension_and_back(member, chair):
    services.member_change(
        member=member, kind=K.SUSPENDED, on=D(2026, 1, 5), by=chair, reason="Nghỉ không lương"
    )
    services.member_change(member=member, kind=K.REINSTATED, on=D(2026, 4, 5), by=chair)
    member.refresh_from_db()
    assert member.status == S.ACTIVE
    assert [k for k, _on, _org in history(member)] == [K.ADMITTED, K.SUSPENDED, K.REINSTATED]


@pytest.mark.parametrize(
    ("first", "then"),
    [
        (K.LEFT, K.SUSPENDED),  # gone from the roll: only re-admission brings them back
        (K.EXPELLED, K.LEFT),
        (K.DISSOLVED, K.HONORARY),
        (None, K.REINSTATED),  # active: nothing to reinstate from
        (K.HONORARY, K.SUSPENDED),
        (K.HONORARY, K.EXPELLED),
    ],
)
def test_forbidden_changes_are_refused_with_a_message(member, chair, first, then):
    if first:
        services.member_change(member=member, kind=first, on=D(2026, 1, 5), by=chair)
    before = history(member)
    with pytest.raises(ValidationError) as refused:
        services.member_change(member=member, kind=then, on=D(2026, 2, 5), by=chair)
    assert "không thể ghi nhận" in refused.value.messages[0]
    assert history(member) == before


def test_dates_in_the_future_or_before_the_last_change_are_refused(member, chair):
    with pytest.raises(ValidationError):
        services.member_change(member=member, kind=K.LEFT, on=D(2026, 6, 2), by=chair)
    with pytest.raises(ValidationError):
        services.member_change(member=member, kind=K.LEFT, on=D(2019, 1, 1), by=chair)
    assert member.events.count() == 1


def test_readmission_only_three_months_after_leaving(member, chair):
    services.member_change(member=member, kind=K.LEFT, on=D(2026, 2, 28), by=chair)
    member.refresh_from_db()
    assert services.readmission_from(member) == D(2026, 5, 28)
    with pytest.raises(ValidationError) as refused:
        services.member_readmit(member=member, on=D(2026, 5, 27), by=chair)
    assert "28/05/2026" in refused.value.messages[0]
    services.member_readmit(member=member, on=D(2026, 5, 28), by=chair, decision="30/QĐ")
    member.refresh_from_db()
    assert member.status == S.ACTIVE
    assert [k for k, _on, _org in history(member)] == [K.ADMITTED, K.LEFT, K.READMITTED]


def test_three_months_from_the_end_of_a_month_is_the_end_of_a_shorter_one(member, chair):
    services.member_change(member=member, kind=K.CEASED, on=D(2025, 11, 30), by=chair)
    member.refresh_from_db()
    assert services.readmission_from(member) == D(2026, 2, 28)


def test_an_active_member_is_not_readmitted(member, chair):
    with pytest.raises(ValidationError):
        services.member_readmit(member=member, on=D(2026, 5, 1), by=chair)


def test_transfer_to_a_union_under_another_upper_union(member, chair, union_b, other_chair, ward, other_ward):
    assert union_b.parent == other_ward and member.organization.parent == ward
    transfer = services.member_transfer_request(
        member=member, to_organization=union_b, on=D(2026, 5, 15), by=chair, decision="7/QĐ"
    )
    member.refresh_from_db()
    assert member.organization != union_b  # still on the sending roll until accepted
    with pytest.raises(PermissionDenied):  # the sender cannot accept for the receiving union
        services.member_transfer_decide(transfer=transfer, by=chair, accept=True)
    services.member_transfer_decide(transfer=transfer, by=other_chair, accept=True)
    member.refresh_from_db()
    assert member.organization == union_b and member.status == S.ACTIVE and member.union_group is None
    assert [(k, org) for k, _on, org in history(member)] == [
        (K.ADMITTED, "CĐMNA"), (K.TRANSFERRED_OUT, "CĐMNA"), (K.TRANSFERRED_IN, union_b.symbol),
    ]  # fmt: skip
    assert MemberTransfer.objects.get().status == MemberTransfer.Status.ACCEPTED


def test_a_refused_transfer_leaves_the_member_where_they_were(member, chair, union_a, union_b, other_chair):
    transfer = services.member_transfer_request(
        member=member, to_organization=union_b, on=D(2026, 5, 15), by=chair
    )
    services.member_transfer_decide(transfer=transfer, by=other_chair, accept=False)
    member.refresh_from_db()
    assert member.organization == union_a and member.events.count() == 1
    with pytest.raises(ValidationError):
        services.member_transfer_decide(transfer=transfer, by=other_chair, accept=True)


def test_one_pending_transfer_at_a_time(member, chair, union_b):
    services.member_transfer_request(member=member, to_organization=union_b, on=D(2026, 5, 15), by=chair)
    with pytest.raises(ValidationError):
        services.member_transfer_request(member=member, to_organization=union_b, on=D(2026, 5, 16), by=chair)


def test_only_the_unions_committee_keeps_the_roll(member, treasurer, reviewer, other_chair, union_a):
    for person in (treasurer, reviewer, other_chair):
        with pytest.raises(PermissionDenied):
            services.member_change(member=member, kind=K.LEFT, on=D(2026, 5, 2), by=person)
        with pytest.raises(PermissionDenied):
            services.member_admit(
                organization=union_a, by=person, admitted_on=D(2026, 5, 2), full_name="X", sex="male"
            )
    assert member.events.count() == 1


def test_history_is_never_edited(member):
    event = member.events.get()
    event.reason = "sửa lại"
    with pytest.raises(ValueError):
        event.save()
