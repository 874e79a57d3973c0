"""The target form of the plan editor: numbers written the Vietnamese way (`1.500`, `55,5`), dates dd/mm/yyyy,
and the upper union's targets this one may count towards."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from members import counting
from plans.forms import DayField, LoadedValuesMixin, NormalizedTextMixin
from targets import services
from targets.models import Target

_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")  # 1.500 or 15.000.000: dots group thousands
_PLAIN = re.compile(r"\d+(?:[.,]\d+)?")


def parse_number(text: str) -> Decimal:
    """`1.500` → 1500, `55,5` → 55.5, `1.500,5` → 1500.5, `1500` → 1500; ValueError when it is not a number.

    Vietnamese writing: `.` groups thousands, `,` is the decimal mark. A single `.` that does not group
    thousands (`55.5`) is read as a decimal mark, as people type it on an English keyboard."""
    text = "".join((text or "").split())
    whole, comma, fraction = text.partition(",")
    if comma and _GROUPED.fullmatch(whole) and fraction.isdigit():
        return Decimal(f"{whole.replace('.', '')}.{fraction}")
    if _GROUPED.fullmatch(text):
        return Decimal(text.replace(".", ""))
    if _PLAIN.fullmatch(text):
        return Decimal(text.replace(",", "."))
    raise ValueError(text)


def format_number(value) -> str:
    """1500 → `1.500`, 55.5 → `55,5`, 15000000 → `15.000.000` (no trailing zeros)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    sign = "-" if number < 0 else ""
    number = abs(number)
    whole = int(number)
    fraction = number - whole
    grouped = f"{whole:,}".replace(",", ".")
    if not fraction:
        return f"{sign}{grouped}"
    decimals = format(fraction.normalize(), "f").split(".")[1]
    return f"{sign}{grouped},{decimals}"


class NumberInput(forms.TextInput):
    """A text box showing a number the Vietnamese way (a number input would refuse `1.500`)."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int | float):
            return format_number(value)
        return super().format_value(value)


class HiddenNumberInput(forms.HiddenInput):
    def format_value(self, value):
        if isinstance(value, Decimal | int | float):
            return format_number(value)
        return super().format_value(value)


class NumberField(forms.DecimalField):
    widget = NumberInput
    hidden_widget = HiddenNumberInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {}  # no `step`/`min` attributes: the box is text

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_number(str(value))
        except (ValueError, InvalidOperation):
            raise forms.ValidationError(
                _("“%(value)s” is not a number. Write it like 1.500 or 55,5."),
                code="invalid",
                params={"value": value},
            ) from None


class CountsFromField(forms.BooleanField):
    """A tick box for `Target.counts_from`: ticked is "admissions", not ticked is ""."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxInput(check_test=lambda value: bool(value)))
        super().__init__(**kwargs)

    def to_python(self, value):
        return counting.ADMISSIONS if super().to_python(value) else ""


class TargetForm(LoadedValuesMixin, NormalizedTextMixin, forms.ModelForm):
    """One target. `plan` gives the choices of `contributes_to` (the upper union's targets in force)."""

    value = NumberField(label=_("Value"), required=False)
    value_max = NumberField(label=_("Upper value"), required=False, help_text=_("Only for “between”."))
    baseline = NumberField(label=_("Baseline"), required=False, help_text=_("Where the union starts from."))
    due_on = DayField(label=_("Due date"), required=False)
    due_quarter = forms.TypedChoiceField(
        label=_("Due quarter"),
        choices=[("", "—"), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    due_year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    counts_from = CountsFromField(
        label=_("Count from the member roll (new admissions)"),
        help_text=_(
            "Reports then take the number of members admitted or re-admitted on the union's roll since the "
            "plan began; members transferred in are not new members and are not counted. Count targets only."
        ),
    )

    class Meta:
        model = Target
        fields = [
            "text", "kind", "comparison", "value", "value_max", "unit", "per", "increase", "baseline",
            "responsible", "due_kind", "due_on", "due_quarter", "due_year", "contributes_to", "counts_from",
            "printed",
        ]  # fmt: skip
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "due_kind": forms.RadioSelect,
        }
        # labels of their own: the model's words (`kind`, `due`) are shared with plans and reports
        labels = {
            "text": _("Target as written"),
            "kind": _("Kind of target"),
            "comparison": _("Comparison"),
            "unit": _("Unit"),
            "per": _("Per"),
            "increase": _("Increase on the baseline"),
            "responsible": _("Responsible"),
            "due_kind": _("Due"),
            "contributes_to": _("Counts towards the upper union's target"),
            "printed": _("Printed on its own line"),
        }
        help_texts = {
            "per": _("e.g. năm in “01 đồng chí/năm”."),
            "increase": _("“tăng thêm 106 đoàn viên”: the value is what is added to the baseline."),
            "printed": _(
                "Off when the section's text already states it (a target accepted from a proposal)."
            ),
            "contributes_to": _("Targets of the upper union's plans in force for this plan's period."),
        }

    def __init__(self, *args, plan, section=None, **kwargs):
        instance = kwargs.get("instance")
        # ids unique on the editor page, where several sections may have a target form open
        where = (
            f"t{instance.pk}"
            if instance is not None and instance.pk
            else f"new{section.pk if section else ''}"
        )
        kwargs.setdefault("auto_id", f"id_{where}_%s")
        super().__init__(*args, **kwargs)
        self.plan = plan
        choices = self.fields["contributes_to"]
        choices.queryset = services.contribution_choices(plan)
        choices.label_from_instance = lambda target: f"{target.plan.reference} – {target.text[:120]}"
        choices.empty_label = _("— none —")
        self.fields["per"].widget.attrs["placeholder"] = _("e.g. năm")
        self.fields["unit"].widget.attrs["placeholder"] = _("e.g. đoàn viên, %, đồng")
        # only a grassroots union keeps a roll of its own to count from
        counted = plan.organization.is_grassroots
        if not counted:
            del self.fields["counts_from"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the editor sends the token in a header
        self.helper.layout = Layout(
            Field("text"),
            Row(Column("kind", css_class="col-md-4"), Column("comparison", css_class="col-md-4")),
            Row(
                Column("value", css_class="col-md-3"),
                Column("value_max", css_class="col-md-3"),
                Column("unit", css_class="col-md-3"),
                Column("per", css_class="col-md-3"),
            ),
            Row(Column("increase", css_class="col-md-6"), Column("baseline", css_class="col-md-6")),
            Field("responsible"),
            Field("due_kind"),
            Row(
                Column("due_on", css_class="col-md-4"),
                Column("due_quarter", css_class="col-md-4"),
                Column("due_year", css_class="col-md-4"),
            ),
            Field("contributes_to"),
            *([Field("counts_from")] if counted else []),
            Field("printed"),
        )

    def clean_text(self):
        text = " ".join(self.cleaned_data["text"].split())
        if not text:
            raise forms.ValidationError(_("Write the target as it should read."), code="required")
        return text

    def clean(self):
        cleaned = super().clean()
        for name, message in services.rule_errors(cleaned).items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def validate_constraints(self):
        # the rules above say it in words; the database constraints are the last guard (services)
        if not self.errors:
            super().validate_constraints()
