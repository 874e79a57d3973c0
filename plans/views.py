"""Plan pages: the plan with its PDF, the in-place editor (htmx), and the exports.

The editor's requests all carry the version of the plan the page shows (`#plan-version`). A save against
an older version answers 409 with the typed text still in the form; nothing is lost and nothing is
overwritten without the user seeing it.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import access
from plans import rendering, services
from plans.forms import PlanCreateForm, PlanHeaderForm, SectionForm, parse_version
from plans.models import Plan, PlanRender

CONFLICT, INVALID = 409, 422


def _changed(response, **extra):
    """Tell the page the plan changed (the preview reloads)."""
    response["HX-Trigger"] = json.dumps({"plan-changed": True, **extra})
    return response


def _stale_message(current_version):
    return _(
        "Someone else saved this plan in the meantime (now version %(version)s). What you typed is still "
        "here and has not been saved: compare it with the current text, then save again to keep yours."
    ) % {"version": current_version}


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request, org_pk):
    organization = access.get_organization_for(request.user, org_pk, action="draft_plans")
    form = PlanCreateForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            name: data[name] for name in ("kind", "title", "period_start", "period_end", "period_label")
        }
        if data["start"] == "copy":
            plan = services.copy_plan(data["source"], request.user)
            messages.success(
                request,
                _("Copied “%(title)s”; the period moved forward to %(start)s – %(end)s.")
                % {
                    "title": data["source"].title,
                    "start": plan.period_start.strftime("%d/%m/%Y"),
                    "end": plan.period_end.strftime("%d/%m/%Y"),
                },
            )
        else:
            plan = services.create_plan(organization, request.user, start=data["start"], **fields)
            messages.success(request, _("The plan was created. Write its sections below."))
        return redirect("plans:edit", plan.pk)
    return render(request, "plans/plan_create.html", {"form": form, "organization": organization})


@login_required
@require_GET
def plan_detail(request, pk):
    plan = access.get_plan_for(request.user, pk)
    context = {
        "plan": plan,
        "can_edit": access.can(request.user, "edit", plan),
        "render": services.current_render(plan),
        "missing": services.missing_for_pdf(plan),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
@require_GET
@xframe_options_sameorigin  # shown in the plan and editor pages' preview frame
def plan_preview(request, pk):
    """The plan exactly as it prints (the same template as the PDF)."""
    plan = access.get_plan_for(request.user, pk)
    return HttpResponse(rendering.render_html(plan))


def _editor_context(plan, **extra):
    return {"plan": plan, "tree": plan.section_tree(), **extra}


@login_required
@require_GET
def plan_edit(request, pk):
    plan = access.get_plan_for(request.user, pk, action="edit")
    context = _editor_context(plan, header_form=PlanHeaderForm(instance=plan))
    return render(request, "plans/plan_edit.html", context)


@login_required
@require_POST
def plan_header(request, pk):
    plan = access.get_plan_for(request.user, pk, action="edit")
    form = PlanHeaderForm(request.POST, instance=plan)
    if not form.is_valid():
        return render(request, "plans/_header_form.html", {"plan": plan, "header_form": form}, status=INVALID)
    try:
        services.update_plan(
            plan, parse_version(request.POST), **{name: form.cleaned_data[name] for name in form.changed_data}
        )
    except services.StaleEdit as stale:
        plan.version = stale.current_version
        context = {"plan": plan, "header_form": form, "conflict": _stale_message(stale.current_version)}
        return render(request, "plans/_header_form.html", context, status=CONFLICT)
    form = PlanHeaderForm(instance=plan)
    return _changed(
        render(request, "plans/_header_form.html", {"plan": plan, "header_form": form, "saved": True})
    )


def _outline(request, plan, *, status=200, focus=None, editing=None, error=None):
    plan.refresh_from_db(fields=["version", "numbering"])
    context = _editor_context(plan, focus=focus, editing=editing, outline_error=error)
    if editing is not None:
        context["section_form"] = SectionForm(instance=editing)
    response = render(request, "plans/_outline.html", context, status=status)
    return _changed(response) if status == 200 else response


@login_required
@require_POST
def section_add(request, pk):
    plan = access.get_plan_for(request.user, pk, action="edit")
    parent = after = None
    if request.POST.get("parent"):
        parent = get_object_or_404(plan.sections, pk=request.POST["parent"])
    if request.POST.get("after"):
        after = get_object_or_404(plan.sections, pk=request.POST["after"])
    try:
        section = services.add_section(plan, parse_version(request.POST), parent=parent, after=after)
    except services.StaleEdit as stale:
        return _outline(request, plan, status=CONFLICT, error=_stale_message(stale.current_version))
    return _outline(request, plan, focus=section.pk, editing=section)


def _node(plan, section) -> dict:
    """The section with its computed number, as the outline shows it."""

    def find(nodes):
        for node in nodes:
            if node["section"].pk == section.pk:
                return node
            found = find(node["children"])
            if found:
                return found
        return None

    node = find(plan.section_tree()) or {"number": ""}
    return {**node, "section": section}


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk, section_pk):
    section = access.get_section_for(request.user, pk, section_pk, action="edit")
    plan = section.plan
    context = {"plan": plan, "node": _node(plan, section)}
    if request.method == "GET":
        if request.GET.get("display"):
            return render(request, "plans/_section_content.html", context)
        context["section_form"] = SectionForm(instance=section)
        return render(request, "plans/_section_form.html", context)
    form = SectionForm(request.POST, instance=section)
    context.update(section_form=form, oob=True)
    if not form.is_valid():
        return render(request, "plans/_section_form.html", context, status=INVALID)
    try:
        services.update_section(
            section, parse_version(request.POST), **{name: form.cleaned_data[name] for name in form.fields}
        )
    except services.StaleEdit as stale:
        plan.version = stale.current_version
        context.update(
            conflict=_stale_message(stale.current_version),
            saved_section=plan.sections.get(pk=section.pk),
        )
        return render(request, "plans/_section_form.html", context, status=CONFLICT)
    return _changed(render(request, "plans/_section_content.html", context | {"saved": True}))


@login_required
@require_POST
def section_move(request, pk, section_pk):
    section = access.get_section_for(request.user, pk, section_pk, action="edit")
    plan = section.plan
    try:
        if request.POST.get("target"):
            target = get_object_or_404(plan.sections, pk=request.POST["target"])
            place = request.POST.get("place")
            if place not in ("before", "after", "child"):
                return _outline(request, plan, status=INVALID, error=_("Unknown place for the section."))
            services.place_section(section, parse_version(request.POST), target, place)
        else:
            direction = request.POST.get("direction")
            if direction not in ("up", "down", "in", "out"):
                return _outline(request, plan, status=INVALID, error=_("Unknown direction for the move."))
            services.move_section(section, parse_version(request.POST), direction)
    except services.StaleEdit as stale:
        return _outline(request, plan, status=CONFLICT, error=_stale_message(stale.current_version))
    except services.MoveRefused as refused:
        return _outline(request, plan, status=INVALID, focus=section.pk, error=str(refused))
    return _outline(request, plan, focus=section.pk)


@login_required
@require_POST
def section_delete(request, pk, section_pk):
    section = access.get_section_for(request.user, pk, section_pk, action="edit")
    plan = section.plan
    try:
        services.delete_section(section, parse_version(request.POST))
    except services.StaleEdit as stale:
        return _outline(request, plan, status=CONFLICT, error=_stale_message(stale.current_version))
    return _outline(request, plan)


def _render_status(request, plan, render_obj, *, status=200):
    context = {"plan": plan, "render": render_obj, "missing": services.missing_for_pdf(plan)}
    return render(request, "plans/_render_status.html", context, status=status)


@login_required
@require_POST
def render_start(request, pk):
    """Asks for the PDF of the plan as it is now; a plan already rendered in this state is not rendered twice."""
    plan = access.get_plan_for(request.user, pk)
    if services.missing_for_pdf(plan):
        return _render_status(request, plan, None, status=INVALID)
    render_obj = services.request_render(plan, request.user)
    if not request.htmx:
        return redirect("plans:detail", plan.pk)
    return _render_status(request, plan, render_obj)


@login_required
@require_GET
def render_status(request, pk):
    plan = access.get_plan_for(request.user, pk)
    return _render_status(request, plan, services.current_render(plan))


@login_required
@require_GET
def plan_pdf(request, pk):
    """The PDF of the plan as it is now, from the cache; asks for it (and comes back) when there is none."""
    plan = access.get_plan_for(request.user, pk)
    missing = services.missing_for_pdf(plan)
    if missing:
        messages.error(
            request, _("The PDF cannot be made yet. Missing: %(missing)s.") % {"missing": "; ".join(missing)}
        )
        return redirect("plans:detail", plan.pk)
    render_obj = services.current_render(plan) or services.request_render(plan, request.user)
    if render_obj.status != PlanRender.Status.READY:
        render_obj.refresh_from_db()
    if render_obj.status != PlanRender.Status.READY:
        return redirect("plans:detail", plan.pk)
    return FileResponse(
        render_obj.pdf.open("rb"), content_type="application/pdf", filename=_filename(plan, "pdf")
    )


@login_required
@require_GET
def plan_docx(request, pk):
    from plans.docx import render_docx

    plan = access.get_plan_for(request.user, pk)
    response = HttpResponse(
        render_docx(plan),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(plan, "docx")}"'
    return response


def _filename(plan: Plan, extension: str) -> str:
    number = f"{plan.number:02d}-" if plan.number else ""
    return f"ke-hoach-{number}{plan.dated_on.year}-{plan.pk}.{extension}"
