"""Welfare writes: the union's spending rules, records (with their yearly numbers), cancellations and gift
campaigns. Each service checks `manage_welfare` itself, so a task or a script cannot go round the policy.

Numbers: per union, per calendar year of the record's date, from 1, without gaps and never reused. They are
given under a row lock on the union (`select_for_update` on its `Organization` row) and then max + 1, so two
people saving at the same moment wait for each other and never get the same number.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from finance import posting
from members import access
from members.models import (
    FamilyMember,
    GiftCampaign,
    Member,
    MemberEvent,
    Occasion,
    Organization,
    SpendingRule,
    WelfareRecord,
)

S, K = Member.Status, MemberEvent.Kind
ON_ROLL = frozenset({S.ACTIVE, S.SUSPENDED, S.HONORARY})
# The status each change leads to (as members.services.CHANGES, plus the ones recorded another way).
STATUS_AFTER = {
    K.ADMITTED: S.ACTIVE,
    K.READMITTED: S.ACTIVE,
    K.REINSTATED: S.ACTIVE,
    K.TRANSFERRED_IN: S.ACTIVE,
    K.SUSPENDED: S.SUSPENDED,
    K.TRANSFERRED_OUT: S.TRANSFERRED,
    K.LEFT: S.LEFT,
    K.EXPELLED: S.EXPELLED,
    K.CEASED: S.CEASED,
    K.HONORARY: S.HONORARY,
    K.DISSOLVED: S.DISSOLVED,
}
BULK_BATCH = 1000
EDITABLE = ("occasion", "on", "amount", "family_member", "visited_by", "note")


class StaleEdit(Exception):
    """The record changed since the form was loaded: nothing was saved; `current` is the row as it is now."""

    def __init__(self, current):
        super().__init__("stale edit")
        self.current = current


def _allow(by, organization: Organization) -> None:
    if not access.can(by, "manage_welfare", organization):
        raise PermissionDenied("manage_welfare refused")


def _lock(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


def _not_future(on: datetime.date) -> None:
    if on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future: record what has been given."))


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Whole years completed on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


# ------------------------------------------------------------------------------------- the roll on a day


def statuses_on(organization: Organization, members: Iterable[Member], day: datetime.date) -> dict[int, str]:
    """Each member's status on this union's roll on `day` (absent: not on it, e.g. not yet admitted, or on
    another union's roll then). One query, for the members whose status changed after `day` only."""
    result, changed_since = {}, []
    for member in members:
        if member.admitted_on > day:
            continue
        if member.status_since <= day:
            result[member.pk] = member.status
        else:
            changed_since.append(member)
    if changed_since:
        last: dict[int, MemberEvent] = {}
        events = MemberEvent.objects.filter(member__in=[m.pk for m in changed_since], on__lte=day)
        for event in events.order_by("on", "pk").only("member_id", "kind", "organization_id"):
            last[event.member_id] = event
        for member in changed_since:
            event = last.get(member.pk)
            if event is None:  # a row without history (imported before events were kept): on the roll
                result[member.pk] = S.ACTIVE
            elif event.organization_id == organization.pk:
                result[member.pk] = STATUS_AFTER[event.kind]
    return result


def on_roll(organization: Organization, member: Member, day: datetime.date) -> bool:
    return statuses_on(organization, [member], day).get(member.pk) in ON_ROLL


# ------------------------------------------------------------------------------------------ spending rules


@transaction.atomic
def rule_create(
    *,
    organization: Organization,
    by,
    occasion: str,
    amount: int,
    effective_from: datetime.date,
    decision: str = "",
    note: str = "",
) -> SpendingRule:
    """A new line of the union's rules; it replaces the previous one for the occasion from its own date.
    Nothing is edited in place: a mistake is corrected by a new line. The rules are the committee's decision
    (the treasurer applies them)."""
    if not access.can(by, "manage_members", organization):
        raise PermissionDenied("manage_members refused")
    if SpendingRule.objects.filter(
        organization=organization, occasion=occasion, effective_from=effective_from
    ).exists():
        raise ValidationError(
            _("There is already an amount for “%(occasion)s” from %(day)s. Choose another date.")
            % {"occasion": Occasion(occasion).label, "day": effective_from.strftime("%d/%m/%Y")}
        )
    rule = SpendingRule(
        organization=organization, occasion=occasion, amount=amount, effective_from=effective_from,
        decision=decision.strip(), note=note.strip(), created_by=by,
    )  # fmt: skip
    rule.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:  # saved by someone else between the check and the save
        raise ValidationError(
            _("There is already an amount for “%(occasion)s” from %(day)s. Choose another date.")
            % {"occasion": Occasion(occasion).label, "day": effective_from.strftime("%d/%m/%Y")}
        ) from None
    return rule


def no_rule_error(occasion: str, on: datetime.date) -> ValidationError:
    message = _(
        "The union's rules set no amount for “%(occasion)s” on %(day)s: type the amount, or add it to the "
        "spending rules."
    )
    return ValidationError(
        {"amount": message % {"occasion": Occasion(occasion).label, "day": f"{on:%d/%m/%Y}"}}
    )


def default_amount(organization: Organization, occasion: str, on: datetime.date) -> int | None:
    rule = SpendingRule.in_force(organization, occasion, on)
    return rule.amount if rule else None


# ------------------------------------------------------------------------------------------------ records


def _next_number(organization: Organization, year: int) -> int:
    """Call with the union's row locked (`_lock`)."""
    top = WelfareRecord.objects.filter(organization=organization, year=year).aggregate(top=Max("number"))
    return (top["top"] or 0) + 1


def _check_record(
    organization: Organization,
    *,
    member: Member,
    occasion: str,
    on: datetime.date,
    family_member: FamilyMember | None,
    amount: int | None,
) -> int:
    """The rules of a record; returns the amount (the rule's in force on `on` when none was typed)."""
    if occasion not in Occasion.values:
        raise ValidationError(_("Choose an occasion from the list."))
    _not_future(on)
    if member.organization_id != organization.pk:
        raise ValidationError({"member": _("Choose a member of this union.")})
    if not on_roll(organization, member, on):
        raise ValidationError(
            {
                "member": _("%(name)s was not on this union's roll on %(day)s.")
                % {"name": member.full_name, "day": on.strftime("%d/%m/%Y")}
            }
        )
    if family_member is not None and family_member.member_id != member.pk:
        raise ValidationError({"family_member": _("Choose one of this member's own family.")})
    if occasion in Occasion.for_children():
        if family_member is None or family_member.relation != FamilyMember.Relation.CHILD:
            raise ValidationError(
                {"family_member": _("This occasion is for a member's child: choose the child.")}
            )
    elif occasion not in Occasion.with_relative() and family_member is not None:
        raise ValidationError({"family_member": _("This occasion names no family member: leave it empty.")})
    if amount is None:
        amount = default_amount(organization, occasion, on)
        if amount is None:
            raise no_rule_error(occasion, on)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than 0 đồng.")})
    return amount


@transaction.atomic
def record_create(
    *,
    organization: Organization,
    by,
    member: Member,
    occasion: str,
    on: datetime.date,
    amount: int | None = None,
    family_member: FamilyMember | None = None,
    visited_by: str = "",
    note: str = "",
) -> WelfareRecord:
    """A visit, allowance or gift as given; numbered in the year of `on`."""
    _allow(by, organization)
    amount = _check_record(
        organization, member=member, occasion=occasion, on=on, family_member=family_member, amount=amount
    )
    organization = _lock(organization)
    record = WelfareRecord.objects.create(
        organization=organization, member=member, family_member=family_member, occasion=occasion, on=on,
        amount=amount, visited_by=visited_by.strip(), note=note.strip(), year=on.year,
        number=_next_number(organization, on.year), recorded_by=by,
    )  # fmt: skip
    posting.welfare_post(record, by)  # its payment, in the same transaction (a closed month refuses both)
    return record


def record_version(record: WelfareRecord) -> str:
    """What an edit form carries to detect a lost update: the moment the row was last saved, with its values
    (two saves within the same clock tick still differ)."""
    names = [name + "_id" if name == "family_member" else name for name in EDITABLE]
    values = [record.updated_at.isoformat(), *(str(getattr(record, name)) for name in names)]
    values.append(str(record.cancelled_at))
    return hashlib.sha256("|".join(values).encode()).hexdigest()[:32]


@transaction.atomic
def record_update(*, record: WelfareRecord, by, version: str, **fields) -> WelfareRecord:
    """Correct a record (never its member or number). `version` is `record_version` as the form loaded it:
    if someone saved the record since, `StaleEdit` and nothing changes. The date stays in the record's year
    (its number belongs to that year): to move it to another year, cancel it and record it again."""
    record = (
        WelfareRecord.objects.select_for_update().select_related("organization", "member").get(pk=record.pk)
    )
    _allow(by, record.organization)
    if version != record_version(record):
        raise StaleEdit(record)
    if record.is_cancelled:
        raise ValidationError(_("A cancelled record cannot be changed."))
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not an editable field: {sorted(unknown)}")
    values = {name: getattr(record, name) for name in EDITABLE} | fields
    if values["on"].year != record.year:
        raise ValidationError(
            {
                "on": _(
                    "Record number %(reference)s belongs to %(year)s: keep a date in %(year)s, or cancel it "
                    "and record it again."
                )
                % {"reference": record.reference, "year": record.year}
            }
        )
    values["amount"] = _check_record(
        record.organization, member=record.member, occasion=values["occasion"], on=values["on"],
        family_member=values["family_member"], amount=values["amount"],
    )  # fmt: skip
    values["visited_by"] = (values["visited_by"] or "").strip()
    values["note"] = (values["note"] or "").strip()
    paid_as = (record.amount, record.on, record.occasion, record.family_member_id)
    for name, value in values.items():
        setattr(record, name, value)
    record.save(update_fields=[*EDITABLE, "updated_at"])
    corrected = _("welfare record %(reference)s corrected") % {"reference": record.reference}
    if (
        record.amount,
        record.on,
        record.occasion,
        record.family_member_id,
    ) != paid_as and posting.welfare_reverse(record, by, reason=corrected):
        posting.welfare_post(record, by)  # the payment follows the correction: reversed, then posted anew
    return record


@transaction.atomic
def record_cancel(*, record: WelfareRecord, by, reason: str) -> WelfareRecord:
    """Cancelled with a reason; the record and its number stay (the numbers have no gaps)."""
    record = WelfareRecord.objects.select_for_update().select_related("organization").get(pk=record.pk)
    _allow(by, record.organization)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Write why the record is cancelled.")})
    if record.is_cancelled:
        raise ValidationError(_("This record has already been cancelled."))
    record.cancelled_at, record.cancelled_by, record.cancel_reason = timezone.now(), by, reason
    record.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason", "updated_at"])
    posting.welfare_reverse(record, by)  # its payment is reversed today
    return record


# ----------------------------------------------------------------------------------------- gift campaigns


@dataclass(frozen=True)
class Recipient:
    member: Member
    child: FamilyMember | None = None

    @property
    def key(self) -> tuple[int, int | None]:
        return (self.member.pk, self.child.pk if self.child else None)


def campaign_check(occasion: str, recipients: str, max_child_age: int | None) -> None:
    """Children's occasions go to children, and children only get those; an age limit is for children."""
    children = recipients == GiftCampaign.Recipients.CHILDREN
    if occasion in Occasion.for_children() and not children:
        raise ValidationError(
            {"recipients": _("This occasion is for members' children: choose “Members' children”.")}
        )
    if children and occasion not in Occasion.for_children():
        raise ValidationError(
            {"occasion": _("Gifts to members' children are for 1/6, Mid-Autumn or study rewards.")}
        )
    if not children and max_child_age is not None:
        raise ValidationError({"max_child_age": _("An age limit is for children only: leave it empty.")})


def eligible(
    organization: Organization,
    *,
    recipients: str,
    on: datetime.date,
    max_child_age: int | None = None,
) -> list[Recipient]:
    """Who gets the gift on `on`: members active on this union's roll that day (admitted by then), or the
    children (born by then, aged `max_child_age` or less that day) of such members. Ordered as the list to
    sign: union group, then name. Two or three queries, whatever the size of the roll."""
    members = list(
        organization.members.filter(admitted_on__lte=on)
        .select_related("union_group")
        .order_by(  # by union group (members without one last, on every database), then by name
            F("union_group__position").asc(nulls_last=True),
            F("union_group__name").asc(nulls_last=True),
            "sort_name",
            "pk",
        )
    )
    statuses = statuses_on(organization, members, on)
    active = [m for m in members if statuses.get(m.pk) == S.ACTIVE]
    if recipients != GiftCampaign.Recipients.CHILDREN:
        return [Recipient(member) for member in active]
    by_pk = {member.pk: member for member in active}
    children = FamilyMember.objects.filter(
        member__in=list(by_pk), relation=FamilyMember.Relation.CHILD, birth_date__lte=on
    )
    if max_child_age is not None:
        children = children.filter(birth_date__gt=years_before(on, max_child_age + 1))
    children_of: dict[int, list[FamilyMember]] = {}
    for child in children.order_by("birth_date", "full_name", "pk"):
        children_of.setdefault(child.member_id, []).append(child)
    return [Recipient(member, child) for member in active for child in children_of.get(member.pk, [])]


def pending(campaign: GiftCampaign) -> list[Recipient]:
    """The eligible not yet given a record in this campaign (a cancelled one counts as given)."""
    given = set(campaign.records.values_list("member_id", "family_member_id"))
    found = eligible(
        campaign.organization,
        recipients=campaign.recipients,
        on=campaign.on,
        max_child_age=campaign.max_child_age,
    )
    return [recipient for recipient in found if recipient.key not in given]


@transaction.atomic
def campaign_create(
    *,
    organization: Organization,
    by,
    title: str,
    occasion: str,
    on: datetime.date,
    recipients: str,
    amount: int | None = None,
    max_child_age: int | None = None,
) -> tuple[GiftCampaign, int]:
    """The campaign and a record for every eligible recipient, at once. Sending the same campaign again (same
    title, occasion, date and recipients: a second click, a second tab) gives nobody a second record: it
    returns the campaign as it is, with the newly eligible added. Returns (campaign, records created)."""
    _allow(by, organization)
    _not_future(on)
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Give the campaign a title.")})
    campaign_check(occasion, recipients, max_child_age)
    if amount is None:
        amount = default_amount(organization, occasion, on)
        if amount is None:
            raise no_rule_error(occasion, on)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than 0 đồng.")})
    organization = _lock(organization)
    campaign = GiftCampaign.objects.filter(
        organization=organization, title=title, occasion=occasion, on=on, recipients=recipients
    ).first()
    if campaign is None:
        campaign = GiftCampaign.objects.create(
            organization=organization, title=title, occasion=occasion, on=on, amount=amount,
            recipients=recipients, max_child_age=max_child_age, created_by=by,
        )  # fmt: skip
    campaign.organization = organization
    return campaign, _give(campaign, by)


@transaction.atomic
def campaign_run(*, campaign: GiftCampaign, by) -> int:
    """Give the campaign's gift to those who have become eligible since (e.g. a child added to the roll);
    nobody already given a record in it gets another one. Returns how many records were made."""
    organization = campaign.organization
    _allow(by, organization)
    campaign.organization = _lock(organization)
    return _give(campaign, by)


def _give(campaign: GiftCampaign, by) -> int:
    """With the union locked: one record per pending recipient, numbered consecutively, in one statement per
    thousand rows."""
    recipients = pending(campaign)
    if not recipients:
        return 0
    year = campaign.on.year
    first = _next_number(campaign.organization, year)
    records = [
        WelfareRecord(
            organization=campaign.organization,
            member=recipient.member,
            family_member=recipient.child,
            occasion=campaign.occasion,
            on=campaign.on,
            amount=campaign.amount,
            campaign=campaign,
            year=year,
            number=first + index,
            recorded_by=by,
        )  # fmt: skip
        for index, recipient in enumerate(recipients)
    ]
    WelfareRecord.objects.bulk_create(records, batch_size=BULK_BATCH)
    posting.welfare_post_many(records, by)  # their payments, numbered consecutively in the paying ledger
    return len(records)
