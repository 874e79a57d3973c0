"""Welfare pages of a grassroots union: its spending rules, its records (list, new, detail, edit, cancel,
voucher PDF) and its gift campaigns (new with a preview, page, list to sign as PDF).

Every officer of the union sees them (`view_members`: they name members); its committee and treasurer write
(`manage_welfare`). Outside the user's scope → 404, in scope without the right → 403. Objects are looked up
within the union already checked. Bad input answers 422, a stale edit 409 (the typed values kept).
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import access, welfare_rendering, welfare_services
from members.models import GiftCampaign, Occasion, PersonalDataExport, WelfareRecord
from members.welfare_forms import CampaignForm, CancelForm, RecordFilter, RecordForm, SpendingRuleForm

CONFLICT, INVALID = 409, 422
PAGE_SIZE = 50
PREVIEW_ROWS = 1000
STANDING = Q(cancelled_at__isnull=True)


def _organization(request, pk, action):
    return access.get_organization_for(request.user, pk, action=action)


def _add_errors(form, error: ValidationError) -> None:
    """A service's error on the form: on its field when the form has it, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# ------------------------------------------------------------------------------------------ spending rules


def _rule_rows(organization, today: datetime.date):
    """The rules in force today (one per occasion that has one) and every line, newest first per occasion."""
    order = {value: index for index, value in enumerate(Occasion.values)}
    rules = sorted(
        organization.spending_rules.select_related("created_by"),
        key=lambda r: (order[r.occasion], -r.effective_from.toordinal(), -r.pk),
    )
    in_force = {}
    for rule in rules:
        if rule.effective_from <= today and rule.occasion not in in_force:
            in_force[rule.occasion] = rule
    history = []
    for rule in rules:
        if rule.effective_from > today:
            state = "upcoming"
        elif in_force.get(rule.occasion) is rule:
            state = "in_force"
        else:
            state = "replaced"
        history.append({"rule": rule, "state": state})
    return list(in_force.values()), history


@login_required
@require_GET
def rule_list(request, pk):
    organization = _organization(request, pk, "view_members")
    today = timezone.localdate()
    in_force, history = _rule_rows(organization, today)
    context = {
        "organization": organization,
        "today": today,
        "in_force": in_force,
        "history": history,
        "can_manage": access.can(request.user, "manage_members", organization),  # the committee's rules
    }
    return render(request, "members/welfare/rule_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rule_create(request, pk):
    organization = _organization(request, pk, "manage_members")
    form = SpendingRuleForm(request.POST or None, initial={"effective_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            welfare_services.rule_create(organization=organization, by=request.user, **form.cleaned_data)
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            messages.success(request, _("The amount was added to the union's spending rules."))
            return redirect("members:welfare_rules", organization.pk)
    status = INVALID if request.method == "POST" else 200
    return render(
        request, "members/welfare/rule_form.html", {"organization": organization, "form": form}, status=status
    )


# ------------------------------------------------------------------------------------------------ records


def _filter_data(request, today: datetime.date):
    """The filters as asked; with none, this year's records."""
    if any(key in request.GET for key in ("year", "month", "occasion", "q")):
        return request.GET
    return {"year": str(today.year)}


@login_required
@require_GET
def record_list(request, pk):
    organization = _organization(request, pk, "view_members")
    today = timezone.localdate()
    years = set(organization.welfare_records.order_by().values_list("year", flat=True).distinct())
    form = RecordFilter(_filter_data(request, today), years=sorted(years | {today.year}, reverse=True))
    records = form.apply(organization.welfare_records.all())
    totals = records.aggregate(
        count=Count("pk", filter=STANDING),
        amount=Sum("amount", filter=STANDING),
        cancelled=Count("pk", filter=~STANDING),
    )
    listed = records.select_related("member", "member__union_group", "family_member").order_by(
        "-on", "-year", "-number"
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "organization": organization,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "totals": totals,
        "can_manage": access.can(request.user, "manage_welfare", organization),
    }
    return render(request, "members/welfare/record_list.html", context)


def _dependent_context(
    form: RecordForm, organization, *, amount_typed: str = "", amount_auto: str = ""
) -> dict:
    """What the amount and family fields show for the member, occasion and date chosen so far: the member's
    family, and the amount of the rules in force (prefilled unless the user typed another)."""
    source = form.data if form.is_bound else form.initial
    occasion = source.get("occasion") or ""
    on = source.get("on")
    if isinstance(on, str):
        try:
            on = datetime.datetime.strptime(on.strip(), "%d/%m/%Y").date()
        except ValueError:
            on = None
    rule_amount = None
    if occasion in Occasion.values and isinstance(on, datetime.date):
        rule_amount = welfare_services.default_amount(organization, occasion, on)
    amount = amount_typed
    if rule_amount is not None and (not amount_typed or amount_typed == amount_auto):
        amount = str(rule_amount)
    return {
        "rule_amount": rule_amount,
        "rule_known": bool(occasion and on),
        "amount_value": amount,
        "amount_auto": str(rule_amount) if rule_amount is not None and amount == str(rule_amount) else "",
        "needs_child": occasion in Occasion.for_children(),
        "names_relative": occasion in Occasion.with_relative(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request, pk):
    organization = _organization(request, pk, "manage_welfare")
    today = timezone.localdate()
    initial = {"on": today.strftime("%d/%m/%Y"), "member": request.GET.get("member")}
    form = RecordForm(request.POST or None, organization=organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record = welfare_services.record_create(
                organization=organization, by=request.user, **form.service_fields()
            )
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            messages.success(
                request, _("The record was saved as number %(reference)s.") % {"reference": record.reference}
            )
            return redirect("members:welfare_record_detail", organization.pk, record.pk)
    typed = request.POST.get("amount", "") if request.method == "POST" else ""
    context = {
        "organization": organization,
        "form": form,
        **_dependent_context(
            form, organization, amount_typed=typed, amount_auto=request.POST.get("amount_auto", "")
        ),
    }
    status = INVALID if request.method == "POST" else 200
    return render(request, "members/welfare/record_form.html", context, status=status)


@login_required
@require_GET
def record_fields(request, pk):
    """The family and amount fields again, for the member, occasion and date chosen (htmx)."""
    organization = _organization(request, pk, "manage_welfare")
    initial = {key: request.GET.get(key) for key in ("member", "occasion", "on", "family_member")}
    form = RecordForm(organization=organization, initial=initial)
    context = {
        "organization": organization,
        "form": form,
        **_dependent_context(
            form,
            organization,
            amount_typed=request.GET.get("amount", ""),
            amount_auto=request.GET.get("amount_auto", ""),
        ),
    }
    return render(request, "members/welfare/_record_dependent.html", context)


def _record(organization, record_pk) -> WelfareRecord:
    return get_object_or_404(
        organization.welfare_records.select_related(
            "member", "member__union_group", "family_member", "campaign", "recorded_by", "cancelled_by"
        ),
        pk=record_pk,
    )


@login_required
@require_GET
def record_detail(request, pk, record_pk):
    organization = _organization(request, pk, "view_members")
    record = _record(organization, record_pk)
    context = {
        "organization": organization,
        "record": record,
        "reason": welfare_rendering.reason(record),
        "can_manage": access.can(request.user, "manage_welfare", organization) and not record.is_cancelled,
    }
    return render(request, "members/welfare/record_detail.html", context)


def _record_initial(record: WelfareRecord) -> dict:
    return {
        "occasion": record.occasion,
        "on": record.on,
        "family_member": record.family_member_id,
        "amount": record.amount,
        "visited_by": record.visited_by,
        "note": record.note,
        "version": welfare_services.record_version(record),
    }


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request, pk, record_pk):
    organization = _organization(request, pk, "manage_welfare")
    record = _record(organization, record_pk)
    if record.is_cancelled:
        messages.error(request, _("A cancelled record cannot be changed."))
        if request.method == "GET":
            return redirect("members:welfare_record_detail", organization.pk, record.pk)
    form = RecordForm(
        request.POST or None, organization=organization, record=record, initial=_record_initial(record)
    )
    status, conflict = 200, None
    if request.method == "POST":
        status = INVALID
        if form.is_valid():
            try:
                record = welfare_services.record_update(
                    record=record,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    **form.service_fields(),
                )
            except welfare_services.StaleEdit as stale:
                current = stale.current
                data = request.POST.copy()
                data["version"] = welfare_services.record_version(current)
                form = RecordForm(data, organization=organization, record=current)
                status, conflict, record = CONFLICT, current, current
            except ValidationError as refused:
                _add_errors(form, refused)
            else:
                messages.success(request, _("The record was saved."))
                return redirect("members:welfare_record_detail", organization.pk, record.pk)
    typed = request.POST.get("amount", "") if request.method == "POST" else str(record.amount)
    context = {
        "organization": organization,
        "form": form,
        "record": record,
        "conflict": conflict,
        **_dependent_context(
            form, organization, amount_typed=typed, amount_auto=request.POST.get("amount_auto", "")
        ),
    }
    return render(request, "members/welfare/record_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def record_cancel(request, pk, record_pk):
    organization = _organization(request, pk, "manage_welfare")
    record = _record(organization, record_pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            welfare_services.record_cancel(record=record, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            messages.success(
                request,
                _("Record %(reference)s was cancelled; its number stays in the book.")
                % {"reference": record.reference},
            )
            return redirect("members:welfare_record_detail", organization.pk, record.pk)
    status = INVALID if request.method == "POST" else 200
    context = {"organization": organization, "record": record, "form": form}
    return render(request, "members/welfare/record_cancel.html", context, status=status)


@login_required
@require_GET
def record_voucher(request, pk, record_pk):
    organization = _organization(request, pk, "view_members")
    record = _record(organization, record_pk)
    record.organization = organization
    data = welfare_rendering.voucher_pdf(record)
    PersonalDataExport.objects.create(
        organization=organization, user=request.user, kind=PersonalDataExport.Kind.VOUCHER, rows=1,
        filters=f"{record.reference}",
    )  # fmt: skip
    return _pdf(data, welfare_rendering.voucher_filename(record))


# ----------------------------------------------------------------------------------------- gift campaigns


@login_required
@require_GET
def campaign_list(request, pk):
    organization = _organization(request, pk, "view_members")
    campaigns = organization.gift_campaigns.annotate(
        given=Count("records", filter=Q(records__cancelled_at__isnull=True)),
        total=Sum("records__amount", filter=Q(records__cancelled_at__isnull=True)),
    ).order_by("-on", "-pk")
    context = {
        "organization": organization,
        "campaigns": campaigns,
        "can_manage": access.can(request.user, "manage_welfare", organization),
    }
    return render(request, "members/welfare/campaign_list.html", context)


def _preview(organization, data: dict) -> dict:
    """Who would be given the gift, and how much in all (an existing identical campaign: only those not yet
    given). Raises ValidationError like the service would."""
    welfare_services.campaign_check(data["occasion"], data["recipients"], data["max_child_age"])
    if data["on"] > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future: record what has been given.")})
    amount = data["amount"] or welfare_services.default_amount(organization, data["occasion"], data["on"])
    if amount is None:
        raise welfare_services.no_rule_error(data["occasion"], data["on"])
    existing = organization.gift_campaigns.filter(
        title=data["title"], occasion=data["occasion"], on=data["on"], recipients=data["recipients"]
    ).first()
    if existing is not None:
        existing.organization = organization
        found = welfare_services.pending(existing)
        amount = existing.amount
    else:
        found = welfare_services.eligible(
            organization, recipients=data["recipients"], on=data["on"], max_child_age=data["max_child_age"]
        )
    return {
        "existing": existing,
        "recipients_found": found[:PREVIEW_ROWS],
        "more": max(0, len(found) - PREVIEW_ROWS),
        "count": len(found),
        "amount": amount,
        "total": amount * len(found),
        "children": data["recipients"] == GiftCampaign.Recipients.CHILDREN,
    }


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request, pk):
    """GET: the form. POST: the preview (who, how much in all); POST with `confirm`: every record at once."""
    organization = _organization(request, pk, "manage_welfare")
    today = timezone.localdate()
    initial = {"on": today, "recipients": GiftCampaign.Recipients.MEMBERS}
    form = CampaignForm(request.POST or None, initial=initial)
    context = {"organization": organization, "form": form, "preview": None, "changed": False}
    if request.method == "GET":
        return render(request, "members/welfare/campaign_form.html", context)
    if form.is_valid():
        data = form.cleaned_data
        try:
            preview = _preview(organization, data)
        except ValidationError as refused:
            _add_errors(form, refused)
        else:
            context["preview"] = preview
            expected = request.POST.get("expected", "")
            if "confirm" not in request.POST:
                return render(request, "members/welfare/campaign_form.html", context)
            if expected != str(preview["count"]):  # the roll changed since the preview: show it again
                context["changed"] = True
                return render(request, "members/welfare/campaign_form.html", context, status=CONFLICT)
            try:
                campaign, created = welfare_services.campaign_create(
                    organization=organization, by=request.user, **data
                )
            except ValidationError as refused:
                context["preview"] = None
                _add_errors(form, refused)
            else:
                messages.success(
                    request, _("%(count)s records were made for this campaign.") % {"count": created}
                )
                return redirect("members:gift_campaign_detail", organization.pk, campaign.pk)
    return render(request, "members/welfare/campaign_form.html", context, status=INVALID)


def _campaign(organization, campaign_pk) -> GiftCampaign:
    campaign = get_object_or_404(organization.gift_campaigns.select_related("created_by"), pk=campaign_pk)
    campaign.organization = organization
    return campaign


@login_required
@require_GET
def campaign_detail(request, pk, campaign_pk):
    organization = _organization(request, pk, "view_members")
    campaign = _campaign(organization, campaign_pk)
    records = campaign.records.select_related("member", "member__union_group", "family_member").order_by(
        "number", "pk"
    )
    totals = campaign.records.aggregate(
        count=Count("pk", filter=STANDING),
        amount=Sum("amount", filter=STANDING),
        cancelled=Count("pk", filter=~STANDING),
    )
    can_manage = access.can(request.user, "manage_welfare", organization)
    context = {
        "organization": organization,
        "campaign": campaign,
        "page": Paginator(records, PAGE_SIZE).get_page(request.GET.get("page")),
        "totals": totals,
        "children": campaign.recipients == GiftCampaign.Recipients.CHILDREN,
        "can_manage": can_manage,
        "pending": len(welfare_services.pending(campaign)) if can_manage else 0,
    }
    return render(request, "members/welfare/campaign_detail.html", context)


@login_required
@require_POST
def campaign_run(request, pk, campaign_pk):
    """Give the gift to those who became eligible since; nobody gets a second record in a campaign."""
    organization = _organization(request, pk, "manage_welfare")
    campaign = _campaign(organization, campaign_pk)
    try:
        created = welfare_services.campaign_run(campaign=campaign, by=request.user)
    except ValidationError as refused:  # e.g. the campaign's month is closed in the books
        messages.error(request, " ".join(refused.messages))
        return redirect("members:gift_campaign_detail", organization.pk, campaign.pk)
    if created:
        messages.success(request, _("%(count)s records were made for this campaign.") % {"count": created})
    else:
        messages.info(request, _("Everyone eligible already has a record in this campaign."))
    return redirect("members:gift_campaign_detail", organization.pk, campaign.pk)


@login_required
@require_GET
def campaign_signatures(request, pk, campaign_pk):
    organization = _organization(request, pk, "view_members")
    campaign = _campaign(organization, campaign_pk)
    rows = welfare_rendering.campaign_rows(campaign)
    data = welfare_rendering.signatures_pdf(campaign, rows)
    PersonalDataExport.objects.create(
        organization=organization, user=request.user, kind=PersonalDataExport.Kind.SIGNATURES, rows=len(rows),
        filters=campaign.title[:500],
    )  # fmt: skip
    return _pdf(data, welfare_rendering.signatures_filename(campaign))
