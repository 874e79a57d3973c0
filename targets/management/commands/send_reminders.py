"""`python manage.py send_reminders [--date YYYY-MM-DD] [--dry-run] [--json]`: the daily sweep, by hand."""

from __future__ import annotations

import contextlib
import datetime
import json
import re
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from targets.reminders import reminder_sweep

HELP = """Sends the report reminders due on a day (default: today), as the daily task does: the same rows,
claimed once, so running it twice, or beside the task, sends nothing twice. It also sends, once, what the
sweeps of the REMINDER_CATCH_UP_DAYS days before missed. With --json it prints
{"date": "YYYY-MM-DD", "sent": [{"organization": name, "period": "2026-Q1", "kind": "due", "to": [emails]}],
"skipped": n} where `sent` is what this run sent (with --dry-run: what it would send) and `skipped` counts
the reminders due that day that this run did not send: sent already (or being sent) by an earlier or
concurrent run, or with nobody to send them to. A second run for the same day prints "sent": [] and counts
that day's reminders as skipped."""

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(value: str) -> datetime.date:
    try:
        if not ISO_DAY.match(value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--date {value!r} is not a day: write a real date as YYYY-MM-DD, e.g. 2026-03-15."
        ) from None


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to run for, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="write and send nothing; list what would go"
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON (see above)")

    def handle(self, *args, date=None, dry_run=False, json=False, **options):
        day = parse_day(date) if date else timezone.localdate()
        if json:  # stdout is for the JSON alone: a console email backend (development) writes to stderr
            with contextlib.redirect_stdout(sys.stderr):
                result = reminder_sweep(day, dry_run=dry_run)
        else:
            result = reminder_sweep(day, dry_run=dry_run)
        if json:
            self.stdout.write(_dumps(result.as_json()))
            return
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(f"{verb} {len(result.sent)} reminder(s) for {day.isoformat()}:")
        for entry in result.sent:
            to = ", ".join(entry["to"]) or "in-app only"
            self.stdout.write(f"  {entry['organization']} · {entry['period']} · {entry['kind']} → {to}")
        self.stdout.write(f"Skipped (already sent or nobody to send to): {result.skipped}")
        if result.retry:
            self.stdout.write(f"Left to retry after email errors: {result.retry}")
        if result.failed:
            self.stdout.write(f"Given up (see the admin): {result.failed}")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
