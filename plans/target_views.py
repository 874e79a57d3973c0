"""The targets of a plan in the editor (htmx): each section's list of targets, their form, and the targets
proposed from the section's text.

Every answer is the target block of one section (`plans/_targets.html`). As with sections, each change
carries the version of the plan the page shows: a stale change answers 409 with what was typed still in the
form, a change without a version 422; a plan that cannot be edited answers 403 (through `access`).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members import access
from plans import services as plan_services
from plans.forms import parse_id
from plans.views import CONFLICT, INVALID, _changed, _stale_message
from targets import services
from targets.forms import TargetForm


def _out_of_date() -> str:
    return _("The page is out of date: reload it, then try again.")


def _version(request) -> int | None:
    return parse_id(request.POST.get("version"))


def _shows_proposals(request) -> bool:
    return (request.POST.get("proposals") or request.GET.get("proposals")) == "1"


def _get_target(request, pk, target_pk):
    plan = access.get_plan_for(request.user, pk, action="edit")
    target = get_object_or_404(plan.targets.select_related("section"), pk=target_pk)
    target.plan = plan
    if target.section is not None:
        target.section.plan = plan
    return target


def _block(request, plan, section, *, status=200, show_proposals=None, **extra):
    """The target block of `section` (None: the plan's targets outside any section), read fresh."""
    targets = list(plan.targets.filter(section=section).order_by("position", "pk"))
    if show_proposals is None:
        show_proposals = _shows_proposals(request)
    proposals = []
    if show_proposals and section is not None:
        section.refresh_from_db(fields=["heading", "body"])
        proposals = services.open_proposals(section, targets, services.dismissed_keys(section))
    context = {
        "plan": plan,
        "section": section,
        "targets": targets,
        "show_proposals": show_proposals,
        "proposals": proposals,
        **extra,
    }
    response = render(request, "plans/_targets.html", context, status=status)
    return _changed(response) if status == 200 and extra.get("targets_oob") else response


@login_required
@require_http_methods(["GET", "POST"])
def target_add(request, pk, section_pk):
    """GET: the block with an empty form (or one filled from a proposal: `?proposal=<key>`); POST: add."""
    section = access.get_section_for(request.user, pk, section_pk, action="edit")
    plan = section.plan
    if request.method == "GET":
        if request.GET.get("display"):
            return _block(request, plan, section)
        key = request.GET.get("proposal", "")[:40]
        initial = {}
        if key:
            proposal = services.find_proposal(section, key)
            if proposal is None:
                error = _("This proposal is no longer in the section's text.")
                return _block(request, plan, section, status=INVALID, targets_error=error)
            initial = services.target_from_proposal(proposal)
        form = TargetForm(plan=plan, section=section, initial=initial)
        return _block(request, plan, section, target_form=form, adding=True, proposal_key=key)
    form = TargetForm(request.POST, plan=plan, section=section)
    key = request.POST.get("proposal", "")[:40]
    context = {"target_form": form, "adding": True, "proposal_key": key}
    version = _version(request)
    if version is None:
        return _block(request, plan, section, status=INVALID, conflict=_out_of_date(), **context)
    if not form.is_valid():
        return _block(request, plan, section, status=INVALID, **context)
    try:
        services.target_add(
            plan=plan, by=request.user, expected_version=version, section=section, from_proposal=key,
            **form.cleaned_data,
        )  # fmt: skip
    except plan_services.StaleEdit as stale:
        plan.version = stale.current_version  # saving again adds it: nothing is overwritten by an add
        message = _stale_message(stale.current_version)
        return _block(request, plan, section, status=CONFLICT, conflict=message, targets_oob=True, **context)
    except ValidationError as error:
        form.add_error(None, error)
        return _block(request, plan, section, status=INVALID, **context)
    return _block(request, plan, section, targets_oob=True)


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request, pk, target_pk):
    """GET: the block with this target's form (`?display=1`: without); POST: save the changed fields."""
    target = _get_target(request, pk, target_pk)
    plan, section = target.plan, target.section
    if request.method == "GET":
        if request.GET.get("display"):
            return _block(request, plan, section)
        form = TargetForm(instance=target, plan=plan)
        return _block(request, plan, section, target_form=form, editing_target=target)
    form = TargetForm(request.POST, instance=target, plan=plan)
    context = {"target_form": form, "editing_target": target}
    version = _version(request)
    if version is None:
        return _block(request, plan, section, status=INVALID, conflict=_out_of_date(), **context)
    if not form.is_valid():
        return _block(request, plan, section, status=INVALID, **context)
    changed = {name: form.cleaned_data[name] for name in form.changed_data}
    try:
        services.target_update(target=target, by=request.user, expected_version=version, **changed)
    except plan_services.StaleEdit as stale:
        plan.version = stale.current_version
        current = plan.targets.get(pk=target.pk)
        again = TargetForm(request.POST, instance=current, initial=form.loaded_values(), plan=plan)
        again.is_valid()  # shows the typed values (written into its own copy of the target only)
        saved = plan.targets.get(pk=target.pk)
        context.update(target_form=again, conflict=_stale_message(stale.current_version), saved_target=saved)
        return _block(request, plan, section, status=CONFLICT, targets_oob=True, **context)
    except ValidationError as error:
        form.add_error(None, error)
        return _block(request, plan, section, status=INVALID, **context)
    return _block(request, plan, section, targets_oob=True, focus_target=target.pk)


def _refused_change(request, plan, section, stale=None, error=None):
    """A stale move or delete: the block as it is now, the page's version brought up to date (409)."""
    if stale is not None:
        plan.version = stale.current_version
        return _block(
            request, plan, section, status=CONFLICT, targets_oob=True,
            targets_error=_stale_message(stale.current_version),
        )  # fmt: skip
    return _block(request, plan, section, status=INVALID, targets_error=error)


@login_required
@require_POST
def target_move(request, pk, target_pk):
    target = _get_target(request, pk, target_pk)
    plan, section = target.plan, target.section
    version = _version(request)
    direction = request.POST.get("direction")
    if version is None:
        return _refused_change(request, plan, section, error=_out_of_date())
    if direction not in ("up", "down"):
        return _refused_change(request, plan, section, error=_("Unknown direction for the move."))
    try:
        services.target_move(target=target, by=request.user, expected_version=version, direction=direction)
    except plan_services.StaleEdit as stale:
        return _refused_change(request, plan, section, stale)
    except plan_services.MoveRefused as refused:
        return _refused_change(request, plan, section, error=str(refused))
    return _block(request, plan, section, targets_oob=True, focus_target=target.pk)


@login_required
@require_POST
def target_delete(request, pk, target_pk):
    target = _get_target(request, pk, target_pk)
    plan, section = target.plan, target.section
    version = _version(request)
    if version is None:
        return _refused_change(request, plan, section, error=_out_of_date())
    try:
        services.target_delete(target=target, by=request.user, expected_version=version)
    except plan_services.StaleEdit as stale:
        return _refused_change(request, plan, section, stale)
    return _block(request, plan, section, targets_oob=True)


def _on_proposal(request, pk, section_pk, service):
    """Accept or set aside one of the section's proposals (`proposal`: its key), as one versioned change."""
    section = access.get_section_for(request.user, pk, section_pk, action="edit")
    plan = section.plan
    version = _version(request)
    if version is None:
        return _refused_change(request, plan, section, error=_out_of_date())
    try:
        key = request.POST.get("proposal", "")
        service(section=section, by=request.user, expected_version=version, key=key)
    except plan_services.StaleEdit as stale:
        return _refused_change(request, plan, section, stale)
    except ValidationError as error:
        return _refused_change(request, plan, section, error=" ".join(error.messages))
    return _block(request, plan, section, targets_oob=True)


@login_required
@require_POST
def target_accept(request, pk, section_pk):
    """A proposal as it is: a target of the section, not printed on its own line (the text says it)."""
    return _on_proposal(request, pk, section_pk, services.target_proposal_accept)


@login_required
@require_POST
def target_ignore(request, pk, section_pk):
    """Set a proposal aside: it is not proposed again for this section."""
    return _on_proposal(request, pk, section_pk, services.target_proposal_ignore)
