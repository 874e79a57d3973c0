"""Fixtures of this area (imported by tests/conftest.py): a hand-made year 2026 of union A's books, a second
grassroots union under the same ward, and an officer of the ward who may not see the finance totals.

Union A, official ledger (Tài chính công đoàn):
    2025: other income 2.000.000 đ                                   → opening 2026: 2.000.000 đ
    2026 estimates: dues 10.000.000, KPCĐ 20.000.000, care 6.000.000, allowances 4.000.000,
                    administration 3.000.000
    2026 actual:    dues 8.000.000 (a receipt naming the member Trần Văn Bí Mật), KPCĐ 20.000.000,
                    care 5.000.000, allowances 3.500.000     → closing 21.500.000 đ (estimate 19.000.000)
Union A, fund Quỹ tương trợ (opened 01/01/2026):
    estimates: donations 1.000.000, care 2.000.000          → closing estimate −1.000.000 đ (warning)
    actual:    donations 1.500.000, care 500.000            → closing 1.000.000 đ
Union C (under the ward), official ledger, 2026: KPCĐ 5.000.000, administration 1.000.000
    → closing 4.000.000 đ
Union B (under the other ward), official ledger, 2026: KPCĐ 9.000.000 (never in the ward's totals)
"""

import datetime

import pytest

from members.models import Officer
from tests.factories import MemberFactory, OfficerFactory, OrganizationFactory, UserFactory

D = datetime.date
BUDGET_TODAY = datetime.datetime(2026, 12, 20, 9, 0)
SECRET_MEMBER = "Trần Văn Bí Mật"


def _post(ledger, by, direction, category, amount, on, **extra):
    from finance.ledgers import entry_post

    return entry_post(
        ledger=ledger, direction=direction, category=category, on=on, amount=amount, by=by,
        description=extra.pop("description", "Thu chi"), **extra,
    )  # fmt: skip


@pytest.fixture
def budget_year(union_a, treasurer, time_machine):
    """Union A's year 2026 (see above); today is 20/12/2026."""
    from finance.ledgers import official_ledger
    from finance.models import BudgetLine, Ledger

    time_machine.move_to(BUDGET_TODAY, tick=False)
    book = official_ledger(union_a)
    fund = Ledger.objects.create(
        organization=union_a, kind=Ledger.Kind.FUND, name="Quỹ tương trợ", opened_on=D(2026, 1, 1)
    )
    member = MemberFactory(organization=union_a, full_name=SECRET_MEMBER)
    _post(book, treasurer, "income", "other_income", 2_000_000, D(2025, 6, 1))
    estimates = [
        (book, "dues", 10_000_000), (book, "kpcd", 20_000_000), (book, "care", 6_000_000),
        (book, "allowances", 4_000_000), (book, "administration", 3_000_000),
        (fund, "donations", 1_000_000), (fund, "care", 2_000_000),
    ]  # fmt: skip
    for ledger, category, amount in estimates:
        BudgetLine.objects.create(ledger=ledger, year=2026, category=category, amount=amount)
    _post(book, treasurer, "income", "dues", 8_000_000, D(2026, 3, 10), member=member)
    _post(book, treasurer, "income", "kpcd", 20_000_000, D(2026, 4, 1))
    _post(book, treasurer, "expense", "care", 5_000_000, D(2026, 6, 1))
    _post(book, treasurer, "expense", "allowances", 3_500_000, D(2026, 7, 1))
    _post(fund, treasurer, "income", "donations", 1_500_000, D(2026, 2, 1))
    _post(fund, treasurer, "expense", "care", 500_000, D(2026, 8, 1), member=member)
    return union_a


@pytest.fixture
def budget_union_c(ward):
    return OrganizationFactory(name="Công đoàn cơ sở Trường Tiểu học C", symbol="CĐTHC", parent=ward)


@pytest.fixture
def budget_union_c_books(budget_union_c, budget_year, union_b):
    """Union C's year 2026 (and union B's, under the other ward)."""
    from finance.ledgers import official_ledger

    c_treasurer = UserFactory(username="c_treasurer")
    OfficerFactory(user=c_treasurer, organization=budget_union_c, role=Officer.Role.TREASURER)
    book = official_ledger(budget_union_c)
    _post(book, c_treasurer, "income", "kpcd", 5_000_000, D(2026, 5, 1))
    _post(book, c_treasurer, "expense", "administration", 1_000_000, D(2026, 5, 2))
    b_treasurer = UserFactory(username="b_treasurer")
    OfficerFactory(user=b_treasurer, organization=union_b, role=Officer.Role.TREASURER)
    _post(official_ledger(union_b), b_treasurer, "income", "kpcd", 9_000_000, D(2026, 5, 1))
    return budget_union_c


@pytest.fixture
def budget_ward_treasurer(ward):
    """An officer of the ward who is neither reviewer nor leader: no finance totals (403)."""
    user = UserFactory(username="ward_treasurer")
    OfficerFactory(user=user, organization=ward, role=Officer.Role.TREASURER)
    return user
