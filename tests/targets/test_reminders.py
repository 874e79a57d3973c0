"""The reminder engine (targets/reminders.py): the calendar, who is due, and sending exactly once."""

import contextlib
import datetime
import json
import smtplib
import threading
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from members.models import Officer, Organization
from plans.models import Notification
from targets import reminders
from targets.models import Reminder, Report, ReportingRule
from targets.periods import Period
from targets.reminders import plan_reminders, reminder_sweep, schedule
from targets.tasks import reminder_sweep_task
from tests.factories import OfficerFactory, OrganizationFactory, UserFactory

D = datetime.date
HCM = datetime.timezone(datetime.timedelta(hours=7))


def at(day: datetime.date, hour: int = 7):
    """Travel to `day` at 07:00 in Hanoi time (the beat schedule)."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=HCM), tick=False)


def keys(items):
    return sorted((item.organization_name, item.period, item.kind, item.send_on) for item in items)


def submit(organization, period, on=None):
    return Report.objects.create(
        organization=organization,
        period=period,
        status=Report.Status.SUBMITTED,
        submitted_at=on or timezone.now(),
    )


class FailingBackend(EmailBackend):
    """The locmem backend, refusing messages while `failing` is set (an SMTP server that is down)."""

    failing = False

    def send_messages(self, messages):
        if FailingBackend.failing:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


# ------------------------------------------------------------------------------------------ the calendar


def test_default_rule_quarter_dates():
    rule = ReportingRule.default(None, "Q")
    assert schedule(rule, Period.parse("2026-Q1"))[:4] == [
        ("before-7", D(2026, 3, 8)),
        ("before-1", D(2026, 3, 14)),
        ("due", D(2026, 3, 15)),
        ("overdue-7", D(2026, 3, 22)),
    ]
    overdue = [kind for kind, _day in schedule(rule, Period.parse("2026-Q1")) if kind.startswith("overdue")]
    assert overdue == [f"overdue-{d}" for d in range(7, 91, 7)]  # 7 … 84, within 90 days
    assert [rule.due_on(Period(2026, "Q", q)) for q in (1, 2, 3, 4)] == [
        D(2026, 3, 15), D(2026, 6, 15), D(2026, 9, 15), D(2026, 12, 15),
    ]  # fmt: skip
    assert ReportingRule.default(None, "H").due_on(Period.parse("2026-H1")) == D(2026, 6, 15)
    assert ReportingRule.default(None, "Y").due_on(Period.parse("2026-Y")) == D(2026, 12, 15)


def test_custom_rule_the_fifth_of_the_month_after():
    rule = ReportingRule(frequency="Q", month_offset=1, day=5, days_before=[3], overdue_every=0)
    assert schedule(rule, Period.parse("2026-Q4")) == [("before-3", D(2027, 1, 2)), ("due", D(2027, 1, 5))]
    rule.day = 31
    assert rule.due_on(Period.parse("2026-Q1")) == D(2026, 4, 30)  # April has 30 days


def test_odd_days_before_from_the_admin_are_ignored():
    rule = ReportingRule(
        frequency="Q", days_before=["7", 7, "x", 0, 61, 1], on_the_day=False, overdue_every=0
    )
    assert [kind for kind, _day in schedule(rule, Period.parse("2026-Q1"))] == ["before-7", "before-1"]


# ------------------------------------------------------------------------------------------ who is due


def test_a_week_before_the_deadline_the_union_is_due(union_a):
    assert keys(plan_reminders(D(2026, 3, 8))) == [(union_a.name, "2026-Q1", "before-7", D(2026, 3, 8))]
    [item] = plan_reminders(D(2026, 3, 8))
    assert item.due_on == D(2026, 3, 15)
    assert plan_reminders(D(2026, 3, 10)) == []


def test_half_year_and_quarter_fall_together(union_a):
    assert keys(plan_reminders(D(2026, 6, 15))) == [
        (union_a.name, "2026-H1", "due", D(2026, 6, 15)),
        (union_a.name, "2026-Q2", "due", D(2026, 6, 15)),
    ]


def test_submitted_union_is_not_reminded_and_a_returned_report_stays_submitted(union_a):
    report = submit(union_a, "2026-Q1")
    assert plan_reminders(D(2026, 3, 14)) == []
    report.status = Report.Status.RETURNED  # returned for revision: submitted_at stays
    report.save(update_fields=["status"])
    assert plan_reminders(D(2026, 3, 15)) == []


def test_a_draft_report_does_not_stop_reminders(union_a):
    Report.objects.create(organization=union_a, period="2026-Q1")
    assert len(plan_reminders(D(2026, 3, 14))) == 1


def test_closed_union_is_reminded_until_its_closing_day(union_a):
    union_a.closed_on = D(2026, 3, 20)  # after the first quarter's deadline (15/03): it owes that report
    union_a.save(update_fields=["closed_on"])
    assert len(plan_reminders(D(2026, 3, 15))) == 1  # open that day
    assert plan_reminders(D(2026, 3, 22)) == []  # overdue-7, but closed since the 20th


def test_a_union_closed_before_the_deadline_owes_nothing_for_that_period(union_a):
    union_a.closed_on = D(2026, 3, 14)
    union_a.save(update_fields=["closed_on"])
    assert plan_reminders(D(2026, 3, 8)) == []  # still open, but it will not exist on the 15th


def test_a_union_owes_only_periods_it_existed_in_before_the_deadline(ward):
    late_founded = OrganizationFactory(name="Công đoàn mới", parent=ward, founded_on=D(2026, 4, 20))
    in_q2 = plan_reminders(D(2026, 6, 8))
    assert (late_founded.name, "2026-Q2", "before-7", D(2026, 6, 8)) in keys(in_q2)
    assert [i for i in plan_reminders(D(2026, 4, 26)) if i.organization_id == late_founded.pk] == []  # Q1: no
    on_deadline = OrganizationFactory(name="Công đoàn sát hạn", parent=ward, founded_on=D(2026, 3, 15))
    assert [i for i in plan_reminders(D(2026, 3, 22)) if i.organization_id == on_deadline.pk] == []


def test_only_grassroots_unions_with_a_parent_are_reminded(ward, province):
    assert plan_reminders(D(2026, 3, 15)) == []  # ward and province are not grassroots


def test_a_disabled_frequency_sends_nothing(union_a, ward):
    ReportingRule.objects.create(organization=ward, frequency="H", enabled=False)
    assert keys(plan_reminders(D(2026, 6, 15))) == [(union_a.name, "2026-Q2", "due", D(2026, 6, 15))]


def test_the_parents_rule_decides(union_a, ward, union_b):
    ReportingRule.objects.create(organization=ward, frequency="Q", month_offset=1, day=5, days_before=[3])
    assert keys(plan_reminders(D(2026, 4, 2))) == [(union_a.name, "2026-Q1", "before-3", D(2026, 4, 2))]
    assert keys(plan_reminders(D(2026, 3, 15))) == [(union_b.name, "2026-Q1", "due", D(2026, 3, 15))]


@pytest.mark.parametrize("count", [5, 50])
def test_planning_costs_three_queries_whatever_the_number_of_unions(
    ward, other_ward, django_assert_num_queries, count
):
    for n in range(count):
        OrganizationFactory(parent=ward if n % 2 else other_ward)
    ReportingRule.objects.create(organization=ward, frequency="Y", enabled=False)
    submit(Organization.objects.filter(parent=ward).first(), "2026-Q1")
    with django_assert_num_queries(3):
        due = plan_reminders(D(2026, 3, 15))
    assert len(due) == count - 1
    with django_assert_num_queries(3):
        plan_reminders(D(2026, 3, 23))  # a Monday: overdue reminders and digests


# ------------------------------------------------------------------------------------------ sending


@pytest.fixture
def union_chair(chair):
    return chair


def test_sweep_emails_the_chair_once_and_notifies_in_app(union_a, union_chair, mailoutbox):
    with at(D(2026, 3, 8)):
        result = reminder_sweep(D(2026, 3, 8))
        again = reminder_sweep(D(2026, 3, 8))
    assert result.as_json() == {
        "date": "2026-03-08",
        "sent": [
            {
                "organization": union_a.name,
                "period": "2026-Q1",
                "kind": "before-7",
                "to": ["chair@example.org"],
            }
        ],
        "skipped": 0,
    }
    assert again.as_json() == {"date": "2026-03-08", "sent": [], "skipped": 1}
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["chair@example.org"]
    assert "15/03/2026" in email.body and "15/03/2026" in email.subject
    assert settings.SITE_URL in email.body
    row = Reminder.objects.get()
    assert (row.status, row.recipients, row.attempts, row.send_on) == (
        "sent",
        ["chair@example.org"],
        1,
        D(2026, 3, 8),
    )
    assert row.sent_at is not None
    notice = Notification.objects.get()
    assert (notice.user, notice.kind, notice.reminder, notice.plan) == (union_chair, "reminder", row, None)
    assert notice.email_status == Notification.Email.NONE  # the notices' own task must not email it again
    assert "15/03/2026" in notice.message
    assert notice.get_absolute_url() == reminders.report_link(union_a.pk, "2026-Q1")


def test_without_a_chair_the_unions_address_gets_it(union_a, mailoutbox):
    union_a.email = "cdcs@example.org"
    union_a.save(update_fields=["email"])
    with at(D(2026, 3, 8)):
        result = reminder_sweep(D(2026, 3, 8))
    assert [entry["to"] for entry in result.sent] == [["cdcs@example.org"]]
    assert mailoutbox[0].to == ["cdcs@example.org"]
    assert not Notification.objects.exists()


def test_a_treasurer_or_a_former_chair_is_not_the_chair(union_a, treasurer, mailoutbox):
    former = UserFactory(username="former")
    OfficerFactory(user=former, organization=union_a, role=Officer.Role.CHAIR, end_on=D(2025, 12, 31))
    with at(D(2026, 3, 8)):
        result = reminder_sweep(D(2026, 3, 8))
    assert result.sent == [] and result.failed == 1 and result.skipped == 1
    row = Reminder.objects.get()
    assert row.status == "failed" and "nobody" in row.error
    assert mailoutbox == []


def test_a_chair_without_email_is_notified_in_app(union_a, union_chair, mailoutbox):
    union_chair.email = ""
    union_chair.save(update_fields=["email"])
    with at(D(2026, 3, 8)):
        result = reminder_sweep(D(2026, 3, 8))
    assert result.sent[0]["to"] == [] and mailoutbox == []
    assert Notification.objects.get().user == union_chair
    assert Reminder.objects.get().status == "sent"


def test_one_email_per_union_and_day(union_a, union_chair, mailoutbox):
    with at(D(2026, 6, 14)):
        result = reminder_sweep(D(2026, 6, 14))
    assert sorted(entry["period"] for entry in result.sent) == ["2026-H1", "2026-Q2"]
    assert len(mailoutbox) == 1
    assert Notification.objects.filter(user=union_chair).count() == 2


def test_smtp_error_leaves_the_rows_to_retry_then_they_go_once(settings, union_a, union_chair):
    settings.EMAIL_BACKEND = "tests.targets.test_reminders.FailingBackend"
    FailingBackend.failing = True
    try:
        with at(D(2026, 3, 14)):
            result = reminder_sweep(D(2026, 3, 14))
    finally:
        FailingBackend.failing = False
    assert result.sent == [] and result.retry == 1
    row = Reminder.objects.get()
    assert row.status == "retry" and "SMTPServerDisconnected" in row.error
    assert Notification.objects.count() == 1  # the in-app notice is there already
    mail.outbox = []
    with at(D(2026, 3, 15)):
        result = reminder_sweep(D(2026, 3, 15))  # the next morning: yesterday's retried, today's sent
    assert sorted(entry["kind"] for entry in result.sent) == ["before-1", "due"]
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == ("sent", 2, "")
    assert Notification.objects.count() == 2  # no second notice for the retried reminder


def test_too_many_failures_give_up(settings, union_a, union_chair):
    settings.EMAIL_BACKEND = "tests.targets.test_reminders.FailingBackend"
    FailingBackend.failing = True
    try:
        with at(D(2026, 3, 14)):
            for _attempt in range(reminders.MAX_ATTEMPTS):
                reminder_sweep(D(2026, 3, 14))
    finally:
        FailingBackend.failing = False
    row = Reminder.objects.get()
    assert (row.status, row.attempts) == ("failed", reminders.MAX_ATTEMPTS)
    with at(D(2026, 3, 14)):
        assert reminder_sweep(D(2026, 3, 14)).sent == []


def test_a_reminder_to_retry_is_given_up_once_its_day_leaves_the_window(union_a, union_chair, mailoutbox):
    Reminder.objects.create(
        organization=union_a, period="2026-Q1", kind="before-7", due_on=D(2026, 3, 15), send_on=D(2026, 3, 8),
        status="retry", attempts=1,
    )  # fmt: skip
    with at(D(2026, 3, 12)):
        reminder_sweep(D(2026, 3, 12))  # 08/03 is four days back: past the three-day window
    row = Reminder.objects.get(kind="before-7")
    assert row.status == "failed" and "window" in row.error
    assert all("2026-Q1" not in email.body for email in mailoutbox)


def test_a_row_stuck_in_sending_goes_again_after_an_hour(union_a, union_chair, mailoutbox):
    with at(D(2026, 3, 8)):
        Reminder.objects.create(
            organization=union_a, period="2026-Q1", kind="before-7", due_on=D(2026, 3, 15),
            send_on=D(2026, 3, 8), status="sending", attempts=1,
            claimed_at=timezone.now() - datetime.timedelta(minutes=30),
        )  # fmt: skip
        assert reminder_sweep(D(2026, 3, 8)).sent == []  # another worker may still be sending it
    with at(D(2026, 3, 8), hour=9):
        assert [entry["kind"] for entry in reminder_sweep(D(2026, 3, 8)).sent] == ["before-7"]
    assert len(mailoutbox) == 1


def test_a_reminder_left_to_retry_is_dropped_once_the_report_is_in(
    settings, union_a, union_chair, mailoutbox
):
    settings.EMAIL_BACKEND = "tests.targets.test_reminders.FailingBackend"
    FailingBackend.failing = True
    try:
        with at(D(2026, 3, 14)):
            reminder_sweep(D(2026, 3, 14))
    finally:
        FailingBackend.failing = False
    submit(union_a, "2026-Q1")
    with at(D(2026, 3, 15)):
        result = reminder_sweep(D(2026, 3, 15))
    assert result.sent == [] and result.failed == 1
    assert Reminder.objects.get().status == "failed"


def test_catch_up_sends_a_missed_day_once(union_a, union_chair, mailoutbox):
    with at(D(2026, 9, 9)):  # the worker was down on 08/09
        result = reminder_sweep(D(2026, 9, 9), catch_up=1)
        assert reminder_sweep(D(2026, 9, 9), catch_up=1).sent == []
    assert [(e["kind"], e["period"]) for e in result.sent] == [("before-7", "2026-Q3")]
    assert result.skipped == 0  # nothing was due on 09/09 itself
    row = Reminder.objects.get()
    assert row.send_on == D(2026, 9, 8) and row.sent_at.astimezone(HCM).date() == D(2026, 9, 9)
    with at(D(2026, 9, 10)):
        assert reminder_sweep(D(2026, 9, 10), catch_up=2).sent == []
    assert len(mailoutbox) == 1


def test_catch_up_sends_only_the_newest_reminder_of_a_report(union_a, union_chair, mailoutbox):
    with at(D(2026, 3, 15)):  # missed 14/03 (before-1): today's `due` says it all
        result = reminder_sweep(D(2026, 3, 15))
    assert [e["kind"] for e in result.sent] == ["due"]
    with at(D(2026, 3, 16)):
        assert reminder_sweep(D(2026, 3, 16)).sent == []
    assert list(Reminder.objects.filter(organization=union_a).values_list("kind", flat=True)) == ["due"]


def test_catch_up_window_is_a_setting(settings, union_a, union_chair):
    settings.REMINDER_CATCH_UP_DAYS = 0
    with at(D(2026, 9, 9)):
        assert reminder_sweep(D(2026, 9, 9)).sent == []


# ------------------------------------------------------------------------------------------ the digest


@pytest.fixture
def late_world(union_a, union_chair, reviewer, ward_leader, ward):
    """union_a and a second union under ward, both late with Q1; a third that submitted."""
    late = OrganizationFactory(name="Công đoàn cơ sở Chậm", parent=ward)
    done = OrganizationFactory(name="Công đoàn cơ sở Xong", parent=ward)
    submit(done, "2026-Q1")
    return late


def test_digest_on_monday_lists_every_overdue_union(
    late_world, union_a, ward, reviewer, ward_leader, mailoutbox
):
    monday = D(2026, 3, 23)
    assert monday.weekday() == 0
    with at(monday):
        result = reminder_sweep(monday, catch_up=0)
        assert reminder_sweep(monday, catch_up=0).sent == []
    digest = [e for e in result.sent if e["kind"] == "digest"]
    assert digest == [
        {"organization": ward.name, "period": "2026-W13", "kind": "digest",
         "to": ["reviewer@example.org", "ward_leader@example.org"]},
    ]  # fmt: skip
    [email] = [m for m in mailoutbox if m.to == ["reviewer@example.org", "ward_leader@example.org"]]
    assert "Công đoàn cơ sở Chậm" in email.body and union_a.name in email.body
    assert "Công đoàn cơ sở Xong" not in email.body
    assert "15/03/2026" in email.body and " 8 " in email.body  # eight days late
    notices = Notification.objects.filter(kind=Notification.Kind.OVERDUE_DIGEST)
    assert sorted(n.user.username for n in notices) == ["reviewer", "ward_leader"]
    assert all(n.email_status == Notification.Email.NONE for n in notices)
    assert notices[0].link == reminders.dashboard_link(ward.pk)


def test_no_digest_on_other_days_nor_without_late_unions(late_world, union_a, ward, reviewer):
    with at(D(2026, 3, 16)):  # a Monday, the day after the deadline: late by one day
        items = [i for i in plan_reminders(D(2026, 3, 16)) if i.kind == "digest"]
    assert [(i.period, [(late.organization_name, late.days_late) for late in i.late]) for i in items] == [
        ("2026-W12", [("Công đoàn cơ sở Chậm", 1), (union_a.name, 1)])
    ]
    with at(D(2026, 3, 24)):
        assert [e for e in reminder_sweep(D(2026, 3, 24), catch_up=0).sent if e["kind"] == "digest"] == []
    for organization in Organization.objects.filter(parent=ward).exclude(reports__period="2026-Q1"):
        submit(organization, "2026-Q1")
    with at(D(2026, 3, 30)):
        assert [e for e in reminder_sweep(D(2026, 3, 30)).sent if e["kind"] == "digest"] == []
    assert not Reminder.objects.filter(kind="digest").exists()


# ------------------------------------------------------------------------------------------ task and command


def test_task_runs_the_sweep_for_today_or_a_given_day(union_a, union_chair, mailoutbox):
    with at(D(2026, 3, 8)):
        assert reminder_sweep_task.delay().get()["sent"][0]["kind"] == "before-7"
        assert reminder_sweep_task.delay("2026-03-08").get() == {
            "date": "2026-03-08",
            "sent": [],
            "skipped": 1,
        }
    assert len(mailoutbox) == 1


def test_beat_runs_the_sweep_every_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["reminder-sweep"]
    assert entry["task"] == "targets.tasks.reminder_sweep_task"
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"


def run_command(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_command_prints_the_json_and_a_second_run_sends_nothing(
    union_a, union_chair, union_b, other_chair, mailoutbox
):
    with at(D(2026, 3, 20)):
        first = json.loads(run_command("--date", "2026-03-15", "--json"))
        second = json.loads(run_command("--date", "2026-03-15", "--json"))
    assert first == {
        "date": "2026-03-15",
        "sent": [
            {
                "organization": union_b.name,
                "period": "2026-Q1",
                "kind": "due",
                "to": ["other_chair@example.org"],
            },
            {"organization": union_a.name, "period": "2026-Q1", "kind": "due", "to": ["chair@example.org"]},
        ],
        "skipped": 0,
    }
    assert second == {"date": "2026-03-15", "sent": [], "skipped": 2}
    assert len(mailoutbox) == 2


def test_command_dry_run_writes_nothing(union_a, union_chair, mailoutbox):
    with at(D(2026, 3, 8)):
        dry = json.loads(run_command("--date", "2026-03-08", "--dry-run", "--json"))
    assert dry == {
        "date": "2026-03-08",
        "sent": [
            {
                "organization": union_a.name,
                "period": "2026-Q1",
                "kind": "before-7",
                "to": ["chair@example.org"],
            }
        ],
        "skipped": 0,
    }
    assert not Reminder.objects.exists() and mailoutbox == []
    with at(D(2026, 3, 8)):
        run_command()
        assert json.loads(run_command("--dry-run", "--json"))["sent"] == []
    assert len(mailoutbox) == 1


def test_command_plain_output(union_a, union_chair):
    with at(D(2026, 3, 8)):
        out = run_command("--date", "2026-03-08")
    assert "Sent 1 reminder(s) for 2026-03-08" in out and "chair@example.org" in out


@pytest.mark.parametrize("bad", ["2026-02-30", "15/03/2026", "tomorrow", "2026-3-5"])
def test_command_refuses_a_bad_date(db, bad):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run_command("--date", bad)


# ------------------------------------------------------------------------------------------ two workers


def test_a_second_worker_during_the_first_sends_nothing_twice(ward, monkeypatch, mailoutbox):
    """Two sweeps interleaved at their worst moments, deterministically (every database): B runs whole while A
    holds its claim, and C starts after A has created the rows but before it claims them."""
    unions = [OrganizationFactory(name=f"Công đoàn cơ sở {n:02d}", parent=ward) for n in range(5)]
    for n, union in enumerate(unions):
        OfficerFactory(user=UserFactory(username=f"c{n}"), organization=union, role=Officer.Role.CHAIR)
    real_send, real_bulk_create = reminders._send, Reminder.objects.bulk_create
    others = []

    def send_after_another_run(*args, **kwargs):
        if not others:
            others.append(None)
            others[0] = reminder_sweep(D(2026, 3, 15), catch_up=0)  # B, while A holds its rows
        return real_send(*args, **kwargs)

    monkeypatch.setattr(reminders, "_send", send_after_another_run)
    with at(D(2026, 3, 15)):
        a = reminder_sweep(D(2026, 3, 15), catch_up=0)
    assert len(a.sent) == 5 and others[0].sent == [] and others[0].skipped == 5
    monkeypatch.setattr(reminders, "_send", real_send)

    late = []

    def create_then_race(objs, **kwargs):
        created = real_bulk_create(objs, **kwargs)
        if not late:
            late.append(None)
            late[0] = reminder_sweep(D(2026, 3, 22), catch_up=0)  # C claims and sends first
        return created

    monkeypatch.setattr(Reminder.objects, "bulk_create", create_then_race)
    with at(D(2026, 3, 22)):
        a = reminder_sweep(D(2026, 3, 22), catch_up=0)
    assert a.sent == [] and [e["kind"] for e in late[0].sent] == ["overdue-7"] * 5
    assert len(mailoutbox) == 10
    assert sorted(Reminder.objects.values_list("kind", flat=True)) == ["due"] * 5 + ["overdue-7"] * 5


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_send_each_reminder_once(ward, mailoutbox):
    """Two threads, two connections, the same day. On PostgreSQL they run truly at once. SQLite takes one
    writer at a time (a file database makes the other wait; the in-memory test database refuses it with
    "table is locked" instead), so there the two sweeps take turns: still two workers, one after the other."""
    unions = [OrganizationFactory(name=f"Công đoàn cơ sở {n:02d}", parent=ward) for n in range(20)]
    for n, union in enumerate(unions):
        OfficerFactory(user=UserFactory(username=f"c{n}"), organization=union, role=Officer.Role.CHAIR)
    results, errors = [], []
    barrier = threading.Barrier(2)
    turns = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()

    def worker():
        try:
            barrier.wait()
            with turns:
                results.append(reminder_sweep(D(2026, 3, 15), catch_up=0))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    with at(D(2026, 3, 15)):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    sent = [entry["organization"] for result in results for entry in result.sent]
    assert sorted(sent) == sorted(union.name for union in unions)  # each once, whichever worker sent it
    assert sum(result.skipped for result in results) == 20  # what one sent, the other skipped
    assert len(mailoutbox) == 20
    assert Reminder.objects.filter(status="sent").count() == 20
    assert Notification.objects.count() == 20


def test_command_json_stays_parseable_with_the_console_email_backend(union_a, union_chair, settings, capsys):
    """In development emails are printed to the console: with --json they go to stderr, not into the JSON."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    with at(D(2026, 3, 20)):
        call_command("send_reminders", "--date", "2026-03-15", "--json")
    captured = capsys.readouterr()
    assert json.loads(captured.out)["sent"][0]["kind"] == "due"
    assert "Subject:" in captured.err


class DyingBackend(EmailBackend):
    """The locmem backend; the worker dies (a time limit, a crash) when it comes to the second message."""

    def send_messages(self, messages):
        if len(mail.outbox) >= 1:
            raise SystemExit("worker killed")
        return super().send_messages(messages)


def test_a_sweep_that_dies_mid_batch_never_sends_again_what_went_out(
    settings, union_a, union_chair, union_b, other_chair, mailoutbox
):
    settings.EMAIL_BACKEND = "tests.targets.test_reminders.DyingBackend"
    with at(D(2026, 3, 8)), pytest.raises(SystemExit):
        reminder_sweep(D(2026, 3, 8))
    assert len(mailoutbox) == 1
    first = mailoutbox[0].to
    assert Reminder.objects.filter(status="sent").count() == 1  # recorded as soon as it went
    assert Reminder.objects.filter(status="sending").count() == 1  # the other: claimed, never sent
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with at(D(2026, 3, 8), hour=9):  # an hour later the stuck row goes again; the sent one does not
        again = reminder_sweep(D(2026, 3, 8))
    assert len(again.sent) == 1
    assert len(mailoutbox) == 2 and mailoutbox[1].to != first
