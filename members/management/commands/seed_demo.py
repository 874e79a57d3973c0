from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import translation

from finance.demo import seed_finance
from members.demo import DEMO_PASSWORD, seed
from plans.demo import seed_plans, seed_review_states
from targets.demo import seed_targets


class Command(BaseCommand):
    help = "Create the demo organisations and accounts (idempotent: running it twice changes nothing)."

    def handle(self, *args, **options):
        with translation.override("vi"):
            accounts = seed()
            plans = seed_plans()
            call_command("make_demo_certificate", "--if-missing", stdout=self.stdout)
            moved = seed_review_states()
            targets = seed_targets()  # the ward's targets, its unions' contributions and reports
            targets += seed_finance()  # the kindergarten's welfare and books for the year
        self.stdout.write(
            self.style.SUCCESS(f"Demo data is ready ({plans} new demo plans). Accounts, one password:")
        )
        for line in moved:
            self.stdout.write(f"  plan {line}")
        for line in targets:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
        for username, full_name, roles in accounts:
            self.stdout.write(f"  {username:<20} {full_name:<22} {roles}")
