"""Welfare services: amounts from the rules in force, who may be given what, numbers, edits, cancellations."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members import services, welfare_services
from members.models import FamilyMember, MemberEvent, Occasion, Organization, SpendingRule, WelfareRecord
from tests.factories import FamilyMemberFactory, MemberFactory

D = datetime.date
OCC = Occasion
MARCH_15 = D(2026, 3, 15)
pytestmark = pytest.mark.usefixtures("welfare_today")


def _record(union, by, member, occasion=OCC.SICKNESS, on=MARCH_15, **kwargs):
    return welfare_services.record_create(
        organization=union, by=by, member=member, occasion=occasion, on=on, **kwargs
    )


def _rule(union, by, amount, effective_from, occasion=OCC.SICKNESS):
    return welfare_services.rule_create(
        organization=union, by=by, occasion=occasion, amount=amount, effective_from=effective_from
    )


def test_the_default_amount_is_the_rule_in_force_on_the_records_date(union_a, chair, welfare_member):
    _rule(union_a, chair, 500_000, D(2026, 1, 1))
    _rule(union_a, chair, 700_000, D(2026, 4, 1))  # raised mid-year: from 01/04 on
    assert _record(union_a, chair, welfare_member, on=D(2026, 3, 31)).amount == 500_000
    assert _record(union_a, chair, welfare_member, on=D(2026, 4, 1)).amount == 700_000
    assert _record(union_a, chair, welfare_member, on=D(2026, 5, 20)).amount == 700_000
    assert _record(union_a, chair, welfare_member, on=D(2026, 5, 21), amount=1_000_000).amount == 1_000_000
    # another occasion has its own line (none here)
    with pytest.raises(ValidationError) as refused:
        _record(union_a, chair, welfare_member, occasion=OCC.WEDDING, on=D(2026, 5, 1))
    assert "amount" in refused.value.error_dict


def test_no_rule_and_no_amount_is_refused_in_vietnamese(union_a, chair, welfare_member):
    _rule(union_a, chair, 500_000, D(2026, 4, 1))  # not yet in force in March
    with pytest.raises(ValidationError) as refused:
        _record(union_a, chair, welfare_member, on=D(2026, 3, 15))
    assert refused.value.error_dict["amount"][0].messages == [
        "Quy chế chi tiêu chưa có mức chi cho “Ốm đau, nằm viện” vào ngày 15/03/2026: hãy nhập số tiền, "
        "hoặc bổ sung vào quy chế chi tiêu."
    ]
    assert not WelfareRecord.objects.exists()


def test_a_rule_line_is_never_written_twice_for_the_same_occasion_and_day(union_a, chair, treasurer):
    _rule(union_a, chair, 500_000, D(2026, 1, 1))
    with pytest.raises(
        ValidationError, match="Đã có mức chi cho “Ốm đau, nằm viện” áp dụng từ ngày 01/01/2026"
    ):
        _rule(union_a, chair, 600_000, D(2026, 1, 1))
    with pytest.raises(PermissionDenied):  # the committee sets the rules; the treasurer applies them
        _rule(union_a, treasurer, 600_000, D(2026, 1, 2))
    _rule(union_a, chair, 600_000, D(2026, 1, 2))
    assert SpendingRule.in_force(union_a, OCC.SICKNESS, D(2026, 6, 1)).amount == 600_000
    assert SpendingRule.objects.count() == 2


def test_only_the_committee_and_treasurer_write(union_a, chair, reviewer, welfare_member, other_chair):
    for user in (reviewer, other_chair):
        with pytest.raises(PermissionDenied):
            _record(union_a, user, welfare_member, amount=100_000)
        with pytest.raises(PermissionDenied):
            _rule(union_a, user, 100_000, D(2026, 1, 1))
    assert not WelfareRecord.objects.exists()


def test_a_childrens_occasion_needs_a_child_of_that_member(union_a, chair, welfare_member, welfare_child):
    spouse = FamilyMemberFactory(
        member=welfare_member, relation=FamilyMember.Relation.SPOUSE, birth_date=None
    )
    someone_elses = FamilyMemberFactory(member=MemberFactory(organization=union_a))
    for family_member, field in (
        (None, "family_member"),
        (spouse, "family_member"),
        (someone_elses, "family_member"),
    ):
        with pytest.raises(ValidationError) as refused:
            _record(union_a, chair, welfare_member, OCC.CHILDREN_1_6, D(2026, 6, 1), amount=200_000,
                    family_member=family_member)  # fmt: skip
        assert field in refused.value.error_dict
    assert "con của đoàn viên" in str(
        pytest.raises(
            ValidationError,
            _record,
            union_a,
            chair,
            welfare_member,
            OCC.CHILDREN_1_6,
            D(2026, 6, 1),
            amount=200_000,
        ).value  # fmt: skip
    )
    record = _record(union_a, chair, welfare_member, OCC.CHILDREN_1_6, D(2026, 6, 1), amount=200_000,
                     family_member=welfare_child)  # fmt: skip
    assert record.family_member == welfare_child
    # bereavement: a relative may be named, or none (the member); other occasions name nobody
    mother = FamilyMemberFactory(
        member=welfare_member, relation=FamilyMember.Relation.MOTHER, birth_date=None
    )
    assert _record(union_a, chair, welfare_member, OCC.BEREAVEMENT, amount=1_000_000, family_member=mother)
    assert _record(union_a, chair, welfare_member, OCC.BEREAVEMENT, amount=1_000_000).family_member is None
    with pytest.raises(ValidationError):
        _record(union_a, chair, welfare_member, OCC.SICKNESS, amount=300_000, family_member=welfare_child)


def test_the_member_must_be_on_this_unions_roll_on_that_day(union_a, union_b, chair):
    joined = services.member_admit(
        organization=union_a, by=chair, admitted_on=D(2026, 3, 1), full_name="Trần Văn Mới", sex="male"
    )
    with pytest.raises(ValidationError, match="không có tên trong danh sách đoàn viên"):
        _record(union_a, chair, joined, on=D(2026, 2, 28), amount=300_000)
    assert _record(union_a, chair, joined, on=D(2026, 3, 1), amount=300_000)

    leaving = services.member_admit(
        organization=union_a, by=chair, admitted_on=D(2020, 1, 1), full_name="Lê Thị Đi", sex="female"
    )
    services.member_change(member=leaving, kind=MemberEvent.Kind.LEFT, on=D(2026, 5, 1), by=chair)
    leaving.refresh_from_db()
    assert _record(union_a, chair, leaving, on=D(2026, 4, 30), amount=300_000)  # still on the roll then
    with pytest.raises(ValidationError):
        _record(union_a, chair, leaving, on=D(2026, 5, 2), amount=300_000)
    with pytest.raises(ValidationError, match="Hãy chọn một đoàn viên của công đoàn này"):
        _record(union_a, chair, MemberFactory(organization=union_b), amount=300_000)
    with pytest.raises(ValidationError, match="Ngày không được ở tương lai"):
        _record(union_a, chair, joined, on=D(2026, 6, 16), amount=300_000)


def test_numbers_run_per_year_without_gaps_and_never_reused(
    union_a, union_b, chair, other_chair, welfare_member
):
    made = [
        _record(union_a, chair, welfare_member, on=day, amount=100_000)
        for day in (D(2025, 12, 30), D(2026, 1, 2), D(2025, 12, 31), D(2026, 1, 3))
    ]
    assert [(r.year, r.number) for r in made] == [(2025, 1), (2026, 1), (2025, 2), (2026, 2)]
    assert made[3].reference == "0002/2026"
    cancelled = welfare_services.record_cancel(record=made[3], by=chair, reason="Ghi trùng")
    assert (cancelled.number, cancelled.cancel_reason) == (2, "Ghi trùng")
    assert _record(union_a, chair, welfare_member, on=D(2026, 2, 1), amount=100_000).number == 3
    # another union counts its own
    elsewhere = MemberFactory(organization=union_b)
    assert _record(union_b, other_chair, elsewhere, on=D(2026, 2, 1), amount=100_000).number == 1


def test_the_number_is_taken_with_the_union_row_locked(union_a, chair, welfare_member, monkeypatch):
    locked = []
    original = Organization.objects.select_for_update

    def spy(*args, **kwargs):
        locked.append(True)
        return original(*args, **kwargs)

    monkeypatch.setattr(Organization.objects, "select_for_update", spy)
    _record(union_a, chair, welfare_member, amount=100_000)
    assert locked


def test_cancelling_needs_a_reason_and_happens_once(union_a, chair, welfare_record):
    with pytest.raises(ValidationError, match="Hãy ghi lý do hủy phiếu"):
        welfare_services.record_cancel(record=welfare_record, by=chair, reason="   ")
    welfare_services.record_cancel(record=welfare_record, by=chair, reason="Nhầm  người")
    welfare_record.refresh_from_db()
    assert welfare_record.is_cancelled and welfare_record.cancel_reason == "Nhầm người"
    assert welfare_record.cancelled_by == chair
    with pytest.raises(ValidationError, match="Phiếu này đã bị hủy"):
        welfare_services.record_cancel(record=welfare_record, by=chair, reason="Lần nữa")


def test_an_update_from_a_stale_form_changes_nothing(union_a, chair, treasurer, welfare_record):
    loaded = welfare_services.record_version(welfare_record)
    welfare_services.record_update(record=welfare_record, by=treasurer, version=loaded, amount=600_000)
    with pytest.raises(welfare_services.StaleEdit) as stale:
        welfare_services.record_update(record=welfare_record, by=chair, version=loaded, amount=800_000)
    assert stale.value.current.amount == 600_000
    welfare_record.refresh_from_db()
    assert welfare_record.amount == 600_000


def test_an_update_keeps_the_year_of_the_number_and_a_cancelled_record_is_final(
    union_a, chair, welfare_record
):
    version = welfare_services.record_version(welfare_record)
    with pytest.raises(ValidationError, match="thuộc năm 2025"):
        welfare_services.record_update(record=welfare_record, by=chair, version=version, on=D(2026, 1, 5))
    updated = welfare_services.record_update(
        record=welfare_record, by=chair, version=version, on=D(2025, 3, 16), visited_by=" Ban  chấp hành "
    )
    assert (updated.on, updated.visited_by, updated.number) == (D(2025, 3, 16), "Ban  chấp hành", 1)
    welfare_services.record_cancel(record=updated, by=chair, reason="Nhầm")
    updated.refresh_from_db()
    with pytest.raises(ValidationError, match="Không thể sửa phiếu đã hủy"):
        welfare_services.record_update(
            record=updated, by=chair, version=welfare_services.record_version(updated), amount=1
        )
