"""The upper union's reporting calendar: when its unions' reports are due, and when the reminders go."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members import access
from targets import reminders
from targets.calendar_forms import RuleForm


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request, org_pk):
    organization = access.get_organization_for(request.user, org_pk, action="set_calendar")
    rules = reminders.rules_for(organization)
    loaded = reminders.calendar_stamp(organization)
    data = request.POST if request.method == "POST" else None
    forms = [RuleForm(data, frequency=f, rule=rules[f]) for f in reminders.FREQUENCIES]
    status, stale = 200, None
    if request.method == "POST":
        if all([form.is_valid() for form in forms]):  # a list: every form shows its errors
            try:
                reminders.reporting_rules_set(
                    organization=organization,
                    by=request.user,
                    rules={form.frequency: form.rule_values() for form in forms},
                    loaded=request.POST.get("loaded", ""),
                )
            except ValidationError as error:
                stale, status = " ".join(error.messages), 409  # what was typed stays in the form
            else:
                messages.success(request, _("The reporting calendar was saved."))
                return redirect("targets:calendar", organization.pk)
        else:
            status = 422
    year = timezone.localdate().year
    context = {
        "organization": organization,
        "forms": forms,
        "loaded": loaded,
        "stale": stale,
        "year": year,
        "preview": reminders.year_preview(rules, year),
    }
    return render(request, "targets/calendar.html", context, status=status)
