"""Care for members (thăm hỏi, trợ cấp, quà): the occasions, each union's own amounts, records and campaigns.

Amounts are whole đồng. The default amount of a record comes from the union's spending rules in force on its
date (`SpendingRule.in_force`); the record keeps the amount actually paid, so a later change of rule never
rewrites what was given.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Occasion(models.TextChoices):
    """Welfare occasions (RULES.md, Members)."""

    SICKNESS = "sickness", _("Sickness or hospital stay")
    MATERNITY = "maternity", _("Maternity")
    WEDDING = "wedding", _("Wedding")
    BEREAVEMENT = "bereavement", _("Bereavement")
    HARDSHIP = "hardship", _("Hardship")
    TET = "tet", _("Lunar New Year (Tết)")
    WOMEN_8_3 = "women_8_3", _("International Women's Day (8/3)")
    WOMEN_20_10 = "women_20_10", _("Vietnamese Women's Day (20/10)")
    CHILDREN_1_6 = "children_1_6", _("Children's Day (1/6)")
    MID_AUTUMN = "mid_autumn", _("Mid-Autumn Festival (Trung thu)")
    TEACHERS_20_11 = "teachers_20_11", _("Vietnamese Teachers' Day (20/11)")
    BIRTHDAY = "birthday", _("Birthday")
    RETIREMENT = "retirement", _("Retirement")
    STUDY_REWARD = "study_reward", _("Study reward for a member's child")

    @classmethod
    def for_children(cls) -> frozenset[str]:
        """Occasions whose recipient is a member's child (named on the record)."""
        return frozenset({cls.CHILDREN_1_6, cls.MID_AUTUMN, cls.STUDY_REWARD})

    @classmethod
    def with_relative(cls) -> frozenset[str]:
        """Occasions where a family member may be named: the children's ones, and the relative who died."""
        return cls.for_children() | {cls.BEREAVEMENT}


class SpendingRule(models.Model):
    """One line of a union's internal spending rules (quy chế chi tiêu nội bộ): the amount for an occasion
    from a date. A later line for the same occasion replaces it from its own date; the old one stays."""

    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("union"),
        on_delete=models.CASCADE,
        related_name="spending_rules",
    )
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    amount = models.PositiveBigIntegerField(_("amount (đồng)"), validators=[MinValueValidator(1)])
    effective_from = models.DateField(_("in force from"))
    decision = models.CharField(
        _("decision"),
        max_length=150,
        blank=True,
        help_text=_("The internal rules that set it, e.g. 01/QC-CĐCS."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, null=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("spending rule")
        verbose_name_plural = _("spending rules")
        ordering = ["organization", "occasion", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "occasion", "effective_from"], name="members_spendingrule_unique_day"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="members_spendingrule_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()}: {self.amount} ({self.effective_from:%d/%m/%Y})"

    @classmethod
    def in_force(cls, organization, occasion: str, on: datetime.date) -> SpendingRule | None:
        """The union's rule for `occasion` on `on`, or None when it has none (the amount is then typed in)."""
        return (
            cls.objects.filter(organization=organization, occasion=occasion, effective_from__lte=on)
            .order_by("-effective_from")
            .first()
        )


class GiftCampaign(models.Model):
    """Gifts for everyone eligible at once (Tết, 1/6…): one record per recipient, and a list to sign."""

    class Recipients(models.TextChoices):
        MEMBERS = "members", _("Members on the roll")
        CHILDREN = "children", _("Members' children")

    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("union"),
        on_delete=models.PROTECT,
        related_name="gift_campaigns",
    )
    title = models.CharField(_("title"), max_length=200)
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    on = models.DateField(_("date given"))
    amount = models.PositiveBigIntegerField(
        _("amount per recipient (đồng)"), validators=[MinValueValidator(1)]
    )
    recipients = models.CharField(
        _("recipients"), max_length=10, choices=Recipients.choices, default=Recipients.MEMBERS
    )
    max_child_age = models.PositiveSmallIntegerField(
        _("children up to the age of"), null=True, blank=True, validators=[MaxValueValidator(25)],
        help_text=_("Age on the date given, e.g. 15 for 1/6 gifts."),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("gift campaign")
        verbose_name_plural = _("gift campaigns")
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="members_giftcampaign_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class WelfareRecord(models.Model):
    """One visit, allowance or gift to a member (or for their family member), as paid.

    `number` counts the union's records in the year of `on` (the voucher's number); a record is never deleted,
    it is cancelled with a reason, so the numbers have no gaps.
    """

    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("union"),
        on_delete=models.PROTECT,
        related_name="welfare_records",
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="welfare_records"
    )
    family_member = models.ForeignKey(
        "members.FamilyMember", verbose_name=_("family member"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="welfare_records",
    )  # fmt: skip
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    on = models.DateField(_("date"))
    amount = models.PositiveBigIntegerField(_("amount (đồng)"), validators=[MinValueValidator(1)])
    visited_by = models.CharField(_("visited or given by"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    campaign = models.ForeignKey(
        GiftCampaign, verbose_name=_("gift campaign"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="records",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number"), editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cancelled by"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("welfare record")
        verbose_name_plural = _("welfare records")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["organization", "on"], name="members_welfare_org_on")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "number"], name="members_welfarerecord_unique_number"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="members_welfarerecord_amount_positive"),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | ~Q(cancel_reason=""),
                name="members_welfarerecord_cancel_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} – {self.member} ({self.on:%d/%m/%Y})"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def reference(self) -> str:
        """The voucher's number as printed: 0007/2026."""
        return f"{self.number:04d}/{self.year}"
