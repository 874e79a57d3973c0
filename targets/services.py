"""Changes to a plan's targets, from the plan editor.

Each change is one transaction that starts with `plans.services._bump`: it locks the plan, refuses a stale
edit (`StaleEdit`) or a plan that is no longer a draft (`Frozen`), and moves the plan's version on, so a
target edit and a section edit of the same plan are ordered and seen by everyone's editor. Positions stay
dense (1, 2, 3…) within a section.

Proposals (`targets.proposals`) are read from the saved text of a section (heading and body); the chair
accepts one as it is, edits it first, or ignores it. Ignoring, or accepting an edited proposal, is
remembered as a `FindingDismissal` (code `target_proposal`), so the same phrase is not proposed again.
"""

from __future__ import annotations

import dataclasses
import hashlib
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members import access
from plans.models import FindingDismissal, Plan, Section
from plans.services import MoveRefused, _bump, _bumped
from targets.models import Target
from targets.proposals import Proposal, propose
from targets.selectors import plans_in_force

# What the editor may set; the plan, the section and the position are the services' business.
FIELDS = (
    "text", "kind", "comparison", "value", "value_max", "unit", "per", "increase", "baseline", "responsible",
    "printed", "due_kind", "due_on", "due_quarter", "due_year", "contributes_to", "counts_from",
)  # fmt: skip
PROPOSAL_CODE = "target_proposal"
AMOUNT_UNITS = {"triệu đồng": 1_000_000, "nghìn đồng": 1_000, "đồng": 1, "đ": 1}


# ------------------------------------------------------------------------------------------------ rules


def rule_errors(values: dict) -> dict[str, str]:
    """The rules of a target, field → message (empty when sound): shared by the form and the services."""
    errors = {}
    kind, comparison = values.get("kind"), values.get("comparison")
    low, high = values.get("value"), values.get("value_max")
    if kind != Target.Kind.YES_NO and low is None:
        errors["value"] = _("Give the number to reach.")
    for name, number in (("value", low), ("value_max", high), ("baseline", values.get("baseline"))):
        if number is not None and number < 0:
            errors[name] = _("The number cannot be negative.")
    if comparison == Target.Comparison.BETWEEN:
        if high is None:
            errors["value_max"] = _("“Between” needs an upper value too.")
        elif low is not None and high < low and "value_max" not in errors:
            errors["value_max"] = _("The upper value cannot be less than the lower value.")
    if kind == Target.Kind.PERCENTAGE:
        for name, number in (("value", low), ("value_max", high)):
            if number is not None and number > 100 and name not in errors:
                errors[name] = _("A percentage cannot be more than 100.")
    if kind == Target.Kind.GRADE and low is not None and low not in (1, 2, 3, 4):
        errors["value"] = _("A grade is 1, 2, 3 or 4 (4: excellent).")
    if values.get("counts_from") and kind != Target.Kind.COUNT:
        errors["counts_from"] = _("Only a count target can count itself from the member roll.")
    due_kind = values.get("due_kind")
    if due_kind == Target.Due.DATE and not values.get("due_on"):
        errors["due_on"] = _("Give the due date (dd/mm/yyyy).")
    if due_kind == Target.Due.QUARTER:
        if not values.get("due_quarter"):
            errors["due_quarter"] = _("Choose the quarter.")
        if not values.get("due_year"):
            errors["due_year"] = _("A due quarter needs its year.")
    return errors


# What the unions' contributions are summed for on the upper union's dashboard: numbers that add up.
SUMMABLE = (Target.Kind.COUNT, Target.Kind.AMOUNT)


def contribution_choices(plan: Plan):
    """Targets of the parent union's plans in force during this plan's period: what this one may count
    towards (one query when evaluated)."""
    parent_id = plan.organization.parent_id
    if parent_id is None:
        return Target.objects.none()
    plans = plans_in_force(plan.period_start, plan.period_end).filter(organization_id=parent_id)
    return (
        Target.objects.filter(plan__in=plans, kind__in=SUMMABLE)
        .select_related("plan__organization")
        .order_by("plan__period_start", "plan_id", "section_id", "position", "pk")
    )


def _validate(target: Target, *, check_contribution: bool) -> None:
    errors = rule_errors({name: getattr(target, name) for name in FIELDS if name != "contributes_to"})
    if errors:
        raise ValidationError(errors)
    if (
        check_contribution
        and target.contributes_to_id is not None
        and not contribution_choices(target.plan).filter(pk=target.contributes_to_id).exists()
    ):
        raise ValidationError(
            {"contributes_to": _("Choose a target of the upper union's plan in force for this period.")}
        )
    if check_contribution and target.contributes_to_id is not None:
        upper = Target.objects.only("kind").get(pk=target.contributes_to_id)
        if not (target.kind == upper.kind and target.kind in SUMMABLE):
            raise ValidationError(
                {
                    "contributes_to": _(
                        "Only a count or an amount adds up to the upper union's target, and both must be of "
                        "the same kind: a percentage, a yes/no or a grade does not add up."
                    )
                }
            )
    target.full_clean(exclude=["plan", "section", "contributes_to"])


def _allow(by, plan: Plan) -> None:
    plan.refresh_from_db(fields=["status"])  # as it is under the lock
    if not access.can(by, "edit", plan):
        raise PermissionDenied("edit refused")


def _fields(fields: dict) -> dict:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"not a target field: {', '.join(sorted(unknown))}")
    return fields


# ------------------------------------------------------------------------------------------- positions


def _group(plan_id: int, section_id: int | None) -> list[Target]:
    return list(Target.objects.filter(plan_id=plan_id, section_id=section_id).order_by("position", "pk"))


def _store_positions(targets: list[Target]) -> None:
    changed = []
    for position, target in enumerate(targets, start=1):
        if target.position != position:
            target.position = position
            changed.append(target)
    Target.objects.bulk_update(changed, ["position"])


# -------------------------------------------------------------------------------------------- services


@transaction.atomic
def target_add(
    *,
    plan: Plan,
    by,
    expected_version: int,
    section: Section | None = None,
    from_proposal: str = "",
    **fields,
) -> Target:
    """A new target, last of its section (or of the plan's own targets without a section).

    `from_proposal`: the key of the proposal it was written from, remembered so it is not proposed again."""
    _bump(plan, expected_version)
    _allow(by, plan)
    if section is not None and section.plan_id != plan.pk:
        raise ValidationError(_("That section belongs to another plan."))
    target = Target(plan=plan, section=section, **_fields(fields))
    siblings = _group(plan.pk, section.pk if section else None)
    target.position = len(siblings) + 1
    _validate(target, check_contribution=True)
    target.save()
    _store_positions([*siblings, target])
    if from_proposal and section is not None:
        _remember(plan, section, from_proposal, by, _("Added as a target (edited)."))
    _bumped(plan, expected_version)
    return target


def _fresh(target: Target) -> Target:
    """The target as it is now, under the plan lock (another edit may have changed or moved it)."""
    fresh = Target.objects.select_related("plan__organization").get(pk=target.pk)
    return fresh


@transaction.atomic
def target_update(*, target: Target, by, expected_version: int, **fields) -> Target:
    """Saves only the given fields (those the user changed), so another person's edit of the rest stays."""
    plan = target.plan
    _bump(plan, expected_version)
    _allow(by, plan)
    fresh = _fresh(target)
    for name, value in _fields(fields).items():
        setattr(fresh, name, value)
    if fields:
        _validate(fresh, check_contribution="contributes_to" in fields)
        fresh.save(update_fields=[*fields])
    _bumped(plan, expected_version)
    return fresh


@transaction.atomic
def target_delete(*, target: Target, by, expected_version: int) -> None:
    plan = target.plan
    _bump(plan, expected_version)
    _allow(by, plan)
    fresh = _fresh(target)
    fresh.delete()
    _store_positions(_group(plan.pk, fresh.section_id))
    _bumped(plan, expected_version)


@transaction.atomic
def target_move(*, target: Target, by, expected_version: int, direction: str) -> Target:
    """up / down among the targets of its section."""
    if direction not in ("up", "down"):
        raise ValueError(direction)
    plan = target.plan
    _bump(plan, expected_version)
    _allow(by, plan)
    fresh = _fresh(target)
    siblings = _group(plan.pk, fresh.section_id)
    index = next(i for i, t in enumerate(siblings) if t.pk == fresh.pk)
    other = index - 1 if direction == "up" else index + 1
    if other < 0:
        raise MoveRefused(_("This is already the first target of its section."))
    if other >= len(siblings):
        raise MoveRefused(_("This is already the last target of its section."))
    siblings[index], siblings[other] = siblings[other], siblings[index]
    _store_positions(siblings)
    _bumped(plan, expected_version)
    return siblings[other]


# ------------------------------------------------------------------------------------------- proposals


def section_text(section: Section) -> str:
    """What proposals are read from: the heading too, since imported plans often carry a whole target as a
    numbered heading with no body (`3.7. … kết nạp ít nhất 01 đồng chí/năm.`)."""
    return f"{section.heading}\n{section.body}"


def section_proposals(section: Section) -> list[Proposal]:
    """`propose` on the section's text, each clause kept to its own line (the percentage pattern may run
    past the end of a line into the next paragraph)."""
    return [
        dataclasses.replace(p, text=p.text.split("\n", 1)[0].strip()) if "\n" in p.text else p
        for p in propose(section_text(section))
    ]


def proposal_key(proposal: Proposal) -> str:
    """A short stable name of a proposal: its clause and what it measures (two in one clause differ)."""
    data = f"{proposal.text}|{proposal.kind}|{proposal.value}|{proposal.unit}"
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def _where(section: Section, key: str) -> str:
    return f"section:{section.pk}:{key}"


def target_from_proposal(proposal: Proposal) -> dict:
    """The fields of a target accepted from a proposal. Not printed on its own line: the section's text
    already says it."""
    value = Decimal(str(proposal.value))
    value_max = Decimal(str(proposal.value_max)) if proposal.value_max is not None else None
    unit = proposal.unit
    if proposal.kind == Target.Kind.AMOUNT:
        factor = AMOUNT_UNITS.get(unit.lower(), 1)
        value, value_max = value * factor, (value_max * factor if value_max is not None else None)
        unit = "đồng"
    return {
        "text": proposal.text,
        "kind": proposal.kind,
        "comparison": proposal.comparison,
        "value": value,
        "value_max": value_max,
        "unit": unit,
        "per": proposal.per,
        "increase": proposal.increase,
        "printed": False,
    }


def open_proposals(
    section: Section, targets: list[Target], dismissed: set[str]
) -> list[tuple[str, Proposal]]:
    """[(key, proposal)] found in the section's saved text, less those already a target of the section
    (same text and value) and those set aside."""
    taken = {(t.text, t.value) for t in targets}
    found, seen = [], set()
    for proposal in section_proposals(section):
        key = proposal_key(proposal)
        fields = target_from_proposal(proposal)
        if key in dismissed or key in seen or (fields["text"], fields["value"]) in taken:
            continue
        seen.add(key)
        found.append((key, proposal))
    return found


def dismissed_keys(section: Section) -> set[str]:
    """Keys of the proposals of this section set aside (one query)."""
    prefix = _where(section, "")
    wheres = FindingDismissal.objects.filter(
        plan_id=section.plan_id, code=PROPOSAL_CODE, where__startswith=prefix
    ).values_list("where", flat=True)
    return {where[len(prefix) :] for where in wheres}


def find_proposal(section: Section, key: str) -> Proposal | None:
    return next((p for p in section_proposals(section) if proposal_key(p) == key), None)


def _remember(plan: Plan, section: Section, key: str, by, reason: str) -> None:
    FindingDismissal.objects.update_or_create(
        plan=plan,
        code=PROPOSAL_CODE,
        where=_where(section, key[:40]),
        defaults={"reason": reason[:500], "dismissed_by": by},
    )


@transaction.atomic
def target_proposal_accept(*, section: Section, by, expected_version: int, key: str) -> Target:
    """The proposal as it is, as a target of the section (the text is read as saved now)."""
    proposal = find_proposal(Section.objects.get(pk=section.pk), key)
    if proposal is None:
        raise ValidationError(_("This proposal is no longer in the section's text."))
    return target_add(
        plan=section.plan, by=by, expected_version=expected_version, section=section,
        **target_from_proposal(proposal),
    )  # fmt: skip


@transaction.atomic
def target_proposal_ignore(*, section: Section, by, expected_version: int, key: str) -> None:
    """Set the proposal aside: it is not proposed again for this section."""
    plan = section.plan
    _bump(plan, expected_version)
    _allow(by, plan)
    if find_proposal(Section.objects.get(pk=section.pk), key) is None:
        raise ValidationError(_("This proposal is no longer in the section's text."))
    _remember(plan, section, key, by, _("Not a target (set aside in the editor)."))
    _bumped(plan, expected_version)
