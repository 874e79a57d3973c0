"""Forms of a member's record: admission, details, family, status changes and transfers.

Dates are typed dd/mm/yyyy; an impossible day gets a message that says so. Rules that need the roll (a
change allowed from the current status, three months before re-admission) are the services' to judge.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import services
from members.models import FamilyMember, Member, MemberEvent, Organization


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


def _not_future(value, message):
    if value and value > timezone.localdate():
        raise forms.ValidationError(message)
    return value


class MemberDetailsForm(forms.ModelForm):
    """A member's personal details (never the status, which changes through its own form)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Member
        fields = list(services.DETAIL_FIELDS)
        field_classes = {"birth_date": DayField, "party_joined_on": DayField, "card_issued_on": DayField}
        widgets = {"insurance_salary": forms.NumberInput(attrs={"min": 0, "step": 1000})}

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union_group"].queryset = organization.union_groups.all()
        self.fields["citizen_id"].widget.attrs.update({"inputmode": "numeric", "maxlength": 12})
        self.fields["insurance_salary"].help_text = _("Whole đồng, used for the dues.")
        if self.instance.pk:
            self.fields["version"].initial = services.member_version(self.instance)

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Write the member's full name."))
        return name

    def clean_citizen_id(self):
        value = "".join(self.cleaned_data["citizen_id"].split())
        if value and (len(value) != 12 or not value.isdigit()):
            raise forms.ValidationError(_("A citizen ID has exactly 12 digits."))
        return value

    def clean_birth_date(self):
        return _not_future(self.cleaned_data["birth_date"], _("The date of birth cannot be in the future."))

    def clean_card_issued_on(self):
        return _not_future(self.cleaned_data["card_issued_on"], _("The card cannot be issued in the future."))

    def clean_party_joined_on(self):
        return _not_future(
            self.cleaned_data["party_joined_on"], _("The date of joining the Party cannot be in the future.")
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("party_joined_on") and not cleaned.get("party_member"):
            self.add_error(
                "party_joined_on", _("Tick “Party member” as well, or leave the date of joining empty.")
            )
        return cleaned

    def _post_clean(self):
        pass  # the services validate the row (the model's checks run there, inside the transaction)

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.DETAIL_FIELDS}


class MemberAdmitForm(MemberDetailsForm):
    """A new member: the details, and the admission that opens their history."""

    class Meta(MemberDetailsForm.Meta):
        fields = [*services.DETAIL_FIELDS, "admitted_on", "admission_decision"]
        field_classes = MemberDetailsForm.Meta.field_classes | {"admitted_on": DayField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        order = ["full_name", "birth_date", "sex", "ethnicity", "citizen_id", "phone", "email", "job"]
        self.order_fields(order)

    def clean_admitted_on(self):
        return _not_future(
            self.cleaned_data["admitted_on"],
            _("A change is recorded once it has happened: the date cannot be in the future."),
        )


class FamilyMemberForm(forms.ModelForm):
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = FamilyMember
        fields = ["relation", "full_name", "birth_date"]
        field_classes = {"birth_date": DayField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = services.family_version(self.instance)
        else:
            del self.fields["version"]

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Write the full name."))
        return name

    def clean_birth_date(self):
        return _not_future(self.cleaned_data["birth_date"], _("The date of birth cannot be in the future."))

    def _post_clean(self):
        pass  # saved through members.services

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class ChangeChoiceField(forms.ChoiceField):
    """Offers the changes allowed from the member's status, but lets any known change through to the service,
    whose message says why a stale or forged choice is refused."""

    def valid_value(self, value):
        return value in services.CHANGES


class StatusChangeForm(forms.Form):
    kind = ChangeChoiceField(label=_("Change"))
    on = DayField(label=_("Date"))
    decision = forms.CharField(label=_("Decision number"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = allowed_changes(member)


def allowed_changes(member: Member) -> list[tuple[str, str]]:
    """The changes the roll allows from the member's current status (services.CHANGES)."""
    return [
        (kind, MemberEvent.Kind(kind).label)
        for kind, (_to, allowed_from) in services.CHANGES.items()
        if member.status in allowed_from
    ]


class ReadmitForm(forms.Form):
    on = DayField(label=_("Re-admitted on"))
    decision = forms.CharField(label=_("Decision number"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class TransferForm(forms.Form):
    """The receiving union is picked from a search (radio buttons of at most `SEARCH_LIMIT` unions)."""

    to_organization = forms.ModelChoiceField(
        label=_("Receiving union"),
        queryset=Organization.objects.none(),
        error_messages={
            "required": _("Search for the receiving union and pick it."),
            "invalid_choice": _("Pick an open grassroots union other than this one."),
        },
    )
    on = DayField(label=_("Date of transfer"))
    decision = forms.CharField(label=_("Decision number"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organization"].queryset = receiving_unions(organization)


SEARCH_LIMIT = 20


def receiving_unions(organization: Organization):
    """Open grassroots unions a member of `organization` may be transferred to (names are not personal data,
    so every union may be found, in scope or not)."""
    return (
        Organization.objects.open_on(timezone.localdate())
        .filter(level=Organization.Level.GRASSROOTS)
        .exclude(pk=organization.pk)
        .select_related("parent")
        .order_by("name", "pk")
    )
