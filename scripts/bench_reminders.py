"""Benchmark of the daily reminder sweep (`targets.reminders.reminder_sweep`) over 10,000 grassroots unions.

Builds, in a throwaway database, 20 upper unions (each with a reviewer) and 10,000 grassroots unions under
them (500 each), every one with a chair who has an email address; then measures
  - `plan_reminders` alone on the deadline of Q1/2026 (15/03/2026): every union is due;
  - the sweep of that day (create 10,000 rows, claim them, 10,000 emails over one connection, 10,000 in-app
    notices), and a second run of the same day, which must send nothing;
  - the Monday after (23/03/2026): 20 weekly digests, each listing 500 late unions.
Emails go to Django's in-memory backend (no SMTP server): the time is the app's own. Not a test: run
`.venv/bin/python scripts/bench_reminders.py [--unions N] [--parents N]`.

The database is a temporary SQLite file, removed afterwards. To measure on PostgreSQL, name a database that
may be created and dropped in BENCH_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/bench_reminders):
the script creates it, and drops it at the end. The developer's own database is never touched.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AIM_SECONDS = 30


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unions", type=int, default=10_000, help="grassroots unions (default 10000)")
    parser.add_argument("--parents", type=int, default=20, help="upper unions above them (default 20)")
    args = parser.parse_args()
    if args.unions < 1 or args.parents < 1:
        parser.error("--unions and --parents must be at least 1")
    work = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
    try:
        print(run(args.unions, args.parents, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def setup_django(work: Path) -> str:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    url = os.environ.get("BENCH_DATABASE_URL", "")
    os.environ["DATABASE_URL"] = url or f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(work / "media")
    os.environ["REDIS_URL"] = ""
    os.environ.setdefault("SECRET_KEY", "bench-only-" + secrets.token_urlsafe(40))
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "postgresql":
        _create_postgres_database(connection)
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # no server: the app's own time
    mail.outbox = []
    call_command("migrate", verbosity=0, interactive=False)
    return connection.vendor


def _create_postgres_database(connection) -> None:
    """Creates the database named in BENCH_DATABASE_URL (it must not exist: nothing is ever overwritten)."""
    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone():
            raise SystemExit(f"The database {name!r} exists already: name a new, throwaway one.")
        cursor.execute(f'CREATE DATABASE "{name}"')


def _drop_postgres_database(connection) -> None:
    name = connection.settings_dict["NAME"]
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def build(unions: int, parents: int) -> None:
    from members.models import Officer, Organization, User

    level = Organization.Level
    national = Organization.objects.create(
        name="Tổng Liên đoàn Lao động Việt Nam", symbol="TLĐ", level=level.NATIONAL
    )
    province = Organization.objects.create(
        name="Liên đoàn Lao động thành phố Hải Phòng", symbol="LĐLĐ", level=level.PROVINCE, parent=national
    )
    uppers = Organization.objects.bulk_create(
        [
            Organization(name=f"Công đoàn phường {n:02d}", symbol=f"CĐP{n}", level=level.UPPER_GRASSROOTS,
                         parent=province)
            for n in range(parents)
        ]
    )  # fmt: skip
    grassroots = Organization.objects.bulk_create(
        [
            Organization(name=f"Công đoàn cơ sở Đơn vị {n:05d}", symbol=f"CĐDV{n}", level=level.GRASSROOTS,
                         parent=uppers[n % parents], founded_on=datetime.date(2010, 1, 1))
            for n in range(unions)
        ],
        batch_size=1000,
    )  # fmt: skip
    users = User.objects.bulk_create(
        [User(username=f"chair{n:05d}", email=f"chair{n:05d}@example.org", password="!")
         for n in range(unions)]
        + [User(username=f"reviewer{n:02d}", email=f"reviewer{n:02d}@example.org", password="!")
           for n in range(parents)],
        batch_size=1000,
    )  # fmt: skip
    start = datetime.date(2020, 1, 1)
    Officer.objects.bulk_create(
        [Officer(user=users[n], organization=grassroots[n], role=Officer.Role.CHAIR, start_on=start)
         for n in range(unions)]
        + [Officer(user=users[unions + n], organization=uppers[n], role=Officer.Role.REVIEWER, start_on=start)
           for n in range(parents)],
        batch_size=1000,
    )  # fmt: skip


def measure(fn):
    """Wall time and the number of statements sent to the database (counted by an execute wrapper: Django's
    query log stops at 9,000 entries and its bookkeeping would be part of the time)."""
    from django.db import connection

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    print(f"  {getattr(fn, '__name__', 'step')}: {elapsed:.2f} s, {count} queries", file=sys.stderr)
    return result, elapsed, count


def run(unions: int, parents: int, work: Path) -> str:
    vendor = setup_django(work)
    from django.core import mail
    from django.db import connection

    from targets.models import Reminder
    from targets.reminders import plan_reminders, reminder_sweep

    try:
        start = time.perf_counter()
        build(unions, parents)
        built = time.perf_counter() - start
        print(f"Built {unions} unions under {parents} parents in {built:.1f} s ({vendor}).", file=sys.stderr)
        deadline, monday = datetime.date(2026, 3, 15), datetime.date(2026, 3, 23)
        rows = []

        due, seconds, queries = measure(lambda: plan_reminders(deadline))
        rows.append(("`plan_reminders` on 15/03/2026 (work out who is due)", len(due), "—", queries, seconds))

        mail.outbox = []
        first, seconds, queries = measure(lambda: reminder_sweep(deadline))
        assert len(first.sent) == unions, (len(first.sent), unions)
        rows.append(
            ("Sweep of 15/03/2026 (every union due)", len(first.sent), len(mail.outbox), queries, seconds)
        )

        mail.outbox = []
        second, seconds, queries = measure(lambda: reminder_sweep(deadline))
        assert second.sent == [] and second.skipped == unions
        rows.append(("Second sweep of 15/03/2026 (nothing to send)", 0, len(mail.outbox), queries, seconds))

        mail.outbox = []
        # no catch-up here: the sweep of 22/03 (overdue-7 for every union) is not part of this step
        digest, seconds, queries = measure(lambda: reminder_sweep(monday, catch_up=0))
        assert [e["kind"] for e in digest.sent] == ["digest"] * parents
        rows.append(
            (f"Monday 23/03/2026: weekly digests ({unions // parents} late unions each)", len(digest.sent),
             len(mail.outbox), queries, seconds)
        )  # fmt: skip
        total_rows = Reminder.objects.count()
    finally:
        if vendor == "postgresql":
            _drop_postgres_database(connection)
    return markdown(rows, unions, parents, vendor, total_rows)


def markdown(rows, unions, parents, vendor, total_rows) -> str:
    lines = [
        "# Reminder sweep benchmark",
        "",
        f"{unions:,} grassroots unions under {parents} upper unions, each with a chair who has an email; "
        f"{vendor} database; emails to Django's in-memory backend. Aim: the sweep under {AIM_SECONDS} s.",
        "Each email's reminders are recorded as sent (one UPDATE, committed) as soon as it has gone, so that",
        "a worker killed mid-batch never sends them again: one statement per union is the price of that.",
        "",
        "| step | reminders sent | emails | queries | time |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, sent, emails, queries, seconds in rows:
        lines.append(f"| {name} | {sent:,} | {emails if isinstance(emails, str) else f'{emails:,}'} | "
                     f"{queries} | {seconds:.2f} s |")  # fmt: skip
    lines += [
        "",
        f"Reminder rows at the end: {total_rows:,}. Python {platform.python_version()}, "
        f"{platform.platform()}, {os.cpu_count()} CPUs.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
