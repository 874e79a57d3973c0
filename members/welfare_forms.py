"""Forms of the welfare pages: a line of the spending rules, a record, its cancellation, the list's filters
and a gift campaign. Dates are typed dd/mm/yyyy; the rules that need the roll are the services' to judge.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import FamilyMember, GiftCampaign, Member, Occasion, Organization, SpendingRule
from plans.forms import DayField

AMOUNT_WIDGET = forms.NumberInput(attrs={"min": 1, "step": 1000, "inputmode": "numeric"})


def _one_line(value: str) -> str:
    return " ".join((value or "").split())


MAX_AMOUNT = 10**12  # a thousand million đồng for one visit or gift: anything above is a typing error


class SpendingRuleForm(forms.ModelForm):
    class Meta:
        model = SpendingRule
        fields = ["occasion", "amount", "effective_from", "decision", "note"]
        field_classes = {"effective_from": DayField}
        widgets = {"amount": AMOUNT_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].help_text = _("Whole đồng, e.g. 500000.")
        self.fields["amount"].max_value = MAX_AMOUNT
        self.fields["amount"].validators.append(MaxValueValidator(MAX_AMOUNT))
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Add to the rules")))

    def clean_decision(self):
        return _one_line(self.cleaned_data["decision"])

    def clean_note(self):
        return _one_line(self.cleaned_data["note"])

    def validate_unique(self):
        """Left to the service, which says it in words (same occasion and date)."""


class RecordForm(forms.Form):
    """A new record (member chosen from the union's active members) or the correction of one (`record`
    given: its member stays, and the form carries the version it loaded)."""

    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    occasion = forms.ChoiceField(label=_("Occasion"), choices=[("", "—"), *Occasion.choices])
    on = DayField(label=_("Date"))
    family_member = forms.ModelChoiceField(
        label=_("Family member"),
        queryset=FamilyMember.objects.none(),
        required=False,
        help_text=_("The child for 1/6, Mid-Autumn and study rewards; the relative for a bereavement."),
    )
    amount = forms.IntegerField(
        label=_("Amount (đồng)"), min_value=1, max_value=MAX_AMOUNT, required=False, widget=AMOUNT_WIDGET,
        help_text=_("Left empty: the amount of the union's rules in force on that date."),
    )  # fmt: skip
    visited_by = forms.CharField(label=_("Visited or given by"), max_length=255, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organization: Organization, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization, self.record = organization, record
        if record is not None:
            del self.fields["member"]
            member = record.member
        else:
            self.fields["member"].queryset = organization.members.filter(
                status=Member.Status.ACTIVE
            ).order_by("sort_name", "pk")
            member = self._chosen_member()
        self.chosen_member = member
        if member is not None:
            family = member.family.all()
            source = self.data if self.is_bound else self.initial
            if source.get("occasion") in Occasion.for_children():
                family = family.filter(relation=FamilyMember.Relation.CHILD)
            self.fields["family_member"].queryset = family

    def _chosen_member(self) -> Member | None:
        raw = self.data.get("member") if self.is_bound else self.initial.get("member")
        if isinstance(raw, Member):
            return raw if raw.organization_id == self.organization.pk else None
        try:
            return self.fields["member"].queryset.get(pk=int(raw))
        except (TypeError, ValueError, Member.DoesNotExist):
            return None

    def clean_visited_by(self):
        return _one_line(self.cleaned_data["visited_by"])

    def clean_note(self):
        return (self.cleaned_data["note"] or "").strip()

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), max_length=255,
        error_messages={"required": _("Write why the record is cancelled.")},
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("cancel", _("Cancel the record"), css_class="btn-danger"))

    def clean_reason(self):
        reason = _one_line(self.cleaned_data["reason"])
        if not reason:
            raise forms.ValidationError(_("Write why the record is cancelled."))
        return reason


class RecordFilter(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    month = forms.TypedChoiceField(
        label=_("Month"), required=False, coerce=int, empty_value=None,
        choices=[("", "—")] + [(m, str(m)) for m in range(1, 13)],
    )  # fmt: skip
    occasion = forms.ChoiceField(label=_("Occasion"), required=False, choices=[("", "—"), *Occasion.choices])
    q = forms.CharField(label=_("Member's name"), required=False, max_length=100)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]

    def apply(self, records):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("year"):
            records = records.filter(year=data["year"])
        if data.get("month"):
            records = records.filter(on__month=data["month"])
        if data.get("occasion"):
            records = records.filter(occasion=data["occasion"])
        if data.get("q"):
            records = records.filter(member__full_name__icontains=_one_line(data["q"]))
        return records


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("E.g. Quà 1/6 năm 2026."))
    occasion = forms.ChoiceField(label=_("Occasion"), choices=[("", "—"), *Occasion.choices])
    on = DayField(label=_("Date given"))
    recipients = forms.ChoiceField(
        label=pgettext_lazy("gift campaign", "Recipients"),
        choices=GiftCampaign.Recipients.choices,
        widget=forms.RadioSelect,
    )
    max_child_age = forms.IntegerField(
        label=_("Children up to the age of"), required=False, min_value=0, max_value=25,
        help_text=_("Age on the date given, e.g. 15 for 1/6 gifts. For children only."),
    )  # fmt: skip
    amount = forms.IntegerField(
        label=_("Amount per recipient (đồng)"), min_value=1, max_value=MAX_AMOUNT, required=False,
        widget=AMOUNT_WIDGET,
        help_text=_("Left empty: the amount of the union's rules in force on that date."),
    )  # fmt: skip

    def clean_title(self):
        title = _one_line(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(_("Give the campaign a title."))
        return title

    def clean(self):
        cleaned = super().clean()
        children = cleaned.get("recipients") == GiftCampaign.Recipients.CHILDREN
        if not children:
            cleaned["max_child_age"] = None
        return cleaned
