import json
import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members.models import Organization
from plans.importing import service
from plans.importing.parser import parse
from plans.importing.report import import_report
from plans.importing.source import ImportRefused, read_upload


class Command(BaseCommand):
    help = "Import a plan (.txt or .docx) as a draft of the organisation with the given document symbol."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a .txt or .docx file")
        parser.add_argument("--org", help="the organisation's document symbol, e.g. CĐMNTT")
        parser.add_argument("--org-id", type=int, help="the organisation's id (when symbols are shared)")
        parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
        parser.add_argument("--render", metavar="OUT.pdf", help="also render the imported plan to this PDF")

    def handle(self, *args, path, org, org_id, json: bool, render, **options):
        organization = self._organization(org, org_id)
        source = Path(path)
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        limit = settings.PLAN_IMPORT_MAX_BYTES
        if len(data) > limit:
            raise CommandError(f"{path} is {len(data):,} bytes; the import limit is {limit:,} bytes.")
        try:
            lines = read_upload(source.name, data)
        except ImportRefused as exc:
            raise CommandError(f"Cannot import {path}: {exc}") from exc
        if not lines:
            raise CommandError(f"Cannot import {path}: the document has no text.")
        plan = service.create_plan(organization, None, lines)
        report = import_report(plan, parse(lines))
        if render:
            from plans.rendering import render_pdf

            try:
                Path(render).write_bytes(render_pdf(plan))
            except OSError as exc:
                raise CommandError(f"Cannot write {render}: {exc.strerror or exc}") from exc
        if json:
            self.stdout.write(_dumps(report))
            return
        header = report["header"]
        self.stdout.write(
            f"Imported plan {plan.pk}: {header['type'] or '?'} {header['reference'] or ''} {plan.title}"
        )
        self.stdout.write(f"{len(report['legal_bases'])} legal bases, {len(report['outline'])} sections")
        for note in report["notes"]:
            self.stdout.write(f"note: {note}")
        for finding in report["findings"]:
            self.stdout.write(f"{finding['code']}  {finding['where']}  {finding['message']}")
        if render:
            self.stdout.write(f"{render}: written")

    def _organization(self, symbol, org_id) -> Organization:
        if org_id:
            organization = Organization.objects.filter(pk=org_id).first()
            if organization is None:
                raise CommandError(f"No organisation with id {org_id}.")
            return organization
        if not symbol:
            raise CommandError("Give the organisation: --org SYMBOL (or --org-id ID).")
        symbol = unicodedata.normalize("NFC", symbol).strip()
        matches = list(Organization.objects.filter(symbol=symbol, closed_on__isnull=True)[:10])
        if not matches:
            raise CommandError(f"No open organisation has the document symbol {symbol!r}.")
        if len(matches) > 1:
            names = ", ".join(f"{o.pk}: {o.name}" for o in matches)
            raise CommandError(f"Several organisations use the symbol {symbol!r} ({names}); use --org-id.")
        return matches[0]


def _dumps(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False)
