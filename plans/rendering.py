"""One renderer for the official layout: the browser preview and the PDF share `plans/document.html`.

Every number of the layout lives in LAYOUT (defaults from FORMAT.md), nowhere else. WeasyPrint's URL
fetcher serves only the app's own static files: text in a plan can never make the renderer fetch.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from plans import markup
from plans.models import Plan

LAYOUT = {
    "margin_top": 20,
    "margin_bottom": 20,
    "margin_left": 30,
    "margin_right": 15,
    "font_family": '"Times New Roman", Tinos, "Liberation Serif", serif',
    "body_size": 14,
    "line_height": 1.3,
    "paragraph_spacing": 6,
    "first_line_indent": 1,
    "signature_space": 28,
    # sizes (pt) of the header lines, title and signature block
    "sizes": {
        "governing": 12.5,
        "issuer": 12.5,
        "motto_1": 12.5,
        "motto_2": 13.5,
        "reference": 13,
        "place_date": 13.5,
        "doc_type": 14,
        "doc_title": 14,
        "recipients_title": 12,
        "recipient": 11,
        "signature": 13.5,
        "signer_name": 14,
        "page_number": 13,
    },
    # the two header columns and the short rules, in % of the width they sit in
    "header_columns": (40, 60),
    "rules": {"issuer": 40, "motto": 58, "title": 30},
}


class FetchRefused(ValueError):
    pass


def _static_only_fetcher():
    """A WeasyPrint URL fetcher that serves `static://…` from the app's static files and refuses the rest."""
    import mimetypes
    from pathlib import Path

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            prefix = "static://"
            if not url.startswith(prefix):
                raise FetchRefused(f"refused to fetch {url!r}")
            path = finders.find(url[len(prefix) :])
            if not path:
                raise FetchRefused(f"no static file {url!r}")
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=Path(path).read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticOnlyFetcher(allowed_protocols={"static"})


TARGET_LABEL = "Chỉ tiêu:"  # printed before each target line (literal Vietnamese: the document's text)


@dataclass(frozen=True)
class TargetLine:
    """A printed target: `- Chỉ tiêu: <text> (thời hạn: …; phụ trách: …);` — the note in italics, the last
    line of a section ending with `.` like the last item of a list."""

    text: str
    note: str
    end: str


def target_due(target) -> str:
    """`30/06/2026`, `quý II/2026`; empty for an ongoing target (`thường xuyên` is the default)."""
    if target.due_kind == "ongoing":
        return ""
    label = target.due_label()
    return label[:1].lower() + label[1:] if target.due_kind == "quarter" else label


def target_lines(targets) -> list[TargetLine]:
    lines = []
    for index, target in enumerate(targets):
        notes = []
        if due := target_due(target):
            notes.append(f"thời hạn: {due}")
        if target.responsible.strip():
            notes.append(f"phụ trách: {target.responsible.strip()}")
        text = " ".join(target.text.split()).rstrip(" ;.,")
        lines.append(TargetLine(text, "; ".join(notes), "." if index == len(targets) - 1 else ";"))
    return lines


def printed_targets(plan: Plan) -> dict[int | None, list[TargetLine]]:
    """The targets printed on their own lines, by section id (None: the plan's own), in order: one query."""
    by_section: dict[int | None, list] = {}
    for target in plan.targets.filter(printed=True).order_by("section_id", "position", "pk"):
        by_section.setdefault(target.section_id, []).append(target)
    return {section_id: target_lines(targets) for section_id, targets in by_section.items()}


def _attach_targets(nodes: list[dict], lines: dict) -> list[dict]:
    for node in nodes:
        node["target_lines"] = lines.get(node["section"].pk, [])
        _attach_targets(node["children"], lines)
    return nodes


def document_context(plan: Plan) -> dict:
    governing, issuer = plan.header_lines()
    lines = printed_targets(plan)
    return {
        "plan": plan,
        "layout": LAYOUT,
        "header": {"governing": governing, "issuer": issuer},
        "legal_bases": plan.legal_basis_lines(),
        "preamble": markup.blocks(plan.preamble),
        "sections": _attach_targets(plan.section_tree(), lines),
        "plan_target_lines": lines.get(None, []),  # targets of no section: after the last section
        "closing": markup.blocks(plan.closing),
        "recipients": plan.recipient_lines(),
    }


def render_html(plan: Plan) -> str:
    with translation.override("vi"):
        return markup.normalize(render_to_string("plans/document.html", document_context(plan)))


def render_pdf_with_pages(plan: Plan) -> tuple[bytes, int]:
    from weasyprint import HTML

    html = HTML(string=render_html(plan), base_url="static://", url_fetcher=_static_only_fetcher())
    document = html.render()
    return document.write_pdf(pdf_variant=None), len(document.pages)


def render_pdf(plan: Plan) -> bytes:
    return render_pdf_with_pages(plan)[0]
