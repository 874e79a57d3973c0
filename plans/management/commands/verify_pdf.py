import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.models import Plan
from plans.signing import VerifyError, verify


class Command(BaseCommand):
    help = (
        "Check the digital signatures of a PDF: intact or not, who signed and when, and the issued plan it "
        "is (if any). Exit code 0 whatever the result; an unreadable file is an error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the result as one JSON object"
        )

    def handle(self, *args, file, as_json=False, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from exc
        try:
            result = verify(data)
        except VerifyError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        signers = result["signers"]
        if not signers:
            self.stdout.write(f"{file}: no digital signature.")
        else:
            verdict = "INTACT" if result["intact"] else "NOT INTACT"
            self.stdout.write(f"{file}: {verdict} ({len(signers)} signature(s))")
        for number, signer in enumerate(signers, start=1):
            checks = [
                "intact" if signer["intact"] else "NOT intact",
                "trusted" if signer["trusted"] else "not trusted (no trusted root)",
            ]
            if signer["registered"]:
                checks.append("certificate on file here")
            self.stdout.write(f"  {number}. {signer['name']}, {signer['signed_at']}: {', '.join(checks)}")
        plan = Plan.objects.select_related("organization").filter(pk=result["matches_plan"]).first()
        if plan is None:
            self.stdout.write("  Matches no plan issued or signed here.")
        else:
            self.stdout.write(f"  Plan {plan.pk}: {plan.reference} {plan.title} ({plan.organization.name})")
