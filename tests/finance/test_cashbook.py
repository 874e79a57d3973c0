"""The cash book: running balance across pages equals the sum of the entries before each row."""

import datetime

import pytest

from finance import ledgers
from finance.cashbook import cash_book

D = datetime.date


@pytest.fixture
def busy_book(union_a, treasurer, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 30, 9, 0), tick=False)
    book = ledgers.official_ledger(union_a)
    ledgers.entry_post(
        ledger=book, direction="income", category="dues", on=D(2025, 12, 1), amount=1_000_000,
        description="Số dư chuyển sang", by=treasurer,
    )  # fmt: skip
    for day in range(1, 26):
        direction = "income" if day % 3 else "expense"
        ledgers.entry_post(
            ledger=book, direction=direction, category="dues" if direction == "income" else "care",
            on=D(2026, 1 + day % 6, day), amount=1_000 * day, description=f"Bút toán {day}", by=treasurer,
        )  # fmt: skip
    return book


def test_running_balance_is_the_same_whatever_the_page(busy_book):
    whole = cash_book(busy_book, D(2026, 1, 1), D(2026, 12, 31), per_page=None)
    assert whole.opening == 1_000_000 and whole.count == 25
    paged = [
        row for n in (1, 2, 3) for row in cash_book(busy_book, D(2026, 1, 1), D(2026, 12, 31), n, 10).rows
    ]
    assert [(r.entry.pk, r.balance) for r in paged] == [(r.entry.pk, r.balance) for r in whole.rows]
    assert whole.rows[-1].balance == whole.closing == ledgers.balance(busy_book)
    assert whole.receipts - whole.payments == whole.closing - whole.opening
    dates = [r.entry.on for r in whole.rows]
    assert dates == sorted(dates)


def test_a_page_costs_a_constant_number_of_queries(busy_book, django_assert_num_queries):
    with django_assert_num_queries(5):
        cash_book(busy_book, D(2026, 1, 1), D(2026, 12, 31), page=2, per_page=10)


def test_a_page_past_the_end_shows_the_last(busy_book):
    book = cash_book(busy_book, D(2026, 1, 1), D(2026, 12, 31), page=99, per_page=10)
    assert (book.page, book.pages, len(book.rows)) == (3, 3, 5)


def test_a_reversal_lowers_its_own_column(union_a, treasurer, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 30, 9, 0), tick=False)
    book = ledgers.official_ledger(union_a)
    payment = ledgers.entry_post(
        ledger=book, direction="expense", category="care", on=D(2026, 6, 1), amount=300_000,
        description="Thăm ốm", by=treasurer,
    )  # fmt: skip
    ledgers.entry_reverse(entry=payment, by=treasurer, reason="Ghi nhầm")
    page = cash_book(book, D(2026, 6, 1), D(2026, 6, 30))
    assert [(row.receipt, row.payment) for row in page.rows] == [(None, 300_000), (None, -300_000)]
    assert (page.receipts, page.payments, page.closing) == (0, 0, 0)
