"""Marking dues paid (one receipt per marking), remittances at the shares in force, budget against actual."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from finance import ledgers
from finance.budget import budget
from finance.collection import collection, dues_mark_paid
from finance.models import BudgetLine, Ledger
from finance.remittances import remittances
from members import services

D = datetime.date


@pytest.fixture
def paying_roll(union_a, chair, time_machine):
    time_machine.move_to(datetime.datetime(2025, 9, 20, 9, 0), tick=False)
    union_a.unit_type = "enterprise"
    union_a.save(update_fields=["unit_type"])
    for name, salary in [("An Thị Giàu", 30_000_000), ("Bùi Văn Vừa", 8_000_000), ("Cao Thị Ba", 6_000_000)]:
        services.member_admit(
            organization=union_a, by=chair, full_name=name, sex="female", admitted_on=D(2020, 1, 1),
            insurance_salary=salary,
        )  # fmt: skip
    return union_a


def test_marking_lines_paid_posts_one_receipt_and_never_twice(paying_roll, treasurer):
    an = paying_roll.members.get(full_name="An Thị Giàu")
    receipt = dues_mark_paid(
        organization=paying_roll, month=D(2025, 9, 1), by=treasurer, method="cash", member_ids=[an.pk]
    )
    assert (receipt.voucher, receipt.amount, receipt.member) == ("PT-2025-0001", 150_000, an)
    rest = dues_mark_paid(organization=paying_roll, month=D(2025, 9, 1), by=treasurer, method="payroll")
    assert rest.amount == 40_000 + 30_000
    assert "09/2025" in rest.description and "2" in rest.description
    assert all(line.paid for line in collection(paying_roll, D(2025, 9, 1)))
    with pytest.raises(ValidationError, match="đã nộp"):
        dues_mark_paid(organization=paying_roll, month=D(2025, 9, 1), by=treasurer, method="cash")
    assert ledgers.balance(ledgers.official_ledger(paying_roll)) == 220_000


def test_a_reversed_receipt_makes_its_lines_owed_again(paying_roll, treasurer):
    receipt = dues_mark_paid(organization=paying_roll, month=D(2025, 8, 1), by=treasurer, method="cash")
    ledgers.entry_reverse(entry=receipt, by=treasurer, reason="Thu nhầm tháng")
    assert not any(line.paid for line in collection(paying_roll, D(2025, 8, 1)))
    again = dues_mark_paid(organization=paying_roll, month=D(2025, 8, 1), by=treasurer, method="cash")
    assert again.amount == receipt.amount


def test_dues_are_not_collected_for_a_month_not_begun(paying_roll, treasurer):
    with pytest.raises(ValidationError):
        dues_mark_paid(organization=paying_roll, month=D(2025, 10, 1), by=treasurer, method="cash")
    with pytest.raises(ValidationError):
        dues_mark_paid(organization=paying_roll, month=D(2025, 9, 1), by=treasurer, method="cheque")


def income(book, by, category, amount, on):
    return ledgers.entry_post(
        ledger=book, direction="income", category=category, on=on, amount=amount, description="Thu", by=by
    )


def test_remittance_uses_the_share_in_force_on_each_receipt(
    union_a, union_b, treasurer, other_chair, time_machine
):
    time_machine.move_to(datetime.datetime(2025, 10, 5, 9, 0), tick=False)
    book = ledgers.official_ledger(union_a)
    income(book, treasurer, "dues", 1_000_000, D(2025, 7, 10))  # 60 % kept: 40 % owed
    income(book, treasurer, "dues", 1_000_000, D(2025, 9, 10))  # 70 % kept (from 29/8/2025): 30 % owed
    income(book, treasurer, "kpcd", 2_000_000, D(2025, 8, 1))  # 75 % kept: 25 % owed
    income(book, treasurer, "other_income", 5_000_000, D(2025, 8, 1))  # kept in full
    ledgers.entry_post(
        ledger=book, direction="expense", category="remittance", on=D(2025, 9, 30), amount=600_000,
        description="Nộp cấp trên quý III", by=treasurer, counterparty="Công đoàn phường Một",
    )  # fmt: skip
    result = remittances([union_a.pk, union_b.pk], D(2025, 7, 1), D(2025, 9, 30))
    mine = result[union_a.pk]
    assert (mine.dues_collected, mine.dues_owed, mine.kpcd_owed) == (2_000_000, 700_000, 500_000)
    assert (mine.owed, mine.paid, mine.outstanding) == (1_200_000, 600_000, 600_000)
    assert result[union_b.pk].owed == 0


def test_remittances_cost_a_constant_number_of_queries(union_a, union_b, django_assert_num_queries):
    with django_assert_num_queries(4):
        remittances([union_a.pk, union_b.pk], D(2025, 7, 1), D(2025, 9, 30))


def test_budget_against_actual_with_its_warnings(union_a, treasurer, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 31, 9, 0), tick=False)
    book = ledgers.official_ledger(union_a)
    fund = Ledger.objects.create(
        organization=union_a, kind="fund", name="Quỹ tương trợ", opened_on=D(2026, 1, 1)
    )
    for category, amount in [("dues", 10_000_000), ("allowances", 4_000_000), ("care", 2_000_000)]:
        BudgetLine.objects.create(ledger=book, year=2026, category=category, amount=amount)
    BudgetLine.objects.create(ledger=fund, year=2026, category="care", amount=1_000_000)
    income(book, treasurer, "dues", 10_000_000, D(2026, 3, 1))  # 70 % kept: 7.000.000 đ
    ledgers.entry_post(
        ledger=book, direction="expense", category="allowances", on=D(2026, 6, 1), amount=3_500_000,
        description="Phụ cấp", by=treasurer,
    )  # fmt: skip
    result = budget(union_a, 2026)
    official = result.ledgers[0]
    lines = {line.category: line for line in official.lines}
    assert (lines["dues"].estimate, lines["dues"].actual, lines["dues"].variance) == (
        10_000_000,
        10_000_000,
        0,
    )
    assert (lines["allowances"].actual, lines["allowances"].variance) == (3_500_000, -500_000)
    assert official.closing_actual == 6_500_000
    text = "\n".join(result.warnings)
    assert "Quỹ tương trợ" in text  # its estimate spends 1.000.000 đ it does not have
    assert "4.000.000" in text and "45" in text  # allowances estimate: 57,1 % of 7.000.000 đ
    assert "3.500.000" in text  # actual allowances: 50 % of the dues kept
    assert "2.000.000" in text  # care estimate under 40 %


def test_a_remittance_counts_for_its_quarter_whenever_it_is_paid(union_a, treasurer, time_machine):
    time_machine.move_to(datetime.datetime(2026, 4, 20, 9, 0), tick=False)
    book = ledgers.official_ledger(union_a)
    income(book, treasurer, "dues", 1_000_000, D(2026, 2, 10))  # 70 % kept: 300.000 đ owed for Q1
    ledgers.entry_post(
        ledger=book, direction="expense", category="remittance", on=D(2026, 4, 15), amount=300_000,
        description="Nộp cấp trên quý I", by=treasurer, period="2026-Q1",
    )  # fmt: skip
    first = remittances([union_a.pk], D(2026, 1, 1), D(2026, 3, 31), "2026-Q1")[union_a.pk]
    second = remittances([union_a.pk], D(2026, 4, 1), D(2026, 6, 30), "2026-Q2")[union_a.pk]
    assert (first.owed, first.paid, first.outstanding) == (300_000, 300_000, 0)
    assert second.paid == 0


def test_the_dues_kept_follow_the_share_of_each_receipt_s_date(union_a, treasurer, time_machine):
    time_machine.move_to(datetime.datetime(2026, 2, 1, 9, 0), tick=False)
    book = ledgers.official_ledger(union_a)
    income(book, treasurer, "dues", 10_000_000, D(2025, 3, 1))  # 60 % kept: 6.000.000 đ
    income(book, treasurer, "dues", 10_000_000, D(2025, 10, 1))  # 70 % kept: 7.000.000 đ
    ledgers.entry_post(
        ledger=book, direction="expense", category="allowances", on=D(2025, 11, 1), amount=6_000_000,
        description="Phụ cấp", by=treasurer,
    )  # fmt: skip
    text = "\n".join(budget(union_a, 2025).warnings)
    assert "13.000.000" in text and "46,2" in text  # 6.000.000 of 13.000.000 kept: above 45 %


def test_a_year_before_the_rules_warns_instead_of_failing(union_a, treasurer, time_machine):
    time_machine.move_to(datetime.datetime(2026, 2, 1, 9, 0), tick=False)
    book = ledgers.official_ledger(union_a)
    book.opened_on = D(2015, 1, 1)
    book.save(update_fields=["opened_on"])
    income(book, treasurer, "dues", 1_000_000, D(2015, 3, 1))
    warnings = budget(union_a, 2015).warnings
    assert any("2015" in warning for warning in warnings)
