"""Benchmark of the upper union's dashboard: 500 children × 30 targets, 10 cascaded targets above.

Builds the world in a throwaway SQLite database (or, with BENCH_DATABASE_URL, a throwaway PostgreSQL database
you name: it is migrated and filled, never the project's own), then times `targets:dashboard` and
`targets:dashboard_xlsx` server side through Django's test client (median and min of several runs) and
counts their queries; then the selector alone, to tell the reading of the data from the rendering. Each
child has an issued plan for the year with 30 targets (10 counting towards the parent's), a report for the
previous quarter and, for most, one for this quarter (30 entries each).
Not a test: `.venv/bin/python scripts/bench_dashboard.py [--children 500] [--targets 30] [--runs 7]`.
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
AIM_MS = 300


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


def build(n_children: int, n_targets: int, n_cascaded: int):
    """The parent (an upper union with its reviewer), its plan in force, the children with their reports."""
    import datetime
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from members.models import Officer, Organization, User
    from plans.models import Plan
    from targets.models import Report, ReportEntry, Target
    from targets.periods import Period

    today = timezone.localdate()
    period = Period.containing(today)
    year = dict(period_start=datetime.date(today.year, 1, 1), period_end=datetime.date(today.year, 12, 31))
    with transaction.atomic():
        national = Organization.objects.create(name="Tổng Liên đoàn", symbol="TLĐ", level="national")
        parent = Organization.objects.create(
            name="Công đoàn phường Thử", symbol="CĐP", level="upper_grassroots", parent=national
        )
        reviewer = User.objects.create_user("bench-reviewer", password=secrets.token_urlsafe(16))
        Officer.objects.create(
            user=reviewer, organization=parent, role=Officer.Role.REVIEWER, start_on=datetime.date(2020, 1, 1)
        )
        plan = Plan.objects.create(organization=parent, title="Chương trình công tác", status="issued",
                                   number=1, dated_on=year["period_start"], **year)  # fmt: skip
        goals = Target.objects.bulk_create(
            Target(plan=plan, position=i, text=f"Chỉ tiêu cấp trên {i}", value=Decimal(50 * n_children))
            for i in range(n_cascaded)
        )
        children = Organization.objects.bulk_create(
            Organization(name=f"Công đoàn cơ sở {i:04d}", symbol=f"CĐ{i}", level="grassroots", parent=parent)
            for i in range(n_children)
        )
        plans = Plan.objects.bulk_create(
            Plan(organization=child, title="Kế hoạch năm", status="issued", number=1,
                 dated_on=year["period_start"], **year)
            for child in children
        )  # fmt: skip
        targets = Target.objects.bulk_create(
            Target(plan=p, position=j, text=f"Chỉ tiêu {j}", value=Decimal(40 + j),
                   contributes_to=goals[j] if j < n_cascaded else None)
            for p in plans for j in range(n_targets)
        )  # fmt: skip
        by_plan = {}
        for target in targets:
            by_plan.setdefault(target.plan_id, []).append(target)
        due = datetime.datetime.combine(today, datetime.time(9), tzinfo=datetime.UTC)
        reports = []
        for i, child in enumerate(children):
            reports.append(Report(organization=child, period=period.previous().key, status="accepted",
                                  submitted_at=due - datetime.timedelta(days=90)))  # fmt: skip
            if i % 5:  # four in five have sent this quarter's report
                reports.append(
                    Report(organization=child, period=period.key, status="submitted", submitted_at=due)
                )
        reports = Report.objects.bulk_create(reports)
        plan_of = {p.organization_id: p.pk for p in plans}
        ReportEntry.objects.bulk_create(
            (
                ReportEntry(report=report, target=target, position=target.position,
                            reached=Decimal((target.pk * 7 + report.pk) % 60))
                for report in reports for target in by_plan[plan_of[report.organization_id]]
            ),
            batch_size=5000,
        )  # fmt: skip
    return parent, reviewer, period, len(reports)


def measure(client, url: str, runs: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: templates, translations, connection
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return times, len(queries), len(response.content)


def measure_selector(parent, period, runs: int) -> tuple[list[float], int]:
    """The selector alone (`targets.dashboard.dashboard`), without the view, middleware and template."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from targets.dashboard import dashboard

    today = timezone.localdate()
    dashboard(parent, period=period, today=today)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        dashboard(parent, period=period, today=today)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        dashboard(parent, period=period, today=today)
    return times, len(queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=500)
    parser.add_argument("--targets", type=int, default=30, help="targets per child plan")
    parser.add_argument("--cascaded", type=int, default=10, help="targets of the parent's plan")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if min(args.children, args.targets, args.cascaded, args.runs) < 1 or args.cascaded > args.targets:
        parser.error("counts must be positive, and --cascaded at most --targets")

    work = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    try:
        engine = setup_django(work)
        from django.test import Client
        from django.urls import reverse

        start = time.perf_counter()
        parent, reviewer, period, n_reports = build(args.children, args.targets, args.cascaded)
        built = time.perf_counter() - start
        client = Client()
        client.force_login(reviewer)
        rows = []
        for name in ("targets:dashboard", "targets:dashboard_xlsx"):
            times, n_queries, size = measure(client, reverse(name, args=[parent.pk]), args.runs)
            rows.append((f"`{name}`", statistics.median(times), min(times), n_queries, size))
        times, n_queries = measure_selector(parent, period, args.runs)
        rows.append(("selector `targets.dashboard.dashboard()` alone", statistics.median(times), min(times),
                     n_queries, None))  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"\nDashboard benchmark ({engine}; {args.children} children × {args.targets} targets, "
        f"{args.cascaded} cascaded; {n_reports} reports; period {period.key}; built in {built:.1f} s; "
        f"median of {args.runs} runs; aim < {AIM_MS} ms)\n"
    )
    print("| view | median (ms) | min (ms) | queries | response (KiB) | aim met |")
    print("|---|---:|---:|---:|---:|---|")
    for name, median, fastest, n_queries, size in rows:
        aim = "yes" if median < AIM_MS else "no"
        kib = f"{size / 1024:.0f}" if size is not None else "–"
        print(f"| {name} | {median:.0f} | {fastest:.0f} | {n_queries} | {kib} | {aim} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
