"""The one place that decides who may see or do what.

Scopes are `Q` objects built from subqueries, so applying one adds no query of
its own: a page that lists what a user may see costs the same few queries for
a union of five members as for a federation of five hundred unions.

Outside a user's scope → 404 (existence does not leak); inside but not allowed → 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from members.models import Officer, Organization

Role = Officer.Role
REVIEW_ROLES = frozenset({Role.REVIEWER, Role.LEADER})
MANAGE_ROLES = frozenset({Role.CHAIR, Role.VICE_CHAIR})
COMMITTEE_ROLES = frozenset({Role.CHAIR, Role.VICE_CHAIR, Role.COMMITTEE_MEMBER})
# Who writes an organisation's plans: its executive committee (and, in an upper union, its leaders).
DRAFT_ROLES = COMMITTEE_ROLES | {Role.LEADER}
# Deeper than the real tree (national → province/sector → upper-grassroots → grassroots).
MAX_DEPTH = 6


def officer_org_ids(user, *, roles=None) -> QuerySet:
    """Ids of the organisations where `user` holds an active role (one of `roles` if given), a subquery."""
    if not user.is_authenticated:
        return Organization.objects.none().values("pk")
    officers = Officer.objects.active().filter(user=user)
    if roles is not None:
        officers = officers.filter(role__in=roles)
    return officers.values("organization_id")


def descendant_ids(root_ids: QuerySet) -> Q:
    """A Q on Organization matching every organisation below `root_ids`, in one SQL statement."""
    q = Q(pk__in=[])
    level = root_ids
    for _ in range(MAX_DEPTH):
        level = Organization.objects.filter(parent__in=level).values("pk")
        q |= Q(pk__in=level)
    return q


def organization_scope(user) -> Q:
    """Organisations the user may see: their own, and everything below those where they review."""
    own = Q(pk__in=officer_org_ids(user))
    return own | descendant_ids(officer_org_ids(user, roles=REVIEW_ROLES))


def visible_organizations(user) -> QuerySet:
    return Organization.objects.filter(organization_scope(user))


def roles_in(user, organization: Organization) -> set[str]:
    """The user's active roles in this very organisation."""
    if not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_roles_cache", {})
    if organization.pk not in cache:
        cache[organization.pk] = set(
            Officer.objects.active()
            .filter(user=user, organization=organization)
            .values_list("role", flat=True)
        )
    return cache[organization.pk]


def can(user, action: str, obj) -> bool:
    """May `user` do `action` to `obj`? Call only on objects already fetched through a scope."""
    if isinstance(obj, Organization):
        if action == "view":
            return True  # being in scope is enough
        roles = roles_in(user, obj)
        is_open = not obj.is_closed(timezone.localdate())
        if action == "edit":
            return is_open and bool(roles & MANAGE_ROLES)
        if action == "view_members":  # personal data: the officers of the member's own union, no one else
            return obj.is_grassroots and bool(roles)
        if action == "manage_members":  # the roll and its history: the union's own committee
            return is_open and obj.is_grassroots and bool(roles & COMMITTEE_ROLES)
        if action == "manage_welfare":  # visits, allowances, gifts, their amounts: committee, treasurer
            return is_open and obj.is_grassroots and bool(roles & (COMMITTEE_ROLES | {Role.TREASURER}))
        if action == "member_stats":  # counts and breakdowns, never a personal row
            return _sees_stats(user, obj, roles)
        if action == "view_books":  # the ledgers and their entries: the union's own officers
            return obj.is_grassroots and bool(roles)
        if action == "keep_books":  # posting, reversing, closing a month: treasurer, chair, vice chair
            return is_open and obj.is_grassroots and bool(roles & (MANAGE_ROLES | {Role.TREASURER}))
        if action == "finance_totals":  # totals by line, never an entry with a member: as member_stats
            return _sees_stats(user, obj, roles)
        if action == "manage_groups":
            return is_open and obj.is_grassroots and bool(roles & COMMITTEE_ROLES)
        if action == "draft_plans":
            return is_open and bool(roles & DRAFT_ROLES)
        if action == "write_reports":  # a union reports to the one above it
            return is_open and obj.parent_id is not None and bool(roles & DRAFT_ROLES)
        if action in ("dashboard", "set_calendar"):  # what the union above its children watches and sets
            return bool(roles & REVIEW_ROLES) and not obj.is_grassroots
    from plans.models import Plan, Section
    from targets.models import Report, Target

    if isinstance(obj, Report):
        return _can_report(user, action, obj)
    if isinstance(obj, Target):
        obj = obj.plan

    if isinstance(obj, Section):
        obj = obj.plan
    if isinstance(obj, Plan):
        if action == "view":
            return True
        return _can_plan(user, action, obj)
    raise ValueError(f"Unknown action {action!r} for {type(obj).__name__}")


def _sees_stats(user, organization: Organization, roles: set[str]) -> bool:
    """A union's own officers, and the reviewers and leaders of any union above it."""
    if roles & REVIEW_ROLES or (organization.is_grassroots and roles):
        return True
    ancestor, depth = organization.parent, 0
    while ancestor is not None and depth < MAX_DEPTH:
        if roles_in(user, ancestor) & REVIEW_ROLES:
            return True
        ancestor, depth = ancestor.parent, depth + 1
    return False


def _can_plan(user, action: str, plan) -> bool:
    """The plan lifecycle (DESIGN.md): the union's chair or vice chair submits and issues; reviewers or
    leaders of the union directly above review; nobody reviews their own organisation's plan."""
    from plans.models import Plan

    S = Plan.Status
    organization = plan.organization
    if action == "view":
        return True
    if action in ("edit", "import"):
        return plan.status in (S.DRAFT, S.RETURNED) and can(user, "draft_plans", organization)
    if action == "reply":  # answer and resolve comments on one's own plan while it is being revised
        return plan.status in (S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED) and can(
            user, "draft_plans", organization
        )
    is_open = not organization.is_closed(timezone.localdate())
    manages = is_open and bool(roles_in(user, organization) & MANAGE_ROLES)
    if action == "submit":
        return plan.status in (S.DRAFT, S.RETURNED) and manages
    if action in ("issue", "new_version", "sign"):
        wanted = {"issue": S.APPROVED, "new_version": S.ISSUED, "sign": S.ISSUED}[action]
        return plan.status == wanted and manages
    if action in ("review", "comment"):
        parent = organization.parent
        if parent is None or roles_in(user, organization):  # never one's own organisation's plan
            return False
        return plan.status == S.SUBMITTED and bool(roles_in(user, parent) & REVIEW_ROLES)
    raise ValueError(f"Unknown action {action!r} for Plan")


def _can_report(user, action: str, report) -> bool:
    """A union's committee writes its reports, its chair or vice chair submits them; the reviewers or
    leaders of the union above accept or return them (never their own organisation's)."""
    from targets.models import Report

    S = Report.Status
    organization = report.organization
    if action == "view":
        return True
    if action == "edit":
        return report.status in (S.DRAFT, S.RETURNED) and can(user, "write_reports", organization)
    if action == "submit":
        is_open = not organization.is_closed(timezone.localdate())
        return (
            report.status in (S.DRAFT, S.RETURNED)
            and is_open
            and bool(roles_in(user, organization) & MANAGE_ROLES)
        )
    if action == "decide":
        parent = organization.parent
        if parent is None or roles_in(user, organization):
            return False
        return report.status == S.SUBMITTED and bool(roles_in(user, parent) & REVIEW_ROLES)
    raise ValueError(f"Unknown action {action!r} for Report")


def report_scope(user) -> Q:
    """Reports of the user's own organisations, and those submitted (or decided) by unions below the ones
    where they review: a draft report is the union's own business, as a draft plan is."""
    from targets.models import Report

    below = descendant_ids(officer_org_ids(user, roles=REVIEW_ROLES))
    sent = [Report.Status.SUBMITTED, Report.Status.RETURNED, Report.Status.ACCEPTED]
    return Q(organization__in=officer_org_ids(user)) | Q(
        organization__in=Organization.objects.filter(below).values("pk"), status__in=sent
    )


def get_report_for(user, pk: int, *, action: str = "view"):
    from targets.models import Report

    report = get_object_or_404(
        Report.objects.filter(report_scope(user)).select_related("organization", "organization__parent"),
        pk=pk,
    )
    if not can(user, action, report):
        raise PermissionDenied
    return report


def get_organization_for(user, pk: int, *, action: str = "view") -> Organization:
    organization = get_object_or_404(visible_organizations(user).select_related("parent"), pk=pk)
    if not can(user, action, organization):
        raise PermissionDenied
    return organization


def plan_scope(user) -> Q:
    """Plans of the user's own organisations, and what unions below their review organisations submitted."""
    from plans.models import Plan

    below = descendant_ids(officer_org_ids(user, roles=REVIEW_ROLES))
    submitted = [s for s in Plan.Status.values if s != Plan.Status.DRAFT]
    return Q(organization__in=officer_org_ids(user)) | Q(
        organization__in=Organization.objects.filter(below).values("pk"), status__in=submitted
    )


def get_plan_for(user, pk: int, *, action: str = "view"):
    from plans.models import Plan

    plan = get_object_or_404(
        Plan.objects.filter(plan_scope(user)).select_related("organization", "organization__parent"), pk=pk
    )
    if not can(user, action, plan):
        raise PermissionDenied
    return plan


def get_section_for(user, plan_pk: int, pk: int, *, action: str = "view"):
    """A section of a plan in the user's scope (the plan fetched once, through the scope)."""
    plan = get_plan_for(user, plan_pk, action=action)
    section = get_object_or_404(plan.sections, pk=pk)
    section.plan = plan
    return section


def get_import_for(user, pk: int):
    """A pending import of one of the user's organisations, which they may still draft plans for."""
    from plans.models import PlanImport

    plan_import = get_object_or_404(
        PlanImport.objects.filter(organization__in=officer_org_ids(user), plan__isnull=True).select_related(
            "organization", "organization__parent"
        ),
        pk=pk,
    )
    if not can(user, "draft_plans", plan_import.organization):
        raise PermissionDenied
    return plan_import


def get_officer_for(user, pk: int) -> Officer:
    """One of the user's own active roles (for switching organisation); anyone else's → 404."""
    return get_object_or_404(Officer.objects.active().filter(user=user).select_related("organization"), pk=pk)
