"""Gift campaigns: who is eligible on the day (ages at the boundary, inactive members left out), the records
made at once with consecutive numbers, and no second record for anyone in the same campaign."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance import ledgers
from finance.models import Transaction
from members import services, welfare_services
from members.models import FamilyMember, GiftCampaign, Member, MemberEvent, Occasion, WelfareRecord
from tests.factories import FamilyMemberFactory

D = datetime.date
CHILDREN, MEMBERS = GiftCampaign.Recipients.CHILDREN, GiftCampaign.Recipients.MEMBERS
JUNE_1 = D(2026, 6, 1)
pytestmark = pytest.mark.usefixtures("welfare_today")
WELFARE_FIELDS = [f for f in WelfareRecord._meta.concrete_fields if not f.primary_key]


def _names(found):
    return [(r.member.full_name, r.child.full_name if r.child else None) for r in found]


@pytest.fixture
def roll(union_a, chair):
    """Members with a history: admitted before and after 1/6, suspended, left before and after."""
    admit = lambda name, day: services.member_admit(  # noqa: E731
        organization=union_a, by=chair, admitted_on=day, full_name=name, sex="female"
    )
    people = {
        "An": admit("An", D(2020, 1, 1)),
        "Bảo": admit("Bảo", JUNE_1),  # admitted that very day: counts
        "Chi": admit("Chi", D(2026, 6, 2)),  # admitted the next day: not yet
        "Dũng": admit("Dũng", D(2019, 1, 1)),
        "Giang": admit("Giang", D(2019, 1, 1)),
        "Hà": admit("Hà", D(2019, 1, 1)),
    }
    K = MemberEvent.Kind
    services.member_change(member=people["Dũng"], kind=K.LEFT, on=D(2026, 5, 31), by=chair)  # gone before
    services.member_change(member=people["Giang"], kind=K.LEFT, on=D(2026, 6, 10), by=chair)  # gone after
    services.member_change(member=people["Hà"], kind=K.SUSPENDED, on=D(2026, 3, 1), by=chair)  # suspended
    for member in people.values():
        member.refresh_from_db()
    return people


def test_members_active_on_the_day_are_eligible(union_a, roll):
    found = welfare_services.eligible(union_a, recipients=MEMBERS, on=JUNE_1)
    assert sorted(_names(found)) == [("An", None), ("Bảo", None), ("Giang", None)]


def test_children_up_to_the_age_on_the_day_of_active_members(union_a, roll):
    an, giang, dung = roll["An"], roll["Giang"], roll["Dũng"]
    child = lambda member, name, born, **kw: FamilyMemberFactory(  # noqa: E731
        member=member, full_name=name, birth_date=born, **kw
    )
    child(an, "turns 16 the next day", D(2010, 6, 2))  # 15 on 1/6: in
    child(an, "turns 16 that day", D(2010, 6, 1))  # 16 on 1/6: out
    child(an, "born that day", JUNE_1)  # 0: in
    child(an, "born after", D(2026, 6, 5))  # not born yet on 1/6: out
    child(an, "no birth date", None)  # age unknown: out
    child(an, "spouse", D(2012, 1, 1), relation=FamilyMember.Relation.SPOUSE)  # not a child: out
    child(giang, "Giang's", D(2015, 1, 1))  # parent active on 1/6 (left on 10/6): in
    child(dung, "Dũng's", D(2015, 1, 1))  # parent had left: out
    child(roll["Hà"], "Hà's", D(2015, 1, 1))  # parent suspended: out
    found = welfare_services.eligible(union_a, recipients=CHILDREN, on=JUNE_1, max_child_age=15)
    assert sorted(_names(found)) == [
        ("An", "born that day"),
        ("An", "turns 16 the next day"),
        ("Giang", "Giang's"),
    ]


def test_a_campaign_gives_everyone_at_once_with_consecutive_numbers_and_the_rules_amount(
    union_a, chair, roll
):
    welfare_services.rule_create(
        organization=union_a,
        by=chair,
        occasion=Occasion.CHILDREN_1_6,
        amount=150_000,
        effective_from=D(2026, 1, 1),
    )
    earlier = welfare_services.record_create(
        organization=union_a,
        by=chair,
        member=roll["An"],
        occasion=Occasion.SICKNESS,
        on=D(2026, 2, 1),
        amount=1,
    )
    for index in range(3):
        FamilyMemberFactory(member=roll["An"], full_name=f"Con {index}", birth_date=D(2014 + index, 1, 1))
    campaign, created = welfare_services.campaign_create(
        organization=union_a, by=chair, title="Quà 1/6 năm 2026", occasion=Occasion.CHILDREN_1_6, on=JUNE_1,
        recipients=CHILDREN, max_child_age=15,
    )  # fmt: skip
    assert created == 3
    assert campaign.amount == 150_000
    records = list(campaign.records.order_by("number"))
    assert [r.number for r in records] == [earlier.number + 1, earlier.number + 2, earlier.number + 3]
    assert {r.amount for r in records} == {150_000}
    assert {(r.occasion, r.on, r.year, r.recorded_by_id) for r in records} == {
        (Occasion.CHILDREN_1_6, JUNE_1, 2026, chair.pk)
    }
    assert sum(r.amount for r in records) == 450_000


def test_the_same_campaign_twice_gives_nobody_a_second_record(union_a, chair, roll):
    kwargs = {
        "organization": union_a, "by": chair, "title": "Quà 1/6 năm 2026", "occasion": Occasion.CHILDREN_1_6,
        "on": JUNE_1, "recipients": CHILDREN, "max_child_age": 15, "amount": 200_000,
    }  # fmt: skip
    FamilyMemberFactory(member=roll["An"], birth_date=D(2015, 1, 1))
    first, created = welfare_services.campaign_create(**kwargs)
    again, created_again = welfare_services.campaign_create(**kwargs)  # a second click
    assert (created, created_again, again.pk) == (1, 0, first.pk)
    assert welfare_services.campaign_run(campaign=first, by=chair) == 0
    # a child added to the roll since gets one; a cancelled record still counts as given
    FamilyMemberFactory(member=roll["Bảo"], birth_date=D(2020, 1, 1))
    welfare_services.record_cancel(record=first.records.get(), by=chair, reason="Vắng mặt")
    assert welfare_services.campaign_run(campaign=first, by=chair) == 1
    assert welfare_services.campaign_run(campaign=first, by=chair) == 0
    assert GiftCampaign.objects.count() == 1
    assert first.records.count() == 2


def test_a_campaign_is_refused_when_its_rules_do_not_hold(union_a, chair, roll):
    base = {"organization": union_a, "by": chair, "title": "Quà", "on": JUNE_1, "amount": 100_000}
    with pytest.raises(ValidationError) as refused:
        welfare_services.campaign_create(**base, occasion=Occasion.CHILDREN_1_6, recipients=MEMBERS)
    assert "recipients" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        welfare_services.campaign_create(**base, occasion=Occasion.TET, recipients=CHILDREN)
    assert "occasion" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        welfare_services.campaign_create(
            **{**base, "amount": None}, occasion=Occasion.TET, recipients=MEMBERS
        )
    assert "amount" in refused.value.error_dict
    with pytest.raises(ValidationError, match="tương lai"):
        welfare_services.campaign_create(
            **{**base, "on": D(2026, 7, 1)}, occasion=Occasion.TET, recipients=MEMBERS
        )
    assert not GiftCampaign.objects.exists()


def test_five_thousand_members_in_a_few_queries(union_a, chair):
    """A fixed number of reads, and the inserts in as few statements as the database allows."""
    group = union_a.union_groups.get()
    Member.objects.bulk_create(
        Member(organization=union_a, union_group=group, full_name=f"Đoàn viên {i:04d}", sex="female",
               admitted_on=D(2015, 1, 1), status_since=D(2015, 1, 1))
        for i in range(5000)
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        campaign, created = welfare_services.campaign_create(
            organization=union_a, by=chair, title="Quà Tết 2026", occasion=Occasion.TET, on=D(2026, 2, 10),
            recipients=MEMBERS, amount=500_000,
        )  # fmt: skip
    assert created == 5000
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    record_inserts = [q for q in inserts if 'INTO "members_welfarerecord"' in q["sql"]]
    batch = min(welfare_services.BULK_BATCH, connection.ops.bulk_batch_size(WELFARE_FIELDS, [None] * 5000))
    assert len(queries) - len(inserts) <= 20  # the records' reads, then the payments' (ledger, lock, number)
    assert len(record_inserts) <= -(-5000 // batch)
    payments = Transaction.objects.filter(welfare_record__campaign=campaign)
    assert payments.count() == 5000 and ledgers.balance(ledgers.official_ledger(union_a)) == -5000 * 500_000
    numbers = list(
        WelfareRecord.objects.filter(campaign=campaign).order_by("number").values_list("number", flat=True)
    )
    assert numbers == list(range(1, 5001))
