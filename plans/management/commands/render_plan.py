from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.docx import render_docx
from plans.models import Plan
from plans.rendering import render_pdf


class Command(BaseCommand):
    help = "Render a plan in the official layout, synchronously: to PDF (-o), to Word (--docx), or both."

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int)
        parser.add_argument("-o", "--output", help="where to write the PDF")
        parser.add_argument("--docx", metavar="OUT.docx", help="where to write the Word (.docx) file")

    def handle(self, *args, plan_id, output=None, docx=None, **options):
        if not output and not docx:
            raise CommandError(
                "Nothing to write: give -o/--output for the PDF, --docx for the Word file, or both."
            )
        if output and docx and Path(output).resolve() == Path(docx).resolve():
            raise CommandError("The PDF and the Word file need different paths.")
        plan = Plan.objects.select_related("organization", "organization__parent").filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"No plan with id {plan_id}.")
        jobs = [(path, render) for path, render in ((output, render_pdf), (docx, render_docx)) if path]
        for path, render in jobs:
            try:
                data = render(plan)
            except Exception as exc:
                raise CommandError(f"Rendering plan {plan_id} failed: {exc}") from exc
            try:
                Path(path).write_bytes(data)
            except OSError as exc:
                raise CommandError(f"Cannot write {path}: {exc}") from exc
            self.stdout.write(f"{path}: {len(data):,} bytes")
