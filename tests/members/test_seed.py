from django.core.management import call_command

from members import access
from members.models import Officer, Organization, OrganizationMove, UnionGroup, User


def counts():
    return [m.objects.count() for m in (Organization, OrganizationMove, UnionGroup, User, Officer)]


def test_seed_demo_builds_the_2025_world_and_is_idempotent(db, capsys):
    call_command("seed_demo")
    first = counts()
    output = capsys.readouterr().out
    assert "chutich.hoasen" in output and "CongDoan@2025" in output
    call_command("seed_demo")
    assert counts() == first

    district = Organization.objects.get(name="Liên đoàn Lao động huyện An Lão")
    ward = Organization.objects.get(name="Công đoàn phường An Lão")
    assert district.closed_on.isoformat() == "2025-06-30"
    grassroots = Organization.objects.filter(level="grassroots")
    assert grassroots.count() == 4
    assert set(grassroots.filter(parent=ward).values_list("unit_type", flat=True)) == {
        "non_public",
        "enterprise",
        "self_financed_public",
    }
    dissolved = grassroots.get(closed_on__isnull=False)
    assert dissolved.parent == district and dissolved.closed_on.year == 2025
    assert OrganizationMove.objects.filter(from_parent=district, to_parent=ward).count() == 3

    chair = User.objects.get(username="chutich.hoasen")
    assert chair.check_password("CongDoan@2025")
    assert Officer.objects.active().filter(user=chair).count() == 2
    reviewer = User.objects.get(username="kiemtra.phuong")
    assert set(access.visible_organizations(reviewer)) == {ward, *grassroots.filter(parent=ward)}
