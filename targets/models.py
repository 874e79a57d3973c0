"""Targets (chỉ tiêu) of plans, the reports that measure them, the parent's reporting calendar, reminders.

- `Target`: one promise of a plan, printed where it stands (under its section); it may count towards a target
  of the parent union's plan (`contributes_to`), which is how the dashboard sums children against it.
- `ReportingRule`: per parent union and frequency, when reports are due and when reminders go. A parent with
  no row uses the defaults of the fields (the 15th of the last month; 7 and 1 days before, on the day, then
  weekly), so the rule is data whether or not anyone changed it.
- `Report` (+ `ReportEntry` per target, `ReportArea` per area, `ReportTransition` audit): a union's report for
  one period (`targets.periods`), submitted to the parent, which accepts it or returns it with a note.
- `Reminder`: one row per (organisation, period, kind) under a unique constraint, so that no reminder is ever
  sent twice, whoever runs the sweep and however often.
"""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from targets.periods import Period, day_in_month

# Year-end grading of a grassroots union (RULES.md), as the value of a `grade` target: higher is better.
GRADES = {
    4: "Hoàn thành xuất sắc nhiệm vụ",
    3: "Hoàn thành tốt nhiệm vụ",
    2: "Hoàn thành nhiệm vụ",
    1: "Không hoàn thành nhiệm vụ",
}


class Target(models.Model):
    class Kind(models.TextChoices):
        COUNT = "count", _("Count")
        PERCENTAGE = "percentage", _("Percentage")
        YES_NO = "yes_no", _("Yes / no")
        GRADE = "grade", _("Grade")
        AMOUNT = "amount", _("Amount in đồng")

    class Comparison(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")
        EXACTLY = "exactly", _("exactly")
        BETWEEN = "between", _("between")
        MORE_THAN = "more_than", _("more than")
        LESS_THAN = "less_than", _("less than")

    class Due(models.TextChoices):
        ONGOING = "ongoing", _("Ongoing (thường xuyên)")
        DATE = "date", _("By a date")
        QUARTER = "quarter", _("By a quarter")

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets"
    )
    section = models.ForeignKey(
        "plans.Section",
        verbose_name=_("section"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("target as written"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COUNT)
    comparison = models.CharField(
        _("comparison"), max_length=20, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, null=True, blank=True)
    value_max = models.DecimalField(_("upper value"), max_digits=16, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    per = models.CharField(_("per"), max_length=20, blank=True, help_text=_("e.g. năm in “01 đồng chí/năm”."))
    increase = models.BooleanField(
        _("increase on the baseline"),
        default=False,
        help_text=_("“tăng thêm 106 đoàn viên”: the value is what is added to the baseline."),
    )
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, null=True, blank=True)
    responsible = models.CharField(_("responsible"), max_length=255, blank=True)
    printed = models.BooleanField(
        _("printed on its own line"),
        default=True,
        help_text=_("Off when the section's text already states it (a target accepted from a proposal)."),
    )
    due_kind = models.CharField(_("due"), max_length=10, choices=Due.choices, default=Due.ONGOING)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    due_quarter = models.PositiveSmallIntegerField(
        _("due quarter"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    due_year = models.PositiveSmallIntegerField(_("year of the due quarter"), null=True, blank=True)
    contributes_to = models.ForeignKey(
        "self",
        verbose_name=_("contributes to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        help_text=_("The upper union's target this one counts towards."),
    )
    counts_from = models.CharField(
        _("counted from"),
        max_length=20,
        choices=[("admissions", _("Admissions on the member roll"))],
        blank=True,
        help_text=_("Left empty, reports give the figure; “admissions” counts new members from the roll."),
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        help_text=_("The same target in the plan this one was copied from (an earlier version or year)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "section_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(comparison="between")
                | Q(value__isnull=False, value_max__isnull=False, value_max__gte=F("value")),
                name="targets_target_between_has_range",
            ),
            models.CheckConstraint(
                condition=Q(due_kind="ongoing")
                | Q(due_kind="date", due_on__isnull=False)
                | Q(due_kind="quarter", due_quarter__gte=1, due_quarter__lte=4, due_year__isnull=False),
                name="targets_target_due_complete",
            ),
            models.CheckConstraint(
                condition=~Q(contributes_to=F("id")), name="targets_target_not_own_contribution"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="targets_target_value_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["contributes_to"], name="targets_target_contributes")]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def goal(self) -> Decimal | None:
        """The number a report's value is compared with: for `tăng thêm` targets, counted from zero."""
        return self.value_max if self.comparison == self.Comparison.AT_MOST and self.value_max else self.value

    def is_met(self, reached: Decimal | None) -> bool | None:
        """Whether `reached` (what a report says was achieved) meets the target; None when unknown."""
        if reached is None:
            return None
        if self.kind == self.Kind.YES_NO:
            return reached >= 1
        if self.value is None:
            return None
        C = self.Comparison
        return {
            C.AT_LEAST: reached >= self.value,
            C.MORE_THAN: reached > self.value,
            C.AT_MOST: reached <= self.value,
            C.LESS_THAN: reached < self.value,
            C.EXACTLY: reached == self.value,
            C.BETWEEN: self.value
            <= reached
            <= (self.value_max if self.value_max is not None else self.value),
        }[self.comparison]

    def progress(self, reached: Decimal | None) -> int | None:
        """Share of the way to the goal, 0–100, for bars (targets with a ceiling are met or not)."""
        if reached is None:
            return None
        if self.kind == self.Kind.YES_NO or self.comparison in (
            self.Comparison.AT_MOST,
            self.Comparison.LESS_THAN,
        ):
            return 100 if self.is_met(reached) else 0
        if not self.value:
            return 100 if reached else 0
        return max(0, min(100, int(reached * 100 / self.value)))

    def due_label(self) -> str:
        if self.due_kind == self.Due.DATE and self.due_on:
            return self.due_on.strftime("%d/%m/%Y")
        if self.due_kind == self.Due.QUARTER and self.due_quarter and self.due_year:
            return Period(self.due_year, "Q", self.due_quarter).short_label
        return "Thường xuyên"


def default_days_before() -> list[int]:
    return [7, 1]


class ReportingRule(models.Model):
    """When a parent union's children report, and when they are reminded. Defaults: RULES.md."""

    class Frequency(models.TextChoices):
        QUARTERLY = "Q", _("Quarterly")
        HALF_YEARLY = "H", _("Half-yearly")
        YEARLY = "Y", _("Yearly")

    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("upper union"),
        on_delete=models.CASCADE,
        related_name="reporting_rules",
    )
    frequency = models.CharField(_("frequency"), max_length=1, choices=Frequency.choices)
    enabled = models.BooleanField(_("reports required"), default=True)
    month_offset = models.SmallIntegerField(
        _("month"),
        default=0,
        validators=[MinValueValidator(-11), MaxValueValidator(3)],
        help_text=_(
            "Counted from the last month of the period: 0 = that month, 1 = the month after, "
            "-1 = the month before."
        ),
    )
    day = models.PositiveSmallIntegerField(
        _("day of the month"), default=15, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    days_before = models.JSONField(
        _("reminders before (days)"), default=default_days_before, blank=True, help_text=_("e.g. 7, 1")
    )
    on_the_day = models.BooleanField(_("reminder on the due date"), default=True)
    overdue_every = models.PositiveSmallIntegerField(
        _("overdue reminder every (days)"), default=7, help_text=_("0: no overdue reminders.")
    )
    overdue_for = models.PositiveSmallIntegerField(
        _("overdue reminders for (days)"), default=90, help_text=_("Stop reminding this long after the date.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reporting rule")
        verbose_name_plural = _("reporting rules")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "frequency"], name="targets_reportingrule_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} – {self.get_frequency_display()}"

    @classmethod
    def default(cls, organization, frequency: str) -> ReportingRule:
        """The rule a parent has until it sets one (not saved): the fields' defaults."""
        return cls(organization=organization, frequency=frequency)

    def due_on(self, period: Period) -> datetime.date:
        """The deadline of `period` under this rule, e.g. 15/03/2026 for 2026-Q1 by default."""
        year, month = period.month(period.months)
        month += self.month_offset
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        return day_in_month(year, month, self.day)


class Report(models.Model):
    """A union's report on one period: a value per target of its plans in force, and a narrative per area."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    DOCUMENT_TYPE = "BC"
    SUBMITTED_STATES = (Status.SUBMITTED, Status.ACCEPTED)

    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    period = models.CharField(_("period"), max_length=10, help_text=_("2026-Q1, 2026-H1 or 2026-Y"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("document summary"), max_length=500, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    dated_on = models.DateField(_("date"), null=True, blank=True)
    summary = models.TextField(_("general situation"), blank=True)
    difficulties = models.TextField(_("difficulties and proposals"), blank=True)
    next_steps = models.TextField(_("tasks for the next period"), blank=True)
    signature_authority = models.CharField(_("authority line"), max_length=100, default="TM. BAN CHẤP HÀNH")
    signature_title = models.CharField(_("signer's title"), max_length=100, default="CHỦ TỊCH")
    signer_name = models.CharField(_("signer's name"), max_length=150, blank=True)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One per line."))
    version = models.PositiveIntegerField(_("edit version"), default=1)
    # the first submission (later ones are in the audit trail): whether it was late, and no more reminders
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_note = models.TextField(_("note on return"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, null=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "period"], name="targets_report_one_per_period"),
            models.UniqueConstraint(
                F("organization"),
                ExtractYear("dated_on"),
                F("number"),
                condition=Q(number__isnull=False),
                name="targets_report_unique_reference",
                violation_error_message=_("This reference number is already used this year."),
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gt=0), name="targets_report_number_positive"
            ),
        ]
        indexes = [models.Index(fields=["period", "status"], name="targets_report_period_status")]

    def __str__(self) -> str:
        return f"{self.organization} – {self.period_obj.short_label}"

    def get_absolute_url(self) -> str:
        return reverse("targets:report", args=[self.pk])

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)

    @property
    def reference(self) -> str:
        number = f"{self.number:02d}" if self.number else "    "
        return f"{number}/{self.DOCUMENT_TYPE}-{self.organization.symbol}"

    @property
    def is_submitted(self) -> bool:
        return self.status in self.SUBMITTED_STATES

    def header_lines(self) -> tuple[str, str]:
        from plans.models import header_lines

        return header_lines(self.organization)

    def place_and_date(self) -> str:
        from plans.models import place_and_date

        return place_and_date(self.place or self.organization.locality, self.dated_on or timezone.localdate())

    def recipient_lines(self) -> list[str]:
        from plans.models import recipient_lines

        return recipient_lines(self.recipients)


def evidence_path(instance, filename: str) -> str:
    """`reports/evidence/2026/<random>/<the name as uploaded>`: the file keeps its name for whoever may
    download it, and its address cannot be guessed."""
    return f"reports/evidence/{timezone.now():%Y}/{secrets.token_urlsafe(16)}/{PurePosixPath(filename).name}"


class ReportEntry(models.Model):
    """What a report says about one target: the value reached so far, a note, evidence."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="entries"
    )
    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.PROTECT, related_name="report_entries"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    reached = models.DecimalField(_("reached so far"), max_digits=16, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)

    class Meta:
        verbose_name = _("report entry")
        verbose_name_plural = _("report entries")
        ordering = ["report", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "target"], name="targets_reportentry_once"),
            models.CheckConstraint(
                condition=Q(reached__isnull=True) | Q(reached__gte=0), name="targets_reportentry_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.target}"

    @property
    def met(self) -> bool | None:
        return self.target.is_met(self.reached)

    @property
    def evidence_name(self) -> str:
        """The file's own name, without the folders it is stored in."""
        return PurePosixPath(self.evidence.name).name if self.evidence else ""


class ReportArea(models.Model):
    """A short narrative on one area of work (by default, the top-level sections of the plans in force)."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="areas"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    heading = models.CharField(_("area"), max_length=500)
    body = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("report area")
        verbose_name_plural = _("report areas")
        ordering = ["report", "position", "pk"]

    def __str__(self) -> str:
        return self.heading


class ReportTransition(models.Model):
    """The audit trail of a report: every change of status, by whom, when, with the note given."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Report.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Report.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("report status change")
        verbose_name_plural = _("report status changes")
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class Reminder(models.Model):
    """One reminder: (organisation, period, kind) is unique, so it is created, claimed and sent once.

    `kind` is `before-7`, `before-1`, `due`, `overdue-7`, `overdue-14`… for a union's chair, and `digest`
    for the weekly list of overdue reports sent to a parent's reviewers (`period` is then the ISO week,
    `2026-W49`).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        RETRY = "retry", _("To retry")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    SENDABLE = (Status.PENDING, Status.RETRY)

    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    period = models.CharField(_("period"), max_length=10)
    kind = models.CharField(_("kind"), max_length=20)
    due_on = models.DateField(_("report due on"), null=True, blank=True)
    send_on = models.DateField(_("send on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    recipients = models.JSONField(_("sent to"), default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-send_on", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "period", "kind"], name="targets_reminder_once"),
        ]
        indexes = [models.Index(fields=["status", "send_on"], name="targets_reminder_status")]

    def __str__(self) -> str:
        return f"{self.organization} {self.period} {self.kind}"
