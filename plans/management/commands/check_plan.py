import json

from django.core.management.base import BaseCommand, CommandError

from plans.checks import run_checks
from plans.models import Plan


class Command(BaseCommand):
    help = (
        "Check a plan (Kiểm tra kế hoạch) for impossible dates, blank references, wrong years and the like. "
        "Findings are warnings: the exit code is 0 whatever is found."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int)
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print one JSON object instead of text"
        )

    def handle(self, *args, plan_id, as_json=False, **options):
        plan = Plan.objects.select_related("organization").filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"No plan with id {plan_id}.")
        findings = run_checks(plan)
        if as_json:
            rows = [{"code": f.code, "message": f.message, "where": f.where} for f in findings]
            self.stdout.write(json.dumps({"plan_id": plan.pk, "findings": rows}, ensure_ascii=False))
            return
        for finding in findings:
            self.stdout.write(f"{finding.code}  {finding.where}  {finding.message}")
        self.stdout.write(f"Plan {plan.pk}: {len(findings)} finding(s), all warnings.")
