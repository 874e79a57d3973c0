"""Benchmark of the member roll: importing 5,000 members from Excel, the roll page and its export.

Builds a grassroots union (6 union groups, its chair) in a throwaway SQLite database (or, with
BENCH_DATABASE_URL, a throwaway PostgreSQL database you name: it is migrated and filled, never the project's
own). Then:
- (a) an .xlsx of 5,000 rows made from `members.importing.template_workbook` with openpyxl, every column
  filled, imported with `members_import` (all or nothing; one run: it adds the members). The checking of the
  rows (`read_rows`) is also timed alone, before, on the same file.
- (b) `members:member_list` through Django's test client, logged in as the chair, on the 5,000 members:
  page 1 as it opens, a filtered and sorted page, and a page far down the roll (median and min of the runs,
  queries, response size).
- (c) the roll export (`members:member_export`, or `members:roll_export`), if the URL exists.
Not a test: `.venv/bin/python scripts/bench_members.py [--members 5000] [--runs 20] [--profile FILE]`.
With --profile, (a) to (c) also run under cProfile (slower: the times printed are then not comparable) and
the stats are saved to FILE: `python -m pstats FILE`, then `sort cumulative` / `stats 30`.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORT_AIM_S = 10
PAGE_AIM_MS = 200
GROUPS = [
    "Tổ Nhà trẻ",
    "Tổ Mẫu giáo bé",
    "Tổ Mẫu giáo nhỡ",
    "Tổ Mẫu giáo lớn",
    "Tổ Văn phòng",
    "Tổ Cấp dưỡng",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Thị", "Văn", "Thị Thanh", "Minh", "Thị Ngọc", "Đức", "Thị Kim", "Quốc"]
GIVEN = ["Hoa", "Lan", "Hùng", "Mai", "Tuấn", "Hương", "Nam", "Thu", "Hà", "Dũng", "Yến", "Trang", "Phúc"]


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


def build():
    """The union (under a ward), its union groups and its chair."""
    import datetime

    from members.models import Officer, Organization, UnionGroup, User

    national = Organization.objects.create(name="Tổng Liên đoàn", symbol="TLĐ", level="national")
    ward = Organization.objects.create(
        name="Công đoàn phường Thử", symbol="CĐP", level="upper_grassroots", parent=national
    )
    union = Organization.objects.create(
        name="Công đoàn cơ sở Công ty Thử", symbol="CĐCT", level="grassroots", parent=ward
    )
    UnionGroup.objects.bulk_create(
        UnionGroup(organization=union, name=name, position=i) for i, name in enumerate(GROUPS, start=1)
    )
    chair = User.objects.create_user("bench-chair", password=secrets.token_urlsafe(16))
    Officer.objects.create(
        user=chair, organization=union, role=Officer.Role.CHAIR, start_on=datetime.date(2020, 1, 1)
    )
    return union, chair


def workbook(n: int) -> bytes:
    """The template with its example row replaced by `n` members, every column filled."""
    import io

    from openpyxl import load_workbook

    from members.importing import template_workbook

    book = load_workbook(io.BytesIO(template_workbook()))
    sheet = book.active
    sheet.delete_rows(2)
    for i in range(n):
        female = i % 3 != 0
        name = f"{FAMILY[i % 13]} {MIDDLE[(i // 13) % 8]} {GIVEN[(i // 104) % 13]} {i:04d}"
        sheet.append(
            [name, f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1965 + i % 38}", "Nữ" if female else "Nam", "Kinh",
             f"0310{i % 100:02d}{i:06d}", f"09{i:08d}", f"doanvien{i}@congty.example", "Công nhân may",
             "Tổ trưởng" if i % 25 == 0 else "", 5_000_000 + 10_000 * (i % 300),
             "Có" if i % 17 == 0 else "Không",
             f"{1 + i % 28:02d}/{1 + i % 12:02d}/{2005 + i % 20}", f"{i % 90 + 1:02d}/QĐ-CĐCS", f"HP{i:07d}",
             GROUPS[i % len(GROUPS)], "Ủy viên BCH" if i % 500 == 0 else ""]
        )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def timed(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
    return result, elapsed, len(queries)


def measure(client, url: str, runs: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: templates, translations, connection
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return times, len(queries), len(response.content)


def export_url(union) -> tuple[str | None, str]:
    from django.urls import NoReverseMatch, reverse

    for name in ("members:member_export", "members:roll_export"):
        try:
            return reverse(name, args=[union.pk]), name
        except NoReverseMatch:
            continue
    return None, ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20, help="requests per page")
    parser.add_argument("--export-runs", type=int, default=5)
    parser.add_argument("--profile", metavar="FILE", help="save cProfile stats of (a) to (c) to FILE")
    args = parser.parse_args()
    if min(args.members, args.runs, args.export_runs) < 1:
        parser.error("counts must be positive")

    work = Path(tempfile.mkdtemp(prefix="bench-members-"))
    notes = []
    try:
        engine = setup_django(work)
        from django.test import Client
        from django.urls import reverse

        from members.importing import members_import, read_rows
        from members.models import Member

        union, chair = build()
        start = time.perf_counter()
        data = workbook(args.members)
        made = time.perf_counter() - start
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        (rows, errors), checked, check_queries = timed(lambda: read_rows(data, union))
        assert not errors and len(rows) == args.members, errors[:3]
        created, imported, import_queries = timed(
            lambda: members_import(data=data, organization=union, by=chair)
        )
        assert len(created) == args.members == Member.objects.filter(organization=union).count()

        client = Client()
        client.force_login(chair)
        roll = reverse("members:member_list", args=[union.pk])
        group = union.union_groups.get(name=GROUPS[1]).pk
        pages = [
            ("page 1 (as it opens)", roll),
            ("filtered and sorted: a group, women, by date of birth, page 2",
             f"{roll}?group={group}&sex=female&sort=birth&page=2"),
            ("search by name (`Nguyễn Thị`), newest admissions first",
             f"{roll}?q=Nguy%E1%BB%85n+Th%E1%BB%8B&sort=admitted"),
            (f"page {args.members // 50} (far down the roll)", f"{roll}?page={args.members // 50}"),
        ]  # fmt: skip
        rows_out = []
        for label, url in pages:
            times, n_queries, size = measure(client, url, args.runs)
            rows_out.append((label, statistics.median(times), min(times), n_queries, size, PAGE_AIM_MS))
        url, name = export_url(union)
        if url is None:
            notes.append("(c) the roll export was skipped: no URL `members:member_export` (not built yet).")
        else:
            try:
                times, n_queries, size = measure(client, url, args.export_runs)
            except Exception as error:  # another helper's page in progress: say so, measure the rest
                notes.append(f"(c) the roll export `{name}` failed: {type(error).__name__}: {error}")
            else:
                rows_out.append(
                    (f"export `{name}` (.xlsx, the whole roll)", statistics.median(times), min(times),
                     n_queries, size, None)
                )  # fmt: skip
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(args.profile)
            notes.append(f"Profiled (times inflated by cProfile): `python -m pstats {args.profile}`.")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"\nMember roll benchmark ({engine}; {args.members:,} members in one grassroots union with "
        f"{len(GROUPS)} union groups)\n"
    )
    print("| step | time | queries | aim | aim met |")
    print("|---|---:|---:|---|---|")
    print(f"| build the .xlsx from the template ({len(data) / 1024:.0f} KiB) | {made:.2f} s | – | – | – |")
    print(f"| `read_rows` alone: check every row | {checked:.2f} s | {check_queries} | – | – |")
    aim = "yes" if imported < IMPORT_AIM_S else "no"
    print(
        f"| (a) `members_import`: check, then save all {args.members:,} with their admission | "
        f"{imported:.2f} s | {import_queries} | < {IMPORT_AIM_S} s | {aim} |"
    )
    print(f"\nRoll pages through the test client, logged in as the chair: median of {args.runs} requests.\n")
    print("| page | median (ms) | min (ms) | queries | response (KiB) | aim met |")
    print("|---|---:|---:|---:|---:|---|")
    for label, median, fastest, n_queries, size, page_aim in rows_out:
        met = ("yes" if median < page_aim else "no") if page_aim else "–"
        print(f"| {label} | {median:.0f} | {fastest:.0f} | {n_queries} | {size / 1024:.0f} | {met} |")
    for note in notes:
        print(f"\n{note}")
    if any(label.startswith("export") for label, *_rest in rows_out):
        print(f"\nThe export: median of {args.export_runs} requests, no aim set.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
