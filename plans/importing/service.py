"""A recognised document becomes a draft plan of the organisation."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from plans import services
from plans.importing.parser import ParsedPlan, infer_numbering, infer_period, parse
from plans.importing.source import SourceLine
from plans.models import Plan, Section


def source_text(lines: list[SourceLine]) -> str:
    return "\n".join(line.text for line in lines)


@transaction.atomic
def create_plan(organization, user, lines: list[SourceLine], corrections: dict | None = None) -> Plan:
    parsed = parse(lines, corrections)
    defaults = services.defaults_for(organization)
    kind, start, end, label = infer_period(parsed)
    dated_on = parsed.dated_on or timezone.localdate()
    number = parsed.number
    if (
        number
        and Plan.objects.filter(
            organization=organization, dated_on__year=dated_on.year, number=number
        ).exists()
    ):
        number = None  # taken this year: the chair gives the number (the checks and the form say so)
    plan = Plan.objects.create(
        organization=organization,
        created_by=user,
        kind=kind,
        title=(parsed.title or "Kế hoạch")[:500],
        period_start=start,
        period_end=end,
        period_label=label,
        number=number,
        place=(parsed.place or defaults["place"])[:100],
        dated_on=dated_on,
        governing_body_line=(parsed.governing_body_line or defaults["governing_body_line"])[:255],
        issuer_line=(parsed.issuer_line or defaults["issuer_line"])[:255],
        legal_bases="\n".join(parsed.legal_bases),
        preamble="\n".join(parsed.preamble),
        closing="\n".join(parsed.closing),
        signature_authority=(parsed.signature_authority or "TM. BAN CHẤP HÀNH")[:100],
        signature_title=(parsed.signature_title or "CHỦ TỊCH")[:100],
        signer_name=(parsed.signer_name or defaults["signer_name"])[:150],
        recipients="\n".join(parsed.recipients) or defaults["recipients"],
        numbering=infer_numbering(parsed),
        source_text=source_text(lines),
    )
    _create_sections(plan, parsed)
    return plan


def _create_sections(plan: Plan, parsed: ParsedPlan) -> None:
    def create(sections, parent):
        for position, section in enumerate(sections, start=1):
            heading = section.heading[:500]
            body = section.body
            if len(section.heading) > 500:  # nothing is dropped: the rest goes to the body
                body = [section.heading[500:], *body]
            created = Section.objects.create(
                plan=plan,
                parent=parent,
                position=position,
                heading=heading or section.number or "…",
                body="\n".join(body),
                source_number=section.number[:40],
            )
            create(section.children, created)

    create(parsed.sections, None)
