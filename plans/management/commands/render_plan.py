from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.models import Plan
from plans.rendering import render_pdf


class Command(BaseCommand):
    help = "Render a plan to PDF in the official layout, synchronously."

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int)
        parser.add_argument("-o", "--output", required=True, help="where to write the PDF")

    def handle(self, *args, plan_id, output, **options):
        plan = Plan.objects.select_related("organization", "organization__parent").filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"No plan with id {plan_id}.")
        try:
            data = render_pdf(plan)
        except Exception as exc:
            raise CommandError(f"Rendering plan {plan_id} failed: {exc}") from exc
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc}") from exc
        self.stdout.write(f"{output}: {len(data):,} bytes")
