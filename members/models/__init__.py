from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.collation import sort_key


class User(AbstractUser):
    """A person who logs in. What they may do comes from their `Officer` roles."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def __str__(self) -> str:
        return self.get_full_name()


class OrganizationQuerySet(models.QuerySet):
    def open_on(self, day: datetime.date) -> OrganizationQuerySet:
        return self.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=day)).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=day)
        )


class Organization(models.Model):
    """A union at any level of the tree; a grassroots union's reviewer is its parent."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCE = "province", _("Province or sector")
        UPPER_GRASSROOTS = "upper_grassroots", _("Upper-grassroots")
        GRASSROOTS = "grassroots", _("Grassroots")

    class UnitType(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        NON_PUBLIC = "non_public", _("Non-public unit")
        SELF_FINANCED_PUBLIC = "self_financed_public", _("Partly self-financed public unit")
        STATE_FUNDED_PUBLIC = "state_funded_public", _("Public unit funded entirely by the state budget")
        STATE_AGENCY = "state_agency", _("State agency")
        UNION_BODY = "union_body", _("Union body")
        OTHER = "other", _("Other")

    # Depth order of the levels: a parent's level must come before its child's.
    LEVEL_ORDER = [Level.NATIONAL, Level.PROVINCE, Level.UPPER_GRASSROOTS, Level.GRASSROOTS]

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    symbol = models.CharField(
        _("document symbol"),
        max_length=30,
        help_text=_("Used in document references, e.g. CĐMNTT in 18/KH-CĐMNTT."),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    unit_type = models.CharField(
        _("unit type"), max_length=30, choices=UnitType.choices, default=UnitType.OTHER
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("upper union"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    locality = models.CharField(
        _("locality"), max_length=100, blank=True, help_text=_("Printed before the date, e.g. Trường Thọ.")
    )
    governing_body_line = models.CharField(
        _("governing body line"),
        max_length=255,
        blank=True,
        help_text=_(
            "Printed above the organisation's name in document headers, e.g. CÔNG ĐOÀN PHƯỜNG AN LÃO."
        ),
    )
    email = models.EmailField(_("email"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["parent", "level"], name="members_org_parent_level")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(closed_on__gte=F("founded_on")),
                name="members_organization_closed_after_founded",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="members_organization_not_own_parent"),
            models.CheckConstraint(
                condition=Q(level="national") | Q(parent__isnull=False),
                name="members_organization_parent_required",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:organization_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_grassroots(self) -> bool:
        return self.level == self.Level.GRASSROOTS

    def is_closed(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.closed_on is not None and self.closed_on < on

    def clean(self) -> None:
        super().clean()
        if self.parent_id and self.parent.level and self.level:
            if self.LEVEL_ORDER.index(self.parent.level) >= self.LEVEL_ORDER.index(self.level):
                raise ValidationError(
                    {"parent": _("The upper union must be at a higher level than this organisation.")}
                )
        if self.founded_on and self.closed_on and self.closed_on < self.founded_on:
            raise ValidationError({"closed_on": _("The closing date cannot be before the founding date.")})


class OrganizationMove(models.Model):
    """One change of upper union, kept for ever (e.g. district federation → ward union on 1/7/2025)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="moves"
    )
    from_parent = models.ForeignKey(
        Organization,
        verbose_name=_("previous upper union"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_parent = models.ForeignKey(
        Organization, verbose_name=_("new upper union"), on_delete=models.PROTECT, related_name="+"
    )
    moved_on = models.DateField(_("effective date"))
    decision = models.CharField(_("decision"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation move")
        verbose_name_plural = _("organisation moves")
        ordering = ["moved_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_parent=F("to_parent")), name="members_organizationmove_changes_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.to_parent} ({self.moved_on:%d/%m/%Y})"


class UnionGroup(models.Model):
    """Tổ công đoàn: a group of members inside a grassroots union."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("grassroots union"),
        on_delete=models.CASCADE,
        related_name="union_groups",
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("union group")
        verbose_name_plural = _("union groups")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="members_uniongroup_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.organization_id and not self.organization.is_grassroots:
            raise ValidationError({"organization": _("Union groups belong to a grassroots union.")})


class OfficerQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None) -> OfficerQuerySet:
        on = on or timezone.localdate()
        return self.filter(start_on__lte=on).filter(Q(end_on__isnull=True) | Q(end_on__gte=on))


class Officer(models.Model):
    """A user's role in an organisation for a period: who signs, who reviews, who keeps the books."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice chair")
        COMMITTEE_MEMBER = "committee_member", _("Committee member")
        TREASURER = "treasurer", _("Treasurer")
        REVIEWER = "reviewer", _("Reviewer")
        LEADER = "leader", _("Leader")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="officer_roles",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="officers"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(
        _("title"), max_length=100, blank=True, help_text=_("As printed on signatures, e.g. CHỦ TỊCH.")
    )
    start_on = models.DateField(_("from"), default=timezone.localdate)
    end_on = models.DateField(_("until"), null=True, blank=True)

    objects = OfficerQuerySet.as_manager()

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["organization__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="members_officer_unique"),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="members_officer_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organization.display_name}"

    @property
    def signature_title(self) -> str:
        return self.title or str(self.get_role_display()).upper()

    def is_active(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start_on <= on and (self.end_on is None or self.end_on >= on)

    def clean(self) -> None:
        super().clean()
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("The end date cannot be before the start date.")})


class MemberQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Rows made in bulk (the Excel import, campaigns' tests, the demo) get their sort key too."""
        objs = list(objs)
        for member in objs:
            member.sort_name = sort_key(member.full_name)
        return super().bulk_create(objs, *args, **kwargs)


class Member(models.Model):
    """Đoàn viên: one person's membership, which moves with them on a transfer (its history goes along).

    `status` and `status_since` mirror the latest `MemberEvent`; only `members.roll` changes them, together
    with the event that says why. Personal fields are for the officers of the member's own union alone
    (`members.access`).
    """

    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Temporarily suspended")
        TRANSFERRED = "transferred", _("Transferred out")
        LEFT = "left", _("Left voluntarily")
        EXPELLED = "expelled", _("Expelled")
        CEASED = "ceased", _("Ceased automatically")
        HONORARY = "honorary", _("Honorary member")
        DISSOLVED = "dissolved", _("Ceased: union dissolved")

    class Contract(models.TextChoices):
        INDEFINITE = "indefinite", _("Indefinite-term contract")
        FIXED = "fixed", _("Fixed-term contract")
        CIVIL_SERVANT = "civil_servant", _("Civil servant or public employee")
        SEASONAL = "seasonal", _("Seasonal or short-term")
        NONE = "none", _("No labour contract")

    organization = models.ForeignKey(
        Organization, verbose_name=_("grassroots union"), on_delete=models.PROTECT, related_name="members"
    )
    union_group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="members",
    )  # fmt: skip
    full_name = models.CharField(_("full name"), max_length=150)
    sort_name = models.CharField(
        _("sort key"),
        max_length=600,
        editable=False,
        default="",
        help_text=_("The name in Vietnamese list order."),
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=50, blank=True, default="Kinh")
    citizen_id = models.CharField(
        _("citizen ID"), max_length=12, blank=True, validators=[RegexValidator(r"^\d{12}$")]
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    job = models.CharField(_("job"), max_length=150, blank=True)
    position = models.CharField(_("position at work"), max_length=150, blank=True)
    contract = models.CharField(_("contract type"), max_length=20, choices=Contract.choices, blank=True)
    insurance_salary = models.PositiveBigIntegerField(
        _("social-insurance salary (đồng)"), null=True, blank=True
    )
    party_member = models.BooleanField(_("Party member"), default=False)
    party_joined_on = models.DateField(_("joined the Party on"), null=True, blank=True)
    admitted_on = models.DateField(_("admitted on"))
    admission_decision = models.CharField(_("admission decision"), max_length=100, blank=True)
    card_number = models.CharField(_("card number"), max_length=30, blank=True)
    card_issued_on = models.DateField(_("card issued on"), null=True, blank=True)
    union_office = models.CharField(_("union office held"), max_length=150, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_since = models.DateField(_("status since"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["organization", "sort_name", "pk"]
        indexes = [
            models.Index(fields=["organization", "status"], name="members_member_org_status"),
            models.Index(fields=["organization", "sort_name"], name="members_member_org_sort"),
        ]
        constraints = [
            # one person, one membership: a citizen ID is on one roll (it moves with a transfer)
            models.UniqueConstraint(
                fields=["citizen_id"], condition=~Q(citizen_id=""), name="members_member_unique_citizen_id"
            ),
            models.CheckConstraint(
                condition=Q(party_joined_on__isnull=True) | Q(party_member=True),
                name="members_member_party_date_needs_party",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.sort_name = sort_key(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)

    @property
    def is_member(self) -> bool:
        """Counted on the roll: active, suspended or honorary (the others have left it)."""
        return self.status in (self.Status.ACTIVE, self.Status.SUSPENDED, self.Status.HONORARY)


class FamilyMember(models.Model):
    """A member's spouse, child or parent: for welfare (bereavement, 1/6 gifts, study rewards)."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        FATHER = "father", _("Father")
        MOTHER = "mother", _("Mother")
        FATHER_IN_LAW = "father_in_law", _("Father-in-law")
        MOTHER_IN_LAW = "mother_in_law", _("Mother-in-law")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="family"
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    full_name = models.CharField(_("full name"), max_length=150)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        ordering = ["member", "relation", "birth_date", "pk"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_relation_display()})"


class MemberEvent(models.Model):
    """One change in a membership, kept for ever: the history is added to, never edited."""

    class Kind(models.TextChoices):
        ADMITTED = "admitted", _("Admitted")
        READMITTED = "readmitted", _("Re-admitted")
        SUSPENDED = "suspended", _("Temporarily suspended")
        REINSTATED = "reinstated", _("Suspension ended")
        TRANSFERRED_OUT = "transferred_out", _("Transferred out")
        TRANSFERRED_IN = "transferred_in", _("Transferred in")
        LEFT = "left", _("Left voluntarily")
        EXPELLED = "expelled", _("Expelled")
        CEASED = "ceased", _("Ceased automatically")
        HONORARY = "honorary", _("Made an honorary member")
        DISSOLVED = "dissolved", _("Ceased: union dissolved")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("date"))
    organization = models.ForeignKey(
        Organization, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+",
        help_text=_("The union whose roll the change was recorded on."),
    )  # fmt: skip
    other_organization = models.ForeignKey(
        Organization, verbose_name=_("other union"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text=_("Where a transfer went to, or came from."),
    )  # fmt: skip
    reason = models.TextField(_("reason"), blank=True)
    decision = models.CharField(_("decision number"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")
        ordering = ["member", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_kind_display()} ({self.on:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A membership change is never edited: record a new one.")
        super().save(*args, **kwargs)


class MemberTransfer(models.Model):
    """A transfer between two unions: the sending union requests it, the receiving one accepts it, and only
    then does the member (with their history) move to the receiving roll."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the receiving union")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="transfers"
    )
    from_organization = models.ForeignKey(
        Organization, verbose_name=_("from"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_organization = models.ForeignKey(
        Organization, verbose_name=_("to"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    on = models.DateField(_("date of transfer"))
    decision = models.CharField(_("decision number"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("member transfer")
        verbose_name_plural = _("member transfers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="pending"), name="members_membertransfer_one_pending"
            ),
            models.CheckConstraint(
                condition=~Q(from_organization=F("to_organization")),
                name="members_membertransfer_elsewhere",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.to_organization}"


# Welfare (occasions, the union's own spending rules, records and gift campaigns) and the log of exports of
# personal data live beside the roll, in their own modules.
from members.models.exports import PersonalDataExport  # noqa: E402
from members.models.welfare import GiftCampaign, Occasion, SpendingRule, WelfareRecord  # noqa: E402

__all__ = [
    "FamilyMember",
    "GiftCampaign",
    "Member",
    "MemberEvent",
    "MemberTransfer",
    "Occasion",
    "Officer",
    "Organization",
    "OrganizationMove",
    "PersonalDataExport",
    "SpendingRule",
    "UnionGroup",
    "User",
    "WelfareRecord",
]
