"""Posting, numbering, reversing and closing months (finance.ledgers): balances never drift, vouchers never
repeat or skip, closed months never change."""

import contextlib
import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finance import ledgers
from finance.models import Ledger, Transaction
from members.models import Officer
from tests.factories import MemberFactory, OfficerFactory, UserFactory

D = datetime.date
IN, OUT = Transaction.Direction.INCOME, Transaction.Direction.EXPENSE


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 9, 0), tick=False)


@pytest.fixture
def book(union_a):
    return ledgers.official_ledger(union_a)


JUNE_1 = D(2026, 6, 1)


def post(book, by, amount=100_000, direction=IN, on=JUNE_1, category=None, **extra):
    category = category or ("dues" if direction == IN else "care")
    return ledgers.entry_post(
        ledger=book, direction=direction, category=category, on=on, amount=amount, description="Thu đoàn phí",
        by=by, **extra,
    )  # fmt: skip


def test_vouchers_are_numbered_per_direction_and_year(book, treasurer):
    numbers = [
        post(book, treasurer).voucher,
        post(book, treasurer, direction=OUT).voucher,
        post(book, treasurer).voucher,
        post(book, treasurer, on=D(2025, 12, 31)).voucher,
    ]
    assert numbers == ["PT-2026-0001", "PC-2026-0001", "PT-2026-0002", "PT-2025-0001"]


def test_each_ledger_keeps_its_own_sequence_and_balance(book, union_a, treasurer):
    fund = Ledger.objects.create(
        organization=union_a, kind="fund", name="Quỹ xã hội", opened_on=D(2026, 1, 1)
    )
    post(book, treasurer, amount=500_000)
    post(fund, treasurer, amount=70_000, category="donations")
    post(fund, treasurer, amount=20_000, direction=OUT)
    assert post(fund, treasurer, amount=1, category="donations").voucher == "PT-2026-0002"
    assert (ledgers.balance(book), ledgers.balance(fund)) == (500_000, 50_001)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": 0}, "amount"),
        ({"amount": -5}, "amount"),
        ({"amount": 1.5}, "amount"),
        ({"category": "care"}, "category"),  # a spending line on a receipt
        ({"on": D(2026, 6, 16)}, "on"),  # tomorrow
        ({"on": D(1999, 1, 1)}, "on"),  # before the ledger opened
    ],
)
def test_bad_entries_are_refused_with_a_message(book, treasurer, changes, field):
    with pytest.raises(ValidationError) as refused:
        post(book, treasurer, **changes)
    assert field in refused.value.message_dict
    assert Transaction.objects.count() == 0


def test_only_the_union_s_bookkeepers_post(book, chair, treasurer, reviewer, union_a):
    committee = UserFactory(username="uyvien")
    OfficerFactory(user=committee, organization=union_a, role=Officer.Role.COMMITTEE_MEMBER)
    post(book, chair)
    for outsider in (reviewer, committee):
        with pytest.raises(PermissionDenied):
            post(book, outsider)


def test_a_member_of_another_union_is_refused(book, treasurer, union_b):
    with pytest.raises(ValidationError):
        post(book, treasurer, member=MemberFactory(organization=union_b))


def test_a_reversal_cancels_the_entry_once(book, treasurer):
    entry = post(book, treasurer, amount=300_000, direction=OUT)
    reversal = ledgers.entry_reverse(entry=entry, by=treasurer, reason="Ghi nhầm số tiền")
    assert (reversal.voucher, reversal.effect, ledgers.balance(book)) == ("PC-2026-0002", 300_000, 0)
    assert "PC-2026-0001" in reversal.description
    with pytest.raises(ValidationError, match="đã được điều chỉnh hủy"):
        ledgers.entry_reverse(entry=entry, by=treasurer, reason="Lần nữa")
    with pytest.raises(ValidationError):
        ledgers.entry_reverse(entry=reversal, by=treasurer, reason="Đảo của đảo")


def test_entries_are_never_edited_or_deleted(book, treasurer):
    entry = post(book, treasurer)
    entry.amount = 1
    for change in (entry.save, entry.delete, Transaction.objects.all().delete):
        with pytest.raises(ValueError):
            change()
    with pytest.raises(ValueError):
        Transaction.objects.filter(pk=entry.pk).update(amount=1)
    entry.refresh_from_db()
    assert entry.amount == 100_000


def test_a_closed_month_refuses_every_change(book, treasurer, union_a):
    entry = post(book, treasurer, on=D(2026, 5, 20))
    ledgers.month_close(organization=union_a, month=D(2026, 5, 1), by=treasurer)
    with pytest.raises(ValidationError, match="05/2026"):  # a new entry dated in it
        post(book, treasurer, on=D(2026, 5, 31))
    with pytest.raises(ValidationError, match="05/2026"):  # a reversal dated in it
        ledgers.entry_reverse(entry=entry, by=treasurer, reason="Sai", on=D(2026, 5, 31))
    with pytest.raises(ValidationError, match="05/2026"):  # straight through the model (admin, shell)
        Transaction(
            ledger=book, direction=IN, category="dues", on=D(2026, 5, 2), amount=1, effect=1, description="x",
            year=2026, number=99, created_by=treasurer,
        ).save()  # fmt: skip
    with pytest.raises(ValueError):
        Transaction.objects.filter(pk=entry.pk).update(on=D(2026, 6, 1))
    # the correction goes in an open month, and the closed month's entries stay as they were
    ledgers.entry_reverse(entry=entry, by=treasurer, reason="Sai")
    assert ledgers.balance(book, until=D(2026, 5, 31)) == 100_000
    assert ledgers.balance(book) == 0
    with pytest.raises(ValidationError):
        ledgers.month_close(organization=union_a, month=D(2026, 5, 1), by=treasurer)
    with pytest.raises(ValidationError):
        ledgers.month_close(organization=union_a, month=D(2026, 7, 1), by=treasurer)


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["income", "expense", "reverse"]),
        st.integers(min_value=1, max_value=10**12),
        st.integers(min_value=0, max_value=30),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_any_postings_and_reversals_keep_every_balance_equal_to_its_entries(operations, union_a, treasurer):
    Transaction.objects.all()._raw_delete(Transaction.objects.db)  # a fresh book for each example
    Ledger.objects.all().delete()
    book = ledgers.official_ledger(union_a)
    fund = Ledger.objects.create(
        organization=union_a, kind="fund", name="Quỹ tương trợ", opened_on=D(2026, 1, 1)
    )
    posted = []
    for index, (operation, amount, pick) in enumerate(operations):
        ledger = (book, fund)[index % 2]
        if operation == "reverse":
            open_entries = [e for e in posted if e.reverses_id is None and not hasattr(e, "_reversed")]
            if not open_entries:
                continue
            target = open_entries[pick % len(open_entries)]
            target._reversed = True
            posted.append(ledgers.entry_reverse(entry=target, by=treasurer, reason="Điều chỉnh"))
        else:
            direction = IN if operation == "income" else OUT
            posted.append(
                post(ledger, treasurer, amount=amount, direction=direction, on=D(2026, 1 + pick % 6, 1))
            )
    for ledger in (book, fund):
        entries = [e for e in posted if e.ledger_id == ledger.pk]
        expected = 0
        for e in entries:
            sign = 1 if e.direction == IN else -1
            expected += -sign * e.amount if e.reverses_id else sign * e.amount
        assert ledgers.balance(ledger) == expected
        for direction in (IN, OUT):
            numbers = sorted(e.number for e in entries if e.direction == direction)
            assert numbers == list(range(1, len(numbers) + 1))  # no repeat, no gap


@pytest.mark.django_db(transaction=True)
def test_two_treasurers_posting_at_once_never_share_or_skip_a_number(union_a, treasurer, chair):
    """Threads with their own connections. On PostgreSQL they post truly at once (the ledger's row lock
    orders them); SQLite takes one writer at a time, so there they take turns."""
    book = ledgers.official_ledger(union_a)
    barrier = threading.Barrier(2)
    turns = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()
    errors = []

    def poster(user):
        try:
            barrier.wait()
            for _ in range(15):
                with turns:
                    post(book, user, amount=1_000)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=poster, args=(user,)) for user in (treasurer, chair)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Transaction.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 31))
    assert ledgers.balance(book) == 30_000


def test_a_reversal_is_not_dated_later_than_today(book, treasurer):
    entry = post(book, treasurer)
    with pytest.raises(ValidationError) as refused:
        ledgers.entry_reverse(entry=entry, by=treasurer, reason="Sai", on=D(2027, 1, 1))
    assert "on" in refused.value.message_dict
