"""The reporting calendar and its reminders, worked out from the database every day.

The calendar is data: a parent union's rule for a frequency (quarterly `Q`, half-yearly `H`, yearly `Y`) is
its `ReportingRule` row or, without one, `ReportingRule.default(parent, frequency)`. `schedule(rule, period)`
says when the reminders of one period go: `before-N` N days before the deadline (each N of `days_before`),
`due` on the deadline (when `on_the_day`), then `overdue-D` every `overdue_every` days after it, up to
`overdue_for` days.

Who is reminded of what on a day (`plan_reminders`):
- a union that is grassroots, has a parent, and is open that day (founded by then, not closed before it;
  `Organization.objects.open_on`), under a rule whose frequency is enabled;
- for each period it owes: it existed during the period and before the deadline, i.e. `founded_on` is empty,
  or not after the period's last day and before the deadline (a union founded in May owes nothing for Q1);
- unless it has submitted that period (`Report.submitted_at`, set at the first submission: a report returned
  for revision brings no more reminders).
- The weekly digest, on Mondays: one `digest` reminder per parent (period = ISO week, `2026-W12`) when at
  least one of its unions is overdue (1 to `overdue_for` days after a deadline, owed, not submitted); it lists
  each overdue report with its days late and goes to the parent's active reviewers and leaders.

Sending (`reminder_sweep`) is exactly once: rows are created with `bulk_create(ignore_conflicts=True)` under
the unique (organization, period, kind), then claimed with a conditional UPDATE (status → SENDING, stamped
with this run's `claimed_at`), so a second run, or a second worker at the same time, finds nothing left to
send. A union's reminders of one day go to its active chairs (their email; without a chair with an email, the
union's own address) as one email, plus one in-app notice per chair and reminder. An SMTP error puts the rows
back to RETRY with the error (the next sweep or the task's retry sends them; after `MAX_ATTEMPTS`, or once
their day has left the catch-up window, FAILED); a row stuck in SENDING for an hour (a worker died) goes
back to RETRY.

Catch-up: the sweep for a day also covers the `REMINDER_CATCH_UP_DAYS` days before it. Reminders of those days
that no sweep created (the worker was down) are created and sent now, keeping their `send_on`, unless a later
reminder of the same report (or a later digest of the same parent) falls in the window: only the newest goes.
Rows already created are never created again, so catching up stays exactly once.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connections, router, transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members import access
from members.models import Officer, Organization
from targets.models import Reminder, Report, ReportingRule
from targets.periods import Period
from targets.selectors import owes

logger = logging.getLogger(__name__)

DIGEST = "digest"
DUE = "due"
FREQUENCIES = [f.value for f in ReportingRule.Frequency]
STUCK_AFTER = datetime.timedelta(hours=1)
MAX_ATTEMPTS = 5
MAX_DAYS_BEFORE = 60  # the calendar form's limit, also applied to rows edited elsewhere
BATCH = 1000


# ------------------------------------------------------------------------------------------ the calendar


def days_before(rule: ReportingRule) -> list[int]:
    """The rule's `days_before` as whole numbers 1–60, largest first (a row edited in the admin may hold
    anything)."""
    values = set()
    for value in rule.days_before or []:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 1 <= number <= MAX_DAYS_BEFORE:
            values.add(number)
    return sorted(values, reverse=True)


def schedule(rule: ReportingRule, period: Period) -> list[tuple[str, datetime.date]]:
    """The reminders of one period under `rule`, in date order: [("before-7", 08/03), …, ("due", 15/03)…]."""
    due = rule.due_on(period)
    dates = [(f"before-{n}", due - datetime.timedelta(days=n)) for n in days_before(rule)]
    if rule.on_the_day:
        dates.append((DUE, due))
    if rule.overdue_every:
        for late in range(rule.overdue_every, rule.overdue_for + 1, rule.overdue_every):
            dates.append((f"overdue-{late}", due + datetime.timedelta(days=late)))
    return dates


def rules_for(parent: Organization) -> dict[str, ReportingRule]:
    """The parent's rule for each frequency: its saved row, or the default (one query)."""
    saved = {rule.frequency: rule for rule in ReportingRule.objects.filter(organization=parent)}
    return {f: saved.get(f) or ReportingRule.default(parent, f) for f in FREQUENCIES}


def year_preview(rules: dict[str, ReportingRule], year: int) -> list[dict]:
    """For the calendar page: each enabled frequency's periods of `year`, deadline and reminder dates."""
    rows = []
    for frequency in FREQUENCIES:
        rule = rules[frequency]
        if not rule.enabled:
            continue
        for period in Period.all_in(year, frequency):
            dates = schedule(rule, period)
            rows.append(
                {
                    "frequency": frequency,
                    "period": period,
                    "due_on": rule.due_on(period),
                    "before": [day for kind, day in dates if kind.startswith("before-")],
                    "on_the_day": rule.on_the_day,
                    "overdue": [day for kind, day in dates if kind.startswith("overdue-")],
                    "every": rule.overdue_every,
                }
            )
    return rows


@transaction.atomic
def reporting_rules_set(*, organization: Organization, by, rules: dict[str, dict], loaded: str) -> None:
    """Saves a parent's calendar: one `ReportingRule` per frequency in `rules` (field → value).

    `loaded` is `calendar_stamp` as the editor loaded it: when someone saved the calendar since, nothing is
    written and a ValidationError says so (the form keeps what this user typed).
    """
    if not access.can(by, "set_calendar", organization):
        raise PermissionDenied
    Organization.objects.select_for_update().filter(pk=organization.pk).first()  # one save at a time
    if calendar_stamp(organization) != loaded:
        raise ValidationError(
            _("Someone else changed this calendar while you were editing it. Check and save again."),
            code="stale",
        )
    for frequency, values in rules.items():
        ReportingRule.objects.update_or_create(
            organization=organization, frequency=frequency, defaults=values
        )


def calendar_stamp(organization: Organization) -> str:
    """When the parent's calendar last changed (its newest rule), as the editor carries it."""
    newest = ReportingRule.objects.filter(organization=organization).aggregate(at=Max("updated_at"))["at"]
    return newest.isoformat() if newest else ""


# ------------------------------------------------------------------------------------------ who is due


@dataclass(frozen=True, order=True)
class Late:
    """One overdue report in a digest."""

    organization_name: str
    period: str
    organization_id: int
    due_on: datetime.date
    days_late: int

    @property
    def period_label(self) -> str:
        return Period.parse(self.period).label


@dataclass(frozen=True)
class Due:
    """One reminder due on `send_on`: a union's (`before-7`, `due`, `overdue-14`…) or a parent's `digest`."""

    organization_id: int
    organization_name: str
    period: str
    kind: str
    due_on: datetime.date | None
    send_on: datetime.date
    late: tuple[Late, ...] = ()

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.organization_id, self.period, self.kind)

    @property
    def report_key(self) -> tuple[int, str]:
        """What a newer reminder supersedes when catching up: the same report, or the parent's digest."""
        return (self.organization_id, DIGEST if self.kind == DIGEST else self.period)


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _open(founded_on, closed_on, day: datetime.date) -> bool:
    return (founded_on is None or founded_on <= day) and (closed_on is None or closed_on >= day)


def _rule_signature(rule: ReportingRule) -> tuple:
    return (
        rule.frequency, rule.enabled, rule.month_offset, rule.day, tuple(days_before(rule)), rule.on_the_day,
        rule.overdue_every, rule.overdue_for,
    )  # fmt: skip


def _calendar(rules: list[ReportingRule], first: datetime.date, last: datetime.date):
    """A parent's reminders in [first, last]: {day: [(period, kind, due)]} and, for each Monday of the window,
    the periods then overdue: {monday: [(period, due)]}."""
    events: dict[datetime.date, list] = defaultdict(list)
    overdue: dict[datetime.date, list] = defaultdict(list)
    mondays = [
        first + datetime.timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + datetime.timedelta(days=n)).weekday() == 0
    ]
    for rule in rules:
        if not rule.enabled:
            continue
        reach = max(rule.overdue_for, 0) + MAX_DAYS_BEFORE
        years = range((first - datetime.timedelta(days=reach)).year - 1, last.year + 2)
        for year in years:
            for period in Period.all_in(year, rule.frequency):
                due = rule.due_on(period)
                if due + datetime.timedelta(days=rule.overdue_for) < first:
                    continue
                if due - datetime.timedelta(days=MAX_DAYS_BEFORE) > last:
                    continue
                for kind, day in schedule(rule, period):
                    if first <= day <= last:
                        events[day].append((period, kind, due))
                for monday in mondays:
                    if 1 <= (monday - due).days <= rule.overdue_for:
                        overdue[monday].append((period, due))
    return events, overdue


def _plan(first: datetime.date, last: datetime.date) -> list[Due]:
    """Every reminder due on a day of [first, last], in three queries whatever the number of unions."""
    grassroots = Organization.objects.filter(level=Organization.Level.GRASSROOTS, parent__isnull=False)
    rules: dict[int, dict[str, ReportingRule]] = defaultdict(dict)
    for rule in ReportingRule.objects.filter(organization__in=grassroots.values("parent_id")):
        rules[rule.organization_id][rule.frequency] = rule
    unions = list(
        grassroots.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=last))
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .order_by("parent_id", "name", "pk")
        .values_list("pk", "name", "parent_id", "parent__name", "founded_on", "closed_on")
    )
    defaults = {f: ReportingRule.default(None, f) for f in FREQUENCIES}
    by_signature: dict[tuple, tuple] = {}
    calendars: dict[int, tuple] = {}
    for parent_id in {union[2] for union in unions}:
        parent_rules = [rules[parent_id].get(f) or defaults[f] for f in FREQUENCIES]
        signature = tuple(_rule_signature(rule) for rule in parent_rules)
        if signature not in by_signature:
            by_signature[signature] = _calendar(parent_rules, first, last)
        calendars[parent_id] = by_signature[signature]

    keys = {
        period.key
        for events, overdue in by_signature.values()
        for entries in [*events.values(), *overdue.values()]
        for period, *_rest in entries
    }
    submitted = set()
    if keys:
        submitted = set(
            Report.objects.filter(period__in=keys, submitted_at__isnull=False).values_list(
                "organization_id", "period"
            )
        )

    due: list[Due] = []
    late: dict[tuple[int, datetime.date], list[Late]] = defaultdict(list)
    parent_names = {}
    for pk, name, parent_id, parent_name, founded_on, closed_on in unions:
        events, overdue = calendars[parent_id]
        if not events and not overdue:
            continue
        parent_names[parent_id] = parent_name
        for day, entries in events.items():
            if not _open(founded_on, closed_on, day):
                continue
            for period, kind, due_on in entries:
                if owes(founded_on, closed_on, period, due_on) and (pk, period.key) not in submitted:
                    due.append(Due(pk, name, period.key, kind, due_on, day))
        for monday, entries in overdue.items():
            if not _open(founded_on, closed_on, monday):
                continue
            for period, due_on in entries:
                if owes(founded_on, closed_on, period, due_on) and (pk, period.key) not in submitted:
                    late[parent_id, monday].append(Late(name, period.key, pk, due_on, (monday - due_on).days))
    for (parent_id, monday), reports in sorted(late.items()):
        due.append(
            Due(
                parent_id,
                parent_names[parent_id],
                iso_week(monday),
                DIGEST,
                None,
                monday,
                tuple(sorted(reports)),
            )
        )
    return due


def plan_reminders(day: datetime.date) -> list[Due]:
    """Everything due on `day` (union reminders and, on Mondays, digests), worked out from the database in
    a constant number of queries: the rules, the open unions with their parent, the submitted reports."""
    return _plan(day, day)


def _newest_only(items: list[Due]) -> list[Due]:
    """When catching up: of the reminders of one report (or one parent's digests), only the newest."""
    newest: dict[tuple, datetime.date] = {}
    for item in items:
        newest[item.report_key] = max(newest.get(item.report_key, item.send_on), item.send_on)
    return [item for item in items if item.send_on == newest[item.report_key]]


# ------------------------------------------------------------------------------------------ sending


@dataclass
class SweepResult:
    day: datetime.date
    sent: list[dict] = field(default_factory=list)  # {"organization", "period", "kind", "to"}
    skipped: int = 0  # due that day, not sent by this run (already sent or being sent; nobody to send to)
    retry: int = 0  # rows left to retry after an SMTP error
    failed: int = 0  # rows given up on (no recipient, no longer due, too many attempts)

    def as_json(self) -> dict:
        return {"date": self.day.isoformat(), "sent": self.sent, "skipped": self.skipped}


def _link(name: str, args: list, *fallbacks) -> str:
    for url_name, url_args in ((name, args), *fallbacks):
        try:
            return reverse(url_name, args=url_args)
        except NoReverseMatch:
            continue
    return reverse("home")


def report_link(organization_id: int, period: str) -> str:
    """Where a reminder leads: the union's report for the period (started when opened)."""
    return _link(
        "targets:report_start", [organization_id, period], ("targets:report_list", [organization_id])
    )


def dashboard_link(parent_id: int) -> str:
    return _link("targets:dashboard", [parent_id], ("targets:calendar", [parent_id]))


def reminder_message(*, kind: str, period: str, parent_name: str, due_on: datetime.date | None, day) -> str:
    """The notice's text, in the active language (the sweep runs under Vietnamese)."""
    label = Period.parse(period).label
    values = {"period": label, "parent": parent_name, "date": due_on.strftime("%d/%m/%Y") if due_on else ""}
    if kind.startswith("before-"):
        days = int(kind.removeprefix("before-"))
        text = ngettext(
            "The report for %(period)s to %(parent)s is due on %(date)s, in %(days)s day.",
            "The report for %(period)s to %(parent)s is due on %(date)s, in %(days)s days.",
            days,
        )
        return text % {**values, "days": days}
    if kind == DUE:
        return _("The report for %(period)s to %(parent)s is due today, %(date)s.") % values
    days = (day - due_on).days if due_on else int(kind.removeprefix("overdue-"))
    text = ngettext(
        "The report for %(period)s to %(parent)s was due on %(date)s: %(days)s day late.",
        "The report for %(period)s to %(parent)s was due on %(date)s: %(days)s days late.",
        days,
    )
    return text % {**values, "days": days}


def digest_message(*, organization_name: str, count: int) -> str:
    text = ngettext(
        "%(count)s report of the unions under %(organization)s is overdue.",
        "%(count)s reports of the unions under %(organization)s are overdue.",
        count,
    )
    return text % {"count": count, "organization": organization_name}


@dataclass
class _Recipients:
    users: list[int]
    emails: list[str]


def _recipients(organizations, *, on: datetime.date) -> dict[tuple[int, str], _Recipients]:
    """{(organization id, "chair" | "review"): recipients} for `organizations` (ids or a subquery), one
    query; an organisation without anyone with an email falls back to its own address."""
    review = {Officer.Role.REVIEWER, Officer.Role.LEADER}
    found: dict[tuple[int, str], _Recipients] = defaultdict(lambda: _Recipients([], []))
    officers = (
        Officer.objects.active(on)
        .filter(organization__in=organizations, role__in=[Officer.Role.CHAIR, *review])
        .order_by("organization_id", "user_id")
        .values_list("organization_id", "role", "user_id", "user__email", "user__is_active")
    )
    for organization_id, role, user_id, email, is_active in officers:
        if not is_active:
            continue
        entry = found[organization_id, "review" if role in review else "chair"]
        if user_id not in entry.users:
            entry.users.append(user_id)
        if email and email not in entry.emails:
            entry.emails.append(email)
    return found


def _who(recipients, organization: Organization, kind: str) -> _Recipients:
    group = "review" if kind == DIGEST else "chair"
    found = recipients.get((organization.pk, group)) or _Recipients([], [])
    emails = found.emails or ([organization.email] if organization.email else [])
    return _Recipients(found.users, emails)


def reminder_sweep(day: datetime.date, *, dry_run: bool = False, catch_up: int | None = None) -> SweepResult:
    """Creates, claims and sends the reminders due on `day` (and the missed ones of the catch-up window).

    With `dry_run`, nothing is written or sent: the result lists what would be sent now.
    """
    catch_up = settings.REMINDER_CATCH_UP_DAYS if catch_up is None else max(catch_up, 0)
    first = day - datetime.timedelta(days=catch_up)
    items = _plan(first, day)
    by_key = {item.key: item for item in items}
    today = {item.key for item in items if item.send_on == day}
    wanted = _newest_only(items)
    if dry_run:
        return _dry_run(day, first, wanted, by_key, today)

    existing = set(
        Reminder.objects.filter(
            period__in={item.period for item in wanted}, kind__in={item.kind for item in wanted}
        ).values_list("organization_id", "period", "kind")
    )  # the rows made already need no INSERT (a concurrent run's are ignored by the constraint)
    Reminder.objects.bulk_create(
        [
            Reminder(
                organization_id=item.organization_id, period=item.period, kind=item.kind, due_on=item.due_on,
                send_on=item.send_on,
            )
            for item in wanted
            if item.key not in existing
        ],
        ignore_conflicts=True,
        batch_size=BATCH,
    )  # fmt: skip
    now = timezone.now()
    Reminder.objects.filter(status=Reminder.Status.SENDING, claimed_at__lt=now - STUCK_AFTER).update(
        status=Reminder.Status.RETRY, error="A worker stopped while sending; sent again."
    )
    Reminder.objects.filter(status__in=Reminder.SENDABLE, send_on__lt=first).update(
        status=Reminder.Status.FAILED, error="Not sent: its day is past the catch-up window."
    )
    # The claim: this run's rows are the ones stamped with its own `claimed_at` (a few random microseconds
    # keep two runs started in the same microsecond apart).
    token = now + datetime.timedelta(microseconds=secrets.randbelow(1000))
    Reminder.objects.filter(status__in=Reminder.SENDABLE, send_on__range=(first, day)).update(
        status=Reminder.Status.SENDING, claimed_at=token, attempts=F("attempts") + 1
    )
    claimed = Reminder.objects.filter(status=Reminder.Status.SENDING, claimed_at=token)
    rows = list(
        claimed.select_related("organization", "organization__parent").order_by("organization__name", "pk")
    )
    result = SweepResult(day)
    if rows:
        recipients = _recipients(claimed.values("organization_id"), on=timezone.localdate())
        _send(rows, by_key, recipients, day, result)
    sent_keys = {(entry["_id"], entry["period"], entry["kind"]) for entry in result.sent}
    for entry in result.sent:
        del entry["_id"]
    result.skipped = len(today - sent_keys)
    return result


def _dry_run(day, first, wanted: list[Due], by_key: dict, today: set) -> SweepResult:
    periods = {item.period for item in wanted}
    existing = {
        (organization_id, period, kind): status
        for organization_id, period, kind, status in Reminder.objects.filter(
            Q(send_on__range=(first, day)) | Q(period__in=periods)
        ).values_list("organization_id", "period", "kind", "status")
    }
    would = [item for item in wanted if item.key not in existing]
    would += [
        by_key[key]
        for key, status in existing.items()
        if status in Reminder.SENDABLE and key in by_key and first <= by_key[key].send_on <= day
    ]
    organizations = Organization.objects.in_bulk({item.organization_id for item in would})
    recipients = _recipients(list(organizations), on=timezone.localdate())
    result = SweepResult(day)
    for item in sorted(would, key=lambda i: (i.organization_name, i.period, i.kind)):
        who = _who(recipients, organizations[item.organization_id], item.kind)
        if who.users or who.emails:
            result.sent.append(
                {
                    "organization": item.organization_name,
                    "period": item.period,
                    "kind": item.kind,
                    "to": who.emails,
                }
            )
    result.skipped = len(today - {item.key for item in would})
    return result


def _send(rows: list[Reminder], by_key: dict, recipients, day, result: SweepResult) -> None:
    from plans.models import Notification

    now = timezone.now()
    notices: list[Notification] = []
    messages: list[tuple[list[Reminder], EmailMultiAlternatives]] = []
    groups: dict[tuple[int, bool], list[Reminder]] = defaultdict(list)
    for row in rows:
        item = by_key.get((row.organization_id, row.period, row.kind))
        if item is None:  # submitted, closed, or the rule changed since the row was made
            _give_up(
                row, "Not sent: no longer due (report submitted, union closed, or calendar changed).", result
            )
            continue
        groups[row.organization_id, row.kind == DIGEST].append(row)

    with translation.override("vi"):
        for (_organization_id, is_digest), group in groups.items():
            organization = group[0].organization
            who = _who(recipients, organization, group[0].kind)
            if not who.users and not who.emails:
                for row in group:
                    _give_up(
                        row, "Not sent: nobody to send to (no active officer, no email address).", result
                    )
                continue
            entries = []
            for row in group:
                item = by_key[row.organization_id, row.period, row.kind]
                if is_digest:
                    link = dashboard_link(row.organization_id)
                    message = digest_message(
                        organization_name=organization.display_name, count=len(item.late)
                    )
                    kind = Notification.Kind.OVERDUE_DIGEST
                else:
                    link = report_link(row.organization_id, row.period)
                    parent = organization.parent.display_name if organization.parent_id else ""
                    message = reminder_message(
                        kind=row.kind,
                        period=row.period,
                        parent_name=parent,
                        due_on=row.due_on,
                        day=row.send_on,
                    )
                    kind = Notification.Kind.REMINDER
                entries.append({"row": row, "item": item, "link": link, "message": message})
                notices += [
                    Notification(
                        user_id=user_id, kind=kind, reminder=row, link=link, message=message[:500],
                        email_status=Notification.Email.NONE,  # emailed here, not by the notices' own task
                    )
                    for user_id in who.users
                ]  # fmt: skip
                row.recipients = who.emails
            if not who.emails:  # in-app only: a chair without an email, a union without an address
                for entry in entries:
                    _sent(entry["row"], now, result)
                continue
            messages.append((group, _email(organization, entries, who.emails, is_digest)))

        Notification.objects.bulk_create(notices, ignore_conflicts=True, batch_size=BATCH)
        if messages:
            _deliver(messages, now, result)
    _save_outcomes(rows)


def _save_outcomes(rows: list[Reminder]) -> None:
    """Writes each row's status, recipients, time sent and error: one UPDATE statement run for every row
    (`executemany`), far cheaper than `bulk_update`'s CASE expressions for ten thousand rows."""
    fields = [Reminder._meta.get_field(name) for name in ("status", "recipients", "sent_at", "error")]
    connection = connections[router.db_for_write(Reminder)]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(Reminder._meta.db_table),
        ", ".join(f"{quote(field.column)} = %s" for field in fields),
        quote(Reminder._meta.pk.column),
    )
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields] + [row.pk]
        for row in rows
    ]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _email(organization, entries: list[dict], to: list[str], is_digest: bool) -> EmailMultiAlternatives:
    site = settings.SITE_URL
    if is_digest:
        entry = entries[0]
        context = {
            "organization": organization, "late": entry["item"].late, "week": entry["row"].period,
            "message": entry["message"], "link": site + entry["link"], "site_url": site,
        }  # fmt: skip
        name = "overdue_digest"
    else:
        items = [
            {
                "message": entry["message"], "period_label": Period.parse(entry["row"].period).label,
                "due_on": entry["row"].due_on, "link": site + entry["link"], "kind": entry["row"].kind,
            }
            for entry in entries
        ]  # fmt: skip
        context = {"organization": organization, "items": items, "site_url": site}
        name = "reminder"
    subject = " ".join(render_to_string(f"emails/{name}.subject.txt", context).split())
    message = EmailMultiAlternatives(subject, render_to_string(f"emails/{name}.txt", context), to=to)
    message.attach_alternative(render_to_string(f"emails/{name}.html", context), "text/html")
    return message


def _deliver(messages, now, result: SweepResult) -> None:
    """Sends over one connection; a message that fails leaves its rows to retry."""
    connection = get_connection()
    try:
        connection.open()
    except OSError as exc:  # smtplib's errors are OSErrors
        logger.warning("Reminder emails: cannot connect: %s", exc)
        for group, _message in messages:
            for row in group:
                _retry(row, exc, result)
        return
    try:
        for group, message in messages:
            message.connection = connection
            try:
                message.send()
            except OSError as exc:
                logger.warning("Reminder email to %s failed: %s", message.to, exc)
                for row in group:
                    _retry(row, exc, result)
            else:
                for row in group:
                    _sent(row, now, result)
                # written at once: if the worker dies or hits its time limit later in the batch, what went
                # out is recorded as sent and is never sent again (the rest goes back to RETRY in an hour)
                _save_outcomes(group)
    finally:
        connection.close()


def _sent(row: Reminder, now, result: SweepResult) -> None:
    row.status, row.sent_at, row.error = Reminder.Status.SENT, now, ""
    result.sent.append(
        {
            "organization": row.organization.name, "period": row.period, "kind": row.kind,
            "to": list(row.recipients), "_id": row.organization_id,
        }
    )  # fmt: skip


def _retry(row: Reminder, exc: BaseException, result: SweepResult) -> None:
    if row.attempts >= MAX_ATTEMPTS:
        _give_up(row, f"Not sent after {row.attempts} attempts: {type(exc).__name__}: {exc}", result)
        return
    row.status, row.error = Reminder.Status.RETRY, f"{type(exc).__name__}: {exc}"[:1000]
    result.retry += 1


def _give_up(row: Reminder, error: str, result: SweepResult) -> None:
    row.status, row.error = Reminder.Status.FAILED, error[:1000]
    result.failed += 1
