"""Importing a plan (paste or upload → review → draft) and the plan checks page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from members import access
from plans import checks
from plans.import_forms import ImportForm, ImportHeaderForm
from plans.importing import service
from plans.importing.parser import HEADER_FIELDS, parse
from plans.importing.source import SourceLine
from plans.models import PlanImport

ROLE_LABELS = {
    "governing_body": gettext_lazy("Governing body"),
    "issuer": gettext_lazy("Issuing organisation"),
    "reference": gettext_lazy("Reference"),
    "place_date": gettext_lazy("Place and date"),
    "motto": gettext_lazy("National motto"),
    "document_type": gettext_lazy("Document type"),
    "title": gettext_lazy("Summary"),
    "basis": gettext_lazy("Legal basis"),
    "preamble": gettext_lazy("Opening"),
    "heading": gettext_lazy("Heading"),
    "body": gettext_lazy("Text"),
    "closing": gettext_lazy("Closing"),
    "signature_authority": gettext_lazy("Authority line"),
    "signature_title": gettext_lazy("Signer's title"),
    "signer_name": gettext_lazy("Signer"),
    "recipients_title": gettext_lazy("Recipients"),
    "recipient": gettext_lazy("Recipients"),
    "decoration": gettext_lazy("Rule"),
    "header_other": gettext_lazy("Header"),
}


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request, org_pk):
    organization = access.get_organization_for(request.user, org_pk, action="draft_plans")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        plan_import = PlanImport.objects.create(
            organization=organization,
            created_by=request.user,
            filename=form.cleaned_data["filename"],
            lines=[line.as_dict() for line in form.cleaned_data["lines"]],
        )
        return redirect("plans:import_review", plan_import.pk)
    return render(request, "plans/import.html", {"form": form, "organization": organization})


def _header_initial(parsed) -> dict:
    return {name: getattr(parsed, name) for name in HEADER_FIELDS}


def _line_corrections(post, count: int) -> dict:
    """`kind-<i>` (auto/heading/body) and `level-<i>` (1–6) fields of the review form."""
    lines = {}
    for index in range(count):
        kind = post.get(f"kind-{index}", "auto")
        level = post.get(f"level-{index}", "")
        entry = {}
        if kind in ("heading", "body"):
            entry["kind"] = kind
        if level.isdigit() and 1 <= int(level) <= 6:
            entry["level"] = int(level)
        if entry:
            lines[str(index)] = entry
    return lines


@login_required
@require_http_methods(["GET", "POST"])
def import_review(request, pk):
    """The source beside what was recognised; corrections are applied, then the draft is saved."""
    plan_import = access.get_import_for(request.user, pk)
    lines = [SourceLine.from_dict(data) for data in plan_import.lines]
    corrections = plan_import.corrections or {}
    header_form = ImportHeaderForm(request.POST or None)
    if request.method == "POST":
        corrections = {"lines": _line_corrections(request.POST, len(lines))}
        if header_form.is_valid():
            header = {
                name: value for name, value in header_form.cleaned_data.items() if value not in ("", None)
            }
            if header.get("dated_on"):
                header["dated_on"] = header["dated_on"].isoformat()
            corrections["header"] = header
            plan_import.corrections = corrections
            plan_import.save(update_fields=["corrections"])
            if "save" in request.POST:
                plan = service.create_plan(plan_import.organization, request.user, lines, corrections)
                plan_import.plan = plan
                plan_import.save(update_fields=["plan"])
                messages.success(
                    request, _("The plan was imported as a draft. Here is what the checks found.")
                )
                return redirect("plans:checks", plan.pk)
    parsed = parse(lines, corrections)
    if request.method == "GET" or header_form.is_valid():
        header_form = ImportHeaderForm(initial=_header_initial(parsed))
    overrides = corrections.get("lines", {})
    rows = [
        {
            "item": item,
            "label": ROLE_LABELS.get(item.role, item.role),
            "kind": overrides.get(str(item.index), {}).get("kind", "auto"),
            "level": overrides.get(str(item.index), {}).get("level", ""),
        }
        for item in parsed.items
    ]
    context = {
        "plan_import": plan_import,
        "organization": plan_import.organization,
        "parsed": parsed,
        "rows": rows,
        "header_form": header_form,
        "outline": parsed.outline(),
    }
    return render(request, "plans/import_review.html", context)


@login_required
@require_http_methods(["GET"])
def plan_checks(request, pk):
    plan = access.get_plan_for(request.user, pk)
    active, dismissed = checks.active_findings(plan)
    context = {
        "plan": plan,
        "findings": active,
        "dismissed": dismissed,
        "can_edit": access.can(request.user, "edit", plan),
        "sections": {str(s.pk): s for s in plan.sections.all()},
    }
    return render(request, "plans/checks.html", context)


@login_required
@require_POST
def finding_dismiss(request, pk):
    plan = access.get_plan_for(request.user, pk, action="edit")
    code, where = request.POST.get("code", "")[:40], request.POST.get("where", "")[:100]
    known = {(f.code, f.where) for f in checks.run_checks(plan)}
    if (code, where) not in known:
        messages.error(request, _("This finding no longer applies; the list was refreshed."))
        return redirect("plans:checks", plan.pk)
    try:
        checks.dismiss(plan, code, where, request.POST.get("reason", ""), request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The finding was set aside with your reason."))
    return redirect("plans:checks", plan.pk)
