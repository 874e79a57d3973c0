"""The upper union's reporting calendar: one form per frequency, all three saved together."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from targets.models import ReportingRule
from targets.periods import KINDS
from targets.reminders import MAX_DAYS_BEFORE, days_before

MAX_OVERDUE_EVERY = 90
MAX_OVERDUE_FOR = 365
MAX_REMINDERS_BEFORE = 10
FIELDS = ["enabled", "month_offset", "day", "days_before", "on_the_day", "overdue_every", "overdue_for"]


def month_choices(frequency: str) -> list[tuple[int, str]]:
    """From the period's first month to three months after it, counted from its last month."""
    named = {
        0: _("the last month of the period"),
        1: _("the month after the period"),
        2: _("the second month after the period"),
        3: _("the third month after the period"),
    }
    choices = []
    for offset in range(1 - KINDS[frequency], 4):
        if offset in named:
            label = named[offset]
        else:
            label = ngettext(
                "%(count)s month before the last month of the period",
                "%(count)s months before the last month of the period",
                -offset,
            ) % {"count": -offset}
        choices.append((offset, label))
    return choices


def _whole(message) -> dict:
    return {"invalid": message, "min_value": message, "max_value": message, "required": message}


class RuleForm(forms.Form):
    """One frequency's rule (`ReportingRule`): the deadline, and when the reminders go."""

    enabled = forms.BooleanField(label=_("Reports required"), required=False)
    month_offset = forms.TypedChoiceField(label=_("Month of the deadline"), coerce=int)
    day = forms.IntegerField(
        label=_("Day of the month"),
        min_value=1,
        max_value=31,
        error_messages=_whole(_("Write the day as a whole number from 1 to 31.")),
        help_text=_("In a shorter month, its last day."),
    )
    days_before = forms.CharField(
        label=_("Reminders before the deadline (days)"),
        required=False,
        max_length=100,
        help_text=_("Whole numbers from 1 to 60, separated by commas, e.g. 7, 1. Empty: none."),
    )
    on_the_day = forms.BooleanField(label=_("Reminder on the deadline"), required=False)
    overdue_every = forms.IntegerField(
        label=_("When late, remind every (days)"),
        min_value=0,
        max_value=MAX_OVERDUE_EVERY,
        error_messages=_whole(_("Write a whole number of days from 0 to 90.")),
        help_text=_("0: no reminders after the deadline."),
    )
    overdue_for = forms.IntegerField(
        label=_("for (days after the deadline)"),
        min_value=0,
        max_value=MAX_OVERDUE_FOR,
        error_messages=_whole(_("Write a whole number of days from 0 to 365.")),
    )

    def __init__(self, *args, frequency: str, rule: ReportingRule, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "enabled": rule.enabled, "month_offset": rule.month_offset, "day": rule.day,
                "days_before": ", ".join(str(n) for n in days_before(rule)), "on_the_day": rule.on_the_day,
                "overdue_every": rule.overdue_every, "overdue_for": rule.overdue_for,
            },
        )  # fmt: skip
        super().__init__(*args, prefix=frequency, **kwargs)
        self.frequency = frequency
        self.title = ReportingRule.Frequency(frequency).label
        self.fields["month_offset"].choices = month_choices(frequency)
        self.fields["month_offset"].error_messages["invalid_choice"] = _("Choose the month from the list.")
        self.fields["days_before"].widget.attrs["placeholder"] = "7, 1"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's one form carries the token
        self.helper.layout = Layout(
            Field("enabled"),
            Row(Column("month_offset", css_class="col-md-8"), Column("day", css_class="col-md-4")),
            Row(
                Column("days_before", css_class="col-md-8"),
                Column("on_the_day", css_class="col-md-4 pt-md-4"),
            ),
            Row(Column("overdue_every", css_class="col-md-6"), Column("overdue_for", css_class="col-md-6")),
        )

    def clean_days_before(self) -> list[int]:
        text = self.cleaned_data["days_before"].strip()
        values = []
        for part in re.split(r"[,;\s]+", text) if text else []:
            if not re.fullmatch(r"\d{1,3}", part) or not 1 <= int(part) <= MAX_DAYS_BEFORE:
                raise forms.ValidationError(
                    _("“%(value)s” is not a number of days: write whole numbers from 1 to 60, e.g. 7, 1."),
                    code="invalid",
                    params={"value": part},
                )
            values.append(int(part))
        values = sorted(set(values), reverse=True)
        if len(values) > MAX_REMINDERS_BEFORE:
            raise forms.ValidationError(
                _("At most %(count)s reminders before the deadline."),
                code="too_many",
                params={"count": MAX_REMINDERS_BEFORE},
            )
        return values

    def clean(self):
        cleaned = super().clean()
        every, until = cleaned.get("overdue_every"), cleaned.get("overdue_for")
        if every and until is not None and until < every:
            self.add_error(
                "overdue_for",
                _("Remind for at least %(every)s days, or set the reminders when late to 0.")
                % {"every": every},
            )
        return cleaned

    def rule_values(self) -> dict:
        """The cleaned values as `ReportingRule` fields."""
        return {name: self.cleaned_data[name] for name in FIELDS}
