"""Reports (báo cáo quý, 6 tháng, năm): starting one, editing it, and its review by the union above.

- `report_start` gets or creates a union's report for a period, pre-filled from its plans in force: one entry
  per target (the value reached carried over from the latest earlier report: values are "reached so far"),
  one area per top-level section. Two starts at once give one report.
- `report_update` takes the report's lock and its version like the plan editor (`plans.services._bump`): a
  stale save raises `StaleEdit` and writes nothing; only what the user changed is written.
- A target that counts itself (`Target.counts_from`, "admissions") takes its value from the member roll when
  the report is started, saved and submitted (`_refresh_linked`); a value typed for it is not kept.
- `report_submit`, `report_return`, `report_accept` are the review loop, each one transaction that asks the
  access policy, records a `ReportTransition` and notifies after commit (`plans.tasks`).
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access, counting
from members.models import Officer, Organization
from plans.models import Notification, Section
from plans.services import Frozen, StaleEdit, defaults_for, next_free_number
from targets.models import Report, ReportArea, ReportEntry, ReportTransition, Target
from targets.periods import Period
from targets.selectors import plans_in_force

__all__ = [
    "Frozen", "StaleEdit", "report_start", "report_update", "report_submit", "report_return",
    "report_accept", "validate_evidence", "REPORT_FIELDS",
]  # fmt: skip

S = Report.Status
# What a user may change on the report itself (entries and areas are passed apart).
REPORT_FIELDS = (
    "title", "summary", "difficulties", "next_steps", "place", "signature_authority", "signature_title",
    "signer_name", "recipients",
)  # fmt: skip
ENTRY_FIELDS = ("reached", "note", "evidence")
AREA_FIELDS = ("body",)
# file extension → the kind its content must be (sniffed from the first bytes, or the zip's parts)
EVIDENCE_TYPES = {
    ".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".docx": "docx", ".xlsx": "xlsx",
}  # fmt: skip


def title_for(period: Period) -> str:
    """The summary printed under BÁO CÁO: `Kết quả thực hiện nhiệm vụ quý I năm 2026`."""
    return f"Kết quả thực hiện nhiệm vụ {period.label}"


# ---------------------------------------------------------------------------------------------------- start


def _existing(organization: Organization, period: Period) -> Report | None:
    return Report.objects.filter(organization=organization, period=period.key).first()


def report_start(*, organization: Organization, period: Period, by) -> Report:
    """The union's report for `period`, created and pre-filled if there is none yet."""
    if not access.can(by, "write_reports", organization):
        raise PermissionDenied("write_reports refused")
    if period.start > timezone.localdate():
        raise ValidationError(
            _("The period %(period)s has not started yet: its report can be written from %(start)s.")
            % {"period": period.short_label, "start": period.start.strftime("%d/%m/%Y")},
            code="not_started",
        )
    report = _existing(organization, period)
    if report is not None:
        return report
    try:
        with transaction.atomic():
            report = Report.objects.create(
                organization=organization,
                period=period.key,
                title=title_for(period),
                created_by=by,
                **_document_defaults(organization),
            )
            _prefill(report, organization, period)
    except IntegrityError:
        # another start for the same union and period won the race: theirs is the report
        report = _existing(organization, period)
        if report is None:
            raise
    return report


def _document_defaults(organization: Organization) -> dict:
    defaults = defaults_for(organization)
    return {name: defaults[name] for name in ("place", "signer_name", "recipients")}


def _prefill(report: Report, organization: Organization, period: Period) -> None:
    """One entry per target of the plans in force (in document order), one area per top-level section."""
    plans = list(
        plans_in_force(period.start, period.end)
        .filter(organization=organization)
        .order_by("period_start", "pk")
    )
    if not plans:
        return
    plan_order = {plan.pk: index for index, plan in enumerate(plans)}
    sections = list(Section.objects.filter(plan__in=plans).only("pk", "plan_id", "parent_id", "position"))
    section_order = _document_order(sections)
    targets = sorted(
        Target.objects.filter(plan__in=plans),
        key=lambda t: (
            plan_order[t.plan_id],
            section_order.get(t.section_id, len(section_order)),  # a target outside sections: last
            t.position,
            t.pk,
        ),
    )
    carried = _carried_over(organization, period, [t.pk for t in targets])
    plan_by_pk = {plan.pk: plan for plan in plans}
    for target in targets:
        target.plan = plan_by_pk[target.plan_id]
    carried.update(linked_values(organization, period, targets))
    ReportEntry.objects.bulk_create(
        ReportEntry(report=report, target=target, position=position, reached=carried.get(target.pk))
        for position, target in enumerate(targets, start=1)
    )
    headings, seen = [], set()
    top = Section.objects.filter(plan__in=plans, parent=None).values_list(
        "plan_id", "position", "pk", "heading"
    )
    for _plan, _position, _pk, heading in sorted(top, key=lambda row: (plan_order[row[0]], row[1], row[2])):
        key = " ".join(heading.split()).casefold()
        if key and key not in seen:
            seen.add(key)
            headings.append(" ".join(heading.split()))
    ReportArea.objects.bulk_create(
        ReportArea(report=report, position=position, heading=heading)
        for position, heading in enumerate(headings, start=1)
    )


def counts_itself(target: Target) -> bool:
    return target.counts_from == counting.ADMISSIONS and target.kind == Target.Kind.COUNT


def linked_values(
    organization: Organization, period: Period, targets: Iterable[Target]
) -> dict[int, Decimal]:
    """Target pk → the figure the roll gives, for the targets that count themselves: the union's admissions
    and re-admissions from the start of the target's plan to the end of the period (never after today).
    The targets come with their plan; one query per distinct start of plan (in practice one)."""
    linked = [target for target in targets if counts_itself(target)]
    if not linked:
        return {}
    end = min(period.end, timezone.localdate())
    by_start: dict[datetime.date, int] = {}
    for start in sorted({target.plan.period_start for target in linked}):
        by_start[start] = counting.admissions([organization.pk], start, end)[organization.pk]
    return {target.pk: Decimal(by_start[target.plan.period_start]) for target in linked}


def linked_entry_ids(entries: Iterable[ReportEntry]) -> set[int]:
    """The entries (with their target loaded) whose value comes from the roll, not from the user."""
    return {entry.pk for entry in entries if counts_itself(entry.target)}


def _refresh_linked(report: Report) -> None:
    """Writes the roll's figures into the report's linked entries (a draft or returned report, under its
    lock): one query when the report has none."""
    entries = list(
        ReportEntry.objects.filter(
            report=report, target__counts_from=counting.ADMISSIONS, target__kind=Target.Kind.COUNT
        ).select_related("target__plan")
    )
    if not entries:
        return
    values = linked_values(report.organization, report.period_obj, [entry.target for entry in entries])
    changed = []
    for entry in entries:
        if entry.reached != values[entry.target_id]:
            entry.reached = values[entry.target_id]
            changed.append(entry)
    ReportEntry.objects.bulk_update(changed, ["reached"])


def _document_order(sections: list[Section]) -> dict[int, int]:
    """Section pk → its index in reading order (parents before children, siblings by position)."""
    children: dict[tuple[int, int | None], list[Section]] = {}
    for section in sections:
        children.setdefault((section.plan_id, section.parent_id), []).append(section)
    order: dict[int, int] = {}

    def walk(plan_id, parent_id):
        for section in sorted(children.get((plan_id, parent_id), []), key=lambda s: (s.position, s.pk)):
            order[section.pk] = len(order)
            walk(plan_id, section.pk)

    for plan_id in sorted({s.plan_id for s in sections}):
        walk(plan_id, None)
    return order


def _carried_over(organization: Organization, period: Period, target_ids: list[int]) -> dict[int, Decimal]:
    """Target pk → the value reached in the latest earlier report of the union that has one for it.

    "Earlier" is a report whose period ends no later than this one (another kind of period counts: a
    half-year report follows the quarters it covers); the one ending last wins, a shorter one on a tie.
    """
    if not target_ids:
        return {}
    # a new version of a plan (it `replaces` the one before): its targets go on from their originals' values
    # (a copy to the next year starts again from nothing)
    origin = dict(
        Target.objects.filter(pk__in=target_ids, copied_from__isnull=False, plan__replaces__isnull=False)
        .filter(copied_from__plan=F("plan__replaces"))
        .values_list("copied_from_id", "pk")
    )
    rows = (
        ReportEntry.objects.filter(
            report__organization=organization, target__in=[*target_ids, *origin], reached__isnull=False
        )
        .exclude(report__period=period.key)
        .values_list("report__period", "target_id", "reached")
    )
    best: dict[int, tuple[tuple, Decimal]] = {}
    for key, entry_target_id, reached in rows:
        other = Period.parse(key)
        if other.end > period.end:
            continue
        target_id = origin.get(entry_target_id, entry_target_id)
        # the target's own entries come before its original's in the same period
        rank = (other.end, other.start, entry_target_id == target_id)
        if target_id not in best or rank > best[target_id][0]:
            best[target_id] = (rank, reached)
    return {target_id: reached for target_id, (_rank, reached) in best.items()}


# --------------------------------------------------------------------------------------------------- update


def file_size(size: int) -> str:
    """`850 KB`, `12 MB`, `10,5 MB` (a decimal comma, as Vietnamese write it)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    text = f"{size / (1024 * 1024):.1f}".replace(".", ",")
    return f"{text.removesuffix(',0')} MB"


def evidence_kind(file) -> str | None:
    """What the content of an uploaded file is (pdf, jpeg, png, docx, xlsx), or None."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, EOFError):
            return None
        finally:
            file.seek(0)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def validate_evidence(file) -> None:
    """A file of evidence: at most REPORT_EVIDENCE_MAX_BYTES, and a PDF, JPG, PNG, DOCX or XLSX by content."""
    limit = getattr(settings, "REPORT_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
    name = PurePath(file.name or "").name
    if file.size > limit:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s; a file of evidence may be at most %(limit)s.")
            % {"name": name, "size": file_size(file.size), "limit": file_size(limit)},
            code="too_large",
        )
    expected = EVIDENCE_TYPES.get(PurePath(name).suffix.lower())
    if expected is None or evidence_kind(file) != expected:
        raise ValidationError(
            _(
                "The file “%(name)s” is not a PDF, JPG, PNG, Word (DOCX) or Excel (XLSX) file, or its "
                "content does not match its name. Choose another file."
            )
            % {"name": name},
            code="file_type",
        )


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("organization", "organization__parent")
        .get(pk=report.pk)
    )


def report_update(
    *,
    report: Report,
    by,
    expected_version: int,
    fields: dict | None = None,
    entries: dict[int, dict] | None = None,
    areas: dict[int, dict] | None = None,
) -> Report:
    """Saves what the user changed: `fields` of the report, `entries` {entry pk: {reached, note, evidence}},
    `areas` {area pk: {body}}. All or nothing: a stale version, a refused file or a frozen report write none
    of it. `report.version` follows on success."""
    fields, entries, areas = fields or {}, entries or {}, areas or {}
    for given, allowed in ((fields, REPORT_FIELDS), *((c, ENTRY_FIELDS) for c in entries.values()),
                           *((c, AREA_FIELDS) for c in areas.values())):  # fmt: skip
        unknown = set(given) - set(allowed)
        if unknown:
            raise ValueError(f"cannot change {sorted(unknown)}")
    for changes in entries.values():
        if changes.get("evidence"):
            validate_evidence(changes["evidence"])  # before anything is written
    with transaction.atomic():
        fresh = _locked(report)
        if fresh.status not in (S.DRAFT, S.RETURNED):
            raise Frozen(
                _("This report is %(status)s and can no longer be changed.")
                % {"status": fresh.get_status_display()}
            )
        if not access.can(by, "edit", fresh):
            raise PermissionDenied("edit refused")
        if fresh.version != expected_version:
            raise StaleEdit(fresh.version)
        for name, value in fields.items():
            setattr(fresh, name, value)
        fresh.version += 1
        fresh.save(update_fields=[*fields, "version", "updated_at"])
        _update_entries(fresh, entries)
        _update_areas(fresh, areas)
        _refresh_linked(fresh)  # the roll's figures, whatever was typed for them
    for name in (*fields, "version", "updated_at"):
        setattr(report, name, getattr(fresh, name))
    return report


def _update_entries(report: Report, entries: dict[int, dict]) -> None:
    if not entries:
        return
    rows = {entry.pk: entry for entry in ReportEntry.objects.filter(report=report, pk__in=list(entries))}
    if set(rows) != {int(pk) for pk in entries}:
        raise ValueError("an entry of another report")
    changed: set[str] = set()
    replaced: list[str] = []
    for pk, changes in entries.items():
        entry = rows[int(pk)]
        for name, value in changes.items():
            if name == "evidence":
                if not value:
                    continue
                if entry.evidence:
                    replaced.append(entry.evidence.name)
                entry.evidence.save(PurePath(value.name).name, value, save=False)
            else:
                setattr(entry, name, value)
            changed.add(name)
    if changed:
        ReportEntry.objects.bulk_update(list(rows.values()), sorted(changed))
    if replaced:
        storage = ReportEntry._meta.get_field("evidence").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in replaced])


def _update_areas(report: Report, areas: dict[int, dict]) -> None:
    if not areas:
        return
    rows = {area.pk: area for area in ReportArea.objects.filter(report=report, pk__in=list(areas))}
    if set(rows) != {int(pk) for pk in areas}:
        raise ValueError("an area of another report")
    for pk, changes in areas.items():
        for name, value in changes.items():
            setattr(rows[int(pk)], name, value)
    ReportArea.objects.bulk_update(list(rows.values()), ["body"])


# --------------------------------------------------------------------------------------------------- review


def _move(report: Report, to: str, by, note: str = "") -> ReportTransition:
    transition = ReportTransition.objects.create(
        report=report, from_status=report.status, to_status=to, by=by, note=note
    )
    report.status = to
    return transition


def _synced(given: Report, fresh: Report, names: list[str]) -> Report:
    """The caller's object follows what was saved (the service works on a locked, fresh copy)."""
    for name in names:
        setattr(given, name, getattr(fresh, name))
    return fresh


@transaction.atomic
def report_submit(*, report: Report, by) -> Report:
    """Numbers and dates the report, sends it to the union above; the first submission's time is kept."""
    given, report = report, _locked(report)
    if report.status not in (S.DRAFT, S.RETURNED):
        raise ValidationError(_("This report has already been submitted."), code="submitted")
    if not access.can(by, "submit", report):
        raise PermissionDenied("submit refused")
    today = timezone.localdate()
    if report.number is None or report.dated_on is None or report.dated_on.year != today.year:
        # the organisation row locks its register: two submissions at once take numbers one after the other
        Organization.objects.select_for_update().filter(pk=report.organization_id).values_list("pk").get()
        report.number = next_free_number(report.organization, today.year, exclude_pk=report.pk, model=Report)
    report.dated_on = today
    if report.submitted_at is None:
        report.submitted_at = timezone.now()  # the first submission decides lateness; never moved again
    _refresh_linked(report)  # the roll as it is on the day the report is sent
    _move(report, S.SUBMITTED, by)
    report.save(update_fields=["number", "dated_on", "submitted_at", "status", "updated_at"])
    _notify(report, Notification.Kind.REPORT_SUBMITTED, _reviewers(report) - {by.pk}, by=by)
    return _synced(given, report, ["number", "dated_on", "submitted_at", "status", "updated_at"])


@transaction.atomic
def report_return(*, report: Report, by, note: str) -> Report:
    given, report = report, _locked(report)
    if not access.can(by, "decide", report):
        raise PermissionDenied("decide refused")
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say what should change: a returned report needs a note."), code="note")
    _move(report, S.RETURNED, by, note)
    report.decided_at, report.return_note = timezone.now(), note
    report.save(update_fields=["status", "decided_at", "return_note", "updated_at"])
    _notify(report, Notification.Kind.REPORT_RETURNED, _submitters(report), by=by)
    return _synced(given, report, ["status", "decided_at", "return_note", "updated_at"])


@transaction.atomic
def report_accept(*, report: Report, by, note: str = "") -> Report:
    given, report = report, _locked(report)
    if not access.can(by, "decide", report):
        raise PermissionDenied("decide refused")
    _move(report, S.ACCEPTED, by, (note or "").strip())
    report.decided_at = timezone.now()
    report.save(update_fields=["status", "decided_at", "updated_at"])
    _notify(report, Notification.Kind.REPORT_ACCEPTED, _submitters(report), by=by)
    return _synced(given, report, ["status", "decided_at", "updated_at"])


def _reviewers(report: Report) -> set[int]:
    if report.organization.parent_id is None:
        return set()
    officers = Officer.objects.active().filter(
        organization=report.organization.parent_id, role__in=access.REVIEW_ROLES
    )
    return set(officers.values_list("user_id", flat=True))


def _submitters(report: Report) -> set[int]:
    """The union's chair and vice chairs, and whoever submitted it, while they hold office."""
    committee = Officer.objects.active().filter(organization=report.organization, role__in=access.DRAFT_ROLES)
    managers = committee.filter(role__in=access.MANAGE_ROLES).values_list("user_id", flat=True)
    submitted = committee.filter(
        user__in=report.transitions.filter(to_status=S.SUBMITTED).values("by")
    ).values_list("user_id", flat=True)
    return set(managers) | set(submitted)


def _message(report: Report, kind: str, by) -> str:
    text = {
        Notification.Kind.REPORT_SUBMITTED: _("%(organization)s submitted the report “%(title)s”."),
        Notification.Kind.REPORT_RETURNED: _("The report “%(title)s” was returned for revision by %(by)s."),
        Notification.Kind.REPORT_ACCEPTED: _("The report “%(title)s” was accepted by %(by)s."),
    }[kind]
    return text % {
        "organization": report.organization.display_name,
        "title": (report.title or report.period_obj.short_label)[:200],
        "by": by.get_full_name() if by else "",
    }


def _notify(report: Report, kind: str, user_ids, *, by=None) -> list[Notification]:
    """One notice per person and submission round (version = how many times it was submitted), emailed
    after commit."""
    from plans.tasks import notification_email_task

    version = report.transitions.filter(to_status=S.SUBMITTED).count()
    created = []
    for user_id in sorted(set(user_ids)):
        notice, new = Notification.objects.get_or_create(
            user_id=user_id,
            report=report,
            kind=kind,
            version_number=version,
            defaults={"message": _message(report, kind, by)[:500], "link": report.get_absolute_url()},
        )
        if new:
            created.append(notice)
            notification_email_task.apply_async_on_commit(
                (user_id,), countdown=settings.NOTIFICATION_EMAIL_DELAY
            )
    return created
