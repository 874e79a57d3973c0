from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from members.models import (
    FamilyMember,
    Member,
    MemberEvent,
    MemberTransfer,
    Organization,
    OrganizationMove,
)
from targets.periods import day_in_month


@transaction.atomic
def organization_move(
    *,
    organization: Organization,
    new_parent: Organization,
    on: datetime.date,
    by=None,
    decision: str = "",
    note: str = "",
) -> OrganizationMove:
    """Put `organization` under `new_parent` from `on`, keeping the old link in its history."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if new_parent.pk == organization.parent_id:
        raise ValidationError(_("The organisation is already under this upper union."))
    ancestor = new_parent
    while ancestor is not None:
        if ancestor.pk == organization.pk:
            raise ValidationError(_("An organisation cannot be moved under itself or one of its own units."))
        ancestor = ancestor.parent
    if Organization.LEVEL_ORDER.index(new_parent.level) >= Organization.LEVEL_ORDER.index(organization.level):
        raise ValidationError(_("The upper union must be at a higher level than this organisation."))
    if new_parent.closed_on and new_parent.closed_on < on:
        raise ValidationError(_("The new upper union is closed on that date."))
    move = OrganizationMove.objects.create(
        organization=organization,
        from_parent_id=organization.parent_id,
        to_parent=new_parent,
        moved_on=on,
        decision=decision,
        note=note,
        recorded_by=by,
    )
    organization.parent = new_parent
    organization.save(update_fields=["parent"])
    return move


# ------------------------------------------------------------------------------------------- the member roll

S, K = Member.Status, MemberEvent.Kind
# What each change does to the status, and from which statuses it may be recorded (RULES.md, Members).
CHANGES = {
    K.SUSPENDED: (S.SUSPENDED, {S.ACTIVE}),
    K.REINSTATED: (S.ACTIVE, {S.SUSPENDED}),
    K.LEFT: (S.LEFT, {S.ACTIVE, S.SUSPENDED, S.HONORARY}),
    K.EXPELLED: (S.EXPELLED, {S.ACTIVE, S.SUSPENDED}),
    K.CEASED: (S.CEASED, {S.ACTIVE, S.SUSPENDED, S.HONORARY}),
    K.HONORARY: (S.HONORARY, {S.ACTIVE, S.CEASED}),
    K.DISSOLVED: (S.DISSOLVED, {S.ACTIVE, S.SUSPENDED, S.HONORARY}),
}
GONE = {S.LEFT, S.EXPELLED, S.CEASED, S.DISSOLVED}
READMISSION_AFTER_MONTHS = 3


def _allow_roll(by, organization: Organization) -> None:
    if not access.can(by, "manage_members", organization):
        raise PermissionDenied("manage_members refused")


def _check_day(on: datetime.date, member: Member | None = None) -> None:
    if on > timezone.localdate():
        raise ValidationError(
            _("A change is recorded once it has happened: the date cannot be in the future.")
        )
    if member is not None and on < member.status_since:
        raise ValidationError(
            _("The date cannot be before the last change on the roll (%(day)s).")
            % {"day": member.status_since.strftime("%d/%m/%Y")}
        )


def _record(member: Member, kind: str, on, by, *, organization=None, other=None, reason="", decision=""):
    return MemberEvent.objects.create(
        member=member, kind=kind, on=on, organization=organization or member.organization,
        other_organization=other, reason=reason, decision=decision, recorded_by=by,
    )  # fmt: skip


@transaction.atomic
def member_admit(*, organization: Organization, by, admitted_on: datetime.date, **fields) -> Member:
    """A new member on the roll, with the admission as the first line of their history."""
    _allow_roll(by, organization)
    _check_day(admitted_on)
    citizen_id = fields.get("citizen_id", "")
    if citizen_id and Member.objects.filter(citizen_id=citizen_id).exists():
        raise ValidationError(
            {
                "citizen_id": _(
                    "This citizen ID is already on a roll: re-admit or transfer that member instead."
                )
            }
        )
    member = Member(organization=organization, admitted_on=admitted_on, status_since=admitted_on, **fields)
    member.full_clean()
    member.save()
    _record(member, K.ADMITTED, admitted_on, by, decision=fields.get("admission_decision", ""))
    return member


def _locked_member(member: Member) -> Member:
    return Member.objects.select_for_update().select_related("organization").get(pk=member.pk)


@transaction.atomic
def member_change(*, member: Member, kind: str, on: datetime.date, by, reason: str = "", decision: str = ""):
    """Suspend, reinstate, record a departure, an expulsion, an automatic cessation, honorary membership or
    cessation by dissolution: one new line of history, and the status it leads to."""
    member = _locked_member(member)
    _allow_roll(by, member.organization)
    if kind not in CHANGES:
        raise ValidationError(_("This change is recorded another way (admission, re-admission or transfer)."))
    to, allowed_from = CHANGES[kind]
    if member.status not in allowed_from:
        raise ValidationError(
            _("A member who is “%(status)s” cannot be recorded as “%(change)s”.")
            % {"status": member.get_status_display(), "change": MemberEvent.Kind(kind).label}
        )
    _check_day(on, member)
    event = _record(member, kind, on, by, reason=reason, decision=decision)
    member.status, member.status_since = to, on
    member.save(update_fields=["status", "status_since", "updated_at"])
    return event


def readmission_from(member: Member) -> datetime.date:
    """The first day a member who left may be admitted again: three months after leaving."""
    day = member.status_since
    month = day.month - 1 + READMISSION_AFTER_MONTHS
    return day_in_month(day.year + month // 12, month % 12 + 1, day.day)


@transaction.atomic
def member_readmit(
    *, member: Member, on: datetime.date, by, decision: str = "", reason: str = ""
) -> MemberEvent:
    """Back on the roll after leaving, expulsion or cessation, no sooner than three months after."""
    member = _locked_member(member)
    _allow_roll(by, member.organization)
    if member.status not in GONE:
        raise ValidationError(_("Only a member who has left the roll can be re-admitted."))
    _check_day(on, member)
    earliest = readmission_from(member)
    if on < earliest:
        raise ValidationError(
            _(
                "Re-admission is possible three months after leaving: %(name)s left on %(left)s, so from "
                "%(earliest)s."
            )
            % {
                "name": member.full_name,
                "left": member.status_since.strftime("%d/%m/%Y"),
                "earliest": earliest.strftime("%d/%m/%Y"),
            }
        )
    event = _record(member, K.READMITTED, on, by, reason=reason, decision=decision)
    member.status, member.status_since = S.ACTIVE, on
    member.save(update_fields=["status", "status_since", "updated_at"])
    return event


@transaction.atomic
def member_transfer_request(
    *,
    member: Member,
    to_organization: Organization,
    on: datetime.date,
    by,
    decision: str = "",
    reason: str = "",
) -> MemberTransfer:
    """The sending union asks; the member stays on its roll until the receiving union accepts."""
    member = _locked_member(member)
    _allow_roll(by, member.organization)
    if member.status != S.ACTIVE:
        raise ValidationError(_("Only an active member can be transferred."))
    if not to_organization.is_grassroots or to_organization.pk == member.organization_id:
        raise ValidationError(_("Choose another grassroots union to transfer the member to."))
    if to_organization.is_closed(on):
        raise ValidationError(_("That union is closed on the date of the transfer."))
    _check_day(on, member)
    if member.transfers.filter(status=MemberTransfer.Status.PENDING).exists():
        raise ValidationError(_("A transfer of this member is already waiting for the receiving union."))
    return MemberTransfer.objects.create(
        member=member, from_organization=member.organization, to_organization=to_organization, on=on,
        decision=decision, reason=reason, requested_by=by,
    )  # fmt: skip


@transaction.atomic
def member_transfer_decide(*, transfer: MemberTransfer, by, accept: bool) -> MemberTransfer:
    """The receiving union accepts (the member and their history move to its roll) or refuses."""
    transfer = MemberTransfer.objects.select_for_update().get(pk=transfer.pk)
    _allow_roll(by, transfer.to_organization)
    if transfer.status != MemberTransfer.Status.PENDING:
        raise ValidationError(_("This transfer has already been decided."))
    member = _locked_member(transfer.member)
    transfer.status = MemberTransfer.Status.ACCEPTED if accept else MemberTransfer.Status.REFUSED
    transfer.decided_by, transfer.decided_at = by, timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        source, target = transfer.from_organization, transfer.to_organization
        _record(member, K.TRANSFERRED_OUT, transfer.on, by, organization=source, other=target,
                reason=transfer.reason, decision=transfer.decision)  # fmt: skip
        _record(member, K.TRANSFERRED_IN, transfer.on, by, organization=target, other=source,
                decision=transfer.decision)  # fmt: skip
        member.organization, member.union_group = target, None
        member.status, member.status_since = S.ACTIVE, transfer.on
        member.save(update_fields=["organization", "union_group", "status", "status_since", "updated_at"])
    return transfer


# ------------------------------------------------------------------ a member's details and family (no status)

# What the committee may correct on a member's record; the status and the admission are history (above).
DETAIL_FIELDS = (
    "full_name", "birth_date", "sex", "ethnicity", "citizen_id", "phone", "email", "job", "position",
    "contract", "insurance_salary", "party_member", "party_joined_on", "card_number", "card_issued_on",
    "union_group", "union_office",
)  # fmt: skip


class StaleEdit(Exception):
    """The row changed since the form was loaded: nothing was saved; `current` is the row as it is now."""

    def __init__(self, current):
        super().__init__("stale edit")
        self.current = current


def member_version(member: Member) -> str:
    """What a form carries to detect a lost update: the moment the row was last saved."""
    return member.updated_at.isoformat()


def _check_member_fields(member: Member, fields: dict) -> None:
    group = fields.get("union_group")
    if group is not None and group.organization_id != member.organization_id:
        raise ValidationError({"union_group": _("Choose one of this union's own groups.")})
    citizen_id = fields.get("citizen_id", "")
    if citizen_id and Member.objects.filter(citizen_id=citizen_id).exclude(pk=member.pk).exists():
        raise ValidationError({"citizen_id": _("This citizen ID is already on a roll.")})


@transaction.atomic
def member_update(*, member: Member, by, version: str, **fields) -> Member:
    """Correct a member's details (never the status or the admission). `version` is `member_version` as the
    form loaded it: if someone saved the row since, `StaleEdit` and nothing changes."""
    member = _locked_member(member)
    _allow_roll(by, member.organization)
    if version != member_version(member):
        raise StaleEdit(member)
    unknown = set(fields) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"Not a detail field: {sorted(unknown)}")
    _check_member_fields(member, fields)
    for name, value in fields.items():
        setattr(member, name, value)
    member.full_clean()
    member.save(update_fields=[*fields, "updated_at"])
    return member


def family_version(relative: FamilyMember) -> str:
    """A family row has no timestamp: its values as loaded are compared instead."""
    birth = relative.birth_date.isoformat() if relative.birth_date else ""
    text = f"{relative.relation}|{relative.full_name}|{birth}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@transaction.atomic
def family_add(*, member: Member, by, relation: str, full_name: str, birth_date=None) -> FamilyMember:
    member = _locked_member(member)
    _allow_roll(by, member.organization)
    relative = FamilyMember(member=member, relation=relation, full_name=full_name, birth_date=birth_date)
    relative.full_clean()
    relative.save()
    return relative


def _locked_relative(relative: FamilyMember) -> FamilyMember:
    return FamilyMember.objects.select_for_update().select_related("member__organization").get(pk=relative.pk)


@transaction.atomic
def family_update(*, relative: FamilyMember, by, version: str, **fields) -> FamilyMember:
    relative = _locked_relative(relative)
    _allow_roll(by, relative.member.organization)
    if version != family_version(relative):
        raise StaleEdit(relative)
    unknown = set(fields) - {"relation", "full_name", "birth_date"}
    if unknown:
        raise ValueError(f"Not a family field: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(relative, name, value)
    relative.full_clean()
    relative.save(update_fields=list(fields))
    return relative


@transaction.atomic
def family_remove(*, relative: FamilyMember, by) -> None:
    relative = _locked_relative(relative)
    _allow_roll(by, relative.member.organization)
    relative.delete()
