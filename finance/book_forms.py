"""Forms of the books: amounts typed the Vietnamese way, entries, reversals, funds, months and periods.

An amount is whole đồng: `1.500.000`, `1 500 000` and `1500000` are the same; a decimal, a sign or a letter is
refused with a message, never rounded.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from finance.models import Category, DuesExemption, DuesPayment, Ledger, Transaction
from members.models import Member, Occasion, Organization
from targets.periods import Period
from targets.report_services import evidence_kind, file_size

MAX_AMOUNT = 10**15  # a thousand billion đồng: anything above is a typing error
_GROUPED = re.compile(r"^\d{1,3}(?:[.\s]\d{3})+$")
_MONTH = re.compile(r"^(?:(?P<year>\d{4})-(?P<month>\d{1,2})|(?P<month2>\d{1,2})/(?P<year2>\d{4}))$")
ATTACHMENT_TYPES = {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}
DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


def parse_amount(text: str) -> int:
    """`1.500.000` → 1500000. Raises ValidationError (Vietnamese) for decimals, signs and other text."""
    value = (text or "").strip().replace("\u00a0", " ").removesuffix("đ").removesuffix("đồng").strip()
    if not value:
        raise forms.ValidationError(_("Type the amount."), code="required")
    if value.startswith("-"):
        raise forms.ValidationError(_("The amount must be more than 0."), code="negative")
    if "," in value or re.fullmatch(r"\d+\.\d{1,2}", value):
        raise forms.ValidationError(
            _("Amounts are whole đồng: type them without decimals, e.g. 1.500.000."), code="decimal"
        )
    if value.isdigit():
        amount = int(value)
    elif _GROUPED.match(value):
        amount = int(re.sub(r"[.\s]", "", value))
    else:
        raise forms.ValidationError(_("Type the amount in đồng, e.g. 1.500.000."), code="invalid")
    if amount <= 0:
        raise forms.ValidationError(_("The amount must be more than 0."), code="negative")
    if amount >= MAX_AMOUNT:
        raise forms.ValidationError(_("This amount is too large."), code="too_large")
    return amount


class AmountField(forms.Field):
    """Whole đồng, typed with or without dots between thousands."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "1.500.000"})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_amount(str(value)[:40])


def parse_month(text: str) -> datetime.date:
    """`2026-03` (what a month input sends) or `03/2026` → the month's first day. Raises ValueError."""
    match = _MONTH.match((text or "").strip())
    if not match:
        raise ValueError(text)
    year = int(match["year"] or match["year2"])
    month = int(match["month"] or match["month2"])
    if not 1990 <= year <= 2100:
        raise ValueError(text)
    return datetime.date(year, month, 1)


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month"})

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, datetime.date) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_month(value)
        except ValueError:
            raise forms.ValidationError(_("Choose a month (e.g. 2026-03)."), code="invalid") from None


def validate_attachment(file) -> None:
    """An original document: a PDF, JPEG or PNG by its content, at most FINANCE_ATTACHMENT_MAX_BYTES."""
    limit = settings.FINANCE_ATTACHMENT_MAX_BYTES
    name = PurePath(file.name or "").name
    if file.size > limit:
        raise forms.ValidationError(
            _("The file “%(name)s” is %(size)s; an attachment may be at most %(limit)s.")
            % {"name": name, "size": file_size(file.size), "limit": file_size(limit)},
            code="too_large",
        )
    expected = ATTACHMENT_TYPES.get(PurePath(name).suffix.lower())
    if expected is None or evidence_kind(file) != expected:
        raise forms.ValidationError(
            _("The file “%(name)s” is not a PDF, JPG or PNG file, or its content does not match its name.")
            % {"name": name},
            code="file_type",
        )


class EntryForm(forms.Form):
    """A receipt or a payment: the budget lines offered are those of its direction."""

    on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    category = forms.ChoiceField(label=_("Budget line"))
    amount = AmountField(label=_("Amount (đồng)"))
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none(), required=False)
    counterparty = forms.CharField(label=_("Payer or payee"), max_length=200, required=False)
    description = forms.CharField(label=_("Reason"), max_length=500)
    attachment = forms.FileField(label=_("Original document (PDF, JPG, PNG)"), required=False)

    def __init__(self, *args, organization: Organization, direction: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.direction = direction
        lines = Category.income() if direction == Transaction.Direction.INCOME else Category.expense()
        self.fields["category"].choices = [(value, Category(value).label) for value in lines]
        self.fields["member"].queryset = organization.members.order_by("full_name", "pk")
        self.fields["member"].empty_label = _("— not a member —")
        if direction == Transaction.Direction.INCOME:
            self.fields["counterparty"].label = _("Payer (when not a member)")
        else:
            self.fields["counterparty"].label = _("Payee (when not a member)")

    def clean_attachment(self):
        file = self.cleaned_data.get("attachment")
        if file:
            validate_attachment(file)
        return file

    def clean(self):
        data = super().clean()
        if not data.get("member") and not (data.get("counterparty") or "").strip():
            if "counterparty" not in self.errors:
                self.add_error("counterparty", _("Choose a member or type the name of the payer or payee."))
        return data


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the reversal"), max_length=300)
    on = forms.DateField(
        label=_("Date of the reversal"), widget=DATE_INPUT, required=False,
        help_text=_("Empty: today. It must be in an open month."),
    )  # fmt: skip


class FundForm(forms.ModelForm):
    welfare_occasions = forms.MultipleChoiceField(
        label=_("Welfare this fund pays"), choices=Occasion.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Records of these occasions are paid from this fund, the others from the union's books."),
    )  # fmt: skip

    class Meta:
        model = Ledger
        fields = ["name", "opened_on", "welfare_occasions"]
        widgets = {"opened_on": DATE_INPUT}

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["opened_on"].input_formats = ["%d/%m/%Y"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if Ledger.objects.filter(organization=self.organization, name__iexact=name).exists():
            raise forms.ValidationError(_("This union already has a ledger with that name."))
        return name

    def clean_welfare_occasions(self):
        chosen = self.cleaned_data["welfare_occasions"]
        taken = {
            occasion: fund.name
            for fund in self.organization.ledgers.filter(kind=Ledger.Kind.FUND, closed_on__isnull=True)
            for occasion in fund.welfare_occasions or []
        }
        clash = [f"{Occasion(o).label} ({taken[o]})" for o in chosen if o in taken]
        if clash:
            raise forms.ValidationError(
                _("Another fund already pays these: %(occasions)s.") % {"occasions": ", ".join(clash)}
            )
        return chosen


class MonthForm(forms.Form):
    month = MonthField(label=_("Month"))


class IdListField(forms.Field):
    """Ticked rows: a list of ids (the view looks them up inside its own union)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        try:
            return [int(v) for v in value]
        except (TypeError, ValueError):
            raise forms.ValidationError(
                _("Tick the lines to mark paid, or mark every unpaid line.")
            ) from None


class DuesMarkForm(forms.Form):
    month = MonthField(label=_("Month"))
    method = forms.ChoiceField(label=_("Paid by"), choices=DuesPayment.Method.choices)
    members = IdListField(required=False)
    all = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if not data.get("all") and not data.get("members") and "members" not in self.errors:
            raise forms.ValidationError(_("Tick the lines to mark paid, or mark every unpaid line."))
        return data


class TypedMonthField(forms.CharField):
    """A month typed as mm/yyyy (03/2026; 2026-03 is understood too) → its first day."""

    def __init__(self, **kwargs):
        attrs = {"placeholder": "mm/yyyy", "inputmode": "numeric", "size": 8, "maxlength": 10}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.strftime("%m/%Y") if isinstance(value, datetime.date) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_month(value)
        except ValueError:
            raise forms.ValidationError(
                _("Type the month as mm/yyyy, e.g. 03/2026."), code="invalid"
            ) from None


class ExemptionForm(forms.Form):
    """Months a member of the union's roll owes no dues (finance.collection.exemption_add checks the rest)."""

    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    start = TypedMonthField(label=_("First month"))
    end = TypedMonthField(label=_("Last month"), help_text=_("The same as the first for a single month."))
    reason = forms.ChoiceField(label=_("Reason"), choices=DuesExemption.Reason.choices)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = organization.members.only("organization", "full_name").order_by(
            "full_name", "pk"
        )
        self.fields["member"].empty_label = _("— choose a member —")
        self.fields["member"].error_messages["invalid_choice"] = _("Choose a member of this union's roll.")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last month must not be before the first month."))
        return data


class RemittanceForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    amount = AmountField(label=_("Amount (đồng)"))
    description = forms.CharField(label=_("Reason"), max_length=500)
    attachment = forms.FileField(label=_("Original document (PDF, JPG, PNG)"), required=False)

    def clean_attachment(self):
        file = self.cleaned_data.get("attachment")
        if file:
            validate_attachment(file)
        return file


# ------------------------------------------------------------------------------------------ cash book periods


@dataclass(frozen=True)
class Span:
    kind: str  # month, quarter, year, custom
    start: datetime.date
    end: datetime.date
    label: str


PERIOD_KINDS = [
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("year", _("Year")),
    ("custom", _("From … to …")),
]


class PeriodForm(forms.Form):
    """What span of the cash book to show: a month, a quarter, a year or two dates; by default this month."""

    kind = forms.ChoiceField(label=pgettext_lazy("cash book", "Period"), choices=PERIOD_KINDS, required=False)
    month = MonthField(label=_("Month"), required=False)
    quarter = forms.ChoiceField(
        label=_("Quarter"), required=False, choices=[("1", "I"), ("2", "II"), ("3", "III"), ("4", "IV")]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    start = forms.DateField(label=pgettext_lazy("date range", "From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=pgettext_lazy("date range", "To"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field, forms.ChoiceField)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def span(self, today: datetime.date) -> Span:
        """The span asked for; what is missing or invalid falls back to today's month, quarter or year."""
        data = self.cleaned_data if self.is_valid() else {}
        kind = data.get("kind") or "month"
        year = data.get("year") or today.year
        if kind == "quarter":
            period = Period(year, "Q", int(data.get("quarter") or (today.month - 1) // 3 + 1))
            return Span(kind, period.start, period.end, period.short_label)
        if kind == "year":
            return Span(kind, datetime.date(year, 1, 1), datetime.date(year, 12, 31), f"Năm {year}")
        if kind == "custom" and data.get("start") and data.get("end") and data["start"] <= data["end"]:
            start, end = data["start"], data["end"]
            return Span(kind, start, end, f"{start:%d/%m/%Y} – {end:%d/%m/%Y}")
        if kind == "custom":
            if self.is_bound and not self.errors:
                self.add_error("end", _("Give two dates, the first not after the second."))
        first = data.get("month") or today.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return Span("month", first, last, f"Tháng {first:%m/%Y}")
