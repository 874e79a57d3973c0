"""Budget pages: the year's budget against actual (the union's officers see it, the treasurer, chair and vice
chair edit the estimates), its Excel file, the public disclosure (PDF and Excel), and the upper union's totals
for the grassroots unions below it (totals by line only, never an entry or a member).

Every view fetches through `members.access` (outside scope → 404, wrong role → 403) and costs a fixed number
of queries. Bad input answers 422 with what was typed; a stale save of the estimates answers 409, the typed
values still in the form.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from finance import disclosure, exports
from finance.budget import budget
from finance.budget_forms import BudgetForm, StaleBudget, budget_ledgers, budget_save, budget_stamp
from finance.ledgers import official_ledger
from finance.models import BudgetLine
from members import access

CONFLICT, INVALID = 409, 422
FIRST_YEAR = 2000
PDF = "application/pdf"


def _year(request, today: datetime.date) -> int:
    """`?year=2026`; this year when missing or out of range."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return today.year
    return year if FIRST_YEAR <= year <= today.year + 1 else today.year


def _years(today: datetime.date) -> list[int]:
    return list(range(today.year + 1, max(FIRST_YEAR, today.year - 10) - 1, -1))


def _means(request) -> str:
    means = request.GET.get("means", "")
    return means if means in disclosure.MEANS else disclosure.DEFAULT_MEANS


def _download(data: bytes, content_type: str, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def budget_page(request, org_pk):
    organization = access.get_organization_for(request.user, org_pk, action="view_books")
    today = timezone.localdate()
    year = _year(request, today)
    data = budget(organization, year)
    context = {
        "organization": organization,
        "year": year,
        "years": _years(today),
        "budget": data,
        "tables": [disclosure.ledger_table(ledger_budget) for ledger_budget in data.ledgers],
        "can_edit": access.can(request.user, "keep_books", organization),
        "means": disclosure.means_choices(),
        "until": today if today < datetime.date(year, 12, 31) else None,
    }
    return render(request, "finance/budget/budget.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def budget_edit(request, org_pk):
    """The year's estimates per ledger and line. The official ledger is opened here if it is not yet."""
    organization = access.get_organization_for(request.user, org_pk, action="keep_books")
    today = timezone.localdate()
    year = _year(request, today)
    official_ledger(organization)
    ledgers = budget_ledgers(organization, year)
    ids = [ledger.pk for ledger in ledgers]

    def current():
        return list(BudgetLine.objects.filter(ledger__in=ids, year=year)), budget_stamp(ids, year)

    lines, stamp = current()
    status, conflict = 200, None
    if request.method == "POST":
        form = BudgetForm(request.POST, ledgers=ledgers, lines=lines, stamp=stamp)
        if not form.is_valid():
            status = INVALID
        else:
            try:
                changed = budget_save(
                    organization=organization,
                    year=year,
                    ledgers=ledgers,
                    values=form.values(),
                    expected_stamp=form.cleaned_data["stamp"],
                    by=request.user,
                )
            except StaleBudget:
                lines, stamp = current()
                data = request.POST.copy()
                data["stamp"] = stamp  # saving again now puts the typed values on top of theirs
                form = BudgetForm(data, ledgers=ledgers, lines=lines, stamp=stamp)
                form.is_valid()
                status = CONFLICT
                conflict = _(
                    "Someone else saved this year's estimates in the meantime. Your figures are still in "
                    "the form and have not been saved yet: the amounts saved now are shown under each "
                    "line. Check them, then save again."
                )
            else:
                if changed:
                    messages.success(request, _("The estimates were saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect(f"{reverse('finance:budget', args=[organization.pk])}?year={year}")
    else:
        form = BudgetForm(ledgers=ledgers, lines=lines, stamp=stamp)
    context = {
        "organization": organization,
        "year": year,
        "years": _years(today),
        "form": form,
        "sections": form.sections(),
        "conflict": conflict,
    }
    return render(request, "finance/budget/budget_edit.html", context, status=status)


@login_required
@require_GET
def budget_xlsx(request, org_pk):
    organization = access.get_organization_for(request.user, org_pk, action="view_books")
    year = _year(request, timezone.localdate())
    data = exports.budget_workbook(organization, budget(organization, year))
    return _download(data, exports.XLSX, f"du-toan-quyet-toan-{year}-{organization.pk}.xlsx")


def _disclosure(request, org_pk) -> dict:
    organization = access.get_organization_for(request.user, org_pk, action="view_books")
    today = timezone.localdate()
    year = _year(request, today)
    return disclosure.disclosure_context(organization, year, today=today, means=_means(request))


@login_required
@require_GET
def disclosure_pdf(request, org_pk):
    context = _disclosure(request, org_pk)
    name = disclosure.filename(context["organization"], context["year"], "pdf")
    return _download(disclosure.render_pdf(context), PDF, name, inline=True)


@login_required
@require_GET
def disclosure_xlsx(request, org_pk):
    context = _disclosure(request, org_pk)
    name = disclosure.filename(context["organization"], context["year"], "xlsx")
    return _download(exports.disclosure_workbook(context), exports.XLSX, name)


@login_required
@require_GET
def finance_totals(request, org_pk):
    """For an upper union: each grassroots union below it, its year's totals (no entry, no member)."""
    organization = access.get_organization_for(request.user, org_pk, action="finance_totals")
    today = timezone.localdate()
    year = _year(request, today)
    totals = disclosure.union_totals(organization, year)
    context = {"organization": organization, "year": year, "years": _years(today), "totals": totals}
    return render(request, "finance/budget/totals.html", context)


@login_required
@require_GET
def finance_totals_xlsx(request, org_pk):
    organization = access.get_organization_for(request.user, org_pk, action="finance_totals")
    year = _year(request, timezone.localdate())
    data = exports.totals_workbook(organization, disclosure.union_totals(organization, year))
    return _download(data, exports.XLSX, f"tai-chinh-don-vi-truc-thuoc-{year}-{organization.pk}.xlsx")
