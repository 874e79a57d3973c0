"""Welfare pays itself: a record posts its payment in the right ledger, a correction re-posts it, cancelling
reverses it, a campaign posts all its payments, and a closed month refuses the record with its payment."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from finance import ledgers
from finance.models import Ledger, Transaction
from members import services, welfare_services
from members.models import Occasion, WelfareRecord

D = datetime.date


@pytest.fixture
def cared_for(union_a, chair, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 9, 0), tick=False)
    return services.member_admit(
        organization=union_a, by=chair, full_name="Lê Thị Ốm", sex="female", admitted_on=D(2020, 1, 1)
    )


def visit(union_a, by, member, **extra):
    values = {"occasion": Occasion.SICKNESS, "on": D(2026, 6, 10), "amount": 500_000} | extra
    return welfare_services.record_create(organization=union_a, by=by, member=member, **values)


def test_a_record_posts_its_payment_in_the_union_s_finance(union_a, chair, cared_for):
    record = visit(union_a, chair, cared_for)
    entry = Transaction.objects.get(welfare_record=record)
    assert (entry.voucher, entry.category, entry.effect, entry.member) == (
        "PC-2026-0001",
        "care",
        -500_000,
        cared_for,
    )
    assert "Lê Thị Ốm" in entry.description and record.reference in entry.description
    assert entry.ledger.kind == Ledger.Kind.OFFICIAL


def test_a_fund_that_pays_the_occasion_pays_it(union_a, chair, cared_for):
    fund = Ledger.objects.create(
        organization=union_a, kind="fund", name="Quỹ tình nghĩa", opened_on=D(2026, 1, 1),
        welfare_occasions=[Occasion.SICKNESS, Occasion.BEREAVEMENT],
    )  # fmt: skip
    visit(union_a, chair, cared_for)
    visit(union_a, chair, cared_for, occasion=Occasion.WEDDING, amount=1_000_000)
    assert ledgers.balance(fund) == -500_000
    assert ledgers.balance(ledgers.official_ledger(union_a)) == -1_000_000


def test_a_correction_reposts_and_cancelling_reverses(union_a, chair, treasurer, cared_for):
    record = visit(union_a, chair, cared_for)
    record = welfare_services.record_update(
        record=record, by=treasurer, version=welfare_services.record_version(record), amount=700_000
    )
    book = ledgers.official_ledger(union_a)
    assert ledgers.balance(book) == -700_000
    welfare_services.record_cancel(record=record, by=treasurer, reason="Trùng với khoản đã chi")
    assert ledgers.balance(book) == 0
    assert Transaction.objects.filter(welfare_record=record).count() == 4  # post, reverse, post, reverse


def test_a_closed_month_refuses_the_record_with_its_payment(union_a, chair, treasurer, cared_for):
    ledgers.official_ledger(union_a)
    ledgers.month_close(organization=union_a, month=D(2026, 5, 1), by=treasurer)
    with pytest.raises(ValidationError, match="05/2026"):
        visit(union_a, chair, cared_for, on=D(2026, 5, 20))
    assert not WelfareRecord.objects.exists() and not Transaction.objects.exists()


def test_a_campaign_posts_every_payment(union_a, chair, cared_for):
    services.member_admit(
        organization=union_a, by=chair, full_name="Mai Văn Khỏe", sex="male", admitted_on=D(2021, 1, 1)
    )
    campaign, created = welfare_services.campaign_create(
        organization=union_a, by=chair, title="Quà 20/10", occasion=Occasion.WOMEN_20_10, on=D(2026, 6, 1),
        recipients="members", amount=300_000,
    )  # fmt: skip
    vouchers = sorted(
        Transaction.objects.filter(welfare_record__campaign=campaign).values_list("number", flat=True)
    )
    assert (created, vouchers) == (2, [1, 2])
    assert ledgers.balance(ledgers.official_ledger(union_a)) == -600_000


def test_the_books_refuse_to_reverse_a_welfare_payment_by_hand(union_a, chair, treasurer, cared_for):
    record = visit(union_a, chair, cared_for)
    with pytest.raises(ValidationError, match=record.reference):
        ledgers.entry_reverse(
            entry=Transaction.objects.get(welfare_record=record), by=treasurer, reason="Sai"
        )
    assert ledgers.balance(ledgers.official_ledger(union_a)) == -500_000
