"""Plan pages: the plan with its PDF, the in-place editor (htmx), and the exports.

The editor's requests all carry the version of the plan the page shows (`#plan-version`). A save against
an older version answers 409 with the typed text still in the form; nothing is lost and nothing is
overwritten without the user seeing it.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import access
from plans import rendering, services
from plans.forms import PlanCreateForm, PlanHeaderForm, SectionForm, parse_id
from plans.models import Plan, PlanRender
from targets import services as target_services

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
        if data["start"] == "copy":
            plan = services.plan_copy(source=data["source"], by=request.user)
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
            fields = {
                name: data[name] for name in ("kind", "title", "period_start", "period_end", "period_label")
            }
            plan = services.plan_create(
                organization=organization, by=request.user, start=data["start"], **fields
            )
            messages.success(request, _("The plan was created. Write its sections below."))
        return redirect("plans:edit", plan.pk)
    return render(request, "plans/plan_create.html", {"form": form, "organization": organization})


@login_required
@require_GET
def plan_detail(request, pk):
    plan = access.get_plan_for(request.user, pk)
    context = {
        "plan": plan,
        "can_submit": access.can(request.user, "submit", plan),
        "can_review": access.can(request.user, "review", plan),
        "can_issue": access.can(request.user, "issue", plan),
        "can_new_version": access.can(request.user, "new_version", plan),
        "can_sign": access.can(request.user, "sign", plan),
        "has_versions": plan.versions.exists(),
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
    """The outline, with each section's open review comments counted (one query) and its targets (one)."""
    open_comments = dict(
        plan.comments.filter(parent=None, resolved_at__isnull=True, section__isnull=False)
        .values_list("section")
        .annotate(count=Count("pk"))
        .values_list("section", "count")
    )
    targets: dict[int | None, list] = {}
    for target in plan.targets.order_by("section_id", "position", "pk"):
        targets.setdefault(target.section_id, []).append(target)
    tree = _with_targets(plan.section_tree(), targets)
    return {
        "plan": plan, "tree": tree, "open_comments": open_comments, "plan_targets": targets.get(None, []),
        **extra,
    }  # fmt: skip


def _with_targets(nodes, targets):
    for node in nodes:
        node["targets"] = targets.get(node["section"].pk, [])
        _with_targets(node["children"], targets)
    return nodes


@login_required
@require_GET
def plan_edit(request, pk):
    plan = access.get_plan_for(request.user, pk, action="edit")
    context = _editor_context(plan, header_form=PlanHeaderForm(instance=plan))
    return render(request, "plans/plan_edit.html", context)


def _version(request) -> int | None:
    return parse_id(request.POST.get("version"))


def _no_version(request, plan):
    """A change without the version it was made against is refused: it could overwrite anyone's work."""
    return _outline(
        request, plan, status=INVALID, error=_("The page is out of date: reload it, then try again.")
    )


@login_required
@require_POST
def plan_header(request, pk):
    plan = access.get_plan_for(request.user, pk, action="edit")
    form = PlanHeaderForm(request.POST, instance=plan)
    context = {"plan": plan, "header_form": form}
    version = _version(request)
    # a refused save leaves the page's version as it was: only a save brings the page up to date
    context["keep_version"] = True
    if version is None:
        context["conflict"] = _("The page is out of date: reload it, then try again.")
        return render(request, "plans/_header_form.html", context, status=INVALID)
    if not form.is_valid():
        return render(request, "plans/_header_form.html", context, status=INVALID)
    changed = {name: form.cleaned_data[name] for name in form.changed_data}
    fresh = Plan.objects.select_related("organization", "organization__parent").get(pk=plan.pk)
    try:
        services.plan_update(plan=fresh, version=version, **changed)
    except services.StaleEdit as stale:
        return _header_conflict(request, form, stale.current_version, _stale_message(stale.current_version))
    except services.NumberTaken:
        form.add_error("number", _("Another save took this number a moment ago. Choose another one."))
        return render(request, "plans/_header_form.html", context, status=INVALID)
    context = {"plan": fresh, "header_form": PlanHeaderForm(instance=fresh), "saved": True}
    return _changed(render(request, "plans/_header_form.html", context))


def _header_conflict(request, form, current_version, message):
    """The typed values stay, the loaded ones stay hidden: saving again applies only this user's changes."""
    fetch = Plan.objects.select_related("organization", "organization__parent")
    current = fetch.get(pk=form.instance.pk)
    again = PlanHeaderForm(request.POST, instance=fetch.get(pk=current.pk), initial=form.loaded_values())
    again.is_valid()
    context = {"plan": current, "header_form": again, "conflict": message}
    return render(request, "plans/_header_form.html", context, status=CONFLICT)


def _outline(request, plan, *, status=200, focus=None, editing=None, error=None):
    plan.refresh_from_db(fields=["version", "numbering"])
    context = _editor_context(plan, focus=focus, editing=editing, outline_error=error)
    if editing is not None:
        context["section_form"] = SectionForm(instance=editing)
    response = render(request, "plans/_outline.html", context, status=status)
    return _changed(response) if status == 200 else response


def _section_or_none(plan, value):
    pk = parse_id(value)
    return plan.sections.filter(pk=pk).first() if pk else None


@login_required
@require_POST
def section_add(request, pk):
    plan = access.get_plan_for(request.user, pk, action="edit")
    parent, after = (
        _section_or_none(plan, request.POST.get("parent")),
        _section_or_none(plan, request.POST.get("after")),
    )
    if (request.POST.get("parent") and parent is None) or (request.POST.get("after") and after is None):
        return _outline(request, plan, status=INVALID, error=_("That section no longer exists."))
    version = _version(request)
    if version is None:
        return _no_version(request, plan)
    try:
        section = services.section_add(plan=plan, version=version, parent=parent, after=after)
    except services.StaleEdit as stale:
        return _outline(request, plan, status=CONFLICT, error=_stale_message(stale.current_version))
    return _outline(request, plan, focus=section.pk, editing=section)


def _node(plan, section) -> dict:
    """The section with its computed number and its targets, as the outline shows it."""
    node = next((node for node in plan.outline() if node["section"].pk == section.pk), {"number": ""})
    return {**node, "section": section, "targets": list(section.targets.order_by("position", "pk"))}


def _proposals(section, targets) -> list:
    """Targets proposed from the section's saved text, less those taken or set aside (the section form)."""
    return target_services.open_proposals(section, targets, target_services.dismissed_keys(section))


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
        context["proposals"] = _proposals(section, context["node"]["targets"])
        return render(request, "plans/_section_form.html", context)
    context["proposals"] = _proposals(section, context["node"]["targets"])  # from the text saved so far
    form = SectionForm(request.POST, instance=section)
    context["section_form"] = form  # a refused save sends no version: the page keeps the one it had
    version = _version(request)
    if version is None:
        context["conflict"] = _("The page is out of date: reload it, then try again.")
        return render(request, "plans/_section_form.html", context, status=INVALID)
    if not form.is_valid():
        return render(request, "plans/_section_form.html", context, status=INVALID)
    context["oob"] = True
    changed = {name: form.cleaned_data[name] for name in form.changed_data}
    try:
        saved = services.section_update(
            section=_with_plan(plan.sections.get(pk=section.pk), plan), version=version, **changed
        )
    except services.StaleEdit as stale:
        plan.version = stale.current_version
        again = SectionForm(
            request.POST, instance=plan.sections.get(pk=section.pk), initial=form.loaded_values()
        )
        again.is_valid()  # shows the typed values (writing them into its own copy of the section only)
        current = plan.sections.get(pk=section.pk)
        context.update(
            section_form=again, conflict=_stale_message(stale.current_version), saved_section=current
        )
        return render(request, "plans/_section_form.html", context, status=CONFLICT)
    context["node"] = _node(plan, saved)
    # what the saved text now proposes shows under it, to accept or set aside at once
    context["proposals"] = _proposals(saved, context["node"]["targets"])
    return _changed(render(request, "plans/_section_content.html", context | {"saved": True}))


def _with_plan(section, plan):
    section.plan = plan
    return section


@login_required
@require_POST
def section_move(request, pk, section_pk):
    section = access.get_section_for(request.user, pk, section_pk, action="edit")
    plan = section.plan
    version = _version(request)
    if version is None:
        return _no_version(request, plan)
    try:
        if "target" in request.POST:
            target = _section_or_none(plan, request.POST["target"])
            place = request.POST.get("place")
            if target is None or place not in ("before", "after", "child"):
                return _outline(request, plan, status=INVALID, error=_("Unknown place for the section."))
            services.section_place(section=section, version=version, target=target, place=place)
        else:
            direction = request.POST.get("direction")
            if direction not in ("up", "down", "in", "out"):
                return _outline(request, plan, status=INVALID, error=_("Unknown direction for the move."))
            services.section_move(section=section, version=version, direction=direction)
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
    version = _version(request)
    if version is None:
        return _no_version(request, plan)
    try:
        neighbour = services.section_delete(section=section, version=version)
    except services.StaleEdit as stale:
        return _outline(request, plan, status=CONFLICT, error=_stale_message(stale.current_version))
    return _outline(request, plan, focus=neighbour.pk if neighbour else None)


def _render_status(request, plan, render_obj, *, status=200):
    context = {"plan": plan, "render": render_obj, "missing": services.missing_for_pdf(plan)}
    return render(request, "plans/_render_state.html", context, status=status)


@login_required
@require_POST
def render_start(request, pk):
    """Asks for the PDF of the plan as it is now; a state rendered before is not rendered again."""
    plan = access.get_plan_for(request.user, pk)
    if services.missing_for_pdf(plan):
        return _render_status(request, plan, None, status=INVALID)
    render_obj = services.plan_render(plan=plan, by=request.user)
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
    """The PDF of the plan as it is now, from the cache; without one, the plan page (where it is made)."""
    plan = access.get_plan_for(request.user, pk)
    render_obj = services.current_render(plan)
    if render_obj is None or render_obj.status != PlanRender.Status.READY:
        messages.info(request, _("The PDF of the plan as it is now has not been made yet: make it here."))
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
