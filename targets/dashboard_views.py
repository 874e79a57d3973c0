"""The upper union's dashboard (for reviewers and leaders of an upper union) and its Excel export.

Both read `targets.dashboard.dashboard` once: a constant number of queries whatever the number of children.
The page's table has a row per union (500 and more): `rows_html` writes them in Python, every value escaped,
which is ten times faster than the template engine (scripts/bench_dashboard.py: under 300 ms in all).
"""

from __future__ import annotations

import io
from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from members import access
from targets import dashboard as selectors
from targets.periods import Period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE, PERCENT = "DD/MM/YYYY", "0.0%"


def _period(request, today, *, warn: bool) -> Period:
    """`?period=2026-Q4`; by default (or when the key makes no sense) the quarter containing today."""
    default = Period.containing(today, "Q")
    key = request.GET.get("period", "").strip()
    if not key:
        return default
    try:
        return Period.parse(key)
    except ValueError:
        if warn:
            messages.warning(
                request,
                _("“%(key)s” is not a reporting period (e.g. 2026-Q1, 2026-H1, 2026-Y): showing %(period)s.")
                % {"key": key[:20], "period": default.short_label},
            )
        return default


def _status(request) -> str:
    status = request.GET.get("status", "")
    return status if status in selectors.FILTER_KEYS else ""


@login_required
@require_GET
def dashboard(request, org_pk):
    organization = access.get_organization_for(request.user, org_pk, action="dashboard")
    today = timezone.localdate()
    period = _period(request, today, warn=True)
    status = _status(request)
    board = selectors.dashboard(organization, period=period, today=today)
    rows = board.filtered(status)
    totals = board.totals
    context = {
        "organization": organization,
        "board": board,
        "period": period,
        "status": status,
        "rows": rows,
        "rows_html": rows_html(rows),
        "periods": selectors.period_choices(today, period),
        "filters": selectors.filter_choices(),
        "summary": [
            ("", _("Unions"), totals.children, "secondary"),
            ("submitted", _("Submitted"), totals.submitted, "primary"),
            ("on_time", _("On time"), totals.on_time, "success"),
            ("late", _("Late"), totals.late, "warning"),
            ("overdue", _("Overdue"), totals.overdue, "danger"),
            ("not_started", _("Not started"), totals.not_started, "secondary"),
        ],
        "calendar_url": selectors.safe_reverse("targets:calendar", organization.pk),
    }
    return render(request, "targets/dashboard.html", context)


def rows_html(rows: list[selectors.ChildRow]) -> SafeString:
    """The table's rows (`<tr>` for each union): the markup of `targets/dashboard.html`'s table, written here
    because 500 rows through the template engine take longer than everything else on the page. Every text is
    escaped (`html.escape`, as the templates do); dashboard.css styles the bare `small`s and classes."""
    e = escape
    all_reports, not_in_force = e(_("All reports")), e(_("not in force for this period"))
    no_report, no_plan, sent_on, from_report = (
        e(_("No report yet")),
        e(_("No plan sent")),
        e(_("sent on")),
        e(_("from the report of")),
    )
    out = []
    add = out.append
    for row in rows:
        unit = row.organization
        add(f'<tr data-organization="{unit.pk}" data-status="{row.status}"><th scope="row">')
        add(f'<a href="{e(row.organization_url or "")}">{e(unit.display_name)}</a>')
        if row.reports_url:
            add(f'<small><a href="{e(row.reports_url)}">{all_reports}</a></small>')
        plan = row.plan
        if plan:
            add(f'</th><td><a href="{e(row.plan_url)}">{e(plan.get_status_display())}</a>')
            if plan.number:
                add(f' <small class="ref">{e(plan.reference)}</small>')
            if not row.plan_in_force:
                add(f"<small>{not_in_force}</small>")
        else:
            add(f'</th><td><span class="text-body-secondary">{no_plan}</span>')
        label = e(row.status_label)
        if row.report_url:
            label = f'<a href="{e(row.report_url)}">{label}</a>'
        add(f'</td><td><span class="badge text-bg-{row.badge}" data-report-status>{label}</span>')
        if row.deadline_label:
            overdue = ' class="overdue"' if row.overdue_days else ""
            add(f"<small{overdue} data-deadline>{e(row.deadline_label)}</small>")
        if row.submitted_on:
            add(f"<small>{sent_on} {row.submitted_on:%d/%m/%Y}</small>")
        if row.share_report:
            # the bar only draws the number written next to it (no role: a screen reader reads the number)
            width = row.share_width
            done = ' class="ok"' if width >= 100 else ""
            add(
                f'</td><td><div class="meter"><span class="bar"><span{done} style="width: {width}%"></span>'
                f"</span><span data-share>{row.met}/{row.counted} · {e(row.share_display)}</span></div>"
            )
            if row.share_from_earlier:
                add(f"<small>{from_report} {e(row.share_report.period_obj.short_label)}</small>")
            add("</td></tr>\n")
        else:
            add(f"</td><td><small>{no_report}</small></td></tr>\n")
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


def _text(value: str) -> str:
    """Text typed by users never becomes a spreadsheet formula (=, +, -, @ at the start)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def _ratio(value):
    """A percentage (55.5) as the fraction Excel formats as 55,5%."""
    return None if value is None else float(value) / 100


@login_required
@require_GET
def dashboard_xlsx(request, org_pk):
    """The table and the cascade as two sheets: Vietnamese headers, numbers as numbers, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    organization = access.get_organization_for(request.user, org_pk, action="dashboard")
    today = timezone.localdate()
    period = _period(request, today, warn=False)
    status = _status(request)
    board = selectors.dashboard(organization, period=period, today=today)
    bold = Font(bold=True)

    book = Workbook(write_only=True)  # streamed rows: 500 unions × 10 targets in a fraction of a second

    def sheet(title: str, widths: tuple, header: list):
        ws = book.create_sheet(title[:31])
        for index, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + index)].width = width
        ws.append([styled(ws, f"{organization.name} — {period.short_label}", font=bold)])
        ws.append([styled(ws, text, font=bold) for text in header])
        return ws

    def styled(ws, value, *, font=None, number_format=None):
        cell = WriteOnlyCell(ws, value=value)
        if font is not None:
            cell.font = font
        if number_format is not None:
            cell.number_format = number_format
        return cell

    units = sheet(
        _("Unions"),
        (6, 50, 16, 18, 22, 12, 12, 10, 10, 10, 10, 10),
        [
            _("No."), _("Union"), _("Plan"), _("Reference"), _("Report status"), _("Due date"),
            _("Submitted on"), _("Days late"), _("Days overdue"), _("Targets met"), _("Targets reported"),
            _("Share met"),
        ],
    )  # fmt: skip
    for number, row in enumerate(board.filtered(status), start=1):
        plan = row.plan
        units.append(
            [
                number,
                _text(row.organization.name),
                plan.get_status_display() if plan else _("No plan sent"),
                _text(plan.reference) if plan and plan.number else "",
                row.status_label,
                styled(units, row.due_on, number_format=DATE),
                styled(units, row.submitted_on, number_format=DATE),
                row.late_days or None,
                row.overdue_days or None,
                row.met if row.share_report else None,
                row.counted if row.share_report else None,
                styled(units, _ratio(row.share), number_format=PERCENT),
            ]
        )

    cascade = sheet(
        _("Upper union's targets"),
        (50, 14, 45, 45, 10, 10, 10),
        [_("Target"), _("Unit"), _("Union"), _("Union's target"), _("Goal"), _("Reached"), _("Share")],
    )
    for item in board.cascade:
        target = item.target
        totals = [_text(target.text), target.unit, _("Total"), "", item.goal, item.total]
        cascade.append(
            [styled(cascade, value, font=bold) for value in totals]
            + [styled(cascade, _ratio(item.share), font=bold, number_format=PERCENT)]
        )
        for contribution in item.contributions:
            ratio = _ratio(selectors.share(contribution.reached or 0, contribution.goal))
            cascade.append(
                [
                    _text(target.text),
                    target.unit,
                    _text(contribution.organization.name),
                    _text(contribution.text),
                    contribution.goal,
                    contribution.reached,
                    styled(cascade, ratio, number_format=PERCENT),
                ]
            )

    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="theo-doi-{organization.pk}-{period.key}.xlsx"'
    return response
