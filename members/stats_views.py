"""Exports of the roll and of welfare records (personal data: the union's own officers, each export logged),
the union's export log (its committee), and the statistics of members and of welfare for a union or for all
unions below an upper union (counts and amounts only: the union's officers and the reviewers above), as a
page, an official BÁO CÁO in PDF and an Excel file.

Every view costs a fixed number of queries whatever the number of unions or members.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from members import access, exports, stats
from members.models import Officer, Organization, PersonalDataExport
from members.roll_views import RollFilter

PDF = "application/pdf"
FIRST_YEAR = 2000
LOG_PAGE_SIZE = 50


def _year(request, today: datetime.date) -> int:
    """`?year=2026`; this year when missing or out of range."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return today.year
    return year if FIRST_YEAR <= year <= today.year + 1 else today.year


def _years(today: datetime.date) -> list[int]:
    return list(range(today.year + 1, max(FIRST_YEAR, today.year - 10) - 1, -1))


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------------------------ personal data exports


@login_required
@require_GET
def roll_export(request, pk):
    """The roll as filtered on the roll page (same form, same query string), as .xlsx; logged."""
    organization = access.get_organization_for(request.user, pk, action="view_members")
    form = RollFilter(request.GET or None, organization=organization)
    members = form.apply(organization.members.select_related("union_group"), timezone.localdate())
    data, count = exports.roll_workbook(members)
    query = request.GET.copy()
    query.pop("page", None)
    exports.export_log(
        organization=organization,
        user=request.user,
        kind=PersonalDataExport.Kind.ROLL,
        rows=count,
        filters=query.urlencode(),
    )
    return _download(data, exports.XLSX, f"danh-sach-doan-vien-{organization.pk}.xlsx")


@login_required
@require_GET
def welfare_export(request, pk):
    """A year's welfare records of the union, cancelled ones marked, as .xlsx; logged."""
    organization = access.get_organization_for(request.user, pk, action="view_members")
    year = _year(request, timezone.localdate())
    records = (
        organization.welfare_records.filter(on__year=year)
        .select_related("member", "family_member")
        .order_by("on", "number", "pk")
    )
    data, count = exports.welfare_workbook(records, year)
    exports.export_log(
        organization=organization,
        user=request.user,
        kind=PersonalDataExport.Kind.WELFARE,
        rows=count,
        filters=f"year={year}",
    )
    return _download(data, exports.XLSX, f"phuc-loi-{organization.pk}-{year}.xlsx")


@login_required
@require_GET
def export_log(request, pk):
    """Who took which personal data of the union, and when: for its committee."""
    organization = access.get_organization_for(request.user, pk, action="manage_members")
    entries = organization.exports.select_related("user").order_by("-at", "-pk")
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"organization": organization, "page": page}
    return render(request, "members/reports/export_log.html", context)


# ------------------------------------------------------------------------------------------------ statistics


def _signer(organization: Organization) -> str:
    chair = (
        organization.officers.active()
        .filter(role__in=[Officer.Role.CHAIR, Officer.Role.LEADER])
        .select_related("user")
        .order_by("role", "start_on")
        .first()
    )
    return chair.user.get_full_name() if chair else ""


def _document(organization: Organization, today: datetime.date, title: str) -> dict:
    """What the official header and signature need (FORMAT.md): a BÁO CÁO without a number yet."""
    from plans.models import header_lines, place_and_date
    from plans.rendering import LAYOUT

    governing, issuer = header_lines(organization)
    doc = {
        "reference": f"    /BC-{organization.symbol}",
        "place_and_date": place_and_date(organization.locality or "", today),
        "signature_authority": "TM. BAN CHẤP HÀNH" if organization.is_grassroots else "TM. BAN THƯỜNG VỤ",
        "signature_title": "CHỦ TỊCH",
        "signer_name": _signer(organization),
        "title": title,
    }
    return {"layout": LAYOUT, "header": {"governing": governing, "issuer": issuer}, "doc": doc}


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    from plans import markup
    from plans.rendering import _static_only_fetcher

    with translation.override("vi"):
        html = markup.normalize(render_to_string(template, context))
    return HTML(string=html, base_url="static://", url_fetcher=_static_only_fetcher()).write_pdf()


def _member_stats(request, pk):
    organization = access.get_organization_for(request.user, pk, action="member_stats")
    today = timezone.localdate()
    year = _year(request, today)
    return organization, today, stats.member_stats(organization, year=year, today=today)


@login_required
@require_GET
def member_stats(request, pk):
    organization, today, data = _member_stats(request, pk)
    context = {"organization": organization, "stats": data, "years": _years(today)}
    return render(request, "members/reports/member_stats.html", context)


@login_required
@require_GET
def member_stats_pdf(request, pk):
    organization, today, data = _member_stats(request, pk)
    title = f"Thống kê đoàn viên năm {data.year}"
    context = {"stats": data, **_document(organization, today, title)}
    pdf = _pdf("members/reports/member_stats_document.html", context)
    return _download(pdf, PDF, f"thong-ke-doan-vien-{organization.pk}-{data.year}.pdf")


@login_required
@require_GET
def member_stats_xlsx(request, pk):
    organization, _today, data = _member_stats(request, pk)
    workbook = exports.member_stats_workbook(data)
    return _download(workbook, exports.XLSX, f"thong-ke-doan-vien-{organization.pk}-{data.year}.xlsx")


def _welfare_stats(request, pk):
    organization = access.get_organization_for(request.user, pk, action="member_stats")
    today = timezone.localdate()
    return organization, today, stats.welfare_stats(organization, year=_year(request, today))


@login_required
@require_GET
def welfare_stats(request, pk):
    organization, today, data = _welfare_stats(request, pk)
    context = {"organization": organization, "stats": data, "years": _years(today), "months": stats.MONTHS}
    return render(request, "members/reports/welfare_stats.html", context)


@login_required
@require_GET
def welfare_stats_pdf(request, pk):
    organization, today, data = _welfare_stats(request, pk)
    title = f"Thống kê công tác chăm lo, phúc lợi đoàn viên năm {data.year}"
    context = {"stats": data, "months": stats.MONTHS, **_document(organization, today, title)}
    pdf = _pdf("members/reports/welfare_stats_document.html", context)
    return _download(pdf, PDF, f"thong-ke-phuc-loi-{organization.pk}-{data.year}.pdf")


@login_required
@require_GET
def welfare_stats_xlsx(request, pk):
    organization, _today, data = _welfare_stats(request, pk)
    workbook = exports.welfare_stats_workbook(data)
    return _download(workbook, exports.XLSX, f"thong-ke-phuc-loi-{organization.pk}-{data.year}.xlsx")
