from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from members import access
from members.demo import DEMO_PASSWORD
from members.models import Officer, Organization
from plans.models import SigningIdentity
from plans.signing import replace_identity

Kind = SigningIdentity.Kind


class Command(BaseCommand):
    help = (
        "Make self-signed demo signing certificates (replacing earlier ones): the signer's, for the chair of "
        "the organisation (or --user), and the organisation's seal. Without --org: every open organisation "
        "with an active chair. Not for production: real certificates come from a certification authority."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", metavar="SYMBOL", help="the organisation's document symbol, e.g. CĐMNHS")
        parser.add_argument("--user", metavar="USERNAME", help="the signer (default: the chair)")
        parser.add_argument(
            "--password", help="the password both PKCS#12 bundles are encrypted with (default: demo password)"
        )
        parser.add_argument("--days", type=int, default=365, help="validity in days (default 365)")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="leave an organisation alone when it already has its seal and its signer's certificate "
            "(for seed_demo: running it twice changes nothing)",
        )

    def handle(self, *args, org=None, user=None, password=None, days=365, if_missing=False, **options):
        signer = None
        if user:
            signer = get_user_model().objects.filter(username=user).first()
            if signer is None:
                raise CommandError(f"No user {user!r}.")
        organizations = self._organizations(org, signer)
        if not organizations:
            raise CommandError("No open organisation with an active chair to make certificates for.")
        for organization in organizations:
            person = signer or self._chair(organization)
            if person is None:
                raise CommandError(f"{organization.name} has no active chair; give --user.")
            if not access.roles_in(person, organization) & access.MANAGE_ROLES:
                raise CommandError(f"{person.username} is not chair or vice chair of {organization.name}.")
            if if_missing and self._has_both(organization, person):
                self.stdout.write(f"{organization.name} ({organization.symbol}): has its certificates, kept.")
                continue
            mine = replace_identity(
                kind=Kind.SIGNER,
                organization=organization,
                user=person,
                common_name=person.get_full_name(),
                password=password or DEMO_PASSWORD,
                days=days,
            )
            seal = replace_identity(
                kind=Kind.ORGANIZATION,
                organization=organization,
                common_name=organization.name,
                password=password or DEMO_PASSWORD,
                days=days,
            )
            until = timezone.localtime(mine.not_after).strftime("%d/%m/%Y")
            self.stdout.write(f"{organization.name} ({organization.symbol}), valid until {until}:")
            self.stdout.write(f"  signer  {person.username:<20} {mine.subject}  image {mine.image.name}")
            self.stdout.write(f"  seal    {'':<20} {seal.subject}  image {seal.image.name}")
        if password:
            self.stdout.write(self.style.SUCCESS("Done. The bundles are encrypted with the password given."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Done. The bundles are encrypted with {DEMO_PASSWORD}."))

    def _organizations(self, symbol, signer):
        today = timezone.localdate()
        open_ones = Organization.objects.open_on(today).order_by("pk")
        if symbol:
            found = list(open_ones.filter(symbol=symbol))
            if not found:
                raise CommandError(f"No open organisation with the symbol {symbol!r}.")
            if len(found) > 1:
                names = "; ".join(o.name for o in found)
                raise CommandError(f"The symbol {symbol!r} is used by several organisations: {names}.")
            return found
        managed = Officer.objects.active(today).filter(role__in=access.MANAGE_ROLES)
        if signer is not None:
            managed = managed.filter(user=signer)
        else:
            managed = managed.filter(role=Officer.Role.CHAIR)
        return list(open_ones.filter(pk__in=managed.values("organization_id")))

    @staticmethod
    def _has_both(organization, person) -> bool:
        mine = SigningIdentity.objects.filter(kind=Kind.SIGNER, organization=organization, user=person)
        seal = SigningIdentity.objects.filter(kind=Kind.ORGANIZATION, organization=organization)
        return mine.exists() and seal.exists()

    @staticmethod
    def _chair(organization):
        officer = (
            Officer.objects.active()
            .filter(organization=organization, role=Officer.Role.CHAIR)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        return officer.user if officer else None
