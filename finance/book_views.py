"""The treasurer's books in the browser: ledgers, cash books (page and Excel), posting and reversing entries,
vouchers (PDF), closed months, the dues sheet (page, marking, Excel), dues exemptions and remittances to the
upper union.

Every view fetches its union through `members.access` (outside scope → 404, wrong role → 403) and its objects
inside that union; then form → service (finance.ledgers, finance.collection) → redirect. Bad input, and a rule
the service refuses (a closed month…), re-render the form with the message and status 422.

- `view_books`: any officer of the grassroots union sees its books, entries (they name members) and vouchers;
- `keep_books`: its treasurer, chair or vice chair posts, reverses, closes months, marks dues paid and records
  dues exemptions;
- `finance_totals`: the union above sees, per grassroots union below it (every level down), what is owed and
  what was remitted for a quarter; totals only, never an entry.
"""

from __future__ import annotations

import datetime
import io
import unicodedata

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finance import vouchers
from finance.book_forms import (
    DuesMarkForm,
    EntryForm,
    ExemptionForm,
    FundForm,
    MonthForm,
    PeriodForm,
    RemittanceForm,
    ReverseForm,
    parse_month,
)
from finance.cashbook import cash_book as read_cash_book
from finance.collection import collection, dues_mark_paid, exemption_add, exemption_remove
from finance.ledgers import entry_post, entry_reverse, month_close, official_ledger
from finance.models import Category, DuesExemption, Ledger, Transaction
from finance.remittances import remittances as read_remittances
from finance.rules import RuleMissing
from finance.templatetags.money import format_vnd
from members import access
from members.exports import export_log
from members.models import Organization, PersonalDataExport
from targets.periods import Period

INVALID = 422
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE = "DD/MM/YYYY"
MONEY = "#,##0"
D = Transaction.Direction


def _add_errors(form, error: ValidationError) -> None:
    """A service's refusal on the form: under the field it names when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _text(value: str) -> str:
    """Text typed by users never becomes a spreadsheet formula (=, +, -, @ at the start)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def _entries(organization: Organization):
    return Transaction.objects.filter(ledger__organization=organization)


def _xlsx_response(book, filename: str) -> HttpResponse:
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ------------------------------------------------------------------------------------------------- ledgers


@login_required
@require_GET
def ledgers(request, pk):
    organization = access.get_organization_for(request.user, pk, action="view_books")
    books = list(
        Ledger.objects.filter(organization=organization).annotate(total=Coalesce(Sum("entries__effect"), 0))
    )
    if not any(book.kind == Ledger.Kind.OFFICIAL for book in books):
        book = official_ledger(organization)  # the union's finance is opened on the first visit
        book.total = 0
        books.append(book)
    books.sort(key=lambda book: (book.kind != Ledger.Kind.OFFICIAL, book.name))
    context = {
        "organization": organization,
        "books": books,
        "total": sum(book.total for book in books),
        "can_keep": access.can(request.user, "keep_books", organization),
    }
    return render(request, "finance/books/ledgers.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def fund_create(request, pk):
    organization = access.get_organization_for(request.user, pk, action="keep_books")
    form = FundForm(
        request.POST or None, organization=organization, initial={"opened_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            fund = Ledger.objects.create(
                organization=organization,
                kind=Ledger.Kind.FUND,
                name=form.cleaned_data["name"],
                opened_on=form.cleaned_data["opened_on"],
                welfare_occasions=form.cleaned_data["welfare_occasions"],
            )
        except IntegrityError:  # the same name saved a moment ago
            form.add_error("name", _("This union already has a ledger with that name."))
        else:
            messages.success(request, _("The fund “%(name)s” was opened.") % {"name": fund.name})
            return redirect("finance:cash_book", organization.pk, fund.pk)
    status = INVALID if request.method == "POST" else 200
    return render(
        request, "finance/books/fund_form.html", {"organization": organization, "form": form}, status=status
    )


# ----------------------------------------------------------------------------------------------- cash book


def _ledger(organization: Organization, ledger_pk: int) -> Ledger:
    return get_object_or_404(Ledger.objects.filter(organization=organization), pk=ledger_pk)


@login_required
@require_GET
def cash_book(request, pk, ledger_pk):
    organization = access.get_organization_for(request.user, pk, action="view_books")
    ledger = _ledger(organization, ledger_pk)
    form = PeriodForm(request.GET or None)
    span = form.span(timezone.localdate())
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 1
    book = read_cash_book(ledger, span.start, span.end, page=page)
    reversed_ids = set(
        Transaction.objects.filter(reverses__in=[row.entry.pk for row in book.rows]).values_list(
            "reverses_id", flat=True
        )
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "organization": organization,
        "ledger": ledger,
        "form": form,
        "span": span,
        "book": book,
        "rows": [(row, row.entry.pk in reversed_ids) for row in book.rows],
        "query": query.urlencode(),
        "can_keep": access.can(request.user, "keep_books", organization),
    }
    return render(request, "finance/books/cash_book.html", context)


@login_required
@require_GET
def cash_book_xlsx(request, pk, ledger_pk):
    """Every row of the period (not only one page), with the opening, the totals and the closing balance."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    organization = access.get_organization_for(request.user, pk, action="view_books")
    ledger = _ledger(organization, ledger_pk)
    span = PeriodForm(request.GET or None).span(timezone.localdate())
    book = read_cash_book(ledger, span.start, span.end, per_page=None)
    bold = Font(bold=True)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Cash book")[:31]
    for column, width in zip("ABCDEFGH", (16, 12, 50, 30, 16, 16, 16, 24), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append([_text(f"{organization.name} — {ledger.name} — {span.label}")])
    sheet["A1"].font = bold
    header = [
        _("Voucher"), _("Date"), _("Description"), _("Payer or payee"), _("Receipt"), _("Payment"),
        _("Balance"), _("Note"),
    ]  # fmt: skip
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = bold
    sheet.append(["", None, _("Opening balance of the period"), "", None, None, book.opening, ""])
    reversed_ids = set(
        Transaction.objects.filter(ledger=ledger, reverses__isnull=False).values_list(
            "reverses_id", flat=True
        )
    )
    for row in book.rows:
        entry = row.entry
        note = ""
        if entry.reverses_id:
            note = _("Reverses %(voucher)s") % {"voucher": entry.reverses.voucher}
        elif entry.pk in reversed_ids:
            note = _("Reversed")
        sheet.append(
            [
                entry.voucher,
                entry.on,
                _text(entry.description),
                _text(entry.member.full_name if entry.member else entry.counterparty),
                row.receipt,
                row.payment,
                row.balance,
                note,
            ]
        )
    sheet.append(["", None, _("Total"), "", book.receipts, book.payments, None, ""])
    sheet.append(["", None, _("Closing balance of the period"), "", None, None, book.closing, ""])
    for row in sheet.iter_rows(min_row=3):
        row[1].number_format = DATE
        for cell in row[4:7]:
            cell.number_format = MONEY
    for cell in sheet[sheet.max_row - 1] + sheet[sheet.max_row]:
        cell.font = bold
    export_log(
        organization=organization, user=request.user, kind=PersonalDataExport.Kind.CASH_BOOK,
        rows=len(book.rows), filters=request.GET.urlencode(),
    )  # fmt: skip
    name = f"so-quy-{ledger.pk}-{span.start:%Y%m%d}-{span.end:%Y%m%d}.xlsx"
    return _xlsx_response(workbook, name)


# ------------------------------------------------------------------------------------------------- entries


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request, pk, ledger_pk):
    """A receipt (`?direction=income`, the default) or a payment (`?direction=expense`)."""
    organization = access.get_organization_for(request.user, pk, action="keep_books")
    ledger = _ledger(organization, ledger_pk)
    direction = request.GET.get("direction", D.INCOME)
    if direction not in D.values:
        raise Http404("no such direction")
    form = EntryForm(
        request.POST or None,
        request.FILES or None,
        organization=organization,
        direction=direction,
        initial={"on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = entry_post(
                ledger=ledger,
                direction=direction,
                category=data["category"],
                on=data["on"],
                amount=data["amount"],
                description=data["description"],
                by=request.user,
                member=data["member"],
                counterparty=data["counterparty"].strip(),
                attachment=data["attachment"],
            )
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            messages.success(request, _("%(voucher)s was posted.") % {"voucher": entry.voucher})
            return redirect("finance:entry_detail", organization.pk, entry.pk)
    context = {"organization": organization, "ledger": ledger, "form": form, "direction": direction}
    status = INVALID if request.method == "POST" else 200
    return render(request, "finance/books/entry_form.html", context, status=status)


def _entry(organization: Organization, entry_pk: int) -> Transaction:
    entries = _entries(organization).select_related("ledger", "member__union_group", "reverses", "created_by")
    return get_object_or_404(entries, pk=entry_pk)


def _entry_page(request, organization, entry, form=None, status=200):
    reversal = Transaction.objects.filter(reverses=entry).first()
    can_keep = access.can(request.user, "keep_books", organization)
    can_reverse = can_keep and reversal is None and entry.reverses_id is None
    context = {
        "organization": organization,
        "entry": entry,
        "reversal": reversal,
        "can_reverse": can_reverse,
        "form": form or (ReverseForm() if can_reverse else None),
    }
    return render(request, "finance/books/entry_detail.html", context, status=status)


@login_required
@require_GET
def entry_detail(request, pk, entry_pk):
    organization = access.get_organization_for(request.user, pk, action="view_books")
    return _entry_page(request, organization, _entry(organization, entry_pk))


@login_required
@require_POST
def entry_reverse_view(request, pk, entry_pk):
    organization = access.get_organization_for(request.user, pk, action="keep_books")
    entry = _entry(organization, entry_pk)
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            reversal = entry_reverse(
                entry=entry, by=request.user, reason=form.cleaned_data["reason"], on=form.cleaned_data["on"]
            )
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            messages.success(
                request,
                _("%(voucher)s was reversed by %(reversal)s.")
                % {"voucher": entry.voucher, "reversal": reversal.voucher},
            )
            return redirect("finance:entry_detail", organization.pk, reversal.pk)
    return _entry_page(request, organization, entry, form=form, status=INVALID)


@login_required
@require_GET
def entry_voucher(request, pk, entry_pk):
    organization = access.get_organization_for(request.user, pk, action="view_books")
    try:
        entry = vouchers.entry_for_voucher(_entries(organization), entry_pk)
    except Transaction.DoesNotExist:
        raise Http404("no such entry") from None
    response = HttpResponse(vouchers.render_pdf(entry), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{vouchers.filename(entry)}"'
    return response


@login_required
@require_GET
def entry_attachment(request, pk, entry_pk):
    organization = access.get_organization_for(request.user, pk, action="view_books")
    entry = get_object_or_404(_entries(organization), pk=entry_pk)
    if not entry.attachment:
        raise Http404("no attachment")
    try:
        handle = entry.attachment.open("rb")
    except FileNotFoundError:
        raise Http404("file missing") from None
    name = entry.attachment.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=f"{entry.voucher}-{name}")


# ------------------------------------------------------------------------------------------- closed months


def _months_page(request, organization, form, status=200):
    context = {
        "organization": organization,
        "closed": organization.closed_months.select_related("closed_by").order_by("-month"),
        "form": form,
        "can_keep": access.can(request.user, "keep_books", organization),
    }
    return render(request, "finance/books/closed_months.html", context, status=status)


@login_required
@require_GET
def closed_months(request, pk):
    organization = access.get_organization_for(request.user, pk, action="view_books")
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    return _months_page(request, organization, MonthForm(initial={"month": last_month}))


@login_required
@require_http_methods(["GET", "POST"])
def month_close_view(request, pk):
    """GET `?month=2026-03`: what closing means, and the button; POST: close it."""
    organization = access.get_organization_for(request.user, pk, action="keep_books")
    form = MonthForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return _months_page(request, organization, form, status=INVALID if request.method == "POST" else 200)
    month = form.cleaned_data["month"]
    if request.method == "POST":
        try:
            month_close(organization=organization, month=month, by=request.user)
        except ValidationError as refused:
            _add_errors(form, refused)
            return _months_page(request, organization, form, status=INVALID)
        messages.success(request, _("The books of %(month)s are closed.") % {"month": f"{month:%m/%Y}"})
        return redirect("finance:closed_months", organization.pk)
    context = {
        "organization": organization,
        "form": form,
        "month": month,
        "entries": _entries(organization).filter(on__year=month.year, on__month=month.month).count(),
    }
    return render(request, "finance/books/month_close.html", context)


# ----------------------------------------------------------------------------------------------- dues sheet


def _month(request, today: datetime.date) -> datetime.date:
    try:
        return parse_month(request.GET.get("month", ""))
    except ValueError:
        return today.replace(day=1)


def _sheet(organization, month):
    """The month's lines with their payments and totals, or the message saying why there is no sheet."""
    try:
        lines = collection(organization, month)
    except RuleMissing as missing:
        return (
            [],
            {"owed": 0, "paid": 0, "unpaid": 0, "unpaid_lines": 0, "exempt_lines": 0},
            missing.messages[0],
        )
    owed = sum(c.line.dues.amount for c in lines)
    paid = sum(c.payment.amount for c in lines if c.paid)
    unpaid_lines = sum(1 for c in lines if not c.paid and c.line.dues.amount > 0)
    exempt_lines = sum(1 for c in lines if c.line.dues.exempt)
    totals = {
        "owed": owed,
        "paid": paid,
        "unpaid": owed - paid,
        "unpaid_lines": unpaid_lines,
        "exempt_lines": exempt_lines,
    }
    return lines, totals, ""


SHEET_PAGE = 100  # lines a page: the totals and "mark all" are over the whole month


def _fold(text: str) -> str:
    """For searching names: lower case, without diacritics (“nguyen” finds “Nguyễn”, “dang” “Đặng”)."""
    text = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(char for char in text if not unicodedata.combining(char))


def _sheet_filter(request, organization):
    """`q` (part of a name) and `group` (a union group's id) from the query string; the groups to offer."""
    groups = list(organization.union_groups.order_by("name", "pk").values_list("pk", "name"))
    query = " ".join(request.GET.get("q", "").split())[:100]
    try:
        group = int(request.GET.get("group", ""))
    except ValueError:
        group = None
    if group not in {pk for pk, _name in groups}:
        group = None
    return query, group, groups


def _sheet_page(request, organization, month, form=None, status=200):
    lines, totals, missing = _sheet(organization, month)
    query, group, groups = _sheet_filter(request, organization)
    numbered = list(enumerate(lines, start=1))  # a line keeps its number in the whole sheet when filtered
    if query:
        folded = _fold(query)
        numbered = [(n, c) for n, c in numbered if folded in _fold(c.line.member.full_name)]
    if group is not None:
        numbered = [(n, c) for n, c in numbered if c.line.member.union_group_id == group]
    pages = max(1, -(-len(numbered) // SHEET_PAGE))
    try:
        page = min(max(1, int(request.GET.get("page", 1))), pages)
    except ValueError:
        page = 1
    can_keep = access.can(request.user, "keep_books", organization)
    context = {
        "organization": organization,
        "month": month,
        "lines": numbered[(page - 1) * SHEET_PAGE : page * SHEET_PAGE],
        "shown": len(numbered),
        "total_lines": len(lines),
        "page": page,
        "pages": pages,
        "query": query,
        "group": group,
        "groups": groups,
        "page_query": urlencode(
            {
                "month": f"{month:%Y-%m}",
                **({"q": query} if query else {}),
                **({"group": group} if group else {}),
            }
        ),
        "totals": totals,
        "missing": missing,
        "can_keep": can_keep,
        "form": form or DuesMarkForm(initial={"month": month, "method": "cash"}),
        "month_begun": month <= timezone.localdate().replace(day=1),
    }
    return render(request, "finance/books/dues_sheet.html", context, status=status)


@login_required
@require_GET
def dues_sheet(request, pk):
    organization = access.get_organization_for(request.user, pk, action="view_books")
    return _sheet_page(request, organization, _month(request, timezone.localdate()))


@login_required
@require_POST
def dues_mark(request, pk):
    """Mark the ticked lines (or, with `all`, every unpaid line) paid: one receipt for their total."""
    organization = access.get_organization_for(request.user, pk, action="keep_books")
    form = DuesMarkForm(request.POST)
    if not form.is_valid():
        month = form.cleaned_data.get("month") or timezone.localdate().replace(day=1)
        return _sheet_page(request, organization, month, form=form, status=INVALID)
    data = form.cleaned_data
    try:
        receipt = dues_mark_paid(
            organization=organization,
            month=data["month"],
            by=request.user,
            method=data["method"],
            member_ids=None if data["all"] else data["members"],
        )
    except ValidationError as refused:
        _add_errors(form, refused)
        return _sheet_page(request, organization, data["month"], form=form, status=INVALID)
    messages.success(
        request,
        _("%(count)s lines marked paid: receipt %(voucher)s for %(amount)s.")
        % {
            "count": receipt.dues_payments.count(),
            "voucher": receipt.voucher,
            "amount": format_vnd(receipt.amount),
        },
    )
    url = reverse("finance:dues_sheet", args=[organization.pk])
    return redirect(f"{url}?{urlencode({'month': data['month'].strftime('%Y-%m')})}")


@login_required
@require_GET
def dues_xlsx(request, pk):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    organization = access.get_organization_for(request.user, pk, action="view_books")
    month = _month(request, timezone.localdate())
    lines, totals, missing = _sheet(organization, month)
    groups = dict(organization.members.values_list("pk", "union_group__name"))
    bold = Font(bold=True)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Dues sheet")[:31]
    for column, width in zip("ABCDEFGHIJ", (6, 32, 22, 16, 10, 14, 14, 18, 16, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append([_text(f"{organization.name} — {_('Dues sheet')} {month:%m/%Y}")])
    sheet["A1"].font = bold
    if missing:
        sheet.append([missing])
    sheet.append(
        [
            _("No."), _("Full name"), _("Union group"), _("Salary basis"), _("Rate"), _("Dues"), _("Paid"),
            _("Paid by"), _("Receipt"), _("Receipt date"),
        ]
    )  # fmt: skip
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for number, collected in enumerate(lines, start=1):
        line, payment = collected.line, collected.payment
        sheet.append(
            [
                number,
                _text(line.member.full_name),
                _text(groups.get(line.member.pk) or ""),
                line.dues.basis or None,
                line.dues.rate_label,
                line.dues.amount,
                payment.amount if payment else None,
                payment.get_method_display() if payment else "",
                payment.entry.voucher if payment else "",
                payment.entry.on if payment else None,
            ]
        )
        row = sheet[sheet.max_row]
        for cell in (row[3], row[5], row[6]):
            cell.number_format = MONEY
        row[9].number_format = DATE
    sheet.append(["", _("Total owed"), "", None, "", totals["owed"], totals["paid"], "", "", None])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
        cell.number_format = MONEY
    export_log(
        organization=organization, user=request.user, kind=PersonalDataExport.Kind.DUES, rows=len(lines),
        filters=request.GET.urlencode(),
    )  # fmt: skip
    return _xlsx_response(workbook, f"doan-phi-{organization.pk}-{month:%Y-%m}.xlsx")


# ---------------------------------------------------------------------------------------------- exemptions


def _exemptions_page(request, organization, form=None, status=200):
    """Every exemption of the union's roll, latest months first, with whether a closed month holds it."""
    exemptions = list(
        DuesExemption.objects.filter(member__organization=organization)
        .select_related("member")
        .only("start", "end", "reason", "note", "member__full_name")
        .order_by("-start", "member__full_name", "pk")
    )
    closed = set(organization.closed_months.values_list("month", flat=True))
    can_keep = access.can(request.user, "keep_books", organization)
    rows = [(e, any(e.start <= month <= e.end for month in closed)) for e in exemptions]
    if can_keep and form is None:
        initial = {"start": timezone.localdate().replace(day=1), "end": timezone.localdate().replace(day=1)}
        if request.GET.get("member", "").isdigit():
            initial["member"] = int(request.GET["member"])
        form = ExemptionForm(organization=organization, initial=initial)
    context = {"organization": organization, "rows": rows, "form": form, "can_keep": can_keep}
    return render(request, "finance/books/exemptions.html", context, status=status)


@login_required
@require_GET
def exemptions(request, pk):
    """The months members of the union's roll owe no dues (RULES.md: social-insurance benefits, or no work and
    no income); the treasurer adds and removes them here (`?member=<id>` chooses the member of the form)."""
    organization = access.get_organization_for(request.user, pk, action="view_books")
    return _exemptions_page(request, organization)


@login_required
@require_POST
def exemption_add_view(request, pk):
    organization = access.get_organization_for(request.user, pk, action="keep_books")
    form = ExemptionForm(request.POST, organization=organization)
    if form.is_valid():
        data = form.cleaned_data
        try:
            exemption = exemption_add(
                member=data["member"], start=data["start"], end=data["end"], reason=data["reason"],
                note=data["note"], by=request.user,
            )  # fmt: skip
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            messages.success(
                request,
                _("%(name)s is exempt from dues from %(start)s to %(end)s.")
                % {
                    "name": exemption.member.full_name,
                    "start": f"{exemption.start:%m/%Y}",
                    "end": f"{exemption.end:%m/%Y}",
                },
            )
            return redirect("finance:exemptions", organization.pk)
    return _exemptions_page(request, organization, form=form, status=INVALID)


@login_required
@require_POST
def exemption_remove_view(request, pk, exemption_pk):
    organization = access.get_organization_for(request.user, pk, action="keep_books")
    exemption = get_object_or_404(
        DuesExemption.objects.filter(member__organization=organization).select_related("member"),
        pk=exemption_pk,
    )
    try:
        exemption_remove(exemption=exemption, by=request.user)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
        return _exemptions_page(request, organization, status=INVALID)
    messages.success(
        request,
        _("The exemption of %(name)s from %(start)s to %(end)s was removed.")
        % {
            "name": exemption.member.full_name,
            "start": f"{exemption.start:%m/%Y}",
            "end": f"{exemption.end:%m/%Y}",
        },
    )
    return redirect("finance:exemptions", organization.pk)


# ---------------------------------------------------------------------------------------------- remittances


def _year(request, today: datetime.date) -> int:
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 1990 <= year <= 2100 else today.year


def _quarter(value: str, today: datetime.date) -> Period:
    """`2026-Q1`; by default (or for a key that is not a quarter) the quarter containing today."""
    try:
        period = Period.parse(value)
    except ValueError:
        return Period.containing(today, "Q")
    return period if period.kind == "Q" else Period.containing(today, "Q")


@login_required
@require_GET
def remittances(request, pk):
    """A grassroots union's quarters of a year: collected, owed to the union above, remitted, outstanding."""
    organization = access.get_organization_for(request.user, pk, action="view_books")
    today = timezone.localdate()
    year = _year(request, today)
    rows = [
        (
            quarter,
            read_remittances([organization.pk], quarter.start, quarter.end, quarter.key)[organization.pk],
        )
        for quarter in Period.all_in(year, "Q")
    ]
    fields = ("dues_collected", "dues_owed", "kpcd_collected", "kpcd_owed", "owed", "paid", "outstanding")
    context = {
        "organization": organization,
        "year": year,
        "years": range(today.year, today.year - 6, -1),
        "rows": rows,
        "totals": {field: sum(getattr(r, field) for _q, r in rows) for field in fields},
        "can_keep": access.can(request.user, "keep_books", organization),
        "today": today,
    }
    return render(request, "finance/books/remittances.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def remittance_post(request, pk):
    """Post the payment of a quarter's remittance to the union above (`?quarter=2026-Q1`): a PHIẾU CHI."""
    organization = access.get_organization_for(request.user, pk, action="keep_books")
    if organization.parent is None:
        raise Http404("no upper union")
    today = timezone.localdate()
    quarter = _quarter(request.GET.get("quarter", ""), today)
    due = read_remittances([organization.pk], quarter.start, quarter.end, quarter.key)[organization.pk]
    initial = {
        "on": today,
        "amount": max(due.outstanding, 0) or None,
        "description": _("Remittance of the union fee and dues for %(period)s to %(upper)s")
        % {"period": quarter.label, "upper": organization.parent.name},
    }
    form = RemittanceForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = entry_post(
                ledger=official_ledger(organization),
                direction=D.EXPENSE,
                category=Category.REMITTANCE,
                on=data["on"],
                amount=data["amount"],
                description=data["description"],
                by=request.user,
                counterparty=organization.parent.name,
                attachment=data["attachment"],
                period=quarter.key,
            )
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            messages.success(request, _("%(voucher)s was posted.") % {"voucher": entry.voucher})
            return redirect("finance:entry_detail", organization.pk, entry.pk)
    context = {"organization": organization, "quarter": quarter, "due": due, "form": form}
    status = INVALID if request.method == "POST" else 200
    return render(request, "finance/books/remittance_form.html", context, status=status)


@login_required
@require_GET
def remittances_below(request, pk):
    """The union above: every grassroots union below it (all levels down), owed against remitted for a
    quarter, and the totals. Names of unions and sums only: no entry, no member."""
    organization = access.get_organization_for(request.user, pk, action="finance_totals")
    if organization.is_grassroots:
        raise Http404("a grassroots union has no unions below")
    today = timezone.localdate()
    quarter = _quarter(request.GET.get("quarter", ""), today)
    root = Organization.objects.filter(pk=organization.pk).values("pk")
    units = list(
        Organization.objects.filter(access.descendant_ids(root), level=Organization.Level.GRASSROOTS)
        .only("pk", "name", "short_name", "closed_on")
        .order_by("name", "pk")
    )
    figures = read_remittances([unit.pk for unit in units], quarter.start, quarter.end, quarter.key)
    rows = [(unit, figures[unit.pk]) for unit in units]
    fields = ("dues_collected", "kpcd_collected", "owed", "paid", "outstanding")
    quarters = [Period(year, "Q", index) for year in (today.year, today.year - 1) for index in (4, 3, 2, 1)]
    context = {
        "organization": organization,
        "quarter": quarter,
        "quarters": [q for q in quarters if q.start <= today],
        "rows": rows,
        "totals": {field: sum(getattr(r, field) for _u, r in rows) for field in fields},
    }
    return render(request, "finance/books/remittances_below.html", context)
