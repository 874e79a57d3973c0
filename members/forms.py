from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from members.models import Organization, UnionGroup


class OrganizationForm(forms.ModelForm):
    """What a union's own chair may keep up to date; the tree itself is changed by administrators."""

    class Meta:
        model = Organization
        fields = ["short_name", "symbol", "locality", "governing_body_line", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean_governing_body_line(self):
        return self.cleaned_data["governing_body_line"].strip()

    def clean_symbol(self):
        symbol = self.cleaned_data["symbol"].strip()
        if any(char in symbol for char in " /"):
            raise forms.ValidationError(_("A document symbol has no spaces or slashes, e.g. CĐMNTT."))
        return symbol


class UnionGroupForm(forms.ModelForm):
    class Meta:
        model = UnionGroup
        fields = ["name", "position"]

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Add group")))

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if UnionGroup.objects.filter(organization=self.instance.organization, name__iexact=name).exists():
            raise forms.ValidationError(_("This union already has a group with that name."))
        return name


class LoginForm(AuthenticationForm):
    """Django's login form with a plainer Vietnamese error and no autofocus (the skip link comes first)."""

    error_messages = {
        "invalid_login": _("The username or password is not correct. Both are case-sensitive."),
        "inactive": _("This account is disabled. Ask the system administrator."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)
