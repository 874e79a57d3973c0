"""A member's own record: admission, the member page, details, family, status changes and transfers.

Every page goes through `members.access` on the member's union (`view_members` to read personal data,
`manage_members` to write), and the member, family row or transfer is then looked up within that union, so
another union's rows are 404. Writes go through `members.services`. Bad input answers 422; a save against
a row someone changed since the form was loaded answers 409 with what was typed still in the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import access, services
from members.member_forms import (
    SEARCH_LIMIT,
    FamilyMemberForm,
    MemberAdmitForm,
    MemberDetailsForm,
    ReadmitForm,
    StatusChangeForm,
    TransferForm,
    allowed_changes,
    receiving_unions,
)
from members.models import Member, MemberTransfer

CONFLICT, INVALID = 409, 422
PENDING = MemberTransfer.Status.PENDING


def _member_url(member: Member) -> str:
    return reverse("members:member_detail", args=[member.organization_id, member.pk])


def _get_member(organization, member_pk: int) -> Member:
    """A member of this union's roll (the union already checked); anyone else's → 404."""
    member = get_object_or_404(organization.members.select_related("union_group"), pk=member_pk)
    member.organization = organization
    return member


def _add_errors(form, error: ValidationError) -> None:
    """A service's refusal on the form: on its field when it names one the form has, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _status(request, form) -> int:
    return INVALID if request.method == "POST" and form.errors else 200


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request, pk):
    organization = access.get_organization_for(request.user, pk, action="manage_members")
    form = MemberAdmitForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.member_admit(
                organization=organization, by=request.user, admitted_on=data["admitted_on"],
                admission_decision=data["admission_decision"], **form.details(),
            )  # fmt: skip
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(name)s was admitted to the roll.") % {"name": member.full_name})
            return redirect(_member_url(member))
    context = {"organization": organization, "form": form}
    return render(request, "members/people/member_create.html", context, status=_status(request, form))


@login_required
@require_GET
def member_detail(request, pk, member_pk):
    organization = access.get_organization_for(request.user, pk, action="view_members")
    member = _get_member(organization, member_pk)
    events = member.events.select_related("organization", "other_organization", "recorded_by")
    transfers = member.transfers.filter(status=PENDING).select_related("to_organization")
    pending = next(iter(transfers), None)
    can_manage = access.can(request.user, "manage_members", organization)
    context = {
        "organization": organization,
        "member": member,
        "family": member.family.all(),
        "events": events,
        "pending": pending,
        "can_manage": can_manage,
        "can_change": can_manage and bool(allowed_changes(member)),
        "can_readmit": can_manage and member.status in services.GONE,
        "can_transfer": can_manage and member.status == Member.Status.ACTIVE and pending is None,
    }
    return render(request, "members/people/member_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk, member_pk):
    organization = access.get_organization_for(request.user, pk, action="manage_members")
    member = _get_member(organization, member_pk)
    form = MemberDetailsForm(request.POST or None, instance=member, organization=organization)
    conflict, status = None, 200
    if request.method == "POST":
        status = INVALID
        if form.is_valid():
            try:
                services.member_update(
                    member=member, by=request.user, version=form.cleaned_data["version"], **form.details()
                )
            except services.StaleEdit as stale:
                form, conflict = _stale_member_form(request, stale.current, organization)
                status = CONFLICT
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The member's details were saved."))
                return redirect(_member_url(member))
    context = {"organization": organization, "member": member, "form": form, "conflict": conflict}
    return render(request, "members/people/member_edit.html", context, status=status)


def _stale_member_form(request, current: Member, organization):
    """The typed values again, now checked against the row as saved: saving once more keeps them."""
    data = request.POST.copy()
    data["version"] = services.member_version(current)
    form = MemberDetailsForm(data, instance=current, organization=organization)
    form.is_valid()
    saved = MemberDetailsForm(instance=current, organization=organization)
    differences = []
    for name in services.DETAIL_FIELDS:
        field = form.fields[name]
        typed = form.cleaned_data.get(name) if name in form.cleaned_data else data.get(name)
        now = getattr(current, name)
        if typed != now and not (typed in (None, "") and now in (None, "")):
            differences.append((field.label, _display(saved, name, now)))
    return form, {"saved_at": current.updated_at, "differences": differences}


def _display(form, name, value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    choices = dict(getattr(form.fields[name], "choices", ()) or ())
    if name != "union_group" and value in choices:
        return str(choices[value])
    return str(value)


@login_required
@require_http_methods(["GET", "POST"])
def member_change(request, pk, member_pk):
    organization = access.get_organization_for(request.user, pk, action="manage_members")
    member = _get_member(organization, member_pk)
    form = StatusChangeForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.member_change(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Recorded: %(change)s on %(day)s.")
                % {"change": event.get_kind_display(), "day": event.on.strftime("%d/%m/%Y")},
            )
            return redirect(_member_url(member))
    context = {"organization": organization, "member": member, "form": form}
    return render(request, "members/people/member_change.html", context, status=_status(request, form))


@login_required
@require_http_methods(["GET", "POST"])
def member_readmit(request, pk, member_pk):
    organization = access.get_organization_for(request.user, pk, action="manage_members")
    member = _get_member(organization, member_pk)
    form = ReadmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_readmit(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is back on the roll.") % {"name": member.full_name})
            return redirect(_member_url(member))
    earliest = services.readmission_from(member) if member.status in services.GONE else None
    context = {"organization": organization, "member": member, "form": form, "earliest": earliest}
    return render(request, "members/people/member_readmit.html", context, status=_status(request, form))


@login_required
@require_http_methods(["GET", "POST"])
def member_transfer(request, pk, member_pk):
    """The sending union's committee asks for a transfer; the search (`q`) finds the receiving union."""
    organization = access.get_organization_for(request.user, pk, action="manage_members")
    member = _get_member(organization, member_pk)
    form = TransferForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_transfer_request(
                member=member, to_organization=data["to_organization"], on=data["on"], by=request.user,
                decision=data["decision"], reason=data["reason"],
            )  # fmt: skip
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The transfer was sent to %(union)s. %(name)s stays on this roll until it accepts.")
                % {"union": data["to_organization"].name, "name": member.full_name},
            )
            return redirect(_member_url(member))
    query = " ".join((request.POST.get("q") or request.GET.get("q") or "").split())[:100]
    unions = receiving_unions(organization)
    results = []
    if query:
        found = Q(name__icontains=query) | Q(short_name__icontains=query) | Q(symbol__icontains=query)
        results = list(unions.filter(found)[: SEARCH_LIMIT + 1])
    chosen = form["to_organization"].value() if form.is_bound else None
    if chosen and str(chosen).isdigit() and all(str(union.pk) != str(chosen) for union in results):
        results = [*unions.filter(pk=chosen), *results]  # the union picked stays offered after an error
    context = {
        "organization": organization,
        "member": member,
        "form": form,
        "query": query,
        "results": results[:SEARCH_LIMIT],
        "more": len(results) > SEARCH_LIMIT,
        "limit": SEARCH_LIMIT,
        "chosen": str(chosen or ""),
    }
    return render(request, "members/people/member_transfer.html", context, status=_status(request, form))


@login_required
@require_GET
def transfer_incoming(request, pk):
    """Transfers waiting for this union: who and from where, no other personal data until accepted."""
    organization = access.get_organization_for(request.user, pk, action="manage_members")
    transfers = (
        MemberTransfer.objects.filter(to_organization=organization, status=PENDING)
        .select_related("member", "from_organization")
        .order_by("on", "pk")
    )
    return render(
        request,
        "members/people/transfer_incoming.html",
        {"organization": organization, "transfers": transfers},
    )


@login_required
@require_POST
def transfer_decide(request, pk, transfer_pk):
    organization = access.get_organization_for(request.user, pk, action="manage_members")
    transfer = get_object_or_404(
        MemberTransfer.objects.filter(to_organization=organization).select_related("member"), pk=transfer_pk
    )
    decision = request.POST.get("decision")
    if decision not in ("accept", "refuse"):
        messages.error(request, _("Choose to accept or refuse the transfer."))
        return _incoming_again(request, organization)
    try:
        services.member_transfer_decide(transfer=transfer, by=request.user, accept=decision == "accept")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _incoming_again(request, organization)
    name = transfer.member.full_name
    if decision == "refuse":
        messages.success(request, _("The transfer of %(name)s was refused.") % {"name": name})
        return redirect("members:transfer_incoming", organization.pk)
    messages.success(request, _("%(name)s is now on this union's roll.") % {"name": name})
    return redirect("members:member_detail", organization.pk, transfer.member_id)


def _incoming_again(request, organization):
    transfers = (
        MemberTransfer.objects.filter(to_organization=organization, status=PENDING)
        .select_related("member", "from_organization")
        .order_by("on", "pk")
    )
    context = {"organization": organization, "transfers": transfers}
    return render(request, "members/people/transfer_incoming.html", context, status=INVALID)


@login_required
@require_http_methods(["GET", "POST"])
def family_add(request, pk, member_pk):
    organization = access.get_organization_for(request.user, pk, action="manage_members")
    member = _get_member(organization, member_pk)
    form = FamilyMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            relative = services.family_add(member=member, by=request.user, **form.values())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added to the family.") % {"name": relative.full_name})
            return redirect(_member_url(member))
    context = {"organization": organization, "member": member, "form": form}
    return render(request, "members/people/family_form.html", context, status=_status(request, form))


@login_required
@require_http_methods(["GET", "POST"])
def family_edit(request, pk, member_pk, family_pk):
    organization = access.get_organization_for(request.user, pk, action="manage_members")
    member = _get_member(organization, member_pk)
    relative = get_object_or_404(member.family, pk=family_pk)
    form = FamilyMemberForm(request.POST or None, instance=relative)
    conflict, status = None, 200
    if request.method == "POST":
        status = INVALID
        if form.is_valid():
            try:
                services.family_update(
                    relative=relative, by=request.user, version=form.cleaned_data["version"], **form.values()
                )
            except services.StaleEdit as stale:
                data = request.POST.copy()
                data["version"] = services.family_version(stale.current)
                form = FamilyMemberForm(data, instance=stale.current)
                form.is_valid()
                conflict = {"current": stale.current}
                status = CONFLICT
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The family member was saved."))
                return redirect(_member_url(member))
    context = {
        "organization": organization,
        "member": member,
        "relative": relative,
        "form": form,
        "conflict": conflict,
    }
    return render(request, "members/people/family_form.html", context, status=status)


@login_required
@require_POST
def family_remove(request, pk, member_pk, family_pk):
    organization = access.get_organization_for(request.user, pk, action="manage_members")
    member = _get_member(organization, member_pk)
    relative = get_object_or_404(member.family, pk=family_pk)
    try:
        services.family_remove(relative=relative, by=request.user)
    except ProtectedError:  # welfare records name them: the family row stays with the record
        messages.error(
            request,
            _("%(name)s is named on welfare records, so stays on the member's family.")
            % {"name": relative.full_name},
        )
        return redirect(_member_url(member))
    messages.success(request, _("%(name)s was removed from the family.") % {"name": relative.full_name})
    return redirect(_member_url(member))
