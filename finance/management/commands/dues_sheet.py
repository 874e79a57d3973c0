"""The month's dues sheet of a grassroots union, as a table or as JSON (for scripts and checks)."""

import datetime
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from finance.dues import dues_sheet
from finance.templatetags.money import format_vnd
from members.models import Organization


def parse_month(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"--month must be YYYY-MM, not {value!r}") from None


class Command(BaseCommand):
    help = "Print a grassroots union's dues sheet for a month."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="The union's symbol, e.g. CĐMNA.")
        parser.add_argument("--month", required=True, type=str, help="YYYY-MM")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print JSON only.")

    def handle(self, *args, org: str, month: str, as_json: bool, **options):
        on = parse_month(month)
        unions = list(Organization.objects.filter(symbol=org, level=Organization.Level.GRASSROOTS)[:2])
        if len(unions) != 1:
            raise CommandError(
                f"No grassroots union with symbol {org!r}." if not unions else f"Several unions use {org!r}."
            )
        try:
            lines = dues_sheet(unions[0], on)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        total = sum(line.dues.amount for line in lines)
        if as_json:
            self.stdout.write(_json(on, lines, total))
            return
        self.stdout.write(f"{unions[0].display_name} – {on:%m/%Y}")
        for line in lines:
            basis = format_vnd(line.dues.basis) if line.dues.basis else "—"
            amount = format_vnd(line.dues.amount)
            self.stdout.write(
                f"{line.member.full_name:<40} {basis:>16} {line.dues.rate_label:>10} {amount:>12}"
            )
        self.stdout.write(f"{'':<40} {'':>16} {'':>10} {format_vnd(total):>12}")


def _json(on, lines, total) -> str:
    return json.dumps(
        {
            "month": on.strftime("%Y-%m"),
            "lines": [
                {
                    "member": line.member.full_name,
                    "basis": line.dues.basis,
                    "rate": line.dues.rate_code,
                    "amount": line.dues.amount,
                }
                for line in lines
            ],
            "total": total,
        },
        ensure_ascii=False,
    )
