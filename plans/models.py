from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans import markup, numbering

# Part of every content hash: raise it when the printed layout changes, so cached PDFs are made again.
RENDERER_VERSION = 3  # 3: targets printed under their sections


def header_lines(organization, governing_body_line: str = "", issuer_line: str = "") -> tuple[str, str]:
    """The two lines above the reference: the governing body (by default the union above) and the issuer."""
    governing = (
        governing_body_line
        or organization.governing_body_line
        or (organization.parent.name if organization.parent else "")
    )
    return governing.upper(), (issuer_line or organization.short_name or organization.name).upper()


def place_and_date(place: str, day) -> str:
    """`Trường Thọ, ngày 05 tháng 9 năm 2025`: days below 10 and months below 3 take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def recipient_lines(text: str) -> list[str]:
    """`Nơi nhận` items: each starts with `- ` and ends with `;`, the last with `.`."""
    items = [line.lstrip("-+• ").rstrip(" ;.,") for line in markup.lines(text)]
    return [f"- {item};" for item in items[:-1]] + [f"- {item}." for item in items[-1:]]


class Plan(models.Model):
    """A plan (Kế hoạch) with the fields of an official union document."""

    class Kind(models.TextChoices):
        TERM = "term", _("Term plan")
        SCHOOL_YEAR = "school_year", _("School-year plan")
        CALENDAR_YEAR = "calendar_year", _("Calendar-year plan")
        IMPLEMENTATION = "implementation", _("Implementation plan for a higher document")
        THEMATIC = "thematic", _("Thematic plan")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        ISSUED = "issued", _("Issued")

    class Numbering(models.TextChoices):
        ROMAN = "roman", "I. / 1. / 1.1. / a)"
        ROMAN_LETTER = "roman_letter", "I. / 1. / a) / -"
        ARABIC = "arabic", "1. / 1.1. / a) / -"
        ARABIC_LETTER = "arabic_letter", "1. / a) / - / +"
        PART = "part", "A. / I. / 1. / 1.1."

    DOCUMENT_TYPE = "KH"

    organization = models.ForeignKey(
        "members.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="plans"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SCHOOL_YEAR)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(
        _("document summary"), max_length=500, help_text=_("The summary printed under the document type.")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    period_label = models.CharField(_("period label"), max_length=100, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    dated_on = models.DateField(_("date"), default=timezone.localdate)
    governing_body_line = models.CharField(_("governing body line"), max_length=255, blank=True)
    issuer_line = models.CharField(_("issuing organisation line"), max_length=255, blank=True)
    legal_bases = models.TextField(_("legal bases"), blank=True, help_text=_("One per line."))
    preamble = models.TextField(_("preamble"), blank=True)
    closing = models.TextField(_("closing paragraph"), blank=True)
    signature_authority = models.CharField(_("authority line"), max_length=100, default="TM. BAN CHẤP HÀNH")
    signature_title = models.CharField(_("signer's title"), max_length=100, default="CHỦ TỊCH")
    signer_name = models.CharField(_("signer's name"), max_length=150, blank=True)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One per line."))
    numbering = models.CharField(
        _("numbering"), max_length=20, choices=Numbering.choices, default=Numbering.ROMAN
    )
    version = models.PositiveIntegerField(_("edit version"), default=1)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_pdf = models.FileField(_("issued PDF"), upload_to="plans/issued/", blank=True)
    issued_sha256 = models.CharField(_("SHA-256 of the issued PDF"), max_length=64, blank=True, db_index=True)
    signed_pdf = models.FileField(_("digitally signed PDF"), upload_to="plans/signed/", blank=True)
    signed_sha256 = models.CharField(_("SHA-256 of the signed PDF"), max_length=64, blank=True, db_index=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("new version of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text=_("The issued plan this draft revises."),
    )
    source_text = models.TextField(
        _("imported source text"),
        blank=True,
        help_text=_("The text this plan was imported from, kept as read."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-dated_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="plans_plan_period_order"
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gt=0), name="plans_plan_number_positive"
            ),
            # one `18/KH-…` per organisation and year (the document type is always KH here)
            models.UniqueConstraint(
                F("organization"),
                ExtractYear("dated_on"),
                F("number"),
                condition=Q(number__isnull=False),
                name="plans_plan_unique_reference",
                violation_error_message=_("This reference number is already used this year."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.pk])

    def get_review_url(self) -> str:
        return reverse("plans:review", args=[self.pk])

    @property
    def reference(self) -> str:
        """`18/KH-CĐMNTT`; numbers below 10 take a leading zero; a blank number leaves room to write it."""
        number = f"{self.number:02d}" if self.number else "    "
        return f"{number}/{self.DOCUMENT_TYPE}-{self.organization.symbol}"

    def header_lines(self) -> tuple[str, str]:
        return header_lines(self.organization, self.governing_body_line, self.issuer_line)

    def place_and_date(self) -> str:
        return place_and_date(self.place or self.organization.locality, self.dated_on)

    def legal_basis_lines(self) -> list[str]:
        """Each ends with `;`, the last with `.` (FORMAT.md)."""
        bases = [line.rstrip(" ;.,") for line in markup.lines(self.legal_bases)]
        return [f"{line};" for line in bases[:-1]] + [f"{line}." for line in bases[-1:]]

    def recipient_lines(self) -> list[str]:
        return recipient_lines(self.recipients)

    def section_tree(self) -> list[dict]:
        """Sections as a numbered tree (one query): [{"section", "number", "children": [...]}, ...]."""
        by_parent: dict[int | None, list[Section]] = {}
        for section in self.sections.order_by("position", "pk"):
            by_parent.setdefault(section.parent_id, []).append(section)

        def build(parent_id, path):
            nodes = []
            for index, section in enumerate(by_parent.get(parent_id, []), start=1):
                here = [*path, index]
                nodes.append(
                    {
                        "section": section,
                        "depth": len(here),
                        "number": numbering.number(self.numbering, here),
                        "upper": numbering.is_upper(self.numbering, len(here)),
                        "children": build(section.pk, here),
                    }
                )
            return nodes

        return build(None, [])

    def outline(self) -> list[dict]:
        """The nodes of `section_tree()` in document order (depth first): parents before their children."""

        def walk(nodes):
            for node in nodes:
                yield node
                yield from walk(node["children"])

        return list(walk(self.section_tree()))

    def content_hash(self) -> str:
        """Changes whenever anything printed changes; the PDF cache is keyed on it."""
        fields = [
            "kind", "title", "period_label", "number", "place", "dated_on", "governing_body_line",
            "issuer_line", "legal_bases", "preamble", "closing", "signature_authority", "signature_title",
            "signer_name", "recipients", "numbering",
        ]  # fmt: skip
        data = {name: str(getattr(self, name)) for name in fields}
        data["renderer"] = RENDERER_VERSION
        data["organization"] = [self.organization.symbol, self.organization.locality, self.header_lines()]
        data["sections"] = list(
            self.sections.order_by("pk").values_list(
                "pk", "parent_id", "position", "heading", "body", "timeline", "responsible"
            )
        )
        data["targets"] = list(  # the printed ones, with what their line shows
            self.targets.filter(printed=True)
            .order_by("pk")
            .values_list(
                "pk", "section_id", "position", "text", "responsible", "due_kind", "due_on", "due_quarter",
                "due_year",
            )
        )  # fmt: skip
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


class Section(models.Model):
    """A numbered part of a plan; numbers come from the tree and the plan's numbering setting."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent section"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    heading = models.CharField(_("heading"), max_length=500)
    body = models.TextField(_("body"), blank=True)
    timeline = models.CharField(_("timeline"), max_length=255, blank=True)
    responsible = models.CharField(_("responsible"), max_length=255, blank=True)
    source_number = models.CharField(
        _("number in the source"),
        max_length=40,
        blank=True,
        help_text=_("The number as written in an imported document (the printed number is computed)."),
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan", "parent_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="plans_section_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.heading

    def body_blocks(self):
        return markup.blocks(self.body)


def render_path(instance, filename):
    return f"plans/{instance.plan_id}/{instance.content_hash[:16]}.pdf"


class PlanRender(models.Model):
    """A PDF of one state of a plan, keyed by the content hash: an unchanged plan is rendered once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="renders")
    content_hash = models.CharField(_("content hash"), max_length=64)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    pdf = models.FileField(_("PDF file"), upload_to=render_path, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("PDF render")
        verbose_name_plural = _("PDF renders")
        constraints = [
            models.UniqueConstraint(fields=["plan", "content_hash"], name="plans_render_unique_content"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.content_hash[:12]} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)


class FindingDismissal(models.Model):
    """A check finding the chair looked at and set aside, with the reason (findings never block saving)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="dismissals"
    )
    code = models.CharField(_("finding code"), max_length=40)
    where = models.CharField(_("place"), max_length=100, help_text=_("e.g. section:12, field:closing"))
    reason = models.CharField(_("reason"), max_length=500)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dismissed by"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed finding")
        verbose_name_plural = _("dismissed findings")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code", "where"], name="plans_dismissal_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} @ {self.where}"


class PlanImport(models.Model):
    """An uploaded or pasted document waiting for the chair's review before it becomes a draft plan."""

    organization = models.ForeignKey(
        "members.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    lines = models.JSONField(_("source lines"), default=list)
    corrections = models.JSONField(_("corrections"), default=dict, blank=True)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")

    def __str__(self) -> str:
        return self.filename or f"import {self.pk}"


class PlanVersion(models.Model):
    """What was submitted, frozen: reviewers compare versions; the chair's later edits change nothing."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("snapshot"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plans_planversion_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"


class PlanTransition(models.Model):
    """The audit trail: every change of a plan's status, by whom, when, with the note given."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Plan.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Plan.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    version = models.ForeignKey(
        PlanVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["plan", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.from_status} → {self.to_status}"


class Comment(models.Model):
    """A reviewer's or chair's comment on a section (or on the header when no section), with replies."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    section_heading = models.CharField(_("section heading"), max_length=500, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    version = models.ForeignKey(
        PlanVersion,
        verbose_name=_("on version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["plan", "created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class Notification(models.Model):
    """In-app notice (and the email event it may send): one per (kind, plan, version, user), never twice.

    Notices about reports (`targets`) carry the report instead of a plan; a reminder's notice carries the
    `Reminder` row, once per person. `link` is where the notice leads when it is not the plan's page.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Plan submitted")
        RETURNED = "returned", _("Plan returned")
        APPROVED = "approved", _("Plan approved")
        ISSUED = "issued", _("Plan issued")
        REPORT_SUBMITTED = "report_submitted", _("Report submitted")
        REPORT_RETURNED = "report_returned", _("Report returned")
        REPORT_ACCEPTED = "report_accepted", _("Report accepted")
        REMINDER = "reminder", _("Report reminder")
        OVERDUE_DIGEST = "overdue_digest", _("Overdue reports")

    class Email(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        NONE = "none", _("No email")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="notifications",
    )  # fmt: skip
    report = models.ForeignKey(
        "targets.Report", verbose_name=_("report"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="notifications",
    )  # fmt: skip
    reminder = models.ForeignKey(
        "targets.Reminder", verbose_name=_("reminder"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="notifications",
    )  # fmt: skip
    link = models.CharField(_("link"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    version_number = models.PositiveIntegerField(_("version"), default=0)
    message = models.CharField(_("message"), max_length=500)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(_("email"), max_length=20, choices=Email.choices, default=Email.PENDING)
    email_claimed_at = models.DateTimeField(_("email claimed at"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("email sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "plan", "kind", "version_number"], name="plans_notification_once"
            ),
            models.UniqueConstraint(
                fields=["user", "report", "kind", "version_number"],
                condition=Q(report__isnull=False),
                name="plans_notification_report_once",
            ),
            models.UniqueConstraint(
                fields=["user", "reminder"],
                condition=Q(reminder__isnull=False),
                name="plans_notification_reminder_once",
            ),
        ]

    def __str__(self) -> str:
        return self.message

    def get_absolute_url(self) -> str:
        if self.link:
            return self.link
        if self.report_id:
            return reverse("targets:report", args=[self.report_id])
        return reverse("plans:detail", args=[self.plan_id])


class SigningIdentity(models.Model):
    """A PKCS#12 bundle (certificate + private key) for signing: a signer's own, or an organisation's seal.

    The bundle is stored as uploaded, encrypted by its own password; the password is typed at signing time
    and never stored, so the private key is never readable at rest.
    """

    class Kind(models.TextChoices):
        SIGNER = "signer", _("Signer (personal)")
        ORGANIZATION = "organization", _("Organisation (seal)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organization = models.ForeignKey(
        "members.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signer"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    subject = models.CharField(_("certificate subject"), max_length=255)
    pkcs12 = models.BinaryField(_("PKCS#12 bundle (encrypted by its password)"))
    certificate_pem = models.TextField(_("certificate (PEM)"))
    not_after = models.DateTimeField(_("valid until"))
    image = models.FileField(_("signature or seal image (PNG)"), upload_to="signing/", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signing identity")
        verbose_name_plural = _("signing identities")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="organization", user__isnull=True) | Q(kind="signer", user__isnull=False),
                name="plans_signingidentity_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.subject
