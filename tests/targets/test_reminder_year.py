"""A whole year of reminders, day by day: each due reminder exactly once, on its day, and nothing else.

The world (the deadlines below are written out by hand from the rules, not computed by the engine):

    ward (default calendar: the 15th of the period's last month; 7 and 1 days before, on the day, then every
    7 days for 90 days; quarterly, half-yearly and yearly reports)
      ├─ CĐCS Không nộp   never submits
      ├─ CĐCS Nộp sớm     submits Q1/2026 on 12/03, three days before the deadline
      ├─ CĐCS Nộp muộn    submits Q1/2026 on 25/03, ten days late
      ├─ CĐCS Giải thể    closed on 20/05/2026; no chair: its own address gets the email
      └─ CĐCS Mới         founded on 20/04/2026: owes nothing for Q1, nor for 2025
    industrial zone (quarterly only: the 5th of the month after the quarter; 3 days before, on the day,
    then weekly)
      └─ CĐCS KCN         never submits

The sweep runs every morning of 2026 at 07:00 (the task, then a second run that must send nothing); the
first morning also catches up the three days before it (29–31/12/2025). Reports are submitted later that day.
"""

import datetime
from collections import Counter

import pytest
import time_machine
from django.utils import timezone

from members.models import Officer, Organization
from targets.models import Reminder, Report, ReportingRule
from targets.reminders import reminder_sweep
from targets.tasks import reminder_sweep_task
from tests.factories import OfficerFactory, OrganizationFactory, UserFactory

D = datetime.date
HCM = datetime.timezone(datetime.timedelta(hours=7))
FIRST, LAST = D(2026, 1, 1), D(2026, 12, 31)
WINDOW_START = D(2025, 12, 29)  # the first sweep catches up three days

# Deadlines by hand. Default: the 15th of the last month of the period.
DEFAULT_DUES = {
    "2025-Q3": D(2025, 9, 15),
    "2025-Q4": D(2025, 12, 15),
    "2025-H2": D(2025, 12, 15),
    "2025-Y": D(2025, 12, 15),
    "2026-Q1": D(2026, 3, 15),
    "2026-Q2": D(2026, 6, 15),
    "2026-H1": D(2026, 6, 15),
    "2026-Q3": D(2026, 9, 15),
    "2026-Q4": D(2026, 12, 15),
    "2026-H2": D(2026, 12, 15),
    "2026-Y": D(2026, 12, 15),
    "2027-Q1": D(2027, 3, 15),
}
# The industrial zone: the 5th of the month after the quarter.
CUSTOM_DUES = {
    "2025-Q3": D(2025, 10, 5), "2025-Q4": D(2026, 1, 5), "2026-Q1": D(2026, 4, 5), "2026-Q2": D(2026, 7, 5),
    "2026-Q3": D(2026, 10, 5), "2026-Q4": D(2027, 1, 5),
}  # fmt: skip
PERIOD_ENDS = {
    "2025-Q3": D(2025, 9, 30),
    "2025-Q4": D(2025, 12, 31),
    "2025-H2": D(2025, 12, 31),
    "2025-Y": D(2025, 12, 31),
    "2026-Q1": D(2026, 3, 31),
    "2026-Q2": D(2026, 6, 30),
    "2026-H1": D(2026, 6, 30),
    "2026-Q3": D(2026, 9, 30),
    "2026-Q4": D(2026, 12, 31),
    "2026-H2": D(2026, 12, 31),
    "2026-Y": D(2026, 12, 31),
    "2027-Q1": D(2027, 3, 31),
}
DEFAULT_OFFSETS = [("before-7", -7), ("before-1", -1), ("due", 0)] + [
    (f"overdue-{d}", d) for d in range(7, 85, 7)
]
CUSTOM_OFFSETS = [("before-3", -3), ("due", 0)] + [(f"overdue-{d}", d) for d in range(7, 85, 7)]

UNIONS = {
    # name: (parent, founded_on, closed_on, {period: day submitted}, chair email or None)
    "CĐCS Không nộp": ("ward", D(2010, 1, 1), None, {}, "khongnop@example.org"),
    "CĐCS Nộp sớm": ("ward", D(2010, 1, 1), None, {"2026-Q1": D(2026, 3, 12)}, "nopsom@example.org"),
    "CĐCS Nộp muộn": ("ward", D(2010, 1, 1), None, {"2026-Q1": D(2026, 3, 25)}, "nopmuon@example.org"),
    "CĐCS Giải thể": ("ward", D(2010, 1, 1), D(2026, 5, 20), {}, None),
    "CĐCS Mới": ("ward", D(2026, 4, 20), None, {}, "moi@example.org"),
    "CĐCS KCN": ("zone", D(2010, 1, 1), None, {}, "kcn@example.org"),
}
CLOSED_UNION_EMAIL = "giaithe@example.org"
PARENTS = {"ward": "Công đoàn phường Một", "zone": "Công đoàn Khu công nghiệp"}
REVIEWERS = {"ward": ["reviewer@example.org"], "zone": ["kcn-reviewer@example.org"]}


def is_open(founded, closed, day):
    return founded <= day and (closed is None or day <= closed)


def owes(founded, closed, period, due):
    """Founded before the deadline and by the period's end; not closed before the deadline."""
    return founded <= PERIOD_ENDS[period] and founded < due and (closed is None or closed >= due)


def still_unsubmitted(submitted, period, day):
    """At 07:00 on `day`: a report submitted that day comes in after the sweep."""
    return period not in submitted or day <= submitted[period]


def expected_union_reminders():
    expected = []
    for name, (parent, founded, closed, submitted, _email) in UNIONS.items():
        dues, offsets = (DEFAULT_DUES, DEFAULT_OFFSETS) if parent == "ward" else (CUSTOM_DUES, CUSTOM_OFFSETS)
        for period, due in dues.items():
            for kind, offset in offsets:
                day = due + datetime.timedelta(days=offset)
                if not WINDOW_START <= day <= LAST:
                    continue
                if is_open(founded, closed, day) and owes(founded, closed, period, due):
                    if still_unsubmitted(submitted, period, day):
                        expected.append((name, period, kind, day))
    return expected


def expected_digests():
    """{(parent name, ISO week, monday): {late union names}}: every Monday with at least one late report."""
    digests = {}
    monday = WINDOW_START
    while monday <= LAST:
        for parent in PARENTS:
            late = set()
            for name, (union_parent, founded, closed, submitted, _email) in UNIONS.items():
                if union_parent != parent or not is_open(founded, closed, monday):
                    continue
                for period, due in (DEFAULT_DUES if parent == "ward" else CUSTOM_DUES).items():
                    if 1 <= (monday - due).days <= 90 and owes(founded, closed, period, due):
                        if still_unsubmitted(submitted, period, monday):
                            late.add(name)
            if late:
                year, week, _day = monday.isocalendar()
                digests[PARENTS[parent], f"{year}-W{week:02d}", monday] = late
        monday += datetime.timedelta(days=7)
    return digests


@pytest.fixture
def year_world(ward, reviewer, province):
    reviewer.email = "reviewer@example.org"
    reviewer.save(update_fields=["email"])
    ward.name = PARENTS["ward"]
    ward.save(update_fields=["name"])
    zone = OrganizationFactory(
        name=PARENTS["zone"], level=Organization.Level.UPPER_GRASSROOTS, parent=province
    )
    zone_reviewer = UserFactory(username="kcn-reviewer")
    OfficerFactory(user=zone_reviewer, organization=zone, role=Officer.Role.REVIEWER)
    ReportingRule.objects.create(organization=zone, frequency="Q", month_offset=1, day=5, days_before=[3])
    ReportingRule.objects.create(organization=zone, frequency="H", enabled=False)
    ReportingRule.objects.create(organization=zone, frequency="Y", enabled=False)
    parents = {"ward": ward, "zone": zone}
    unions = {}
    for name, (parent, founded, closed, _submitted, email) in UNIONS.items():
        unions[name] = OrganizationFactory(
            name=name, parent=parents[parent], founded_on=founded, closed_on=closed,
            email=CLOSED_UNION_EMAIL if email is None else "",
        )  # fmt: skip
        if email:
            user = UserFactory(username=email.split("@")[0], email=email)
            OfficerFactory(user=user, organization=unions[name], role=Officer.Role.CHAIR)
    return unions


def test_a_year_of_reminders_is_exactly_right(year_world, mailoutbox):
    submissions = {
        (day, name, period)
        for name, (*_rest, submitted, _email) in UNIONS.items()
        for period, day in submitted.items()
    }
    digest_emails = {}
    day = FIRST
    with time_machine.travel(datetime.datetime(2026, 1, 1, 7, tzinfo=HCM), tick=False) as traveller:
        while day <= LAST:
            traveller.move_to(datetime.datetime(day.year, day.month, day.day, 7, tzinfo=HCM))
            before = len(mailoutbox)
            first = reminder_sweep_task.delay().get()
            assert first["date"] == day.isoformat()
            second = reminder_sweep(day)
            assert second.sent == [], day  # a second run sends nothing
            assert second.skipped == Reminder.objects.filter(send_on=day).count()  # all of the day's
            for email in mailoutbox[before:]:
                if email.to in REVIEWERS.values():
                    digest_emails[day, email.to[0]] = email.body
            traveller.move_to(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=HCM))
            for submitted_on, name, period in submissions:
                if submitted_on == day:
                    Report.objects.create(
                        organization=year_world[name], period=period, status=Report.Status.SUBMITTED,
                        submitted_at=timezone.now(),
                    )  # fmt: skip
            day += datetime.timedelta(days=1)

    rows = list(Reminder.objects.select_related("organization"))
    assert {row.status for row in rows} == {"sent"}
    actual_unions = [(r.organization.name, r.period, r.kind, r.send_on) for r in rows if r.kind != "digest"]
    expected = expected_union_reminders()
    assert Counter(actual_unions) == Counter(expected)  # each once
    assert sorted(actual_unions) == sorted(expected)
    for row in rows:  # sent on its day; the first morning sent the three days before it too
        assert row.sent_at.astimezone(HCM).date() == max(row.send_on, FIRST), row

    digests = expected_digests()
    actual_digests = [(r.organization.name, r.period, r.send_on) for r in rows if r.kind == "digest"]
    assert sorted(actual_digests) == sorted(digests)
    parent_of = {PARENTS[key]: key for key in PARENTS}
    for (parent_name, _week, monday), late in digests.items():
        body = digest_emails[max(monday, FIRST), REVIEWERS[parent_of[parent_name]][0]]
        assert {name for name in UNIONS if name in body} == late, monday

    # the emails: one per union and morning (a union's reminders of a sweep go together), one per digest
    to = Counter()
    for name, _sent_on in {(name, max(day, FIRST)) for name, _period, _kind, day in expected}:
        to[UNIONS[name][4] or CLOSED_UNION_EMAIL] += 1
    for parent_name, _week, _monday in digests:
        to[REVIEWERS[parent_of[parent_name]][0]] += 1
    assert Counter(address for email in mailoutbox for address in email.to) == to
    assert len(mailoutbox) == to.total()
    # the spot checks that make the expectation itself believable
    assert ("CĐCS Nộp sớm", "2026-Q1", "before-7", D(2026, 3, 8)) in expected
    assert not [e for e in expected if e[0] == "CĐCS Nộp sớm" and e[1] == "2026-Q1" and e[3] > D(2026, 3, 12)]
    assert ("CĐCS Nộp muộn", "2026-Q1", "overdue-7", D(2026, 3, 22)) in expected
    assert not [
        e for e in expected if e[0] == "CĐCS Nộp muộn" and e[1] == "2026-Q1" and e[3] > D(2026, 3, 25)
    ]
    assert max(e[3] for e in expected if e[0] == "CĐCS Giải thể") <= D(2026, 5, 20)
    assert not [e for e in expected if e[0] == "CĐCS Mới" and e[1] in ("2026-Q1", "2025-Q4")]
    assert ("CĐCS KCN", "2026-Q1", "before-3", D(2026, 4, 2)) in expected
    assert ("CĐCS Không nộp", "2026-Y", "overdue-14", D(2026, 12, 29)) in expected
