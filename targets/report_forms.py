"""The report editor's forms: the report's own fields, one form per entry (target) and per area.

Each field posts back the value the page loaded (a hidden `initial-…` input), so a save carries only what
this user changed. After a stale save (409) the forms are rebuilt on the current report with this user's
changes on top (`ReportEditor.rebased`): saving again applies those changes, and nobody else's is undone.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from targets.models import GRADES, Report, ReportArea, ReportEntry, Target
from targets.report_rendering import number
from targets.report_services import REPORT_FIELDS, counts_itself, validate_evidence

_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")  # 1.500 or 1.234.567,5: dots group thousands
LIMIT = Decimal("1e14")


def clean_text(value: str) -> str:
    """NFC, Unix line ends, no trailing spaces: what every stored text looks like."""
    value = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in value.split("\n")).strip()


class ReachedField(forms.CharField):
    """A value reached, typed the Vietnamese way: `12`, `55,5`, `1.500`, `100%`, `2.000.000 đ`."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        text = "".join(str(value).split()).rstrip("%đ")
        text = text.replace(".", "").replace(",", ".") if _GROUPED.match(text) else text.replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(
                _("“%(value)s” is not a number. Write digits, e.g. 12 or 55,5."),
                code="invalid",
                params={"value": value},
            ) from None
        if not amount.is_finite() or amount >= LIMIT:
            raise forms.ValidationError(_("This number is too large."), code="too_large")
        if amount < 0:
            raise forms.ValidationError(_("The value reached cannot be negative."), code="negative")
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Write at most two digits after the comma."), code="decimals")
        return amount.quantize(Decimal("0.01"))

    def prepare_value(self, value):
        return number(value) if isinstance(value, Decimal | int) else value


class LoadedMixin:
    """Every field but files posts back the value the page loaded; `changes()` is what the user changed."""

    def __init__(self, *args, loaded: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.loaded = loaded  # name → value shown as loaded (after a conflict: the current values)

    def loaded_value(self, name: str) -> str:
        if self.loaded is not None:
            return self.loaded.get(name, "")
        if self.is_bound:
            return self.data.get(self.add_initial_prefix(name), "")
        value = self.fields[name].prepare_value(self.get_initial_for_field(self.fields[name], name))
        return "" if value is None else str(value)

    def loaded_inputs(self):
        """The hidden inputs carrying the loaded values (render once per form)."""
        names = [name for name, field in self.fields.items() if not isinstance(field, forms.FileField)]
        return format_html_join(
            "",
            '<input type="hidden" name="{}" value="{}">',
            ((self.add_initial_prefix(name), self.loaded_value(name)) for name in names),
        )

    def changes(self) -> dict:
        """{name: cleaned value} of the fields whose value differs from what the page loaded."""
        changed = {}
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if isinstance(field, forms.FileField):
                if value:
                    changed[name] = value
                continue
            raw = self.data.get(self.add_initial_prefix(name))
            if raw is None:  # no loaded value posted back: take the field as changed
                changed[name] = value
                continue
            try:
                loaded = field.to_python(raw)
            except forms.ValidationError:
                changed[name] = value
                continue
            if isinstance(loaded, str):
                loaded = clean_text(loaded)
            if loaded != value and not (loaded in ("", None) and value in ("", None)):
                changed[name] = value
        return changed

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = clean_text(value)
        return cleaned


class ReportForm(LoadedMixin, forms.ModelForm):
    class Meta:
        model = Report
        fields = list(REPORT_FIELDS)
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "difficulties": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "title": _("Report title (summary)"),
            "summary": _("General situation"),
            "difficulties": _("Difficulties and proposals"),
            "next_steps": _("Tasks for the next period"),
        }
        help_texts = {
            "summary": _(
                "Paragraphs on their own lines; “- ” and “+ ” start bullet lines; *italic*, **bold**."
            ),
        }

    def __init__(self, *args, instance: Report, **kwargs):
        # a copy: typed values must not show as saved on the page around the form
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
        self.fields["title"].required = True


YES_NO = [("", "—"), ("1", _("Carried out")), ("0", _("Not carried out"))]


class EntryForm(LoadedMixin, forms.Form):
    reached = ReachedField(label=_("Reached so far"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def __init__(self, *args, entry: ReportEntry, **kwargs):
        kwargs.setdefault("prefix", f"entry-{entry.pk}")
        kwargs.setdefault("initial", {"reached": entry.reached, "note": entry.note})
        super().__init__(*args, **kwargs)
        self.entry = entry
        kind = entry.target.kind
        reached = self.fields["reached"]
        if kind == Target.Kind.YES_NO:
            reached.widget = forms.Select(choices=YES_NO)
        elif kind == Target.Kind.GRADE:
            reached.widget = forms.Select(choices=[("", "—"), *((str(k), v) for k, v in GRADES.items())])
        else:
            reached.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": 40})
        reached.widget.attrs["class"] = (
            "form-select" if kind in (Target.Kind.YES_NO, Target.Kind.GRADE) else "form-control"
        )
        if counts_itself(entry.target):  # the roll gives it (`report_services`): shown, never taken
            reached.disabled = True
        self.fields["note"].widget.attrs["class"] = "form-control"
        self.fields["evidence"].widget.attrs.update(
            {"class": "form-control form-control-sm", "accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}
        )

    def clean_reached(self):
        """A yes/no or a grade is one of its choices, whatever is posted."""
        value = self.cleaned_data.get("reached")
        kind = self.entry.target.kind
        if value is not None and kind == Target.Kind.YES_NO and value not in (0, 1):
            raise forms.ValidationError(_("Choose done or not done."), code="choice")
        if value is not None and kind == Target.Kind.GRADE and value not in GRADES:
            raise forms.ValidationError(_("Choose one of the four grades."), code="choice")
        return value

    def clean_evidence(self):
        file = self.cleaned_data.get("evidence")
        if file:
            validate_evidence(file)
        return file


class AreaForm(LoadedMixin, forms.Form):
    body = forms.CharField(label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, area: ReportArea, **kwargs):
        kwargs.setdefault("prefix", f"area-{area.pk}")
        kwargs.setdefault("initial", {"body": area.body})
        super().__init__(*args, **kwargs)
        self.area = area
        self.fields["body"].widget.attrs["class"] = "form-control"


class ReportEditor:
    """The whole page's forms, validated and saved together."""

    def __init__(self, report, entries, areas, data=None, files=None, loaded=None):
        loaded = loaded or {}
        self.report_form = ReportForm(data, instance=report, loaded=loaded.get("report"))
        self.entry_forms = [
            EntryForm(data, files, entry=entry, loaded=loaded.get(f"entry-{entry.pk}")) for entry in entries
        ]
        self.area_forms = [AreaForm(data, area=area, loaded=loaded.get(f"area-{area.pk}")) for area in areas]

    @property
    def forms(self):
        return [self.report_form, *self.entry_forms, *self.area_forms]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms])  # every form, so that every error shows

    def changes(self) -> tuple[dict, dict, dict]:
        entries = {form.entry.pk: c for form in self.entry_forms if (c := form.changes())}
        areas = {form.area.pk: c for form in self.area_forms if (c := form.changes())}
        return self.report_form.changes(), entries, areas

    @classmethod
    def rebased(cls, posted: ReportEditor, report, entries, areas) -> ReportEditor:
        """After a stale save: the current values, with what this user changed on top of them."""
        fresh = cls(report, entries, areas)
        data, loaded = {}, {}
        for old, new in zip(posted.forms, fresh.forms, strict=True):
            changed = old.changes() if old.is_valid() else {}
            current = {}
            for name, field in new.fields.items():
                if isinstance(field, forms.FileField):
                    continue
                current[name] = new.loaded_value(name)
                key = new.add_prefix(name)
                data[key] = old.data.get(key, "") if name in changed else current[name]
            loaded[getattr(new, "prefix", None) or "report"] = current
        return cls(report, entries, areas, data=data, loaded=loaded)
