from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members import access
from members.forms import OrganizationForm, UnionGroupForm
from members.middleware import SESSION_KEY
from members.models import Officer, Organization
from targets.selectors import open_deadlines


@login_required
def home(request):
    officer = request.officer
    if not officer:
        return render(request, "members/home_no_role.html")
    organization = officer.organization
    context = {
        "officer": officer,
        "organization": organization,
        "plans": organization.plans.select_related("organization").order_by("-dated_on", "-pk")[:20],
        "can_draft": access.can(request.user, "draft_plans", organization),
    }
    if organization.is_grassroots:
        context["union_groups"] = organization.union_groups.all()
        context["writes_reports"] = access.can(request.user, "write_reports", organization)
        if context["writes_reports"]:
            context["deadlines"] = open_deadlines(organization, timezone.localdate())
        return render(request, "members/home_grassroots.html", context)
    today = timezone.localdate()
    chairs = Officer.objects.active(today).filter(role=Officer.Role.CHAIR).select_related("user")
    children = (
        Organization.objects.filter(parent=organization)
        .annotate(group_count=Count("union_groups", distinct=True))
        .prefetch_related(Prefetch("officers", queryset=chairs, to_attr="chairs"))
        .order_by("closed_on", "name")
    )
    context["children"] = children
    context["can_review"] = bool(access.roles_in(request.user, organization) & access.REVIEW_ROLES)
    context["sees_dashboard"] = access.can(request.user, "dashboard", organization)
    context["open_count"] = sum(1 for child in children if not child.is_closed(today))
    return render(request, "members/home_upper.html", context)


@login_required
@require_POST
def switch_officer(request):
    try:
        officer_id = int(request.POST.get("officer", ""))
    except ValueError:
        officer_id = 0
    officer = access.get_officer_for(request.user, officer_id)
    request.session[SESSION_KEY] = officer.pk
    messages.success(
        request,
        _("You are now working as %(role)s of %(organization)s.")
        % {"role": officer.get_role_display(), "organization": officer.organization.display_name},
    )
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "home"
    return redirect(target)


@login_required
def organization_detail(request, pk):
    organization = access.get_organization_for(request.user, pk)
    today = timezone.localdate()
    officers = organization.officers.active(today).select_related("user").order_by("role", "user__full_name")
    context = {
        "organization": organization,
        "officers": officers,
        "moves": organization.moves.select_related("from_parent", "to_parent"),
        "union_groups": organization.union_groups.all() if organization.is_grassroots else None,
        "children": organization.children.order_by("closed_on", "name")
        if not organization.is_grassroots
        else None,
        "can_edit": access.can(request.user, "edit", organization),
        "can_manage_groups": access.can(request.user, "manage_groups", organization),
        "can_view_members": access.can(request.user, "view_members", organization),
        "sees_stats": access.can(request.user, "member_stats", organization),
        "sees_totals": access.can(request.user, "finance_totals", organization),
        "is_closed": organization.is_closed(today),
    }
    return render(request, "members/organization_detail.html", context)


@login_required
def organization_edit(request, pk):
    organization = access.get_organization_for(request.user, pk, action="edit")
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The organisation's details were saved."))
        return redirect(organization)
    return render(request, "members/organization_form.html", {"organization": organization, "form": form})


@login_required
def uniongroup_create(request, pk):
    organization = access.get_organization_for(request.user, pk, action="manage_groups")
    form = UnionGroupForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        messages.success(request, _("Union group “%(name)s” was added.") % {"name": group.name})
        return redirect(organization)
    return render(request, "members/uniongroup_form.html", {"organization": organization, "form": form})
