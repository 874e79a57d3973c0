"""`python manage.py import_members FILE.xlsx --org SYMBOL [--json]`: the roll's Excel import, all or nothing.

With --json it prints `{"created": n, "errors": [{"row": n, "column": str, "message": str}]}`; it exits
non-zero when the file has errors (and then nothing is saved).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from members.importing import ImportRefused, members_import
from members.models import Officer, Organization


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .xlsx file (start from the template)")
        parser.add_argument(
            "--org", required=True, help="the grassroots union's document symbol, e.g. CĐMNHS"
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, path, org, json=False, **options):
        organization = Organization.objects.filter(symbol=org, level=Organization.Level.GRASSROOTS).first()
        if organization is None:
            raise CommandError(f"No grassroots union with the symbol {org!r}.")
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        # run as the union's chair: the import asks the access policy like the page does
        chair = (
            Officer.objects.active()
            .filter(organization=organization, role=Officer.Role.CHAIR)
            .select_related("user")
            .first()
        )
        if chair is None:
            raise CommandError(f"{organization} has no active chair to record the import.")
        user = get_user_model().objects.get(pk=chair.user_id)
        try:
            created = members_import(data=data, organization=organization, by=user)
        except ImportRefused as refused:
            result = {"created": 0, "errors": refused.as_json()}
            self._print(result, json)
            raise SystemExit(1) from None
        self._print({"created": len(created), "errors": []}, json)

    def _print(self, result: dict, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json_dumps(result))
            return
        self.stdout.write(f"Created {result['created']} member(s).")
        for error in result["errors"]:
            where = f"row {error['row']}" + (f", {error['column']}" if error["column"] else "")
            self.stdout.write(f"  {where}: {error['message']}")


def json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
