"""Report pages: a union's periods, starting a report, the report (editor for the union, read-only with the
decision for the union above), its review, its PDF and its evidence files.

Every view fetches through `members.access` (outside scope → 404, wrong role → 403), then form → service →
redirect. A stale save answers 409 with the typed values still in the form; bad input answers 422.
"""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import access
from plans.forms import parse_id
from targets import report_rendering, report_services
from targets.models import Report
from targets.periods import Period
from targets.report_forms import ReportEditor
from targets.selectors import due_dates, lateness

CONFLICT, INVALID = 409, 422


@login_required
@require_GET
def report_list(request, org_pk):
    organization = access.get_organization_for(request.user, org_pk, action="write_reports")
    today = timezone.localdate()
    periods = [
        period
        for year in (today.year, today.year - 1)
        for period in Period.all_in(year)
        if period.start <= today
    ]
    periods.sort(key=lambda p: (p.end, -p.months), reverse=True)
    reports = {
        r.period: r
        for r in Report.objects.filter(organization=organization, period__in=[p.key for p in periods])
    }
    dues = due_dates(organization, periods)
    rows = []
    for period in periods:
        report = reports.get(period.key)
        rows.append(
            {
                "period": period,
                "report": report,
                "due": dues[period.key],
                **lateness(report, dues[period.key], today),
            }
        )
    return render(request, "targets/report_list.html", {"organization": organization, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def report_start(request, org_pk, period):
    """GET (a reminder's link): the report if it exists, else a page with the start button; POST: start it."""
    organization = access.get_organization_for(request.user, org_pk, action="write_reports")
    try:
        period = Period.parse(period)
    except ValueError:
        raise Http404("no such period") from None
    existing = Report.objects.filter(organization=organization, period=period.key).first()
    if existing is not None:
        return redirect(existing)
    error = None
    if request.method == "POST":
        try:
            report = report_services.report_start(organization=organization, period=period, by=request.user)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            messages.success(
                request,
                _(
                    "The report was started from your plans in force. Fill in what was reached, then "
                    "submit it."
                ),
            )
            return redirect(report)
    context = {
        "organization": organization,
        "period": period,
        "due": due_dates(organization, [period])[period.key],
        "started": period.start <= timezone.localdate(),
        "error": error,
    }
    return render(request, "targets/report_start.html", context, status=INVALID if error else 200)


def _entries(report: Report):
    return list(report.entries.select_related("target").order_by("position", "pk"))


def _areas(report: Report):
    return list(report.areas.order_by("position", "pk"))


def _stale_message(current_version: int) -> str:
    return _(
        "Someone else saved this report in the meantime (now version %(version)s). Your changes are still "
        "in the form, on top of theirs, and have not been saved yet: check them, then save again."
    ) % {"version": current_version}


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, pk):
    """The union edits its report here (POST saves); others in scope read it; the union above decides."""
    report = access.get_report_for(request.user, pk, action="edit" if request.method == "POST" else "view")
    entries, areas = _entries(report), _areas(report)
    editor, status, conflict = None, 200, None
    page_version = report.version
    if request.method == "POST":
        editor = ReportEditor(report, entries, areas, data=request.POST, files=request.FILES)
        posted_version = parse_id(request.POST.get("version"))
        if posted_version is None:
            conflict, status = _("The page is out of date: reload it, then try again."), INVALID
        elif not editor.is_valid():
            page_version, status = posted_version, INVALID
        else:
            fields, entry_changes, area_changes = editor.changes()
            try:
                report_services.report_update(
                    report=report,
                    by=request.user,
                    expected_version=posted_version,
                    fields=fields,
                    entries=entry_changes,
                    areas=area_changes,
                )
            except report_services.StaleEdit:
                report = access.get_report_for(request.user, pk, action="edit")
                entries, areas = _entries(report), _areas(report)
                editor = ReportEditor.rebased(editor, report, entries, areas)
                page_version, status = report.version, CONFLICT
                conflict = _stale_message(report.version)
            except ValidationError as refused:  # a file the form let through and the service did not
                page_version, status = posted_version, INVALID
                editor.report_form.add_error(None, refused)
            else:
                messages.success(request, _("The report was saved."))
                return redirect(report)
    elif access.can(request.user, "edit", report):
        editor = ReportEditor(report, entries, areas)
    rows = report_rendering.entry_rows(entries)
    if editor is not None:
        for row, form in zip(rows, editor.entry_forms, strict=True):
            row["form"] = form
    period = report.period_obj
    due = due_dates(report.organization, [period])[period.key]
    context = {
        "report": report,
        "period": period,
        "due": due,
        **lateness(report, due, timezone.localdate()),
        "rows": rows,
        "areas": list(zip(areas, editor.area_forms, strict=True)) if editor else [(a, None) for a in areas],
        "editor": editor,
        "page_version": page_version,
        "conflict": conflict,
        "transitions": list(report.transitions.select_related("by")),
        "can_submit": access.can(request.user, "submit", report),
        "can_decide": access.can(request.user, "decide", report),
        "can_write": editor is not None,
    }
    parent = report.organization.parent
    if editor is None and parent is not None and access.can(request.user, "dashboard", parent):
        context["dashboard_parent"] = parent  # the reviewer's way back to the unions' table
    return render(request, "targets/report.html", context, status=status)


@login_required
@require_POST
def report_submit(request, pk):
    report = access.get_report_for(request.user, pk)
    if not access.can(request.user, "submit", report):
        if report.is_submitted and access.roles_in(request.user, report.organization) & access.MANAGE_ROLES:
            messages.info(request, _("This report has already been submitted."))
            return redirect(report)
        raise PermissionDenied
    try:
        report = report_services.report_submit(report=report, by=request.user)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
    else:
        parent = report.organization.parent
        messages.success(
            request,
            _("The report was submitted to %(parent)s as number %(reference)s.")
            % {"parent": parent.display_name if parent else "", "reference": report.reference},
        )
    return redirect(report)


@login_required
@require_POST
def report_decide(request, pk):
    report = access.get_report_for(request.user, pk)
    if not access.can(request.user, "decide", report):
        parent = report.organization.parent
        above = parent is not None and access.roles_in(request.user, parent) & access.REVIEW_ROLES
        if above and report.status != Report.Status.SUBMITTED:
            messages.info(request, _("This report has already been decided: %(status)s.") % {
                "status": report.get_status_display()
            })  # fmt: skip
            return redirect(report)
        raise PermissionDenied
    decision, note = request.POST.get("decision"), request.POST.get("note", "")[:2000]
    try:
        if decision == "return":
            report_services.report_return(report=report, by=request.user, note=note)
            messages.success(request, _("The report was returned to its union with your note."))
        elif decision == "accept":
            report_services.report_accept(report=report, by=request.user, note=note)
            messages.success(request, _("The report was accepted."))
        else:
            messages.error(request, _("Choose to return or to accept the report."))
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
    return redirect(report)


@login_required
@require_GET
def report_pdf(request, pk):
    report = access.get_report_for(request.user, pk)
    response = HttpResponse(report_rendering.render_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report_rendering.filename(report)}"'
    return response


@login_required
@require_GET
def report_evidence(request, pk, entry_pk):
    report = access.get_report_for(request.user, pk)
    entry = get_object_or_404(report.entries.exclude(evidence=""), pk=entry_pk)
    try:
        handle = entry.evidence.open("rb")
    except FileNotFoundError:
        raise Http404("the file is gone") from None
    return FileResponse(handle, as_attachment=True, filename=PurePath(entry.evidence.name).name)
