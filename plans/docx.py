"""The plan as a Word file: the layout of `plans/document.html`, built with python-docx.

It reads the same structured data as the PDF (`rendering.document_context`) and the page numbers of
`rendering.LAYOUT`, like the HTML template: every size and proportion comes from there.

Nothing in a plan is interpreted here except the small markup of `plans.markup`: every other character,
`<script>` and `&` included, becomes literal text.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from plans import markup
from plans.models import Plan
from plans.rendering import LAYOUT, TARGET_LABEL, document_context

TEXT_SIZES = LAYOUT["sizes"]
# Header columns and the short rules, as fractions of the width they sit in.
HEADER_COLUMNS = tuple(share / 100 for share in LAYOUT["header_columns"])
RULES = {name: share / 100 for name, share in LAYOUT["rules"].items()}
RULE_WEIGHT = 6  # eighths of a point: the 0.75 pt border of the template
CELL_LINE_HEIGHT = 1.2  # CSS line-height in the header and signature tables
# CSS line-height counts in font sizes; Word's "multiple" counts in single lines of the font, and one
# line of Times New Roman (ascent + descent + gap) is 1.15 of its size.
SINGLE_LINE = 1.15

PAGE_WIDTH, PAGE_HEIGHT = 210, 297
TEXT_WIDTH = PAGE_WIDTH - LAYOUT["margin_left"] - LAYOUT["margin_right"]  # mm
FONT = LAYOUT["font_family"].split(",")[0].strip().strip("\"'")
LANGUAGE = "vi-VN"

# Characters XML 1.0 cannot hold (python-docx would raise on them); markup.normalize handles tabs and CRs.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACES = re.compile(r"\s+")

# Successors of the elements python-docx has no property for (the schema fixes the order of children).
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
               "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
               "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
               "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")  # fmt: skip
_AFTER_OUTLINE_LVL = ("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_TBL_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
_AFTER_TBL_CELL_MAR = ("w:tblLook", "w:tblCaption", "w:tblDescription")
_AFTER_CANT_SPLIT = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del",
                     "w:trPrChange")  # fmt: skip
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def render_docx(plan: Plan) -> bytes:
    """The plan in the official layout as a .docx (A4, Times New Roman), ready to edit in Word."""
    context = document_context(plan)
    document = Document()
    _setup_styles(document)
    _setup_page(document)
    _set_properties(document, plan, context)
    writer = _Writer(document)
    writer.header(plan, context)
    writer.title(plan)
    for basis in context["legal_bases"]:
        writer.paragraph().run(basis, italic=True)
    writer.blocks(context["preamble"])
    for node in context["sections"]:
        writer.section(node)
    writer.target_lines(context["plan_target_lines"])
    writer.blocks(context["closing"])
    writer.signature(plan, context)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def clean(text: str, *, strip: bool = True) -> str:
    """NFC, XML-safe, whitespace collapsed as HTML does; `strip=False` keeps the spaces around a run."""
    text = _SPACES.sub(" ", _NOT_XML.sub("", markup.normalize(str(text))))
    return text.strip() if strip else text


class _InlineRuns(HTMLParser):
    """A block's HTML from markup.inline (escaped text, <strong> and <em> only) back into styled runs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bold = self.italic = 0
        self.runs: list[tuple[str, bool, bool]] = []

    def handle_starttag(self, tag, attrs):
        self.bold += tag == "strong"
        self.italic += tag == "em"

    def handle_endtag(self, tag):
        self.bold = max(0, self.bold - (tag == "strong"))
        self.italic = max(0, self.italic - (tag == "em"))

    def handle_data(self, data):
        style = (self.bold > 0, self.italic > 0)
        if self.runs and self.runs[-1][1:] == style:
            self.runs[-1] = (self.runs[-1][0] + data, *style)
        else:
            self.runs.append((data, *style))


def inline_runs(html: str) -> list[tuple[str, bool, bool]]:
    """[(text, bold, italic), …] of one markup block."""
    parser = _InlineRuns()
    parser.feed(str(html))
    parser.close()
    return parser.runs


class _Paragraph:
    def __init__(self, paragraph):
        self.paragraph = paragraph

    def run(self, text: str, *, size: float | None = None, bold: bool = False, italic: bool = False,
            strip: bool = True, verbatim: bool = False):  # fmt: skip
        run = self.paragraph.add_run(text if verbatim else clean(text, strip=strip))
        if size:
            run.font.size = Pt(size)
        run.font.bold = bold or None
        run.font.italic = italic or None
        return self


class _Writer:
    """Appends paragraphs to the document body, or to a table cell for the two tables."""

    def __init__(self, document):
        self.document = document
        self.last = None  # the last body paragraph: it keeps with the signature block

    def paragraph(self, container=None, *, align=None, indent=None, before=None, after=None, line=None,
                  keep=False):  # fmt: skip
        paragraph = (container or self.document).add_paragraph()
        fmt = paragraph.paragraph_format
        if align is not None:
            fmt.alignment = align
        if indent is not None:
            fmt.first_line_indent = indent
        if before is not None:
            fmt.space_before = before
        if after is not None:
            fmt.space_after = after
        if line is not None:
            fmt.line_spacing = line
        if keep:
            fmt.keep_with_next = True
        if container is None:
            self.last = paragraph
        return _Paragraph(paragraph)

    def cell_paragraph(self, cell, *, first=False, before=0, align=WD_ALIGN_PARAGRAPH.CENTER):
        """A line of the header or signature tables: no indent, no spacing, tight lines."""
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Cm(0)
        fmt.space_before = Pt(before)
        fmt.space_after = Pt(0)
        fmt.line_spacing = CELL_LINE_HEIGHT / SINGLE_LINE
        return _Paragraph(paragraph)

    def rule(self, container, *, fraction: float, width_mm: float, before: float, after: float):
        """A centred solid line `fraction` of `width_mm` long: the bottom border of an empty paragraph."""
        paragraph = container.add_paragraph() if container is not None else self.document.add_paragraph()
        fmt = paragraph.paragraph_format
        side = Mm(width_mm * (1 - fraction) / 2)
        fmt.left_indent = fmt.right_indent = side
        fmt.first_line_indent = Cm(0)
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.line_spacing = Pt(1)  # exact: the empty line is 1 pt high
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for name, value in (("val", "single"), ("sz", str(RULE_WEIGHT)), ("space", "0"), ("color", "000000")):
            bottom.set(qn(f"w:{name}"), value)
        borders.append(bottom)
        paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)
        return paragraph

    def table(self, fractions: tuple[float, ...]):
        """A borderless, fixed-width table over the text width, without cell padding."""
        table = self.document.add_table(rows=1, cols=len(fractions))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        width = tbl_pr.find(qn("w:tblW"))  # python-docx leaves it "auto"
        width.set(qn("w:type"), "dxa")
        width.set(qn("w:w"), str(round(TEXT_WIDTH * 1440 / 25.4)))
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:val"), "nil")
            borders.append(edge)
        tbl_pr.insert_element_before(borders, *_AFTER_TBL_BORDERS)
        margins = OxmlElement("w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:w"), "0")
            edge.set(qn("w:type"), "dxa")
            margins.append(edge)
        tbl_pr.insert_element_before(margins, *_AFTER_TBL_CELL_MAR)
        for column, cell, fraction in zip(table.columns, table.rows[0].cells, fractions, strict=True):
            column.width = cell.width = Mm(TEXT_WIDTH * fraction)
        return table

    def header(self, plan: Plan, context: dict):
        table = self.table(HEADER_COLUMNS)
        left, right = table.rows[0].cells
        governing, issuer = context["header"]["governing"], context["header"]["issuer"]
        first = True
        if governing:
            self.cell_paragraph(left, first=True).run(governing, size=TEXT_SIZES["governing"])
            first = False
        self.cell_paragraph(left, first=first).run(issuer, size=TEXT_SIZES["issuer"], bold=True)
        self.rule(left, fraction=RULES["issuer"], width_mm=TEXT_WIDTH * HEADER_COLUMNS[0], before=2, after=6)
        self.cell_paragraph(left, before=4).run(
            f"Số: {clean(plan.reference, strip=False) if plan.number else plan.reference}",
            size=TEXT_SIZES["reference"],
            verbatim=True,  # a blank number keeps its room to write it in by hand
        )

        motto = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        self.cell_paragraph(right, first=True).run(motto, size=TEXT_SIZES["motto_1"], bold=True)
        self.cell_paragraph(right).run("Độc lập - Tự do - Hạnh phúc", size=TEXT_SIZES["motto_2"], bold=True)
        self.rule(right, fraction=RULES["motto"], width_mm=TEXT_WIDTH * HEADER_COLUMNS[1], before=2, after=6)
        self.cell_paragraph(right, before=4).run(
            plan.place_and_date(), size=TEXT_SIZES["place_date"], italic=True
        )

    def title(self, plan: Plan):
        centred = {"align": WD_ALIGN_PARAGRAPH.CENTER, "indent": Cm(0), "after": Pt(0), "keep": True}
        self.paragraph(before=Pt(12), **centred).run("KẾ HOẠCH", size=TEXT_SIZES["doc_type"], bold=True)
        self.paragraph(before=Pt(0), **centred).run(plan.title, size=TEXT_SIZES["doc_title"], bold=True)
        self.rule(None, fraction=RULES["title"], width_mm=TEXT_WIDTH, before=3, after=12)

    def blocks(self, blocks):
        for block in blocks:
            paragraph = self.paragraph()
            if block.kind in ("dash", "plus"):
                paragraph.run("- " if block.kind == "dash" else "+ ", strip=False)
            for text, bold, italic in inline_runs(block.html):
                paragraph.run(text, bold=bold, italic=italic, strip=False)

    def target_lines(self, lines):
        """`- Chỉ tiêu: <text> (thời hạn: …; phụ trách: …);` as `_target_line.html` prints them."""
        for line in lines:
            paragraph = self.paragraph().run(f"- {TARGET_LABEL} ", strip=False).run(line.text, strip=False)
            if line.note:
                paragraph.run(" ", strip=False).run(f"({line.note})", italic=True)
            paragraph.run(line.end, strip=False)

    def section(self, node: dict):
        depth, section = node["depth"], node["section"]
        heading = clean(section.heading)
        if node["upper"]:  # I. and A. headings, as the `upper` class of document.html
            heading = heading.upper()
        spacing = Pt(LAYOUT["paragraph_spacing"])
        paragraph = self.paragraph(before=spacing, after=spacing, keep=True)
        outline = OxmlElement("w:outlineLvl")  # the navigation pane of Word shows the plan's outline
        outline.set(qn("w:val"), str(min(depth, 9) - 1))
        paragraph.paragraph._p.get_or_add_pPr().insert_element_before(outline, *_AFTER_OUTLINE_LVL)
        # heading-1 and -2 bold, -3 bold italic, -4 and deeper italic (document.html)
        paragraph.run(f"{node['number']} {heading}", bold=depth <= 3, italic=depth >= 3)
        self.blocks(section.body_blocks())
        self.target_lines(node.get("target_lines", []))
        for label, value in (("Thời gian thực hiện:", section.timeline), ("Phân công:", section.responsible)):
            if value:
                self.paragraph().run(label, italic=True).run(f" {clean(value)}", strip=False)
        for child in node["children"]:
            self.section(child)

    def signature(self, plan: Plan, context: dict):
        if self.last is not None:
            self.last.paragraph_format.keep_with_next = True  # never a signature alone on a page
        table = self.table((0.5, 0.5))
        row = table.rows[0]
        cant_split = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().insert_element_before(cant_split, *_AFTER_CANT_SPLIT)
        recipients, sign = row.cells
        left = WD_ALIGN_PARAGRAPH.LEFT
        # 12 pt above the table; CSS collapses it with the 6 pt under the last paragraph, Word adds them
        gap = max(0, 12 - LAYOUT["paragraph_spacing"])
        if context["recipients"]:
            self.cell_paragraph(recipients, first=True, before=gap, align=left).run(
                "Nơi nhận:", size=TEXT_SIZES["recipients_title"], bold=True, italic=True
            )
            for line in context["recipients"]:
                self.cell_paragraph(recipients, align=left).run(line, size=TEXT_SIZES["recipient"])
        size = TEXT_SIZES["signature"]
        self.cell_paragraph(sign, first=True, before=gap).run(
            plan.signature_authority.upper(), size=size, bold=True
        )
        self.cell_paragraph(sign).run(plan.signature_title.upper(), size=size, bold=True)
        name = self.cell_paragraph(sign).run(plan.signer_name, size=TEXT_SIZES["signer_name"], bold=True)
        name.paragraph.paragraph_format.space_before = Mm(LAYOUT["signature_space"])
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
        # Word always ends a body with a paragraph; a 1 pt one cannot push an empty page after the table
        end = self.document.add_paragraph().paragraph_format
        end.space_before = end.space_after = Pt(0)
        end.line_spacing = Pt(1)


def _setup_styles(document):
    """Times New Roman for every script, Vietnamese, and the body paragraph of LAYOUT as Normal."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(r_pr)
    _set_language(r_pr)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.attrib.clear()  # the template's 10 pt after and 1.15 lines: Normal says what the body needs
    spacing.set(qn("w:after"), "0")

    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(LAYOUT["body_size"])
    _set_fonts(normal.element.get_or_add_rPr())
    _set_language(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Cm(LAYOUT["first_line_indent"])
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(LAYOUT["paragraph_spacing"])
    fmt.line_spacing = round(LAYOUT["line_height"] / SINGLE_LINE, 2)
    fmt.widow_control = True


def _set_fonts(r_pr):
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)  # a theme font would win over the names below
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)


def _set_language(r_pr):
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.insert_element_before(lang, *_AFTER_LANG)
    lang.attrib.clear()
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _setup_page(document):
    """A4 portrait, the margins of LAYOUT, the page number centred in the top margin from page 2."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Mm(LAYOUT["margin_top"]), Mm(LAYOUT["margin_bottom"])
    section.left_margin, section.right_margin = Mm(LAYOUT["margin_left"]), Mm(LAYOUT["margin_right"])
    size = TEXT_SIZES["page_number"]
    # the number's line sits in the middle of the top margin, as `vertical-align: middle` does
    section.header_distance = Mm(LAYOUT["margin_top"]) // 2 - Pt(size * SINGLE_LINE) // 2
    section.footer_distance = Mm(LAYOUT["margin_bottom"]) // 2
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty header on page 1

    paragraph = section.header.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.first_line_indent = Cm(0)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    for kind, text in (
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "2"),
        ("end", None),
    ):
        run = paragraph.add_run()
        run.font.size = Pt(size)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text  # shown until the field is updated; Word and LibreOffice update it on layout
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _set_properties(document, plan: Plan, context: dict):
    props = document.core_properties
    props.title = clean(f"{plan.reference} – {plan.title}")
    props.subject = clean(plan.title)
    props.author = props.last_modified_by = clean(context["header"]["issuer"])
    props.comments = ""
    props.keywords = ""
    props.language = LANGUAGE
    props.created = props.modified = timezone.now()
    props.revision = 1
