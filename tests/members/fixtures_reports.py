"""Fixtures of this area (imported by tests/conftest.py): a small hand-made roll with known counts, welfare
records with known sums, and a second grassroots union under the same ward (for the upper union's totals).

Today is pinned to 15/06/2026 (ages and "this year" depend on it).

union_a's roll (on the roll = active, suspended, honorary):
    name   sex  born         age  status     party  group      admitted
    Lan    F    01/03/2000   26   active     -      Nhà trẻ    2020
    Hùng   M    16/06/1990   35   active     yes    -          2018
    Mai    F    01/01/1980   46   suspended  -      Nhà trẻ    2010
    Bình   M    05/05/1970   56   honorary   yes    -          2000
    Cúc    F    -            -    active     -      -          10/02/2026 (member_admit)
    Tuấn   M    15/06/1996   30   active     -      -          01/03/2026 (member_admit)
    Yến    F    01/01/1998   28   active     -      -          31/12/2025 (member_admit)
    Đào    F    01/01/1995   31   left       -      Nhà trẻ    2015
"""

import datetime

import pytest

from members import services
from members.models import Member, Organization, WelfareRecord
from tests.factories import FamilyMemberFactory, MemberFactory, OrganizationFactory

D = datetime.date
REPORTS_TODAY = datetime.datetime(2026, 6, 15, 10, 0)
LONG_AGO = D(2015, 9, 1)


@pytest.fixture
def reports_today(time_machine):
    time_machine.move_to(REPORTS_TODAY, tick=False)
    return REPORTS_TODAY.date()


@pytest.fixture
def reports_roll(reports_today, union_a, chair):
    group = union_a.union_groups.get()
    S = Member.Status

    def member(name, sex, born, status=S.ACTIVE, party=False, in_group=False, admitted=LONG_AGO, **extra):
        return MemberFactory(
            organization=union_a, full_name=name, sex=sex, birth_date=born, status=status, party_member=party,
            union_group=group if in_group else None, admitted_on=admitted, **extra,
        )  # fmt: skip

    roll = {
        "Lan": member("Nguyễn Thị Lan", "female", D(2000, 3, 1), in_group=True, admitted=D(2020, 9, 1),
                      phone="0911000001", insurance_salary=5_000_000),
        "Hùng": member("Trần Văn Hùng", "male", D(1990, 6, 16), party=True, admitted=D(2018, 1, 15)),
        "Mai": member("Lê Thị Mai", "female", D(1980, 1, 1), status=S.SUSPENDED, in_group=True,
                      admitted=D(2010, 9, 1)),
        "Bình": member("Phạm Văn Bình", "male", D(1970, 5, 5), status=S.HONORARY, party=True,
                       admitted=D(2000, 9, 1)),
        "Đào": member("Võ Thị Đào", "female", D(1995, 1, 1), status=S.LEFT, in_group=True),
    }  # fmt: skip
    roll["Cúc"] = services.member_admit(
        organization=union_a, by=chair, admitted_on=D(2026, 2, 10), full_name="Đỗ Thị Cúc", sex="female"
    )
    roll["Tuấn"] = services.member_admit(
        organization=union_a, by=chair, admitted_on=D(2026, 3, 1), full_name="Hoàng Văn Tuấn", sex="male",
        birth_date=D(1996, 6, 15),
    )  # fmt: skip
    roll["Yến"] = services.member_admit(
        organization=union_a, by=chair, admitted_on=D(2025, 12, 31), full_name="Bùi Thị Yến", sex="female",
        birth_date=D(1998, 1, 1),
    )  # fmt: skip
    return roll


@pytest.fixture
def reports_union_a2(ward):
    """A second grassroots union under the ward, with two members (one of them a Party member)."""
    union = OrganizationFactory(name="Công đoàn cơ sở Trường Tiểu học A2", symbol="CĐTHA2", parent=ward)
    MemberFactory(organization=union, full_name="Kiều Văn Sơn", sex="male", birth_date=D(1985, 1, 1))
    MemberFactory(
        organization=union, full_name="Mạc Thị Hà", sex="female", birth_date=D(2001, 1, 1), party_member=True
    )
    return union


@pytest.fixture
def reports_union_b_roll(union_b):
    """Three members elsewhere (under the other ward): they count for the province, never for the ward."""
    return [MemberFactory(organization=union_b, sex="male", birth_date=D(1975, 1, 1)) for _ in range(3)]


def _record(organization, member, occasion, on, amount, by, *, number, family_member=None, **extra):
    return WelfareRecord.objects.create(
        organization=organization, member=member, occasion=occasion, on=on, amount=amount, year=on.year,
        number=number, recorded_by=by, family_member=family_member, **extra,
    )  # fmt: skip


@pytest.fixture
def reports_welfare(reports_roll, reports_union_a2, reports_union_b_roll, union_a, union_b, chair):
    """2026 in union A: sickness ×2 in January (1.000.000 đ), Tết in February (1.000.000 đ; a second one
    cancelled), 1/6 for Cúc's child in June (200.000 đ); one 2025 record. A2: Tết in February (300.000 đ).
    Union B: Tết (999.000 đ)."""
    from django.utils import timezone

    roll = reports_roll
    child = FamilyMemberFactory(member=roll["Cúc"], full_name="Đỗ Minh Khôi", birth_date=D(2019, 5, 1))
    a2_member = reports_union_a2.members.first()
    return [
        _record(union_a, roll["Lan"], "sickness", D(2026, 1, 10), 500_000, chair, number=1,
                visited_by="Chị Hoa"),
        _record(union_a, roll["Hùng"], "sickness", D(2026, 1, 20), 500_000, chair, number=2),
        _record(union_a, roll["Mai"], "tet", D(2026, 2, 1), 1_000_000, chair, number=3, note="Quà Tết"),
        _record(union_a, roll["Lan"], "tet", D(2026, 2, 1), 1_000_000, chair, number=4,
                cancelled_at=timezone.now(), cancelled_by=chair, cancel_reason="Ghi trùng"),
        _record(union_a, roll["Cúc"], "children_1_6", D(2026, 6, 1), 200_000, chair, number=5,
                family_member=child),
        _record(union_a, roll["Hùng"], "tet", D(2025, 1, 20), 700_000, chair, number=1),
        _record(reports_union_a2, a2_member, "tet", D(2026, 2, 5), 300_000, chair, number=1),
        _record(union_b, reports_union_b_roll[0], "tet", D(2026, 2, 1), 999_000, chair, number=1),
    ]  # fmt: skip


@pytest.fixture
def reports_ward_treasurer(ward):
    """An officer of the ward who is neither reviewer nor leader: in scope of the ward, not of its counts."""
    from members.models import Officer
    from tests.factories import OfficerFactory, UserFactory

    user = UserFactory(username="ward_treasurer")
    OfficerFactory(user=user, organization=ward, role=Officer.Role.TREASURER)
    return user


@pytest.fixture
def reports_more_unions(ward):
    """Five more grassroots unions under the ward with members and welfare: the query counts stay the same."""

    def make():
        from tests.factories import UserFactory

        by = UserFactory()
        for index in range(5):
            union = OrganizationFactory(
                name=f"CĐCS thêm {index}",
                symbol=f"CĐT{index}",
                parent=ward,
                level=Organization.Level.GRASSROOTS,
            )
            members = [MemberFactory(organization=union) for _ in range(3)]
            _record(union, members[0], "wedding", D(2026, 4, 1), 400_000, by, number=1)

    return make
