"""Submission, review with comments per section, return or approval, issuing, versions, and the inbox."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import access
from members.models import Officer, Organization
from plans import checks, lifecycle
from plans.forms import parse_id
from plans.models import Comment, Notification, Plan


def _refused(request, plan, error):
    messages.error(request, str(error))
    return redirect("plans:detail", plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_submit(request, pk):
    """Shows the plan checks before sending (they warn, never block), then submits."""
    plan = access.get_plan_for(request.user, pk, action="submit")
    if request.method == "POST":
        try:
            version = lifecycle.plan_submit(
                plan=plan, by=request.user, note=request.POST.get("note", "")[:2000]
            )
        except lifecycle.TransitionRefused as refused:
            return _refused(request, plan, refused)
        messages.success(
            request,
            _("Version %(number)s was sent to the upper union for review.") % {"number": version.number},
        )
        return redirect("plans:detail", plan.pk)
    active, _dismissed = checks.active_findings(plan)
    return render(request, "plans/submit.html", {"plan": plan, "findings": active})


def _review_context(request, plan):
    sections = list(plan.sections.order_by("position", "pk"))
    tree = plan.section_tree()
    comments = list(
        plan.comments.filter(parent=None)
        .select_related("author", "resolved_by", "version")
        .prefetch_related(Prefetch("replies", queryset=Comment.objects.select_related("author")))
    )
    by_section: dict = {}
    for comment in comments:
        by_section.setdefault(comment.section_id, []).append(comment)
    # the two newest versions, with their snapshots (older ones are only counted)
    versions = list(reversed(plan.versions.select_related("created_by").order_by("-number")[:2]))
    latest = versions[-1] if versions else None
    previous = versions[-2] if len(versions) > 1 else None
    changes = lifecycle.diff_versions(previous.snapshot, latest.snapshot) if previous and latest else None
    changed_ids = {row["new"]["id"] for row in (changes or []) if row.get("new") and row["kind"] != "same"}
    return {
        "plan": plan,
        "tree": tree,
        "sections": sections,
        "comments_by_section": by_section,
        "header_comments": by_section.get(None, []),
        "open_count": sum(1 for c in comments if c.resolved_at is None),
        "can_review": access.can(request.user, "review", plan),
        "can_reply": access.can(request.user, "reply", plan),
        "latest": latest,
        "previous": previous,
        "changed_ids": changed_ids,
        "transitions": plan.transitions.select_related("by"),
    }


@login_required
@require_GET
def plan_review(request, pk):
    """The plan with its comment threads: reviewers comment and decide, the union answers and resolves."""
    plan = access.get_plan_for(request.user, pk)
    return render(request, "plans/review.html", _review_context(request, plan))


@login_required
@require_POST
def comment_add(request, pk):
    plan = access.get_plan_for(request.user, pk)
    replying = bool(request.POST.get("parent"))
    if not (
        access.can(request.user, "comment", plan) or (replying and access.can(request.user, "reply", plan))
    ):
        if _reviews_above(request.user, plan):
            return _decided_already(request, plan)
        raise PermissionDenied
    section = parent = None
    if request.POST.get("section"):
        section = get_object_or_404(plan.sections, pk=parse_id(request.POST["section"]) or 0)
    if request.POST.get("parent"):
        parent = get_object_or_404(plan.comments, pk=parse_id(request.POST["parent"]) or 0)
    try:
        comment = lifecycle.comment_add(
            plan=plan, by=request.user, body=request.POST.get("body", ""), section=section, parent=parent
        )
    except lifecycle.TransitionRefused as refused:
        messages.error(request, str(refused))
        return redirect("plans:review", plan.pk)
    anchor = f"#section-{comment.section_id}" if comment.section_id else "#header-comments"
    return redirect(f"{plan.get_review_url()}{anchor}")


@login_required
@require_POST
def comment_resolve(request, pk, comment_pk):
    plan = access.get_plan_for(request.user, pk)
    comment = get_object_or_404(plan.comments, pk=comment_pk)
    lifecycle.comment_resolve(comment=comment, by=request.user)
    anchor = f"#section-{comment.section_id}" if comment.section_id else "#header-comments"
    return redirect(f"{plan.get_review_url()}{anchor}")


def _reviews_above(user, plan) -> bool:
    parent = plan.organization.parent
    return parent is not None and bool(access.roles_in(user, parent) & access.REVIEW_ROLES)


def _decided_already(request, plan):
    """A page opened before someone else decided: say so, instead of a bare 403."""
    messages.warning(
        request,
        _("This plan is now “%(status)s”: someone has already dealt with it. Here it is as it stands.")
        % {"status": plan.get_status_display()},
    )
    return redirect("plans:review", plan.pk)


@login_required
@require_POST
def plan_decide(request, pk):
    plan = access.get_plan_for(request.user, pk)
    if not access.can(request.user, "review", plan):
        if plan.status != Plan.Status.SUBMITTED and _reviews_above(request.user, plan):
            return _decided_already(request, plan)
        raise PermissionDenied
    decision, note = request.POST.get("decision"), request.POST.get("note", "")[:2000]
    try:
        if decision == "return":
            lifecycle.plan_return(plan=plan, by=request.user, note=note)
            messages.success(request, _("The plan was returned to its union with your note."))
        elif decision == "approve":
            lifecycle.plan_approve(plan=plan, by=request.user, note=note)
            messages.success(request, _("The plan was approved."))
        else:
            messages.error(request, _("Choose to return or to approve the plan."))
    except lifecycle.TransitionRefused as refused:
        messages.error(request, str(refused))
    return redirect("plans:review", plan.pk)


@login_required
@require_POST
def plan_issue(request, pk):
    plan = access.get_plan_for(request.user, pk)
    if not access.can(request.user, "issue", plan):
        if (
            plan.status == Plan.Status.ISSUED
            and access.roles_in(request.user, plan.organization) & access.MANAGE_ROLES
        ):
            messages.info(request, _("The plan has already been issued."))
            return redirect("plans:detail", plan.pk)
        raise PermissionDenied
    try:
        plan = lifecycle.plan_issue(plan=plan, by=request.user)
    except lifecycle.TransitionRefused as refused:
        return _refused(request, plan, refused)
    messages.success(
        request,
        _("The plan was issued as %(reference)s. Print it for signing, or sign it digitally.")
        % {"reference": plan.reference},
    )
    return redirect("plans:detail", plan.pk)


@login_required
@require_POST
def plan_new_version(request, pk):
    plan = access.get_plan_for(request.user, pk, action="new_version")
    draft = lifecycle.plan_new_version(plan=plan, by=request.user)
    messages.success(request, _("A new draft was started from the issued plan."))
    return redirect("plans:edit", draft.pk)


@login_required
@require_GET
def plan_versions(request, pk):
    """The submitted versions; any two compared section by section."""
    plan = access.get_plan_for(request.user, pk)
    versions = list(plan.versions.select_related("created_by").defer("snapshot"))
    numbers = [v.number for v in versions]
    new = parse_id(request.GET.get("b")) or (numbers[-1] if numbers else None)
    old = parse_id(request.GET.get("a")) or (numbers[-2] if len(numbers) > 1 else None)
    wanted = [number for number in (old, new) if number]
    snapshots = dict(plan.versions.filter(number__in=wanted).values_list("number", "snapshot"))
    rows = lifecycle.diff_versions(snapshots.get(old), snapshots[new]) if new in snapshots else None
    context = {"plan": plan, "versions": versions, "old": old, "new": new, "rows": rows}
    return render(request, "plans/versions.html", context)


def _review_organization(request) -> Organization:
    """The upper union the user works for now (the role switcher), if they review there."""
    officer = request.officer
    if officer is None or officer.role not in access.REVIEW_ROLES or officer.organization.is_grassroots:
        for role in request.officer_roles:
            if role.role in access.REVIEW_ROLES and not role.organization.is_grassroots:
                return role.organization
        return None
    return officer.organization


@login_required
@require_GET
def inbox(request):
    """Submissions from the unions directly below: counts by status, filters, who has not submitted."""
    organization = _review_organization(request)
    if organization is None:
        return render(request, "plans/inbox.html", {"organization": None}, status=403)
    children = Organization.objects.filter(parent=organization, closed_on__isnull=True)
    plans = Plan.objects.filter(organization__in=children).exclude(status=Plan.Status.DRAFT)
    counts = dict(plans.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    status, kind = request.GET.get("status", ""), request.GET.get("kind", "")
    child = parse_id(request.GET.get("organization"))
    year = parse_id(request.GET.get("year"))
    if status in Plan.Status.values:
        plans = plans.filter(status=status)
    if kind in Plan.Kind.values:
        plans = plans.filter(kind=kind)
    if child:
        plans = plans.filter(organization_id=child)
    if year:
        plans = plans.filter(period_start__year__lte=year, period_end__year__gte=year)
    missing = _not_submitted(children, kind, year) if kind and year else None
    context = {
        "organization": organization,
        "plans": Paginator(plans.select_related("organization").order_by("-updated_at", "-pk"), 50).get_page(
            request.GET.get("page")
        ),
        "counts": [
            (value, label, counts.get(value, 0)) for value, label in Plan.Status.choices if value != "draft"
        ],
        "children": children.order_by("name"),
        "kinds": Plan.Kind.choices,
        "statuses": [c for c in Plan.Status.choices if c[0] != "draft"],
        "filters": {"status": status, "kind": kind, "organization": child, "year": year},
        "missing": missing,
        "year_choices": range(timezone.localdate().year + 1, timezone.localdate().year - 4, -1),
    }
    return render(request, "plans/inbox.html", context)


def _not_submitted(children, kind, year):
    submitted = Plan.objects.filter(
        organization__in=children, kind=kind, period_start__year__lte=year, period_end__year__gte=year
    ).exclude(status=Plan.Status.DRAFT)
    chairs = Officer.objects.active().filter(role=Officer.Role.CHAIR).select_related("user")
    return list(
        children.exclude(pk__in=submitted.values("organization_id"))
        .prefetch_related(Prefetch("officers", queryset=chairs, to_attr="chairs"))
        .order_by("name")
    )


def _cell(value: str) -> str:
    """Text typed by users never becomes a spreadsheet formula (=, +, -, @ at the start)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


@login_required
@require_GET
def not_submitted_xlsx(request):
    """The unions that have not submitted a plan of a kind for a year, as an Excel sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    organization = _review_organization(request)
    kind, year = request.GET.get("kind", ""), parse_id(request.GET.get("year"))
    if organization is None:
        return HttpResponse(status=403)
    if kind not in Plan.Kind.values or not year:
        return HttpResponse(_("Choose a kind of plan and a year."), status=400)
    children = Organization.objects.filter(parent=organization, closed_on__isnull=True)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Not submitted")[:31]
    sheet.append([f"{organization.name} — {Plan.Kind(kind).label} {year}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("Union"), _("Document symbol"), _("Chair"), _("Email")])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for child in _not_submitted(children, kind, year):
        chair = child.chairs[0].user if child.chairs else None
        sheet.append([_cell(child.name), _cell(child.symbol), _cell(chair.get_full_name() if chair else ""),
                      _cell(child.email)])  # fmt: skip
    for column, width in zip("ABCD", (55, 16, 28, 30), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="chua-nop-{kind}-{year}.xlsx"'
    return response


def _file(plan, field, suffix):
    stored = getattr(plan, field)
    if not stored:
        raise Http404
    name = f"ke-hoach-{plan.reference.replace('/', '-')}{suffix}.pdf"
    return FileResponse(stored.open("rb"), content_type="application/pdf", as_attachment=True, filename=name)


@login_required
@require_GET
def issued_pdf(request, pk):
    """The issued PDF exactly as issued (its SHA-256 is on the plan page)."""
    return _file(access.get_plan_for(request.user, pk), "issued_pdf", "")


@login_required
@require_GET
def signed_pdf(request, pk):
    return _file(access.get_plan_for(request.user, pk), "signed_pdf", "-da-ky")


@login_required
@require_GET
def notification_list(request):
    notices = list(request.user.notifications.select_related("plan")[:100])
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "plans/notifications.html", {"notices": notices})
