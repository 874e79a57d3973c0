"""A report as the official BÁO CÁO: the plans' renderer (layout, header, signature, static-only fetcher) with
the report's own body. The same structured rows serve the report page and the printed table.

    I. TÌNH HÌNH CHUNG                    the summary
    II. KẾT QUẢ THỰC HIỆN                 the area narratives (1., 2., …), then the table of targets
    III. KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ
    IV. PHƯƠNG HƯỚNG, NHIỆM VỤ <next period>

Empty parts are left out, and the parts that remain are numbered in order.
"""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from plans import markup
from plans.rendering import LAYOUT, _static_only_fetcher
from targets.forms import format_number
from targets.models import GRADES, Report, ReportEntry, Target

ROMAN = ["I", "II", "III", "IV", "V", "VI"]
SYMBOLS = {
    Target.Comparison.AT_LEAST: "≥ ",
    Target.Comparison.MORE_THAN: "> ",
    Target.Comparison.AT_MOST: "≤ ",
    Target.Comparison.LESS_THAN: "< ",
    Target.Comparison.EXACTLY: "",
}


def number(value: Decimal | int | None) -> str:
    """`1.500`, `55,5`, `10`: Vietnamese digits, no trailing zeros (whole đồng for amounts)."""
    return format_number(value)


def _with_unit(target: Target, value: Decimal | None) -> str:
    if target.kind == Target.Kind.AMOUNT:
        return f"{number(round(value))} đ"
    if target.kind == Target.Kind.PERCENTAGE or target.unit == "%":
        return f"{number(value)}%"
    unit = f" {target.unit}" if target.unit else ""
    per = f"/{target.per}" if target.per else ""
    return f"{number(value)}{unit}{per}"


def goal_label(target: Target) -> str:
    """What the plan promised, short: `≥ 10 đoàn viên`, `≥ 100%`, `1 – 2 đồng chí`, `Thực hiện`."""
    if target.kind == Target.Kind.YES_NO:
        return "Thực hiện" if target.value is None or target.value >= 1 else "Không"
    if target.value is None:
        return ""
    if target.kind == Target.Kind.GRADE:
        grade = GRADES.get(int(target.value), number(target.value))
        return f"{SYMBOLS.get(target.comparison, '')}{grade}"
    if target.comparison == Target.Comparison.BETWEEN and target.value_max is not None:
        return f"{number(target.value)} – {_with_unit(target, target.value_max)}"
    return f"{SYMBOLS.get(target.comparison, '')}{_with_unit(target, target.value)}"


def reached_label(target: Target, reached: Decimal | None) -> str:
    if reached is None:
        return ""
    if target.kind == Target.Kind.YES_NO:
        return "Đã thực hiện" if reached >= 1 else "Chưa thực hiện"
    if target.kind == Target.Kind.GRADE:
        return GRADES.get(int(reached), number(reached))
    return _with_unit(target, reached)


def verdict(met: bool | None) -> str:
    return {True: "Đạt", False: "Chưa đạt"}.get(met, "")


def entry_rows(entries: list[ReportEntry]) -> list[dict]:
    """Per entry (with its target loaded): the goal, what was reached, met or not, the progress."""
    rows = []
    for index, entry in enumerate(entries, start=1):
        target = entry.target
        met = target.is_met(entry.reached)
        rows.append(
            {
                "index": index,
                "entry": entry,
                "target": target,
                "goal": goal_label(target),
                "reached": reached_label(target, entry.reached),
                "met": met,
                "verdict": verdict(met),
                "progress": target.progress(entry.reached),
            }
        )
    return rows


def document_context(report: Report) -> dict:
    governing, issuer = report.header_lines()
    entries = list(report.entries.select_related("target").order_by("position", "pk"))
    areas = [
        {"heading": area.heading, "blocks": markup.blocks(area.body)}
        for area in report.areas.order_by("position", "pk")
        if area.body.strip()
    ]
    for index, area in enumerate(areas, start=1):
        area["number"] = f"{index}."
    period = report.period_obj
    parts = []

    def part(heading, **content):
        if any(content.values()):
            parts.append({"number": f"{ROMAN[len(parts)]}.", "heading": heading, **content})

    part("TÌNH HÌNH CHUNG", blocks=markup.blocks(report.summary))
    part("KẾT QUẢ THỰC HIỆN", areas=areas, rows=entry_rows(entries))
    part("KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ", blocks=markup.blocks(report.difficulties))
    part(f"PHƯƠNG HƯỚNG, NHIỆM VỤ {period.next().label.upper()}", blocks=markup.blocks(report.next_steps))
    return {
        "report": report,
        "layout": LAYOUT,
        "header": {"governing": governing, "issuer": issuer},
        "parts": parts,
        "recipients": report.recipient_lines(),
    }


def render_html(report: Report) -> str:
    with translation.override("vi"):
        return markup.normalize(render_to_string("targets/report_document.html", document_context(report)))


def render_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    html = HTML(string=render_html(report), base_url="static://", url_fetcher=_static_only_fetcher())
    return html.write_pdf(pdf_variant=None)


def filename(report: Report) -> str:
    number_part = f"{report.number:02d}-" if report.number else ""
    return f"bao-cao-{number_part}{report.period}-{report.pk}.pdf"
