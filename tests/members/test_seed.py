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


def roll_counts():
    from members.models import FamilyMember, Member, MemberEvent, SpendingRule

    return [m.objects.count() for m in (Member, MemberEvent, FamilyMember, SpendingRule)]


def test_the_demo_roll_is_seeded_once_and_counts_the_linked_target(db, time_machine):
    import datetime

    from members import counting
    from members.models import Member, MemberEvent, SpendingRule
    from targets import report_services
    from targets.models import Target
    from targets.periods import Period

    time_machine.move_to("2026-11-20 10:00 +07:00")
    call_command("seed_demo")
    first = [*counts(), *roll_counts()]
    call_command("seed_demo")
    assert [*counts(), *roll_counts()] == first

    union = Organization.objects.get(symbol="CĐMNHS")
    roll = Member.objects.filter(organization=union)
    assert roll.count() == 40 and 35 <= roll.filter(status="active").count() <= 38
    assert set(roll.exclude(status="active").values_list("status", flat=True)) == {"left", "suspended"}
    assert roll.filter(party_member=True).count() >= 3
    assert roll.filter(union_group__isnull=True).count() == 0
    children = [f.birth_date.year for m in roll for f in m.family.all() if f.relation == "child"]
    assert len(children) >= 8 and min(children) <= 2008 and max(children) >= 2023  # of every age
    assert roll.get(full_name="Kiều Thị Vân").events.filter(kind=MemberEvent.Kind.READMITTED).count() == 1
    rules = dict(SpendingRule.objects.filter(organization=union).values_list("occasion", "amount"))
    assert len(rules) == 14
    assert (rules["sickness"], rules["wedding"], rules["bereavement"]) == (500_000, 1_000_000, 1_000_000)
    assert (rules["children_1_6"], rules["tet"]) == (200_000, 500_000)

    # 6 new members by the end of quarter III, 14 by today (13 admitted, 1 re-admitted): the target's reports
    counted = counting.admissions
    assert counted([union.pk], datetime.date(2026, 1, 1), datetime.date(2026, 9, 30)) == {union.pk: 6}
    assert counted([union.pk], datetime.date(2026, 1, 1), datetime.date(2026, 11, 20)) == {union.pk: 14}
    linked = Target.objects.get(plan__organization=union, counts_from="admissions")
    assert linked.text == "Kết nạp mới 20 đoàn viên"
    assert Target.objects.filter(counts_from="admissions").count() == 1  # the ward's and others' are typed
    for period, figure in (("2026-Q3", 6), ("2026-Q4", 14)):  # what a report started afresh takes
        assert report_services.linked_values(union, Period.parse(period), [linked]) == {linked.pk: figure}
    assert union.reports.get(period="2026-Q4").entries.get(target=linked).reached == 14  # the seeded one
