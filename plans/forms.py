import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from plans import services
from plans.models import Plan, Section


class DayField(forms.DateField):
    """A date typed as dd/mm/yyyy; an impossible day (30/02/2023) gets a message that says so."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget = forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric"}
        )

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("“%(value)s” is not a date that exists. Write day/month/year, e.g. 05/03/2025."),
                code="invalid",
                params={"value": value},
            ) from None


def _clean_text(value: str) -> str:
    """NFC, Unix line ends, no trailing spaces: what every stored text looks like."""
    value = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in value.split("\n")).strip()


class LoadedValuesMixin:
    """Each field carries the value the editor loaded (a hidden `initial-…` input): `changed_data` is then
    what this user changed, and only that is saved, so a concurrent edit of another field survives."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.show_hidden_initial = True

    def loaded_values(self) -> dict:
        """The values this user's editor loaded, as posted back (to re-render a refused save)."""
        values = {}
        for name, field in self.fields.items():
            widget = field.hidden_widget()
            values[name] = widget.value_from_datadict(self.data, self.files, self.add_initial_prefix(name))
        return values


class NormalizedTextMixin:
    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = _clean_text(value)
        return cleaned


class PeriodMixin:
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return cleaned


class PlanCreateForm(PeriodMixin, NormalizedTextMixin, forms.ModelForm):
    START_CHOICES = [
        (
            "skeleton",
            _("From the standard outline (I. Purpose — II. Targets — III. Tasks — IV. Organisation)"),
        ),
        ("blank", _("Blank")),
        ("copy", _("Copy an earlier plan, moving its period forward")),
    ]
    start = forms.ChoiceField(
        label=_("Start"), choices=START_CHOICES, initial="skeleton", widget=forms.RadioSelect
    )
    source = forms.ModelChoiceField(label=_("Plan to copy"), queryset=Plan.objects.none(), required=False)
    period_start = DayField(label=_("Period start"), required=False)
    period_end = DayField(label=_("Period end"), required=False)

    class Meta:
        model = Plan
        fields = ["start", "source", "kind", "title", "period_start", "period_end", "period_label"]

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = self.instance.organization = organization
        self.fields["source"].queryset = organization.plans.order_by("-period_start", "-pk")
        self.fields["source"].label_from_instance = lambda plan: (
            f"{plan.title} ({plan.reference if plan.number else plan.period_label or plan.dated_on.year})"
        )
        self.fields["title"].widget = forms.TextInput()
        for name in ("kind", "title"):  # required unless copying (checked in clean)
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") == "copy":
            if not cleaned.get("source"):
                self.add_error("source", _("Choose the plan to copy."))
            return cleaned
        for name in ("kind", "title", "period_start", "period_end"):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, _("This field is required."))
        return cleaned

    def _post_clean(self):
        if self.cleaned_data.get("start") != "copy":
            super()._post_clean()


class PlanHeaderForm(LoadedValuesMixin, PeriodMixin, NormalizedTextMixin, forms.ModelForm):
    """Everything of a plan except its sections."""

    period_start = DayField(label=_("Period start"))
    period_end = DayField(label=_("Period end"))
    dated_on = DayField(label=_("Date of the document"))

    class Meta:
        model = Plan
        fields = [
            "kind", "title", "period_start", "period_end", "period_label", "number", "dated_on", "place",
            "governing_body_line", "issuer_line", "legal_bases", "preamble", "closing", "numbering",
            "signature_authority", "signature_title", "signer_name", "recipients",
        ]  # fmt: skip
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "legal_bases": forms.Textarea(attrs={"rows": 4}),
            "preamble": forms.Textarea(attrs={"rows": 3}),
            "closing": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].help_text = _("Leave blank to write it by hand after printing.")
        self.fields["numbering"].label = _("Section numbering")

    def clean_number(self):
        number = self.cleaned_data.get("number")
        return number or None

    def clean(self):
        cleaned = super().clean()
        number, dated_on = cleaned.get("number"), cleaned.get("dated_on")
        if number and dated_on:
            plan = self.instance
            taken = Plan.objects.filter(
                organization=plan.organization, dated_on__year=dated_on.year, number=number
            ).exclude(pk=plan.pk)
            if taken.exists():
                suggestion = services.next_free_number(plan.organization, dated_on.year, exclude_pk=plan.pk)
                self.add_error(
                    "number",
                    forms.ValidationError(
                        _(
                            "Number %(number)s/KH is already used in %(year)s. "
                            "The next free number is %(next)s."
                        ),
                        code="unique_reference",
                        params={"number": number, "year": dated_on.year, "next": suggestion},
                    ),
                )
        return cleaned

    def validate_constraints(self):
        # the reference check above says it better (with the next free number)
        if "number" not in self.errors:
            super().validate_constraints()


class SectionForm(LoadedValuesMixin, NormalizedTextMixin, forms.ModelForm):
    class Meta:
        model = Section
        fields = ["heading", "body", "timeline", "responsible"]
        widgets = {
            "heading": forms.TextInput(),
            "body": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "body": _("Paragraphs on their own lines; “- ” and “+ ” start bullet lines; *italic*, **bold**."),
        }

    def clean_heading(self):
        # numbers are computed from the tree: a typed "1." or "II." at the start would print twice
        return (
            TYPED_NUMBER.sub("", " ".join(self.cleaned_data["heading"].split()))
            or self.cleaned_data["heading"]
        )


TYPED_NUMBER = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s+")


def parse_id(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None
