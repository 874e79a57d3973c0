"""Changes to plans: creating, copying (with the targets), editing the section tree, and asking for a PDF.

Every change starts with `_bump`, which locks the plan row and moves its version counter forward only if it
is still the version the editor was looking at: a stale save raises `StaleEdit` (the caller keeps what was
typed) and changes nothing. Taking the plan lock first, in every service, also orders concurrent edits of
the same plan one after the other.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Officer, Organization
from plans.models import Plan, PlanRender, Section

# A render not finished after this long is taken as lost (a worker killed mid-render) and asked for again.
RENDER_STALE_AFTER = datetime.timedelta(minutes=10)


class StaleEdit(Exception):
    """The plan changed since the editor loaded it."""

    def __init__(self, current_version: int):
        super().__init__(current_version)
        self.current_version = current_version


class MoveRefused(ValueError):
    """A move that cannot be made (first section up, top level out…), with a message for the user."""


class Frozen(PermissionDenied):
    """The plan is submitted, approved or issued: it cannot be edited (a new version can). A view that lets
    it through answers 403, as for any refused change."""


class NumberTaken(ValueError):
    """Another save took the same reference number at the same moment."""


# I. Mục đích, yêu cầu — II. Nội dung / chỉ tiêu — III. Nhiệm vụ, giải pháp — IV. Tổ chức thực hiện
SKELETON = [
    ("Mục đích, yêu cầu", ["Mục đích", "Yêu cầu"]),
    ("Nội dung, chỉ tiêu", []),
    ("Nhiệm vụ, giải pháp", []),
    ("Tổ chức thực hiện", []),
]


def _bump(plan: Plan, expected_version: int) -> None:
    """Lock the plan and move its version forward, or raise StaleEdit. Call inside a transaction; the
    caller's `plan.version` follows on success (`_bumped`), so a refused change leaves it as it was."""
    current, status = Plan.objects.select_for_update().values_list("version", "status").get(pk=plan.pk)
    if status not in (Plan.Status.DRAFT, Plan.Status.RETURNED):
        raise Frozen(
            _("This plan is %(status)s and can no longer be edited.") % {"status": Plan.Status(status).label}
        )
    if current != expected_version:
        raise StaleEdit(current)
    Plan.objects.filter(pk=plan.pk).update(version=F("version") + 1, updated_at=timezone.now())


def _bumped(plan: Plan, version: int) -> None:
    plan.version = version + 1


def next_free_number(
    organization: Organization, year: int, *, exclude_pk: int | None = None, model=Plan
) -> int:
    """The organisation's next number for the year in the register of `model`'s documents (plans: KH;
    `targets.Report`: BC); each kind of document has its own register."""
    used = model.objects.filter(organization=organization, dated_on__year=year, number__isnull=False)
    if exclude_pk:
        used = used.exclude(pk=exclude_pk)
    return (used.aggregate(top=Max("number"))["top"] or 0) + 1


def defaults_for(organization: Organization, *, on: datetime.date | None = None) -> dict:
    """What a new plan of this organisation starts with: header lines, place, the chair as signer."""
    on = on or timezone.localdate()
    chair = (
        Officer.objects.active(on)
        .filter(organization=organization, role=Officer.Role.CHAIR)
        .select_related("user")
        .first()
    )
    parent = organization.parent
    governing = organization.governing_body_line or (parent.name if parent else "")
    recipients = [parent.short_name or parent.name] if parent else []
    return {
        "governing_body_line": governing.upper(),
        "issuer_line": (organization.short_name or organization.name).upper(),
        "place": organization.locality,
        "signer_name": chair.user.get_full_name() if chair else "",
        "recipients": "\n".join([*recipients, "Ban Chấp hành", "Lưu: VT"]),
    }


@transaction.atomic
def plan_create(*, organization: Organization, by, start: str = "blank", **fields) -> Plan:
    """A new draft, blank or from the standard skeleton (copies: `plan_copy`)."""
    values = defaults_for(organization) | fields
    plan = Plan.objects.create(organization=organization, created_by=by, **values)
    if start == "skeleton":
        for position, (heading, children) in enumerate(SKELETON, start=1):
            parent = Section.objects.create(plan=plan, position=position, heading=heading)
            for child_position, child in enumerate(children, start=1):
                Section.objects.create(plan=plan, parent=parent, position=child_position, heading=child)
    return plan


def _shift_date(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def shift_years_in(text: str, years: int, first: int, last: int) -> str:
    """`năm học 2024-2025` → `năm học 2025-2026`: only the years of the old period move."""

    def move(match):
        year = int(match.group(0))
        return str(year + years) if first <= year <= last else match.group(0)

    return re.sub(r"(?<!\d)(19|20)\d{2}(?!\d)", move, text)


def period_shift(plan: Plan) -> int:
    """How far a copy moves: a school year or calendar year by one, a five-year term by five."""
    return max(1, plan.period_end.year - plan.period_start.year)


@transaction.atomic
def plan_copy(*, source: Plan, by, shift: bool = True) -> Plan:
    """A draft from an earlier plan: its period moved on by its length, or (`shift=False`, a new version of an
    issued plan) the same period."""
    years = period_shift(source) if shift else 0
    first, last = source.period_start.year, source.period_end.year
    copied = Plan(
        organization=source.organization,
        created_by=by,
        status=Plan.Status.DRAFT,
        number=None,
        dated_on=timezone.localdate(),
        version=1,
        period_start=_shift_date(source.period_start, years),
        period_end=_shift_date(source.period_end, years),
        period_label=shift_years_in(source.period_label, years, first, last),
        title=shift_years_in(source.title, years, first, last),
    )
    for name in (
        "kind", "place", "governing_body_line", "issuer_line", "legal_bases", "preamble", "closing",
        "signature_authority", "signature_title", "signer_name", "recipients", "numbering",
    ):  # fmt: skip
        setattr(copied, name, getattr(source, name))
    copied.save()
    new: dict[int, Section] = {}
    for node in source.outline():  # parents before their children
        section = node["section"]
        new[section.pk] = Section.objects.create(
            plan=copied,
            parent=new[section.parent_id] if section.parent_id else None,
            position=section.position,
            heading=section.heading,
            body=section.body,
            timeline=section.timeline,
            responsible=section.responsible,
        )
    _copy_targets(source, copied, new, years)
    return copied


def _copy_targets(source: Plan, copied: Plan, sections: dict[int, Section], years: int) -> None:
    """The targets go with their sections, due dates moved on with the period; each keeps the upper union's
    target it counts towards (`contributes_to`)."""
    from targets.models import Target

    skip = {"id", "plan", "section", "created_at", "copied_from"}
    names = [field.attname for field in Target._meta.concrete_fields if field.name not in skip]
    targets = []
    for target in Target.objects.filter(plan=source).order_by("section_id", "position", "pk"):
        values = {name: getattr(target, name) for name in names}
        if years and values["due_on"]:
            values["due_on"] = _shift_date(values["due_on"], years)
        if years and values["due_year"]:
            values["due_year"] += years
        section = sections.get(target.section_id) if target.section_id else None
        targets.append(Target(plan=copied, section=section, copied_from=target, **values))
    Target.objects.bulk_create(targets)


def plan_update(*, plan: Plan, version: int, **fields) -> Plan:
    """Saves only the given fields (those the user changed), so others' edits of other fields stay."""
    try:
        with transaction.atomic():
            _bump(plan, version)
            for name, value in fields.items():
                setattr(plan, name, value)
            plan.save(update_fields=[*fields, "updated_at"])
        _bumped(plan, version)
    except IntegrityError as error:
        if "plans_plan_unique_reference" in str(error) or "UNIQUE" in str(error).upper():
            raise NumberTaken(str(error)) from error
        raise
    return plan


def _siblings(plan: Plan, parent_id: int | None) -> list[Section]:
    return list(Section.objects.filter(plan=plan, parent_id=parent_id).order_by("position", "pk"))


def _store_order(sections: list[Section]) -> None:
    for position, section in enumerate(sections, start=1):
        section.position = position
    Section.objects.bulk_update(sections, ["position", "parent"])


def _fresh(section: Section) -> Section:
    """The section as it is now (after the plan lock): another edit may have moved it."""
    fresh = Section.objects.get(pk=section.pk)
    fresh.plan = section.plan
    return fresh


@transaction.atomic
def section_add(
    *,
    plan: Plan,
    version: int,
    parent: Section | None = None,
    after: Section | None = None,
    heading: str = "",
) -> Section:
    """A new section as the last child of `parent`, or right after `after` (a sibling)."""
    _bump(plan, version)
    parent_id = _fresh(after).parent_id if after is not None else (parent.pk if parent else None)
    section = Section(plan=plan, parent_id=parent_id, heading=heading or _("New section"))
    siblings = _siblings(plan, parent_id)
    index = next((i + 1 for i, s in enumerate(siblings) if after and s.pk == after.pk), len(siblings))
    section.position = index + 1
    section.save()
    siblings.insert(index, section)
    _store_order(siblings)
    _bumped(plan, version)
    return section


@transaction.atomic
def section_update(*, section: Section, version: int, **fields) -> Section:
    """Saves only the given fields (those the user changed)."""
    _bump(section.plan, version)
    for name, value in fields.items():
        setattr(section, name, value)
    if fields:
        section.save(update_fields=list(fields))
    _bumped(section.plan, version)
    return section


@transaction.atomic
def section_delete(*, section: Section, version: int) -> Section | None:
    """Deletes the section with everything under it; returns the neighbour that takes the focus."""
    plan = section.plan
    _bump(plan, version)
    section = _fresh(section)
    siblings = _siblings(plan, section.parent_id)
    index = next(i for i, s in enumerate(siblings) if s.pk == section.pk)
    section.delete()
    siblings.pop(index)
    _store_order(siblings)
    _bumped(plan, version)
    if siblings:
        return siblings[max(index - 1, 0)]
    return Section.objects.filter(pk=section.parent_id).first()


@transaction.atomic
def section_move(*, section: Section, version: int, direction: str) -> Section:
    """up / down among its siblings; in: under the sibling above (last child); out: after its parent."""
    if direction not in ("up", "down", "in", "out"):
        raise ValueError(direction)
    plan = section.plan
    _bump(plan, version)
    section = _fresh(section)
    siblings = _siblings(plan, section.parent_id)
    index = next(i for i, s in enumerate(siblings) if s.pk == section.pk)
    section = siblings[index]
    if direction == "up":
        if index == 0:
            raise MoveRefused(_("This is already the first section at its level."))
        siblings[index - 1], siblings[index] = siblings[index], siblings[index - 1]
        _store_order(siblings)
    elif direction == "down":
        if index == len(siblings) - 1:
            raise MoveRefused(_("This is already the last section at its level."))
        siblings[index + 1], siblings[index] = siblings[index], siblings[index + 1]
        _store_order(siblings)
    elif direction == "in":
        if index == 0:
            raise MoveRefused(_("There is no section above at the same level to move this one into."))
        new_parent = siblings[index - 1]  # the sibling just above takes it as its last child
        siblings.pop(index)
        _store_order(siblings)
        section.parent = new_parent
        _store_order([*_siblings(plan, new_parent.pk), section])
    else:  # out
        if section.parent_id is None:
            raise MoveRefused(_("This section is already at the top level."))
        parent = Section.objects.get(pk=section.parent_id)
        siblings.pop(index)
        _store_order(siblings)
        outer = _siblings(plan, parent.parent_id)
        at = next(i for i, s in enumerate(outer) if s.pk == parent.pk) + 1
        section.parent_id = parent.parent_id
        outer.insert(at, section)
        _store_order(outer)
    _bumped(plan, version)
    return section


@transaction.atomic
def section_place(*, section: Section, version: int, target: Section, place: str) -> Section:
    """Drag and drop: put `section` before or after `target` (at the target's level), or as its last child."""
    if place not in ("before", "after", "child"):
        raise ValueError(place)
    plan = section.plan
    _bump(plan, version)
    section, target = _fresh(section), _fresh(target)
    if target.pk == section.pk:
        raise MoveRefused(_("A section cannot be moved onto itself."))
    ancestor = target
    while ancestor.parent_id is not None:  # a section cannot go inside its own subtree
        if ancestor.parent_id == section.pk:
            raise MoveRefused(_("A section cannot be moved inside itself."))
        ancestor = Section.objects.only("parent_id").get(pk=ancestor.parent_id)
    _store_order([s for s in _siblings(plan, section.parent_id) if s.pk != section.pk])
    _bumped(plan, version)
    if place == "child":
        section.parent_id = target.pk
        _store_order([*(s for s in _siblings(plan, target.pk) if s.pk != section.pk), section])
        return section
    section.parent_id = target.parent_id
    siblings = [s for s in _siblings(plan, target.parent_id) if s.pk != section.pk]
    at = next(i for i, s in enumerate(siblings) if s.pk == target.pk) + (1 if place == "after" else 0)
    siblings.insert(at, section)
    _store_order(siblings)
    return section


def missing_for_pdf(plan: Plan) -> list[str]:
    """What the document still lacks before it can be printed, in words a chair understands."""
    missing = []
    if not plan.title.strip():
        missing.append(_("the document summary"))
    if not (plan.place or plan.organization.locality).strip():
        missing.append(_("the place printed before the date"))
    if not plan.sections.exists():
        missing.append(_("at least one section"))
    if not plan.signature_title.strip():
        missing.append(_("the signer's title"))
    if not plan.signer_name.strip():
        missing.append(_("the signer's name"))
    if not plan.recipients.strip():
        missing.append(_("the recipients"))
    return missing


def plan_render(*, plan: Plan, by=None) -> PlanRender:
    """The PDF of the plan as it is now: cached, or a render queued (again if it failed or got lost)."""
    from plans.tasks import plan_render_task

    content_hash = plan.content_hash()
    with transaction.atomic():
        render, created = PlanRender.objects.get_or_create(
            plan=plan, content_hash=content_hash, defaults={"requested_by": by}
        )
        if not created:
            # a failed render, or one lost with its worker, is asked for again; only one request wins
            created = bool(
                PlanRender.objects.filter(pk=render.pk)
                .filter(_retryable())
                .update(status=PlanRender.Status.QUEUED, error="", claimed_at=None, requested_by=by)
            )
        if created:
            plan_render_task.delay_on_commit(render.pk)
    render.refresh_from_db()
    return render


def _retryable() -> Q:
    """Failed renders, and pending ones nobody finished in time (their worker died)."""
    stale = timezone.now() - RENDER_STALE_AFTER
    return Q(status=PlanRender.Status.FAILED) | Q(
        status__in=[PlanRender.Status.QUEUED, PlanRender.Status.RENDERING], created_at__lt=stale,
        claimed_at__isnull=True,
    ) | Q(status=PlanRender.Status.RENDERING, claimed_at__lt=stale)  # fmt: skip


def current_render(plan: Plan) -> PlanRender | None:
    return PlanRender.objects.filter(plan=plan, content_hash=plan.content_hash()).first()
