"""The union's money. Rules change by decision, so they are rows with effective dates (`Rule`), not
constants: every computation asks `finance.rules.in_force` for the rule on its own date."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Member, Organization


class Rule(models.Model):
    """One national rule for a span of dates: a rate, a share, a cap or an amount, and the decision behind it.

    `unit_type` empty means every kind of unit; a row for a unit type wins over the general row on the same
    date. A dues cap without a value means "no cap" for that unit type and span.
    """

    class Kind(models.TextChoices):
        BASE_SALARY = "base_salary", _("Base salary (đồng)")
        DUES_RATE = "dues_rate", _("Member dues (percent of the social-insurance salary)")
        DUES_CAP = "dues_cap", _("Dues cap (percent of the base salary)")
        DUES_FLAT = "dues_flat", _("Dues without a fixed salary (percent of the base salary)")
        KPCD_RATE = "kpcd_rate", _("Union fee paid by the employer (percent of the salary fund)")
        SHARE_DUES = "share_dues", _("Share of dues kept by the grassroots union (%)")
        SHARE_KPCD = "share_kpcd", _("Share of the union fee kept by the grassroots union (%)")
        SHARE_OTHER = "share_other", _("Share of other income kept by the grassroots union (%)")
        ALLOWANCES_MAX = "allowances_max", _("Officers' allowances, at most (percent of the dues kept)")
        CARE_MIN = "care_min", _("Visits and care for members, at least (percent of the dues kept)")
        OTHER_MAX = "other_max", _("Other spending, at most (percent of the dues kept)")

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


class Ledger(models.Model):
    """One book of account: the union's official finance, or one self-raised fund, kept apart."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Union finance")
        FUND = "fund", _("Self-raised fund")

    organization = models.ForeignKey(
        Organization, verbose_name=_("union"), on_delete=models.PROTECT, related_name="ledgers"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150, help_text=_("e.g. Quỹ xã hội, Quỹ khuyến học."))
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    welfare_occasions = models.JSONField(
        _("welfare it pays for"), default=list, blank=True,
        help_text=_("Occasions this fund pays welfare for; the others are paid from the union's finance."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("ledger")
        verbose_name_plural = _("ledgers")
        ordering = ["organization", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="finance_ledger_unique_name"),
            models.UniqueConstraint(
                fields=["organization"], condition=Q(kind="official"), name="finance_ledger_one_official"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.TextChoices):
    """Budget lines (RULES.md, Money): income kinds, then spending categories."""

    DUES = "dues", _("Member dues")
    KPCD = "kpcd", _("Union fee (KPCĐ)")
    UPPER_SUPPORT = "upper_support", _("Support from the upper union")
    DONATIONS = "donations", _("Contributions and donations")
    OTHER_INCOME = "other_income", _("Other income")
    CARE = "care", _("Direct care and protection of members")
    PROPAGANDA = "propaganda", _("Propaganda and education")
    EMULATION = "emulation", _("Emulation, culture and sport")
    ADMINISTRATION = "administration", pgettext_lazy("budget line", "Administration")
    ALLOWANCES = "allowances", _("Salaries and allowances of union officers")
    REMITTANCE = "remittance", _("Remittance to the upper union")
    OTHER_EXPENSE = "other_expense", _("Other spending")

    @classmethod
    def income(cls) -> list[str]:
        return [cls.DUES, cls.KPCD, cls.UPPER_SUPPORT, cls.DONATIONS, cls.OTHER_INCOME]

    @classmethod
    def expense(cls) -> list[str]:
        return [
            cls.CARE, cls.PROPAGANDA, cls.EMULATION, cls.ADMINISTRATION, cls.ALLOWANCES, cls.REMITTANCE,
            cls.OTHER_EXPENSE,
        ]  # fmt: skip


class TransactionQuerySet(models.QuerySet):
    """Entries are only ever added: bulk updates and deletes are refused like single ones."""

    def update(self, **kwargs):
        raise ValueError("Ledger entries are never changed: post a reversing entry.")

    def delete(self):
        raise ValueError("Ledger entries are never deleted: post a reversing entry.")


class Transaction(models.Model):
    """One receipt (phiếu thu) or payment (phiếu chi), numbered per ledger, direction and year without gaps.

    `effect` is what the entry does to the ledger's balance (income +, expense −, a reversal the opposite of
    the entry it reverses), so a balance is one SUM. Entries are never edited or deleted; `finance.ledgers`
    posts them and refuses a closed month.
    """

    class Direction(models.TextChoices):
        INCOME = "income", _("Receipt")
        EXPENSE = "expense", _("Payment")

    PREFIX = {Direction.INCOME: "PT", Direction.EXPENSE: "PC"}

    ledger = models.ForeignKey(
        Ledger, verbose_name=_("ledger"), on_delete=models.PROTECT, related_name="entries"
    )
    direction = models.CharField(_("receipt or payment"), max_length=10, choices=Direction.choices)
    category = models.CharField(_("budget line"), max_length=20, choices=Category.choices)
    on = models.DateField(_("date"))
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    effect = models.BigIntegerField(_("effect on the balance"), editable=False)
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    counterparty = models.CharField(_("payer or payee"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=500)
    attachment = models.FileField(_("attachment"), upload_to="finance/%Y/", blank=True)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number"), editable=False)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="reversed_by",
    )  # fmt: skip
    welfare_record = models.ForeignKey(
        "members.WelfareRecord", verbose_name=_("welfare record"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="entries",
    )  # fmt: skip
    period = models.CharField(
        _("for the period"), max_length=10, blank=True,
        help_text=_("The quarter a remittance pays for (2026-Q1), whenever it is paid."),
    )  # fmt: skip
    created_by = models.ForeignKey(
        "members.User", verbose_name=_("posted by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    objects = TransactionQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["ledger", "on", "pk"]
        indexes = [models.Index(fields=["ledger", "on", "id"], name="finance_entry_ledger_on")]
        constraints = [
            models.UniqueConstraint(
                fields=["ledger", "direction", "year", "number"], name="finance_transaction_unique_number"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_transaction_amount_positive"),
            models.CheckConstraint(
                condition=Q(effect=F("amount")) | Q(effect=-F("amount")), name="finance_transaction_effect"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voucher} {self.description}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Ledger entries are never changed: post a reversing entry.")
        ClosedMonth.refuse(self.ledger.organization_id, self.on)  # whoever saves: services, admin, shell
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Ledger entries are never deleted: post a reversing entry.")

    @property
    def voucher(self) -> str:
        """PT-2026-0001 for receipts, PC-2026-0001 for payments."""
        return f"{self.PREFIX[self.direction]}-{self.year}-{self.number:04d}"


class ClosedMonth(models.Model):
    """A month whose books are closed: no entry dated in it may be added (corrections go in an open month)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("union"), on_delete=models.PROTECT, related_name="closed_months"
    )
    month = models.DateField(_("month"), help_text=_("Its first day."))
    closed_by = models.ForeignKey(
        "members.User", verbose_name=_("closed by"), on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")
        ordering = ["organization", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="finance_closedmonth_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.month:%m/%Y}"

    def save(self, *args, **kwargs):
        self.month = self.month.replace(day=1)
        super().save(*args, **kwargs)

    @classmethod
    def refuse(cls, organization_id: int, on: datetime.date) -> None:
        """Raise a Vietnamese ValidationError when `on` falls in a closed month of the union's books."""
        if cls.objects.filter(organization_id=organization_id, month=on.replace(day=1)).exists():
            raise ValidationError(
                _("The books of %(month)s are closed: nothing dated in that month can be added or changed.")
                % {"month": on.strftime("%m/%Y")},
                code="closed_month",
            )


class DuesPayment(models.Model):
    """A member's dues for a month marked paid, with the receipt that took the money in.

    A payment whose receipt has been reversed no longer counts (the line is owed again)."""

    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        PAYROLL = "payroll", _("Payroll deduction")

    organization = models.ForeignKey(
        Organization, verbose_name=_("union"), on_delete=models.PROTECT, related_name="dues_payments"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="dues_payments"
    )
    month = models.DateField(_("month"), help_text=_("Its first day."))
    basis = models.PositiveBigIntegerField(_("salary basis (đồng)"))
    rate = models.CharField(_("rate"), max_length=20)
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    method = models.CharField(_("paid by"), max_length=10, choices=Method.choices)
    entry = models.ForeignKey(
        Transaction, verbose_name=_("receipt"), on_delete=models.PROTECT, related_name="dues_payments"
    )
    created_at = models.DateTimeField(_("marked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["organization", "month", "member"]
        indexes = [models.Index(fields=["organization", "month"], name="finance_duespayment_org_month")]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%m/%Y}: {self.amount}"


class BudgetLine(models.Model):
    """The yearly estimate (dự toán) of one budget line in one ledger; the actual comes from the entries."""

    ledger = models.ForeignKey(
        Ledger, verbose_name=_("ledger"), on_delete=models.CASCADE, related_name="budget"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("budget line"), max_length=20, choices=Category.choices)
    amount = models.PositiveBigIntegerField(_("estimate (đồng)"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["ledger", "year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["ledger", "year", "category"], name="finance_budgetline_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.ledger} {self.year} {self.get_category_display()}: {self.amount}"
