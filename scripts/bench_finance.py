"""Benchmark of the books: (a) the dues sheet of a 5,000-member union, (b) the cash book of 50,000 entries.

Builds its own data in a throwaway SQLite database (or, with BENCH_DATABASE_URL, a throwaway PostgreSQL
database you name: it is migrated and filled, never the project's own):

- (a) one grassroots union (an enterprise) with 5,000 active members, salaries from 4 to 40 million đồng (one
  in twenty without a fixed salary, one in fifty exempt this month); times `finance.dues.dues_sheet`
  (aim < 2 s), the command `dues_sheet --json`, and the page `finance:dues_sheet` through the test client
  (100 lines a page: the first, the last and a name search);
- (b) the union's official ledger with 50,000 entries over two years (bulk_create, numbered per direction and
  year as `finance.ledgers` numbers them); times `finance:cash_book` over the whole span through the test
  client, first and last page (aim < 300 ms), and `finance.cashbook.cash_book` alone.

Medians and minimums of several runs, and the queries of one run. Not a test:
`.venv/bin/python scripts/bench_finance.py [--members 5000] [--entries 50000] [--runs 5]`.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AIM_SHEET_MS = 2000
AIM_BOOK_MS = 300


def setup_django(work: Path) -> str:
    """A throwaway database; nothing of the project's is touched."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    database = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = database
    os.environ["MEDIA_ROOT"] = str(work / "media")
    os.environ["REDIS_URL"] = ""
    os.environ.setdefault("SECRET_KEY", "bench-only-" + secrets.token_urlsafe(40))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host name is allowed
    call_command("migrate", verbosity=0, interactive=False)
    return database.split(":", 1)[0]


def build(n_members: int, n_entries: int):
    """The union and its treasurer, the roll, the exemptions, the official ledger and its entries."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from finance.ledgers import official_ledger
    from finance.models import Category, DuesExemption, Transaction
    from members.models import Member, Officer, Organization, User

    today = timezone.localdate()
    month = today.replace(day=1)
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
    middle = ["Thị", "Văn", "Minh", "Thu", "Quốc", "Ngọc", "Đức", "Thanh"]
    given = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phương", "Tú"]
    with transaction.atomic():
        national = Organization.objects.create(name="Tổng Liên đoàn", symbol="TLĐ", level="national")
        union = Organization.objects.create(
            name="Công đoàn cơ sở Công ty Thử", symbol="CĐCTT", level="grassroots", parent=national,
            unit_type="enterprise", founded_on=datetime.date(2010, 1, 1),
        )  # fmt: skip
        treasurer = User.objects.create_user("bench-treasurer", password=secrets.token_urlsafe(16))
        Officer.objects.create(
            user=treasurer,
            organization=union,
            role=Officer.Role.TREASURER,
            start_on=datetime.date(2020, 1, 1),
        )
        members = Member.objects.bulk_create(
            (
                Member(
                    organization=union,
                    full_name=f"{family[i % 10]} {middle[i // 10 % 8]} {given[i // 80 % 12]} {i:04d}",
                    sex="female" if i % 2 else "male",
                    admitted_on=datetime.date(2020, 1, 1),
                    status_since=datetime.date(2020, 1, 1),
                    insurance_salary=None if i % 20 == 0 else 4_000_000 + (i * 7919) % 36_000_000,
                )
                for i in range(n_members)
            ),
            batch_size=1000,
        )
        DuesExemption.objects.bulk_create(
            DuesExemption(member=member, start=month, end=month, reason="benefits")
            for member in members[::50]
        )
        ledger = official_ledger(union)
        first = today - datetime.timedelta(days=729)
        numbers: dict[tuple[str, int], int] = {}
        rows = []
        for i in range(n_entries):
            on = first + datetime.timedelta(days=i * 730 // n_entries)
            income = i % 3 != 2
            direction = "income" if income else "expense"
            number = numbers[(direction, on.year)] = numbers.get((direction, on.year), 0) + 1
            amount = 50_000 + (i * 104_729) % 2_000_000
            category = Category.income()[i % 5] if income else Category.expense()[i % 7]
            rows.append(
                Transaction(
                    ledger=ledger, direction=direction, category=category, on=on, amount=amount,
                    effect=amount if income else -amount, description=f"Chứng từ {i}", year=on.year,
                    number=number, created_by=treasurer,
                )
            )  # fmt: skip
        Transaction.objects.bulk_create(rows, batch_size=5000)
    return union, treasurer, ledger, month, first, today


def dots(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def timed(function, runs: int) -> tuple[list[float], int]:
    """Times of `runs` calls after a warm-up (ms), and the queries of one more call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        function()
    return times, len(queries)


def get(client, url: str):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return call


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--entries", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if min(args.members, args.entries, args.runs) < 1:
        parser.error("counts must be positive")

    work = Path(tempfile.mkdtemp(prefix="bench-finance-"))
    try:
        engine = setup_django(work)
        from django.core.management import call_command
        from django.test import Client
        from django.urls import NoReverseMatch, reverse

        from finance.cashbook import PAGE_SIZE, cash_book
        from finance.dues import dues_sheet

        start = time.perf_counter()
        union, treasurer, ledger, month, first, today = build(args.members, args.entries)
        built = time.perf_counter() - start
        client = Client()
        client.force_login(treasurer)

        sheet_rows = []
        times, n_queries = timed(lambda: dues_sheet(union, month), args.runs)
        sheet_rows.append(("`finance.dues.dues_sheet()`", times, n_queries, AIM_SHEET_MS))
        command = lambda: call_command(  # noqa: E731
            "dues_sheet", org=union.symbol, month=f"{month:%Y-%m}", as_json=True, stdout=io.StringIO()
        )
        times, n_queries = timed(command, args.runs)
        sheet_rows.append(("command `dues_sheet --json`", times, n_queries, AIM_SHEET_MS))
        try:
            url = reverse("finance:dues_sheet", args=[union.pk]) + f"?month={month:%m/%Y}"
        except NoReverseMatch:
            url = None
        if url:
            times, n_queries = timed(get(client, url), args.runs)
            sheet_rows.append(("page `finance:dues_sheet` (test client)", times, n_queries, AIM_SHEET_MS))
            last = -(-args.members // 100)  # 100 lines a page; totals always over the whole month
            for label, query in ((f"last page ({last})", f"&page={last}"), ("name search", "&q=nguyen+thi")):
                times, n_queries = timed(get(client, url + query), args.runs)
                sheet_rows.append((f"page `finance:dues_sheet`, {label}", times, n_queries, AIM_SHEET_MS))

        pages = -(-args.entries // PAGE_SIZE)
        book_rows = []
        try:
            base = reverse("finance:cash_book", args=[union.pk, ledger.pk])
        except NoReverseMatch:
            base = None
        if base:
            span = f"?kind=custom&start={first:%d/%m/%Y}&end={today:%d/%m/%Y}"
            for label, page in (("page 1", 1), (f"last page ({pages})", pages)):
                times, n_queries = timed(get(client, f"{base}{span}&page={page}"), args.runs)
                book_rows.append((f"page `finance:cash_book`, {label} (test client)", times, n_queries))
        for label, page in (("page 1", 1), (f"last page ({pages})", pages)):
            times, n_queries = timed(lambda page=page: cash_book(ledger, first, today, page=page), args.runs)
            book_rows.append((f"`finance.cashbook.cash_book()` alone, {label}", times, n_queries))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def line(name, times, n_queries, aim):
        median = statistics.median(times)
        met = "yes" if median < aim else "no"
        return f"| {name} | {median:.0f} | {min(times):.0f} | {n_queries} | {met} |"

    print(
        f"\nFinance benchmark ({engine}; built in {built:.1f} s; median of {args.runs} runs after a "
        "warm-up)\n"
    )
    print(
        f"(a) Dues sheet of {month:%m/%Y}: {dots(args.members)} members in one grassroots union "
        f"(aim < {AIM_SHEET_MS / 1000:.0f} s)\n"
    )
    print("| what | median (ms) | min (ms) | queries | aim met |")
    print("|---|---:|---:|---:|---|")
    for name, times, n_queries, aim in sheet_rows:
        print(line(name, times, n_queries, aim))
    print(
        f"\n(b) Cash book of a ledger with {dots(args.entries)} entries over {first:%d/%m/%Y} – "
        f"{today:%d/%m/%Y}, {PAGE_SIZE} rows a page (aim < {AIM_BOOK_MS} ms)\n"
    )
    print("| what | median (ms) | min (ms) | queries | aim met |")
    print("|---|---:|---:|---:|---|")
    for name, times, n_queries in book_rows:
        print(line(name, times, n_queries, AIM_BOOK_MS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
