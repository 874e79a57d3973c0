"""Dues across the rule changes (issue 8's examples), exemptions, the flat amount, the dues_sheet command."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from finance import rules
from finance.dues import dues_sheet, monthly_dues
from finance.models import DuesExemption, Rule
from members import services

D = datetime.date
ENTERPRISE = "enterprise"


@pytest.mark.parametrize(
    ("salary", "month", "amount"),
    [
        (30_000_000, D(2025, 6, 1), 234_000),  # 1 %, capped at 10 % of 2.340.000 đ
        (30_000_000, D(2025, 7, 1), 150_000),  # 0,5 %
        (8_000_000, D(2025, 6, 1), 80_000),
        (8_000_000, D(2025, 7, 1), 40_000),
        (30_000_000, D(2024, 6, 1), 180_000),  # cap: 10 % of 1.800.000 đ
        (30_000_000, D(2024, 7, 1), 234_000),  # the base salary rose on 1/7/2024
        (50_000_000, D(2026, 1, 1), 234_000),  # 0,5 % = 250.000 đ, capped
    ],
)
def test_enterprise_dues_follow_the_rules_in_force(db, salary, month, amount):
    assert monthly_dues(salary=salary, month=month, unit_type=ENTERPRISE).amount == amount


def test_any_day_of_the_month_uses_the_month_s_rules(db):
    assert monthly_dues(salary=8_000_000, month=D(2025, 7, 31), unit_type=ENTERPRISE).amount == 40_000


def test_public_units_had_no_cap_before_july_2025(db):
    assert monthly_dues(salary=30_000_000, month=D(2025, 6, 1), unit_type="state_agency").amount == 300_000
    assert monthly_dues(salary=30_000_000, month=D(2025, 7, 1), unit_type="state_agency").amount == 150_000


def test_partly_self_financed_public_units_are_not_capped(db):
    dues = monthly_dues(salary=60_000_000, month=D(2025, 9, 1), unit_type="self_financed_public")
    assert (dues.amount, dues.cap) == (300_000, None)


def test_exempt_month_owes_nothing(db):
    dues = monthly_dues(salary=8_000_000, month=D(2025, 9, 1), unit_type=ENTERPRISE, exempt=True)
    assert (dues.amount, dues.rate_code) == (0, "exempt")


def test_member_without_a_fixed_salary_pays_the_flat_amount(db):
    dues = monthly_dues(salary=None, month=D(2025, 9, 1), unit_type=ENTERPRISE)
    assert (dues.amount, dues.flat) == (11_700, True)  # 0,5 % of 2.340.000 đ


def test_amounts_round_half_up_to_whole_dong(db):
    assert monthly_dues(salary=5_432_101, month=D(2025, 9, 1), unit_type=ENTERPRISE).amount == 27_161


def test_a_date_without_a_rule_is_an_error_not_a_default(db):
    with pytest.raises(rules.RuleMissing) as refused:
        monthly_dues(salary=8_000_000, month=D(2012, 5, 1), unit_type=ENTERPRISE)
    assert "01/05/2012" in refused.value.messages[0]
    with pytest.raises(rules.RuleMissing):  # the flat amount only exists from 1/7/2025
        monthly_dues(salary=None, month=D(2025, 6, 1), unit_type=ENTERPRISE)


def test_a_specific_unit_type_wins_over_the_general_rule(db):
    assert rules.in_force("dues_cap", D(2025, 6, 1), ENTERPRISE).value == Decimal("10")
    assert rules.in_force("dues_cap", D(2025, 6, 1), "state_agency").value is None


def test_the_seeded_history_has_no_gap_since_2013(db):
    for kind in ["dues_rate", "kpcd_rate", "share_dues", "share_kpcd", "share_other"]:
        day = D(2013, 1, 1)
        while day <= D(2027, 12, 31):
            rules.in_force(kind, day)
            day += datetime.timedelta(days=1)


def test_overlapping_spans_are_refused(db):
    rule = Rule(kind="dues_rate", value=Decimal("0.7"), effective_from=D(2026, 1, 1), decision="Thử")
    with pytest.raises(ValidationError):
        rule.full_clean()
    rule.value = Decimal("120")
    rule.effective_from = D(1990, 1, 1)
    rule.effective_to = D(1990, 12, 31)
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert "value" in refused.value.message_dict


@pytest.fixture
def dues_roll(union_a, chair, time_machine):
    time_machine.move_to(datetime.datetime(2025, 12, 1, 9, 0), tick=False)
    union_a.unit_type = ENTERPRISE
    union_a.save(update_fields=["unit_type"])

    def admit(name, salary, on=None):
        return services.member_admit(
            organization=union_a,
            by=chair,
            full_name=name,
            sex="female",
            admitted_on=on or D(2020, 1, 1),
            insurance_salary=salary,
        )

    rich, modest = admit("An Thị Giàu", 30_000_000), admit("Bùi Văn Vừa", 8_000_000)
    newcomer = admit("Cao Thị Mới", 6_000_000, on=D(2025, 7, 20))
    resting = admit("Đinh Thị Nghỉ", 9_000_000)
    services.member_change(member=resting, kind="suspended", on=D(2025, 5, 10), by=chair)
    leaving = admit("Đỗ Văn Đi", 7_000_000)
    services.member_change(member=leaving, kind="left", on=D(2025, 7, 10), by=chair)
    DuesExemption.objects.create(member=modest, start=D(2025, 8, 1), end=D(2025, 9, 1), reason="benefits")
    return {"rich": rich, "modest": modest, "newcomer": newcomer, "resting": resting, "leaving": leaving}


def sheet(union, month):
    return {line.member.full_name: line.dues.amount for line in dues_sheet(union, month)}


def test_the_sheet_lists_who_owes_each_month(union_a, dues_roll):
    assert sheet(union_a, D(2025, 6, 1)) == {
        "An Thị Giàu": 234_000,
        "Bùi Văn Vừa": 80_000,
        "Đỗ Văn Đi": 70_000,
    }
    # July: the newcomer joined on 20/07 and the leaver left on 10/07: both owe the month
    assert sheet(union_a, D(2025, 7, 1)) == {
        "An Thị Giàu": 150_000, "Bùi Văn Vừa": 40_000, "Cao Thị Mới": 30_000, "Đỗ Văn Đi": 35_000,
    }  # fmt: skip
    assert sheet(union_a, D(2025, 8, 1)) == {"An Thị Giàu": 150_000, "Bùi Văn Vừa": 0, "Cao Thị Mới": 30_000}
    assert sheet(union_a, D(2025, 10, 1))["Bùi Văn Vừa"] == 40_000


def test_the_sheet_costs_a_constant_number_of_queries(union_a, dues_roll, django_assert_num_queries):
    with django_assert_num_queries(4):
        dues_sheet(union_a, D(2025, 7, 1))


def test_dues_sheet_command_prints_the_json(union_a, dues_roll):
    out = StringIO()
    call_command("dues_sheet", "--org", "CĐMNA", "--month", "2025-07", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["month"] == "2025-07"
    assert [line["member"] for line in data["lines"]][:2] == ["Đỗ Văn Đi", "An Thị Giàu"]  # by given name
    assert data["lines"][1] == {
        "member": "An Thị Giàu",
        "basis": 30_000_000,
        "rate": "0.5",
        "amount": 150_000,
    }
    assert data["total"] == 150_000 + 40_000 + 30_000 + 35_000
    out = StringIO()
    call_command("dues_sheet", "--org", "CĐMNA", "--month", "2025-06", "--json", stdout=out)
    assert json.loads(out.getvalue())["lines"][1]["amount"] == 234_000


def test_dues_sheet_command_refuses_bad_input(union_a, dues_roll):
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("dues_sheet", "--org", "CĐMNA", "--month", "2025-13")
    with pytest.raises(CommandError, match="No grassroots union"):
        call_command("dues_sheet", "--org", "KHÔNG", "--month", "2025-07")
    with pytest.raises(CommandError, match="01/01/2012"):
        call_command("dues_sheet", "--org", "CĐMNA", "--month", "2012-01")


def test_a_transferred_member_owes_each_month_once_at_the_right_union(
    union_a, union_b, chair, other_chair, dues_roll
):
    mover = dues_roll["modest"]  # 8.000.000 đ, exempt in 08–09/2025
    transfer = services.member_transfer_request(
        member=mover, to_organization=union_b, on=D(2025, 10, 15), by=chair
    )
    services.member_transfer_decide(transfer=transfer, by=other_chair, accept=True)
    union_b.unit_type = ENTERPRISE
    union_b.save(update_fields=["unit_type"])
    assert "Bùi Văn Vừa" in sheet(union_a, D(2025, 7, 1))  # months before: still the sending union's
    assert "Bùi Văn Vừa" in sheet(union_a, D(2025, 10, 1))  # the month of the transfer: the sender's
    assert "Bùi Văn Vừa" not in sheet(union_a, D(2025, 11, 1))
    assert "Bùi Văn Vừa" not in sheet(union_b, D(2025, 7, 1))  # never before arriving
    assert "Bùi Văn Vừa" not in sheet(union_b, D(2025, 10, 1))
    assert sheet(union_b, D(2025, 11, 1)) == {"Bùi Văn Vừa": 40_000}
