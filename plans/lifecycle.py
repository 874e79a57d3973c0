"""The plan lifecycle (DESIGN.md): draft → submitted → returned or approved → issued (frozen).

Every transition is one service in one transaction: it locks the plan, asks the access policy whether `by`
may do it (so the rules hold from a view, a task, the admin or the shell alike), checks the status, writes,
records the change in the audit trail, and notifies after commit.
"""

from __future__ import annotations

import difflib
import hashlib

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from members import access
from members.models import Officer, Organization
from plans import notifications, rendering, services
from plans.models import Comment, Plan, PlanTransition, PlanVersion, Section

S = Plan.Status


class TransitionRefused(ValueError):
    """The plan is not in a state that allows this; the message says why."""


def _locked(plan: Plan) -> Plan:
    return (
        Plan.objects.select_for_update(of=("self",))  # the plan row only (its parent union may be null)
        .select_related("organization", "organization__parent")
        .get(pk=plan.pk)
    )


def _allow(by, action: str, plan: Plan) -> None:
    if not access.can(by, action, plan):
        raise PermissionDenied(f"{action} refused")


def _move(plan: Plan, to: str, by, note: str = "", version: PlanVersion | None = None) -> PlanTransition:
    transition = PlanTransition.objects.create(
        plan=plan, from_status=plan.status, to_status=to, by=by, note=note, version=version
    )
    plan.status = to
    plan.save(update_fields=["status", "updated_at"])
    return transition


def snapshot(plan: Plan) -> dict:
    """Everything printed, with the sections in order and their numbers: what a version freezes."""
    fields = [
        "title", "kind", "period_start", "period_end", "period_label", "number", "dated_on", "place",
        "governing_body_line", "issuer_line", "legal_bases", "preamble", "closing", "signature_authority",
        "signature_title", "signer_name", "recipients", "numbering",
    ]  # fmt: skip
    data = {name: str(getattr(plan, name) or "") for name in fields}

    targets: dict[int | None, list[dict]] = {}  # every target (printed or not), by section: one query
    for target in plan.targets.order_by("section_id", "position", "pk"):
        targets.setdefault(target.section_id, []).append(_target_snapshot(target))
    data["sections"] = [
        {
            "id": node["section"].pk,
            "number": node["number"],
            "depth": node["depth"],
            "heading": node["section"].heading,
            "body": node["section"].body,
            "timeline": node["section"].timeline,
            "responsible": node["section"].responsible,
            "targets": targets.get(node["section"].pk, []),
        }  # fmt: skip
        for node in plan.outline()
    ]
    data["targets"] = targets.get(None, [])  # the plan's own, in no section
    return data


def _target_snapshot(target) -> dict:
    fields = [
        "text", "kind", "comparison", "value", "value_max", "unit", "per", "increase", "baseline",
        "responsible", "printed", "due_kind", "due_on", "due_quarter", "due_year",
    ]  # fmt: skip
    data = {name: getattr(target, name) for name in fields}
    for name in ("value", "value_max", "baseline", "due_on"):
        data[name] = str(data[name]) if data[name] is not None else None
    return {"id": target.pk, **data, "due": target.due_label(), "contributes_to": target.contributes_to_id}


@transaction.atomic
def plan_submit(*, plan: Plan, by, note: str = "") -> PlanVersion:
    plan = _locked(plan)
    _allow(by, "submit", plan)
    if plan.status not in (S.DRAFT, S.RETURNED):
        raise TransitionRefused(_("Only a draft or a returned plan can be submitted."))
    if not plan.sections.exists():
        raise TransitionRefused(_("A plan without sections cannot be submitted."))
    version = PlanVersion.objects.create(
        plan=plan, number=plan.versions.count() + 1, snapshot=snapshot(plan), created_by=by
    )
    _move(plan, S.SUBMITTED, by, note, version)
    notifications.notify(
        plan, Plan.Status.SUBMITTED, _reviewers(plan) - {by.pk}, version=version.number, by=by
    )
    return version


@transaction.atomic
def plan_return(*, plan: Plan, by, note: str) -> PlanTransition:
    plan = _locked(plan)
    _allow(by, "review", plan)
    if not note.strip():
        raise TransitionRefused(_("Say what should change: a returned plan needs a note."))
    transition = _move(plan, S.RETURNED, by, note.strip(), plan.versions.last())
    notifications.notify(plan, S.RETURNED, _submitters(plan), version=plan.versions.count(), by=by)
    return transition


@transaction.atomic
def plan_approve(*, plan: Plan, by, note: str = "") -> PlanTransition:
    plan = _locked(plan)
    _allow(by, "review", plan)
    transition = _move(plan, S.APPROVED, by, note.strip(), plan.versions.last())
    notifications.notify(plan, S.APPROVED, _submitters(plan), version=plan.versions.count(), by=by)
    return transition


def _reviewers(plan: Plan) -> set[int]:
    if plan.organization.parent_id is None:
        return set()
    officers = Officer.objects.active().filter(
        organization=plan.organization.parent_id, role__in=access.REVIEW_ROLES
    )
    return set(officers.values_list("user_id", flat=True))


def _submitters(plan: Plan) -> set[int]:
    """The union's chair and vice chairs, and committee members who submitted, while they hold office."""
    committee = Officer.objects.active().filter(organization=plan.organization, role__in=access.DRAFT_ROLES)
    managers = committee.filter(role__in=access.MANAGE_ROLES).values_list("user_id", flat=True)
    submitted = committee.filter(user__in=plan.versions.values("created_by")).values_list(
        "user_id", flat=True
    )
    return set(managers) | set(submitted)


def _follow_new_version(plan: Plan) -> None:
    """The unions below counted towards the replaced plan's targets: from now on they count towards the same
    targets of this version (a target the new version dropped keeps its contributions where they were)."""
    from targets.models import Target

    for target_id, old_id in Target.objects.filter(
        plan=plan, copied_from__plan_id=plan.replaces_id
    ).values_list("pk", "copied_from_id"):
        Target.objects.filter(contributes_to_id=old_id).update(contributes_to_id=target_id)


@transaction.atomic
def plan_issue(*, plan: Plan, by) -> Plan:
    """Numbers the plan if it has no number, renders the final PDF, stores its SHA-256, and freezes it."""
    plan = _locked(plan)
    _allow(by, "issue", plan)
    if plan.status != S.APPROVED:
        raise TransitionRefused(_("Only an approved plan can be issued."))
    today = timezone.localdate()
    missing = services.missing_for_pdf(plan)
    if missing:
        raise TransitionRefused(
            _("The plan cannot be issued yet. Missing: %(missing)s.") % {"missing": "; ".join(missing)}
        )
    if plan.number is None:
        # the organisation row locks its register: two issues at once take numbers one after the other
        Organization.objects.select_for_update().filter(pk=plan.organization_id).values_list("pk").get()
        plan.number = services.next_free_number(plan.organization, today.year, exclude_pk=plan.pk)
        plan.dated_on = today
        plan.save(update_fields=["number", "dated_on"])
    data = rendering.render_pdf(plan)
    plan.issued_pdf.save(f"{plan.reference.replace('/', '-')}-{plan.pk}.pdf", ContentFile(data), save=False)
    plan.issued_sha256 = hashlib.sha256(data).hexdigest()
    plan.issued_at = timezone.now()
    plan.save(update_fields=["issued_pdf", "issued_sha256", "issued_at"])
    _move(plan, S.ISSUED, by, version=plan.versions.last())
    if plan.replaces_id:
        _follow_new_version(plan)
    notifications.notify(
        plan, S.ISSUED, _reviewers(plan) | _submitters(plan) - {by.pk}, version=plan.versions.count(), by=by
    )
    return plan


@transaction.atomic
def plan_new_version(*, plan: Plan, by) -> Plan:
    """An issued plan is frozen; a change starts a fresh draft from it (same period, no number)."""
    plan = _locked(plan)
    _allow(by, "new_version", plan)
    existing = plan.replaced_by.exclude(status=S.ISSUED).first()
    if existing is not None:  # one revision at a time: a second click opens the draft already started
        return existing
    draft = services.plan_copy(source=plan, by=by, shift=False)
    draft.replaces = plan
    draft.save(update_fields=["replaces"])
    PlanTransition.objects.create(
        plan=draft, from_status=S.ISSUED, to_status=S.DRAFT, by=by,
        note=_("New version of %(reference)s.") % {"reference": plan.reference},
    )  # fmt: skip
    return draft


@transaction.atomic
def comment_add(*, plan: Plan, by, body: str, section: Section | None = None, parent: Comment | None = None):
    plan = _locked(plan)
    # reviewers open threads on a submitted plan; the union answers in them
    allowed = access.can(by, "comment", plan) or (parent is not None and access.can(by, "reply", plan))
    if not allowed:
        raise PermissionDenied("comment refused")
    body = body.strip()
    if not body:
        raise TransitionRefused(_("The comment is empty."))
    if parent is not None:
        section = parent.section
    return Comment.objects.create(
        plan=plan,
        section=section,
        section_heading=section.heading if section else "",
        parent=parent,
        version=plan.versions.last(),
        author=by,
        body=body[:5000],
    )


@transaction.atomic
def comment_resolve(*, comment: Comment, by) -> Comment:
    plan = _locked(comment.plan)
    if not (access.can(by, "reply", plan) or access.can(by, "comment", plan)):
        raise PermissionDenied("resolve refused")
    if comment.resolved_at is None:
        comment.resolved_at, comment.resolved_by = timezone.now(), by
        comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


def diff_versions(old: dict | None, new: dict) -> list[dict]:
    """Section by section: added, removed, changed (with the changed words marked) or unchanged."""
    old_sections = {s["id"]: s for s in (old or {}).get("sections", [])}
    rows = []
    seen = set()
    for section in new["sections"]:
        before = old_sections.get(section["id"])
        seen.add(section["id"])
        if before is None:
            rows.append({"kind": "added", "new": section, "html": _words(None, _text(section))})
        elif _text(before) != _text(section) or before["number"] != section["number"]:
            rows.append(
                {
                    "kind": "changed",
                    "old": before,
                    "new": section,
                    "html": _words(_text(before), _text(section)),
                }
            )
        else:
            rows.append({"kind": "same", "new": section, "html": escape(_text(section))})
    for section_id, section in old_sections.items():
        if section_id not in seen:
            rows.append({"kind": "removed", "old": section, "html": _words(_text(section), None)})
    header = []
    for name in ("title", "legal_bases", "preamble", "closing", "recipients", "signer_name"):
        a, b = (old or {}).get(name, ""), new.get(name, "")
        if a != b:
            header.append({"field": name, "html": _words(a, b)})
    return header + rows if header else rows


def _text(section: dict) -> str:
    parts = [section["heading"], section["body"], section["timeline"], section["responsible"]]
    parts += [_target_text(target) for target in section.get("targets", [])]  # older snapshots have none
    return "\n".join(part for part in parts if part)


def _target_text(target: dict) -> str:
    """A target as one line of the diff: its text, then due date and who is responsible when set."""
    notes = [target["due"] if target["due_kind"] != "ongoing" else "", target["responsible"]]
    note = "; ".join(note for note in notes if note)
    text = f"{target['text']} ({note})" if note else target["text"]
    return _("Target: %(text)s") % {"text": text}


def _words(old: str | None, new: str | None):
    """The new text with inserted words in <ins> and removed ones in <del>, escaped."""
    a, b = (old or "").split(" "), (new or "").split(" ")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("delete", "replace") and old is not None:
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace") and new is not None:
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
    return mark_safe(" ".join(out))  # noqa: S308 - every piece is escaped
