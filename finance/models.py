"""The union's money. Rules change by decision, so they are rows with effective dates (`Rule`), not
constants: every computation asks `finance.rules.in_force` for the rule on its own date."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from members.models import Member, Organization


class Rule(models.Model):
    """One national rule for a span of dates: a rate, a share, a cap or an amount, and the decision behind it.

    `unit_type` empty means every kind of unit; a row for a unit type wins over the general row on the same
    date. A dues cap without a value means "no cap" for that unit type and span.
    """

    class Kind(models.TextChoices):
        BASE_SALARY = "base_salary", _("Base salary (đồng)")
        DUES_RATE = "dues_rate", _("Member dues (% of the social-insurance salary)")
        DUES_CAP = "dues_cap", _("Dues cap (% of the base salary)")
        DUES_FLAT = "dues_flat", _("Dues without a fixed salary (% of the base salary)")
        KPCD_RATE = "kpcd_rate", _("Union fee paid by the employer (% of the salary fund)")
        SHARE_DUES = "share_dues", _("Share of dues kept by the grassroots union (%)")
        SHARE_KPCD = "share_kpcd", _("Share of the union fee kept by the grassroots union (%)")
        SHARE_OTHER = "share_other", _("Share of other income kept by the grassroots union (%)")
        ALLOWANCES_MAX = "allowances_max", _("Officers' allowances, at most (% of the dues kept)")
        CARE_MIN = "care_min", _("Visits and care for members, at least (% of the dues kept)")
        OTHER_MAX = "other_max", _("Other spending, at most (% of the dues kept)")

    AMOUNTS = frozenset({Kind.BASE_SALARY})

    kind = models.CharField(_("rule"), max_length=20, choices=Kind.choices)
    unit_type = models.CharField(
        _("unit type"), max_length=30, choices=Organization.UnitType.choices, blank=True,
        help_text=_("Empty: every kind of unit."),
    )  # fmt: skip
    value = models.DecimalField(
        _("value"), max_digits=14, decimal_places=4, null=True, blank=True,
        help_text=_("A percentage, or an amount in đồng for the base salary. Empty only for “no dues cap”."),
    )  # fmt: skip
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=255)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["kind", "unit_type", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="finance_rule_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(kind="dues_cap"), name="finance_rule_value_needed"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="finance_rule_value_not_negative"
            ),
            models.UniqueConstraint(
                fields=["kind", "unit_type", "effective_from"], name="finance_rule_unique_start"
            ),
        ]

    def __str__(self) -> str:
        until = f"–{self.effective_to:%d/%m/%Y}" if self.effective_to else ""
        return f"{self.get_kind_display()}: {self.value} ({self.effective_from:%d/%m/%Y}{until})"

    def clean(self) -> None:
        super().clean()
        if self.value is None and self.kind != self.Kind.DUES_CAP:
            raise ValidationError({"value": _("Give the rule's value.")})
        if self.kind not in self.AMOUNTS and self.value is not None and self.value > 100:
            raise ValidationError({"value": _("A percentage cannot be more than 100.")})
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("The end date cannot be before the start date.")})
        if self.kind and self.effective_from:
            overlapping = Rule.objects.filter(kind=self.kind, unit_type=self.unit_type).exclude(pk=self.pk)
            overlapping = overlapping.filter(
                Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from)
            )
            if self.effective_to:
                overlapping = overlapping.filter(effective_from__lte=self.effective_to)
            clash = overlapping.first()
            if clash is not None:
                raise ValidationError(
                    _("This span overlaps the rule in force from %(start)s: end that one first.")
                    % {"start": clash.effective_from.strftime("%d/%m/%Y")}
                )

    def applies_on(self, on: datetime.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


class DuesExemption(models.Model):
    """Months a member owes no dues: on social-insurance benefits, or with no work and no income."""

    class Reason(models.TextChoices):
        BENEFITS = "benefits", _("On social-insurance benefits")
        NO_INCOME = "no_income", _("No work and no income")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="dues_exemptions"
    )
    start = models.DateField(_("first month"), help_text=_("The first day of the first exempt month."))
    end = models.DateField(_("last month"), help_text=_("The first day of the last exempt month."))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("dues exemption")
        verbose_name_plural = _("dues exemptions")
        ordering = ["member", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="finance_exemption_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.start:%m/%Y}–{self.end:%m/%Y}"

    def save(self, *args, **kwargs):
        self.start, self.end = self.start.replace(day=1), self.end.replace(day=1)  # whole months
        super().save(*args, **kwargs)
