"""The import result as one JSON-able dict (the `import_plan --json` contract)."""

from __future__ import annotations

from plans.importing.parser import ParsedPlan


def outline(plan) -> list[dict]:
    """Every section of the saved plan in document order, with its printed number and level."""
    return [
        {"number": node["number"], "heading": node["section"].heading, "level": node["depth"]}
        for node in plan.outline()
    ]


def findings(plan) -> list[dict]:
    from plans import checks

    return [{"code": f.code, "message": f.message, "where": f.where} for f in checks.run_checks(plan)]


def import_report(plan, parsed: ParsedPlan) -> dict:
    return {
        "plan_id": plan.pk,
        "header": {
            "reference": parsed.reference,
            "place": parsed.place,
            "date": parsed.dated_on.isoformat() if parsed.dated_on else None,
            "type": parsed.document_type,
            "title": parsed.title,
        },
        "legal_bases": list(parsed.legal_bases),
        "outline": outline(plan),
        "findings": findings(plan),
        "notes": list(parsed.notes),
    }
