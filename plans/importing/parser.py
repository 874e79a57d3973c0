"""Recognising the structure of a plan in its lines: header, legal bases, sections, closing, signature.

The parser gives every source line a role (`Item`), so the review page can show the source side by side
with what was recognised, and a chair's corrections (`corrections`) are applied line by line. No line is
dropped: a line that fits nowhere becomes body text of the nearest section (or of the preamble).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from plans.importing.source import SourceLine

DOC_TYPES = {
    "KẾ HOẠCH": "KH", "BÁO CÁO": "BC", "TỜ TRÌNH": "TTr", "THÔNG BÁO": "TB", "QUYẾT ĐỊNH": "QĐ",
    "NGHỊ QUYẾT": "NQ", "HƯỚNG DẪN": "HD", "CHƯƠNG TRÌNH": "CTr", "BIÊN BẢN": "BB",
}  # fmt: skip
_DOC_TYPE = re.compile(r"^(" + "|".join(DOC_TYPES) + r")\b[\s:.,-]*(.*)$")
_MOTTO_1 = re.compile(r"C[ỘO]NG\s*H[ÒO]A\s*X[ÃA]\s*H[ỘO]I", re.IGNORECASE)
_MOTTO_2 = re.compile(r"Đ[ộo]c\s*l[ậa]p.*T[ựu]\s*do.*H[ạa]nh\s*ph[úu]c", re.IGNORECASE)
_REFERENCE = re.compile(r"^S[ốo]\s*:?\s*(.*)$", re.IGNORECASE)
_REFERENCE_PARTS = re.compile(r"^(\d*)\s*/\s*([A-Za-zĐđ]+)\s*-\s*(\S.*?)\s*$")
_PLACE_DATE = re.compile(
    r"^(?P<place>[^,]{1,80}?)\s*,\s*ngày\s+(?P<day>\d{1,2})\s+tháng\s+(?P<month>\d{1,2})\s+năm\s+(?P<year>\d{4})",
    re.IGNORECASE,
)
_RULE = re.compile(r"^[\s\-_=*.·–—~]+$")
_BASIS = re.compile(r"^(Căn cứ|Thực hiện|Theo|Triển khai)\b", re.IGNORECASE)
_CLOSING = re.compile(r"^Trên đây\b", re.IGNORECASE)
_AUTHORITY = re.compile(r"^(TM|KT|Q|TL|TUQ)\s*\.\s*\S", re.IGNORECASE)
_RECIPIENTS = re.compile(r"^N[ơo]i\s+nh[ậa]n\s*:?\s*(.*)$", re.IGNORECASE)
_SIGN_TITLES = re.compile(r"^(PHÓ\s+)?(CHỦ\s+TỊCH|TRƯỞNG\s+BAN|TỔ\s+TRƯỞNG|BÍ\s+THƯ|THỦ\s+TRƯỞNG)\b.*$")
_BULLET = re.compile(r"^([-+•*–])\s*(.*)$")

# Heading patterns, tried in order: (style, regex). The number is group 1, the heading text group 2.
_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
HEADINGS = [
    ("part", re.compile(r"^(PHẦN\s+(?:\d+|[IVXLC]+|[A-Z]))\s*[:.\-–]?\s*(.*)$")),
    ("quarter", re.compile(r"^(QUÝ\s+(?:[IV]+|\d)(?:\s*/\s*\d{4})?)\b\s*(.*)$")),
    ("roman", re.compile(r"^(" + _ROMAN + r")\s*(?:\.|/|\s-|-|–|\))\s*(\S.*)$")),
    ("decimal", re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)(?:\.(?!\d)\s*|\s+)(\S.*)$")),
    ("arabic", re.compile(r"^(\d{1,2})\s*[.)](?!\d)\s*(\S.*)$")),
    ("upper_letter", re.compile(r"^([A-ZĐ])\s*[.\-–]\s+(\S.*)$")),
    ("letter", re.compile(r"^([a-zđ])\s*\)\s*(\S.*)$")),
]
_PERSON = re.compile(r"^(?:[A-ZÀ-ỸĐ][a-zà-ỹđ]+)(?:\s+[A-ZÀ-ỸĐ][a-zà-ỹđ]+){1,5}$")
_TERMINAL = (".", ";", ":", "!", "?", "…", "”", '"', ")")


@dataclass
class Item:
    """The role of one source line in the recognised plan."""

    index: int
    text: str
    role: str  # header roles, "basis", "preamble", "heading", "body", "closing", "signature_*", "recipient"…
    level: int = 0  # for headings: 1 = top level
    number: str = ""  # for headings: the number as written in the source


@dataclass
class ParsedSection:
    level: int
    number: str  # as written in the source
    heading: str
    body: list[str] = field(default_factory=list)
    line: int = 0
    children: list[ParsedSection] = field(default_factory=list)


@dataclass
class ParsedPlan:
    governing_body_line: str = ""
    issuer_line: str = ""
    reference: str | None = None  # "18/KH-CĐMNTT", spaces removed
    number: int | None = None
    document_type: str | None = None  # "KẾ HOẠCH", "BÁO CÁO"…
    symbol: str = ""
    place: str | None = None
    dated_on: datetime.date | None = None
    date_text: str = ""
    title: str | None = None
    motto: list[str] = field(default_factory=list)
    legal_bases: list[str] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)  # top level; children inside
    closing: list[str] = field(default_factory=list)
    signature_authority: str = ""
    signature_title: str = ""
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)  # numbering style of each level, from the source
    items: list[Item] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the chair should know (cut-off document…)

    def outline(self) -> list[ParsedSection]:
        """Every section in document order."""

        def walk(sections):
            for section in sections:
                yield section
                yield from walk(section.children)

        return list(walk(self.sections))


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _heading_match(line: SourceLine) -> tuple[str, str, str] | None:
    """(style, number, text) if the line starts like a numbered heading."""
    if line.auto_number and not _BULLET.match(line.auto_number):
        style = _style_of_number(line.auto_number)
        if style:
            return style, line.auto_number.strip(), line.text
    for style, pattern in HEADINGS:
        match = pattern.match(line.text)
        if not match:
            continue
        number, text = match.group(1).strip(), match.group(2).strip()
        if style == "roman" and not number:
            continue
        if style == "upper_letter" and number in "IVXLC":
            continue  # "I." is roman
        if style == "quarter":
            text = line.text  # the whole line is the heading: QUÝ III/2021 (Tháng 7 – 9)
            number = ""
        return style, number, text
    return None


def _style_of_number(number: str) -> str | None:
    for style, pattern in HEADINGS:
        if pattern.match(f"{number} x"):
            return style
    return None


class _Levels:
    """Numbering styles take their level from their first appearance (I. then 1. then 1.1. …)."""

    def __init__(self):
        self.styles: list[str] = []

    def level(self, style: str, number: str, current: int) -> int:
        if style == "decimal":
            depth = number.rstrip(".").count(".") + 1
            if "arabic" in self.styles:
                level = self.styles.index("arabic") + depth
                while len(self.styles) < level:  # 1.1. holds the level under 1., for a) below it
                    self.styles.append("decimal")
                return level
            if "decimal" not in self.styles:
                self.styles.append("decimal")
            return self.styles.index("decimal") + depth - 1
        if style not in self.styles:
            # a new style nests under the current heading (or starts the top level)
            self.styles = self.styles[: max(current, 0)]
            self.styles.append(style)
        return self.styles.index(style) + 1


def _split_long_heading(text: str) -> tuple[str, str]:
    """A long numbered paragraph (`3.1. Tiếp tục … Công đoàn. Tuyên truyền …`): its first sentence is the
    heading, the rest its body."""
    if len(text) <= 200:
        return text, ""
    match = re.search(r"[.;:](?=\s+\S)", text[20:])
    if not match:
        return text, ""
    cut = 20 + match.end()
    return text[:cut].strip(), text[cut:].strip()


def parse(lines: list[SourceLine], corrections: dict | None = None) -> ParsedPlan:
    corrections = corrections or {}
    overrides = {int(k): v for k, v in (corrections.get("lines") or {}).items()}
    plan = ParsedPlan()
    items: list[Item] = []
    index = 0
    count = len(lines)

    # 1. the header, up to the document type line (KẾ HOẠCH …)
    type_at = next((i for i, line in enumerate(lines[:40]) if _DOC_TYPE.match(line.text)), None)
    if type_at is None:
        plan.notes.append(
            _("No document type (KẾ HOẠCH, BÁO CÁO…) was found: the top of the document may be missing.")
        )
        # the header ends at the first legal basis or heading
        type_at = next(
            (i for i, line in enumerate(lines[:40]) if _BASIS.match(line.text) or _heading_match(line)), 0
        )
        header_end = type_at
    else:
        header_end = type_at
    org_lines = []
    for i in range(header_end):
        line = lines[i]
        text = line.text
        role = "header_other"
        if _RULE.match(text):
            role = "decoration"
        elif _MOTTO_1.search(text) or _MOTTO_2.search(text):
            role = "motto"
            plan.motto.append(text)
        elif match := _REFERENCE.match(text):
            role = "reference"
            _read_reference(plan, match.group(1))
        elif match := _PLACE_DATE.match(text):
            role = "place_date"
            _read_place_date(plan, match)
        elif _is_upper(text):
            role = "organisation"
            org_lines.append((i, text, line.bold))
        else:
            plan.preamble.append(text)  # a header line of no known kind: kept, as opening text
        items.append(Item(i, text, role))
    _read_organisations(plan, org_lines, items)
    index = header_end

    # 2. document type and title
    if index < count and (match := _DOC_TYPE.match(lines[index].text)):
        plan.document_type = match.group(1)
        rest = match.group(2).strip()
        items.append(Item(index, lines[index].text, "document_type"))
        index += 1
        title = [rest] if rest else []
        while index < count:
            line = lines[index]
            if _heading_match(line) or _BASIS.match(line.text) and title or _RULE.match(line.text):
                if _RULE.match(line.text):
                    items.append(Item(index, line.text, "decoration"))
                    index += 1
                break
            first = not title
            if (
                first
                or (_is_upper(line.text) and len(line.text) < 150)
                or (line.bold and lines[index - 1].bold)
            ):
                title.append(line.text)
                items.append(Item(index, line.text, "title"))
                index += 1
                continue
            break
        plan.title = " ".join(title).strip().rstrip(".") or None
        if plan.title is None:
            plan.notes.append(_("No summary (the plan's title) was found under the document type."))

    # 3. the body: legal bases, preamble, sections, closing — then the signature block
    signature_at = _signature_start(lines, index)
    levels = _Levels()
    stack: list[ParsedSection] = []
    in_bases = True
    in_closing = False
    last_body: list[str] | None = None
    for i in range(index, signature_at):
        line = lines[i]
        text = line.text
        if _RULE.match(text):
            items.append(Item(i, text, "decoration"))
            continue
        override = overrides.get(i, {})
        heading = None if override.get("kind") == "body" else _heading_match(line)
        if override.get("kind") == "heading" and heading is None:
            heading = ("manual", "", text)
        elif heading is None and not override and _bold_heading(line):
            heading = ("bold", "", text)  # an unnumbered heading set in bold (Word)
        if heading and not in_closing:
            style, number, heading_text = heading
            current = len(stack)
            level = override.get("level") or (
                levels.level(style, number, current) if style not in ("manual", "bold") else max(current, 1)
            )
            level = max(1, min(int(level), current + 1))
            heading_text, rest = _split_long_heading(heading_text)
            section = ParsedSection(level=level, number=number, heading=heading_text, line=i)
            if rest:
                section.body.append(rest)
            del stack[level - 1 :]
            (stack[-1].children if stack else plan.sections).append(section)
            stack.append(section)
            items.append(Item(i, text, "heading", level, number))
            in_bases = False
            last_body = section.body
            continue
        if _CLOSING.match(text) and not override:
            in_closing, in_bases = True, False
        if in_closing:
            plan.closing.append(text)
            items.append(Item(i, text, "closing"))
            last_body = plan.closing
            continue
        if (
            not stack
            and in_bases
            and _BASIS.match(text)
            and len(text) < 500
            and not text.rstrip().endswith(":")
        ):
            plan.legal_bases.append(text)
            items.append(Item(i, text, "basis"))
            last_body = plan.legal_bases
            continue
        in_bases = False
        target = stack[-1].body if stack else plan.preamble
        bullet = _BULLET.match(text)
        if bullet and bullet.group(2):
            marker = "+" if bullet.group(1) == "+" else "-"
            text = f"{marker} {bullet.group(2)}"
        elif line.auto_number and _BULLET.match(line.auto_number):
            text = f"{'+' if (line.level or 0) > 0 else '-'} {text}"
        elif last_body is target and target and _continues(target[-1], text):
            target[-1] = f"{target[-1]} {text}"  # a paragraph broken across lines when copied
            items.append(Item(i, text, "body" if stack else "preamble"))
            continue
        target.append(text)
        items.append(Item(i, text, "body" if stack else "preamble"))
        last_body = target

    # 4. signature block and recipients, which may arrive flattened side by side
    _read_signature(plan, lines, signature_at, items)
    plan.styles = levels.styles
    _correct_header(plan, corrections.get("header") or {})
    plan.items = sorted(items, key=lambda item: item.index)
    _note_cut_off(plan, lines)
    return plan


HEADER_FIELDS = (
    "title", "reference", "place", "dated_on", "governing_body_line", "issuer_line", "signature_authority",
    "signature_title", "signer_name",
)  # fmt: skip


def _correct_header(plan: ParsedPlan, header: dict) -> None:
    """The chair's corrections of header fields (strings; the date as YYYY-MM-DD)."""
    for name, value in header.items():
        if name not in HEADER_FIELDS or value is None:
            continue
        if name == "reference":
            plan.reference = plan.number = None
            _read_reference(plan, value)
        elif name == "dated_on":
            try:
                plan.dated_on = datetime.date.fromisoformat(value) if value else None
            except ValueError:
                continue
        else:
            setattr(plan, name, value)


def _bold_heading(line: SourceLine) -> bool:
    """A short bold paragraph that is not a sentence nor a list item reads as a heading."""
    text = line.text
    return (
        line.bold
        and line.cell is None
        and 2 <= len(text) <= 150
        and not text.endswith((".", ";", ","))
        and not _BULLET.match(text)
        and not _BASIS.match(text)
    )


def _continues(previous: str, text: str) -> bool:
    return bool(text) and text[0].islower() and not previous.endswith(_TERMINAL)


def _read_reference(plan: ParsedPlan, raw: str) -> None:
    compact = re.sub(r"\s+", " ", raw).strip()
    match = _REFERENCE_PARTS.match(compact)
    if match:
        number, code, symbol = match.groups()
        symbol = re.sub(r"\s+", "", symbol)
        plan.number = int(number) if number else None
        plan.symbol = symbol
        plan.reference = f"{number}/{code}-{symbol}" if number else f"/{code}-{symbol}"
    elif compact:
        plan.reference = re.sub(r"\s+", "", compact)


def _read_place_date(plan: ParsedPlan, match: re.Match) -> None:
    plan.place = match.group("place").strip(" ,")
    plan.date_text = match.group(0)
    try:
        plan.dated_on = datetime.date(
            int(match.group("year")), int(match.group("month")), int(match.group("day"))
        )
    except ValueError:
        plan.notes.append(
            _("The date “%(date)s” does not exist; enter the date again.") % {"date": match.group(0)}
        )


def _read_organisations(plan: ParsedPlan, org_lines, items) -> None:
    """Uppercase header lines: the governing body first, then the issuer (in bold when known)."""
    if not org_lines:
        return
    if len(org_lines) == 1:
        plan.issuer_line = org_lines[0][1]
    else:
        bold = [line for line in org_lines if line[2]]
        issuer = bold[-1] if bold and len(bold) < len(org_lines) else org_lines[-1]
        plan.issuer_line = issuer[1]
        plan.governing_body_line = " ".join(text for i, text, _ in org_lines if i != issuer[0])
    for item in items:
        if item.role == "organisation":
            item.role = "issuer" if item.text == plan.issuer_line else "governing_body"


def _signature_start(lines: list[SourceLine], start: int) -> int:
    """Where the signature block (TM./KT. line, Nơi nhận) begins, searching from the end."""
    found = len(lines)
    for i in range(len(lines) - 1, start - 1, -1):
        text = lines[i].text
        if _AUTHORITY.match(text) or _RECIPIENTS.match(text) or _SIGN_TITLES.match(text) and len(text) < 40:
            found = i
        elif len(lines) - i > 30:
            break
    return found


def _read_signature(plan: ParsedPlan, lines: list[SourceLine], start: int, items: list[Item]) -> None:
    in_recipients = False
    for i in range(start, len(lines)):
        line = lines[i]
        text = line.text
        if _RULE.match(text):
            items.append(Item(i, text, "decoration"))
            continue
        if match := _RECIPIENTS.match(text):
            in_recipients = True
            items.append(Item(i, text, "recipients_title"))
            if match.group(1).strip():
                plan.recipients.append(_recipient(match.group(1)))
            continue
        if _AUTHORITY.match(text) and not plan.signature_authority:
            plan.signature_authority = text  # printed in capitals by the layout
            items.append(Item(i, text, "signature_authority"))
            continue
        if _SIGN_TITLES.match(text) and not plan.signature_title:
            plan.signature_title = text
            items.append(Item(i, text, "signature_title"))
            continue
        if (
            _PERSON.match(text)
            and not plan.signer_name
            and (line.cell is None or line.cell[1] > 0 or not in_recipients)
        ):
            plan.signer_name = text
            items.append(Item(i, text, "signer_name"))
            continue
        if in_recipients or _BULLET.match(text):
            plan.recipients.append(_recipient(text))
            items.append(Item(i, text, "recipient"))
            continue
        plan.closing.append(text)  # nothing is dropped
        items.append(Item(i, text, "closing"))
    if not (plan.signature_authority or plan.signature_title or plan.signer_name):
        plan.notes.append(_("No signature block (TM./KT. line, title, signer's name) was found."))
    if not plan.recipients:
        plan.notes.append(_("No list of recipients (Nơi nhận) was found."))


def _recipient(text: str) -> str:
    return text.lstrip("-+•–* ").rstrip(" ;.,")


def _note_cut_off(plan: ParsedPlan, lines: list[SourceLine]) -> None:
    body = [item for item in plan.items if item.role in ("body", "preamble", "closing", "heading")]
    if not body:
        plan.notes.append(_("No content was recognised: the document is empty or is not a plan."))
        return
    last = body[-1].text
    if not plan.signer_name and not last.endswith(_TERMINAL):
        plan.notes.append(
            _(
                "The document seems cut off at “%(line)s”: it was imported up to there; "
                "check it and add what is missing."
            )
            % {"line": last[-60:]}
        )


def infer_period(plan: ParsedPlan) -> tuple[str, datetime.date, datetime.date, str]:
    """(kind, start, end, label) from the title, else the opening: năm học 2024-2025, nhiệm kỳ 2023-2028…"""
    # the title decides; the opening paragraphs only when the title names no period
    for text in (plan.title or "", " ".join(plan.preamble[:2])):
        if match := re.search(r"năm học\s*(\d{4})\s*[-–]\s*(\d{4})", text, re.IGNORECASE):
            first, last = int(match.group(1)), int(match.group(2))
            return (
                "school_year",
                datetime.date(first, 9, 1),
                datetime.date(last, 8, 31),
                f"năm học {first}-{last}",
            )
        if match := re.search(r"nhiệm kỳ\s*(\d{4})\s*[-–]\s*(\d{4})", text, re.IGNORECASE):
            first, last = int(match.group(1)), int(match.group(2))
            return "term", datetime.date(first, 1, 1), datetime.date(last, 12, 31), f"nhiệm kỳ {first}-{last}"
        if match := re.search(r"năm\s+(\d{4})", text, re.IGNORECASE):
            year = int(match.group(1))
            return "calendar_year", datetime.date(year, 1, 1), datetime.date(year, 12, 31), f"năm {year}"
    year = plan.dated_on.year if plan.dated_on else datetime.date.today().year
    return "thematic", datetime.date(year, 1, 1), datetime.date(year, 12, 31), ""


def infer_numbering(plan: ParsedPlan) -> str:
    """The plan's numbering scheme closest to the source's styles."""
    styles = [s for s in plan.styles if s not in ("quarter", "manual", "bold")]
    if not styles:
        return "roman"
    first = styles[0]
    second = styles[1] if len(styles) > 1 else None
    third = styles[2] if len(styles) > 2 else None
    if first in ("part", "upper_letter"):
        return "part"
    if first == "roman":
        return "roman_letter" if third == "letter" or second == "letter" else "roman"
    if first in ("arabic", "decimal"):
        return "arabic_letter" if second == "letter" else "arabic"
    return "roman"
