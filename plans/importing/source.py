"""Reading a document into lines: pasted text, a .txt file (any common encoding) or a .docx file.

A .docx is an untrusted zip of XML: it is read with size and ratio limits and a parser that refuses
entities and external references, so a zip bomb, a billion-laughs file or a link to elsewhere is refused
with a clear message instead of being expanded or fetched.

Side-by-side blocks (the header's two columns, the signature beside "Nơi nhận") arrive either as a
table (.docx) or flattened onto one line with a wide gap (text copied out of Word). Both come out as one
SourceLine per column with `cell=(row, column)`; rows are counted through the whole document, so two
tables never share a row number, and column 0 is the left one.
"""

from __future__ import annotations

import functools
import html
import io
import re
import sys
import unicodedata
import zipfile
import zlib
from dataclasses import asdict, dataclass
from pathlib import PurePosixPath
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml
from django.utils.translation import gettext_lazy, pgettext_lazy

from plans.numbering import roman


class ImportRefused(ValueError):
    """The input cannot be read; `str(error)` is a message for the user, translated when raised."""

    def __init__(self, message):
        super().__init__(str(message))  # a lazy message (the constants below) becomes text now


@dataclass(frozen=True)
class SourceLine:
    text: str  # normalised: NFC, no NBSP/tabs/markup, spaces collapsed, stripped
    bold: bool = False  # every run of the paragraph is bold (.docx), or the line was wrapped in ** **
    auto_number: str | None = None  # Word's automatic number as it displays ("1.", "a)", "II."), not in text
    level: int | None = None  # Word's list level (0-based) for an automatically numbered paragraph
    cell: tuple[int, int] | None = None  # (row, column) when the line came from a table cell

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> SourceLine:
        cell = data.get("cell")
        return cls(
            text=data["text"],
            bold=data.get("bold", False),
            auto_number=data.get("auto_number"),
            level=data.get("level"),
            cell=tuple(cell) if cell else None,
        )


WIDE_GAP = 8  # spaces between two columns flattened onto one line
MAX_ENTRIES = 2000  # files in a .docx
MAX_UNPACKED = 50 * 1024 * 1024  # bytes, for any entry of a .docx and for all of them together
BOMB_RATIO = 100  # an entry that unpacks to more than this many times its packed size…
BOMB_MIN_SIZE = 2 * 1024 * 1024  # …and to more than this is a zip bomb
MAX_DEPTH = 100  # nesting of tables, content controls and text boxes in a .docx
BOLD_SPAN = 12  # lines a **…** span may cover

# Messages for the user (ImportRefused); lazy, so each is translated when it is raised.
EMPTY = gettext_lazy("The file is empty: there is nothing to import.")
BINARY = gettext_lazy("The file is not text (it looks like a binary file). Upload a .txt or .docx file.")
BAD_ENCODING = gettext_lazy(
    "The text file has an encoding error (%(codec)s). Save the file again with UTF-8 encoding."
)
OLD_DOC = gettext_lazy(
    "The old .doc format (Word 97–2003) cannot be read. Open the file in Word and save it as .docx."
)
DISGUISED_DOC = gettext_lazy(
    "This file is not a real .docx: it may be an old .doc file that was renamed, or a .docx file with a "
    "password. Open the file in Word, remove the password (if any) and save it as .docx."
)
NOT_DOCX = gettext_lazy("The file is not a valid .docx file. Open the file in Word and save it as .docx.")
NO_BODY = gettext_lazy(
    "The file is not a Word .docx document (the content part word/document.xml is missing)."
)
TOO_MANY = gettext_lazy(
    "The .docx file has too many parts (%(count)s, at most %(limit)s), so it was not read."
)
TOO_BIG = gettext_lazy("The .docx file is too large when unpacked (over %(limit)s MB), so it was not read.")
BOMB = gettext_lazy(
    "The .docx file has an abnormal compression ratio (it looks like a “zip bomb”), so it was not read."
)
ENCRYPTED = gettext_lazy("The .docx file is encrypted or has a password, so it cannot be read.")
UNSAFE_XML = gettext_lazy(
    "The .docx file contains unsafe XML declarations (a DTD, entities or references to outside "
    "resources), so it was not read."
)
BROKEN = gettext_lazy(
    "The .docx file is damaged: its part %(part)s cannot be read. Open the file in Word and save it again."
)
TOO_DEEP = gettext_lazy("The .docx file is nested too deeply, so it was not read.")
DISGUISED_TXT = gettext_lazy(
    "The file ends in .txt but is actually %(kind)s, not plain text. "
    "Upload the .docx file itself, or save the content as a .txt text file."
)
UNSUPPORTED = gettext_lazy("Only .docx or .txt files can be imported (this file ends in “%(ext)s”).")
NO_EXTENSION = gettext_lazy("Only .docx or .txt files can be imported (this file has no extension).")

# --- text ---------------------------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
# Only real HTML tag names (and Word's prefixed ones like <o:p>) count as markup, so "a < b",
# "x<5" and "<tên đơn vị>" stay text.
_BLOCK_TAGS = frozenset(
    "br p div li ul ol tr table tbody thead tfoot h1 h2 h3 h4 h5 h6 blockquote pre".split()
)
_INLINE_TAGS = frozenset(
    "b i u s em strong span font sup sub a small big mark strike del ins td th col colgroup hr img".split()
)
_TAG = re.compile(r"<(/?)([A-Za-z][\w.-]*:)?([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>")
_COMMENT = re.compile(r"<!--[^\n]{0,2000}?-->")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_GAP = re.compile(r"[ \t]+")
# What Word puts before the tab of a list item when a list is copied as text: "1.", "II.", "a)", "-", "".
_LIST_MARKER = re.compile(
    r"(?:[IVXLCDM]{1,7}|[ivxlcdm]{1,7}|\d{1,3}(?:\.\d{1,3}){0,4}|[A-Za-zđĐ])[.):]?|[-+•·*–—o▪►»\uf000-\uf0ff]"
)
# Windows-1258 writes a tone mark as a combining character after a vowel; after anything else it is a
# sign that the bytes were not Windows-1258.
_STRAY_TONE_MARK = re.compile("(?:^|[^aăâeêioôơuưyAĂÂEÊIOÔƠUƯY])[\u0300\u0301\u0303\u0309\u0323]")
_BINARY_CONTROLS = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")  # not \t \n \v \f \r, DOS EOF


@functools.cache
def _char_classes() -> tuple[re.Pattern, re.Pattern]:
    """(spaces, invisible): NBSP, other spaces and ZWSP become a space; controls, format characters
    (zero-width joiners, BOMs, bidi marks, soft hyphens) and lone surrogates go. Tab and line breaks
    are dealt with separately. Built once, from the Unicode categories."""
    spaces, invisible = [], []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        category = unicodedata.category(char)
        if category in ("Zs", "Zl", "Zp") or char == "\u200b":
            spaces.append(char)
        elif category in ("Cc", "Cf", "Cs") and char != "\t":
            invisible.append(char)
    spaces.remove(" ")

    def charclass(chars):
        return re.compile("[" + "".join(re.escape(c) for c in chars) + "]+")

    return charclass(spaces), charclass(invisible)


def _markup_out(text: str, *, breaks: bool) -> str:
    """NFC; HTML tags and comments out (block tags become line breaks when `breaks`), entities decoded."""

    def tag(match: re.Match) -> str:
        prefix, name = match.group(2), match.group(3).lower()
        if prefix is None and name in _BLOCK_TAGS:
            return "\n" if breaks else " "
        if prefix is not None or name in _INLINE_TAGS:
            return " " if name in ("td", "th") else ""
        return match.group(0)

    text = unicodedata.normalize("NFC", text)
    if "<" in text:
        text = _TAG.sub(tag, _COMMENT.sub("", text))
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    return unicodedata.normalize("NFC", text)


def _clean_chars(text: str) -> str:
    spaces, invisible = _char_classes()
    return invisible.sub("", spaces.sub(" ", text))


def _collapse(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(_GAP.split(text.strip(" \t"))))


def _columns(line: str) -> list[tuple[int | None, str]]:
    """Split a cleaned line at its wide gaps: [(column, text)], column None when the line has none.

    Between two pieces of text a gap is wide when it has 8 spaces or a tab (a copied table separates its
    cells with a tab), except the tab after a list marker ("1.\\tText"). Before or after the text, a gap
    is wide from 8 spaces (a tab counting 4): a line pushed far right is the right-hand column.
    """
    body = line.strip(" \t")
    if not body:
        return []
    lead, trail = line[: len(line) - len(line.lstrip(" \t"))], line[len(line.rstrip(" \t")) :]

    def wide_edge(run: str) -> bool:
        return run.count(" ") + 4 * run.count("\t") >= WIDE_GAP

    pieces, start = [], 0
    for index, match in enumerate(_GAP.finditer(body)):
        run = match.group()
        wide = run.count(" ") >= WIDE_GAP or "\t" in run
        if (
            wide
            and run.count(" ") < WIDE_GAP
            and index == 0
            and _LIST_MARKER.fullmatch(body[: match.start()])
        ):
            wide = False
        if wide:
            pieces.append(body[start : match.start()])
            start = match.end()
    pieces.append(body[start:])
    if len(pieces) == 1 and not wide_edge(lead) and not wide_edge(trail):
        return [(None, _collapse(body))]
    first = 1 if wide_edge(lead) else 0
    return [(first + index, _collapse(piece)) for index, piece in enumerate(pieces)]


def _bold_kind(text: str) -> str | None:
    """How `**` markers sit on a line: wrapped (**…**), open (**… starts a span), close (…** ends
    one), lone (only asterisks), or None (no marker, or inline markup such as "**A** và **B**")."""
    count = text.count("**")
    if not count:
        return None
    if not text.strip("*"):
        return "lone"
    starts, ends = text.startswith("**"), text.endswith("**")
    if count == 2 and starts and ends:
        return "wrapped"
    if count % 2:
        return "open" if starts else "close" if ends else None
    return None


def normalize_line(text: str) -> str:
    """One line as the importer stores it: NFC; NBSP, tabs and zero-width spaces as spaces; HTML tags
    and entities out; controls and other invisible characters removed; spaces collapsed; a leading or
    trailing `**` bold marker removed (inline `**bold**` markup is kept)."""
    text = _collapse(_clean_chars(_LINE_BREAK.sub(" ", _markup_out(text or "", breaks=False))))
    kind = _bold_kind(text)
    if kind == "wrapped":
        return text[2:-2].strip()
    if kind == "open":
        return text[2:].strip()
    if kind == "close":
        return text[:-2].strip()
    return text


@dataclass
class _Piece:
    text: str
    bold: bool = False
    auto_number: str | None = None
    level: int | None = None
    cell: tuple[int, int] | None = None


def _finish(pieces: list[_Piece]) -> list[SourceLine]:
    """Resolve `**` markers and drop the lines left empty. A line wrapped in them is bold; so are the
    lines of a span opened on one line and closed a few lines further down the same column; a marker
    that opens or closes nothing is dropped."""
    kinds = [_bold_kind(piece.text) for piece in pieces]
    done = set()
    for index, piece in enumerate(pieces):
        kind = kinds[index]
        if index in done or kind is None:
            continue
        if kind == "wrapped":
            piece.text, piece.bold = piece.text[2:-2].strip(), True
        elif kind == "close":
            piece.text = piece.text[:-2].strip()
        else:  # open or lone: look for the close further down the same column
            column = piece.cell[1] if piece.cell else None
            window = range(index + 1, min(len(pieces), index + 4 * BOLD_SPAN))
            same = [j for j in window if (pieces[j].cell[1] if pieces[j].cell else None) == column][
                :BOLD_SPAN
            ]
            end = next((j for j in same if kinds[j]), None)
            if end is not None and kinds[end] in ("close", "lone"):
                for j in [index, *same]:
                    if j <= end:
                        pieces[j].bold = True
                        done.add(j)
                piece.text = "" if kind == "lone" else piece.text[2:].strip()
                pieces[end].text = "" if kinds[end] == "lone" else pieces[end].text[:-2].strip()
            elif kind == "open":
                piece.text = piece.text[2:].strip()
    return [
        SourceLine(text=p.text, bold=p.bold, auto_number=p.auto_number, level=p.level, cell=p.cell)
        for p in pieces
        if p.text
    ]


def read_text(text: str) -> list[SourceLine]:
    """Pasted or decoded text → lines. Blank lines are dropped; a line with wide gaps becomes one line
    per column, with `cell=(row, column)`; `**…**` over one or several lines makes them bold."""
    pieces, row = [], -1
    for raw in _LINE_BREAK.split(_markup_out(text or "", breaks=True)):
        columns = _columns(_clean_chars(raw))
        if columns and columns[0][0] is not None:
            row += 1
        pieces += [_Piece(t, cell=None if col is None else (row, col)) for col, t in columns if t]
    return _finish(pieces)


# --- .txt ---------------------------------------------------------------------------------------------

_BOMS = [
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]


def _utf16_without_bom(data: bytes) -> str | None:
    """Text mostly in ASCII saved as UTF-16 without a BOM: every other byte is NUL."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    for zeros, others, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= half * 0.3 and others <= half * 0.01:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def decode(data: bytes) -> str:
    """Bytes of a .txt file → text (NFC, no BOM): UTF-8 with or without BOM, UTF-16/32 with a BOM, else
    Windows-1258 (Vietnamese), or Windows-1252 when the bytes cannot be Vietnamese. Refuses empty input
    and binary content."""
    if not data:
        raise ImportRefused(EMPTY)
    text = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise ImportRefused(BAD_ENCODING % {"codec": codec.upper()}) from None
            break
    else:
        text = _utf16_without_bom(data)
        if text is None:
            if b"\x00" in data:
                raise ImportRefused(BINARY)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = _legacy(data)
    if "\x00" in text or len(_BINARY_CONTROLS.findall(text)) > max(8, len(text) // 100):
        raise ImportRefused(BINARY)
    return unicodedata.normalize("NFC", text)


def _legacy(data: bytes) -> str:
    try:
        text = data.decode("cp1258")
        if not _STRAY_TONE_MARK.search(text):
            return text
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")


# --- .docx: the package -------------------------------------------------------------------------------

W_NS = frozenset(
    {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",
    }
)
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MATH_NS = frozenset(
    {
        "http://schemas.openxmlformats.org/officeDocument/2006/math",
        "http://purl.oclc.org/ooxml/officeDocument/math",
    }
)
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError)
_ZIP_ERRORS += (KeyError, IndexError, OverflowError, NotImplementedError, RuntimeError)


def _open_parts(data: bytes) -> dict[str, bytes]:
    """The three parts read from a .docx (document, styles, numbering), after checking the whole zip."""
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ImportRefused(DISGUISED_DOC)
    if not data.startswith(b"PK"):
        raise ImportRefused(NOT_DOCX)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _ZIP_ERRORS:
        raise ImportRefused(NOT_DOCX) from None
    if len(infos) > MAX_ENTRIES:
        raise ImportRefused(TOO_MANY % {"count": len(infos), "limit": MAX_ENTRIES})
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_UNPACKED or total > MAX_UNPACKED:
            raise ImportRefused(TOO_BIG % {"limit": MAX_UNPACKED // (1024 * 1024)})
        if info.file_size > BOMB_MIN_SIZE and info.file_size > BOMB_RATIO * max(info.compress_size, 1):
            raise ImportRefused(BOMB)
    names = {info.filename: info for info in infos}
    if "word/document.xml" not in names:
        raise ImportRefused(NO_BODY)
    parts = {}
    for name in ("word/document.xml", "word/styles.xml", "word/numbering.xml"):
        info = names.get(name)
        if info is None:
            continue
        if info.flag_bits & 0x1:
            raise ImportRefused(ENCRYPTED)
        try:
            with archive.open(info) as part:
                parts[name] = part.read(MAX_UNPACKED + 1)
        except _ZIP_ERRORS:
            raise ImportRefused(BROKEN % {"part": name}) from None
        if len(parts[name]) > MAX_UNPACKED:
            raise ImportRefused(TOO_BIG % {"limit": MAX_UNPACKED // (1024 * 1024)})
    return parts


def _xml(data: bytes | None, part: str) -> Element | None:
    if data is None:
        return None
    try:
        return parse_xml(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ImportRefused(UNSAFE_XML) from None
    except (ParseError, ValueError, LookupError):
        raise ImportRefused(BROKEN % {"part": part}) from None


def _name(element) -> str:
    """The local name of a WordprocessingML element; "mc:…" for markup compatibility, "m:…" for
    math, "" for anything else."""
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    namespace, _, local = tag[1:].partition("}")
    if namespace in W_NS:
        return local
    if namespace == MC_NS:
        return "mc:" + local
    if namespace in MATH_NS:
        return "m:" + local
    return ""


def _attr(element, name: str) -> str | None:
    for namespace in W_NS:
        value = element.get(f"{{{namespace}}}{name}")
        if value is not None:
            return value
    return None


def _child(element, name: str):
    if element is None:
        return None
    return next((child for child in element if _name(child) == name), None)


def _val(element, name: str) -> str | None:
    child = _child(element, name)
    return None if child is None else _attr(child, "val")


def _int(value: str | None, default: int | None = None, *, low: int = 0, high: int = 32767) -> int | None:
    try:
        number = int(value) if value is not None and len(value) < 12 else None
    except ValueError:
        number = None
    return default if number is None else max(low, min(high, number))


def _on(element) -> bool | None:
    """A toggle property such as <w:b/>: None when absent."""
    if element is None:
        return None
    value = _attr(element, "val")
    return value is None or value.strip().lower() not in ("0", "false", "off", "none")


def _alternative(element):
    """The branch of <mc:AlternateContent> that is read: the first Choice, else the Fallback."""
    choices = [child for child in element if _name(child) == "mc:Choice"]
    return choices[0] if choices else _child(element, "mc:Fallback")


# --- .docx: styles and numbering ----------------------------------------------------------------------

_HEADING = re.compile(r"(heading \d|title)", re.IGNORECASE)


@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    bold: bool | None = None
    num_id: str | None = None
    ilvl: int | None = None


class _Styles:
    def __init__(self, root: Element | None):
        self.styles: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        self.default_bold: bool | None = None
        if root is None:
            return
        defaults = _child(root, "docDefaults")
        self.default_bold = _on(_child(_child(_child(defaults, "rPrDefault"), "rPr"), "b"))
        for element in root:
            if _name(element) != "style":
                continue
            style_id = _attr(element, "styleId")
            if style_id is None:
                continue
            num_pr = _child(_child(element, "pPr"), "numPr")
            self.styles[style_id] = _Style(
                name=_val(element, "name") or "",
                based_on=_val(element, "basedOn"),
                bold=_on(_child(_child(element, "rPr"), "b")),
                num_id=_val(num_pr, "numId"),
                ilvl=_int(_val(num_pr, "ilvl"), high=8),
            )
            is_default = (_attr(element, "default") or "").lower() in ("1", "true", "on")
            if _attr(element, "type") == "paragraph" and is_default:
                self.default_paragraph = style_id

    def chain(self, style_id: str | None):
        seen = set()
        while style_id in self.styles and style_id not in seen and len(seen) < 20:
            seen.add(style_id)
            yield style_id, self.styles[style_id]
            style_id = self.styles[style_id].based_on

    def bold(self, style_id: str | None, *, paragraph: bool) -> bool | None:
        """A style's bold: the nearest explicit <w:b>; a heading or title paragraph style is bold."""
        for _, style in self.chain(style_id):
            if style.bold is not None:
                return style.bold
            if paragraph and _HEADING.fullmatch(style.name.strip()):
                return True
        return None


@dataclass
class _Level:
    start: int = 0
    fmt: str = "decimal"
    text: str | None = None
    restart: int | None = None  # <w:lvlRestart>: restart after this (1-based) level; 0 never
    legal: bool = False
    style: str | None = None


def _levels(element) -> dict[int, _Level]:
    levels = {}
    for lvl in element:
        if _name(lvl) != "lvl":
            continue
        ilvl = _int(_attr(lvl, "ilvl"), None, high=8)
        if ilvl is None:
            continue
        levels[ilvl] = _Level(
            start=_int(_val(lvl, "start"), 0),
            fmt=_val(lvl, "numFmt") or "decimal",
            text=_val(lvl, "lvlText"),
            restart=_int(_val(lvl, "lvlRestart"), None, high=9),
            legal=bool(_on(_child(lvl, "isLgl"))),
            style=_val(lvl, "pStyle"),
        )
    return levels


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _format_number(number: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman") and 1 <= number <= 3999:
        text = roman(number)
        return text if fmt == "upperRoman" else text.lower()
    if fmt in ("upperLetter", "lowerLetter") and 1 <= number <= 26 * 30:
        text = _LETTERS[(number - 1) % 26] * ((number - 1) // 26 + 1)  # Word: … y, z, aa, bb
        return text.upper() if fmt == "upperLetter" else text
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt == "none":
        return ""
    return str(number)


def _bullet(text: str | None) -> str:
    char = (text or "").strip()[:1]
    if char in ("-", "–", "—", "−", "‐", "‑"):
        return "-"
    return "+" if char == "+" else "•"  # •, ●, ◦, ▪, ✓, Symbol/Wingdings private-use characters, …


class _Numbering:
    """Word's automatic numbers, counted as Word displays them."""

    def __init__(self, root: Element | None, styles: _Styles):
        self.styles = styles
        self.abstract: dict[str, tuple[dict[int, _Level], str | None]] = {}
        self.nums: dict[str, tuple[str | None, dict[int, int], dict[int, _Level]]] = {}
        self.counters: dict[tuple[str, str], dict[int, int]] = {}
        if root is None:
            return
        for element in root:
            name = _name(element)
            if name == "abstractNum":
                link = _val(element, "numStyleLink")
                self.abstract[_attr(element, "abstractNumId") or ""] = (_levels(element), link)
            elif name == "num":
                starts, levels = {}, {}
                for override in element:
                    if _name(override) != "lvlOverride":
                        continue
                    ilvl = _int(_attr(override, "ilvl"), None, high=8)
                    if ilvl is None:
                        continue
                    start = _val(override, "startOverride")
                    if start is not None:
                        starts[ilvl] = _int(start, 0)
                    for level in _levels(override).values():
                        levels[ilvl] = level
                self.nums[_attr(element, "numId") or ""] = (_val(element, "abstractNumId"), starts, levels)

    def _definition(self, num_id: str):
        """(abstract id, start overrides, levels) for a numId, following numbering style links."""
        for _ in range(5):
            if num_id not in self.nums:
                return None
            abstract_id, starts, overrides = self.nums[num_id]
            levels, link = self.abstract.get(abstract_id, ({}, None))
            if levels or link is None:
                return abstract_id, starts, {**levels, **overrides}
            num_id = next((s.num_id for _, s in self.styles.chain(link) if s.num_id), None)
        return None

    def number(self, p_pr, style_id: str | None) -> tuple[str | None, int | None]:
        num_pr = _child(p_pr, "numPr")
        num_id, ilvl = _val(num_pr, "numId"), _int(_val(num_pr, "ilvl"), None, high=8)
        if num_id is None:
            for _, style in self.styles.chain(style_id):
                if style.num_id is not None:
                    num_id, ilvl = style.num_id, ilvl if ilvl is not None else style.ilvl
                    break
        if num_id is None or num_id.strip() == "0":
            return None, None
        definition = self._definition(num_id)
        if definition is None:
            return None, None
        abstract_id, starts, levels = definition
        if ilvl is None:
            ilvl = next((i for i, level in levels.items() if style_id and level.style == style_id), 0)
        if ilvl not in levels:
            return None, None
        key = ("num", num_id) if starts else ("abstract", abstract_id or "")
        counters = self.counters.setdefault(key, {})

        def start(i: int) -> int:
            return starts.get(i, levels[i].start if i in levels else 0)

        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start(ilvl)
        for deeper in [i for i in counters if i > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart != 0 and ilvl < (deeper if restart is None else restart):
                del counters[deeper]
        level = levels[ilvl]
        if level.fmt == "bullet":
            return _bullet(level.text), ilvl

        def shown(match: re.Match) -> str:
            i = int(match.group(1)) - 1
            fmt = "decimal" if level.legal else levels[i].fmt if i in levels else "decimal"
            return _format_number(counters.get(i, start(i)), fmt)

        text = re.sub(r"%([1-9])", shown, level.text or "").strip()
        return (text, ilvl) if text else (None, None)


# --- .docx: the body ----------------------------------------------------------------------------------

_WRAPPERS = frozenset(
    {"sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo", "dir", "bdo", "fldSimple"}
)
_INLINE_WRAPPERS = _WRAPPERS | {"hyperlink"}


class _DocxReader:
    def __init__(self, styles: _Styles, numbering: _Numbering):
        self.styles, self.numbering = styles, numbering
        self.pieces: list[_Piece] = []
        self.row = -1

    def next_row(self) -> int:
        self.row += 1
        return self.row

    def blocks(self, parent, depth: int, cell: tuple[int, int] | None = None) -> None:
        if depth > MAX_DEPTH:
            raise ImportRefused(TOO_DEEP)
        for child in parent:
            name = _name(child)
            if name == "p":
                self.paragraph(child, depth, cell)
            elif name == "tbl":
                self.table(child, depth, cell)
            elif name in _WRAPPERS:
                self.blocks(child, depth + 1, cell)
            elif name == "mc:AlternateContent":
                branch = _alternative(child)
                if branch is not None:
                    self.blocks(branch, depth + 1, cell)
            # w:del, w:sectPr, w:altChunk (never fetched), bookmarks, …: nothing to read

    def _descend(self, parent, wanted: str, depth: int):
        """`wanted` children of parent, looking through content controls and custom XML."""
        if depth > MAX_DEPTH:
            raise ImportRefused(TOO_DEEP)
        for child in parent:
            name = _name(child)
            if name == wanted:
                yield child
            elif name in _WRAPPERS:
                yield from self._descend(child, wanted, depth + 1)

    def table(self, table, depth: int, cell: tuple[int, int] | None) -> None:
        for tr in self._descend(table, "tr", depth + 1):
            if _child(_child(tr, "trPr"), "del") is not None:
                continue  # a row deleted with tracked changes
            row = self.next_row() if cell is None else None
            for column, tc in enumerate(self._descend(tr, "tc", depth + 1)):
                self.blocks(tc, depth + 2, cell or (row, column))

    def paragraph(self, p, depth: int, cell: tuple[int, int] | None) -> None:
        p_pr = _child(p, "pPr")
        style_id = _val(p_pr, "pStyle") or self.styles.default_paragraph
        auto_number, level = self.numbering.number(p_pr, style_id)
        paragraph_bold = self.styles.bold(style_id, paragraph=True)
        segments: list[list[tuple[str, bool]]] = [[]]
        boxes: list = []
        self.inline(p, depth + 1, segments, boxes, paragraph_bold, [])
        for segment in segments:
            raw = "".join(text for text, _ in segment)
            runs = [bold for text, bold in segment if text.strip()]
            bold = bool(runs) and all(runs)
            line = _clean_chars(_LINE_BREAK.sub(" ", _markup_out(raw, breaks=False)))
            columns = [(None, _collapse(line))] if cell is not None else _columns(line)
            row = self.next_row() if columns and columns[0][0] is not None else None
            for column, text in columns:
                if not text:
                    continue
                where = cell if column is None else (row, column)
                self.pieces.append(_Piece(text, bold, auto_number, level, where))
                auto_number = level = None  # the number shows once, before the first line
        for box in boxes:
            self.blocks(box, depth + 1, cell)

    def inline(self, parent, depth: int, segments, boxes, paragraph_bold, fields: list[bool]) -> None:
        if depth > MAX_DEPTH:
            raise ImportRefused(TOO_DEEP)
        for child in parent:
            name = _name(child)
            if name == "r":
                self.run(child, depth + 1, segments, boxes, paragraph_bold, fields)
            elif name in _INLINE_WRAPPERS:
                self.inline(child, depth + 1, segments, boxes, paragraph_bold, fields)
            elif name == "mc:AlternateContent":
                branch = _alternative(child)
                if branch is not None:
                    self.inline(branch, depth + 1, segments, boxes, paragraph_bold, fields)
            elif name in ("m:oMath", "m:oMathPara"):
                text = "".join(e.text or "" for e in child.iter() if _name(e) == "m:t")
                segments[-1].append((text, False))
            # w:del, w:moveFrom (deleted text), w:pPr, bookmarks, comment marks: not text

    def run(self, r, depth: int, segments, boxes, paragraph_bold, fields: list[bool]) -> None:
        r_pr = _child(r, "rPr")
        if _on(_child(r_pr, "vanish")):
            return  # hidden text
        bold = _on(_child(r_pr, "b"))
        if bold is None:
            bold = self.styles.bold(_val(r_pr, "rStyle"), paragraph=False)
        if bold is None:
            bold = paragraph_bold if paragraph_bold is not None else bool(self.styles.default_bold)
        for child in r:
            name = _name(child)
            if name == "t":
                if not any(fields):  # inside a field's instructions
                    segments[-1].append((child.text or "", bold))
            elif name in ("tab", "ptab"):
                segments[-1].append((" ", False))
            elif name in ("br", "cr"):
                segments.append([])
            elif name == "noBreakHyphen":
                segments[-1].append(("-", bold))
            elif name == "sym":
                segments[-1].append((_hex(child), bold))
            elif name == "fldChar":
                kind = _attr(child, "fldCharType")
                if kind == "begin" and len(fields) < 50:
                    fields.append(True)
                elif kind == "separate" and fields:
                    fields[-1] = False
                elif kind == "end" and fields:
                    fields.pop()
            elif name in ("drawing", "pict", "object", "mc:AlternateContent"):
                boxes.extend(_text_boxes(child, depth + 1))
            # w:instrText (field codes), w:delText, w:softHyphen, w:rPr: not text


def _hex(element) -> str:
    try:
        code = int(_attr(element, "char") or "", 16)
    except ValueError:
        return ""
    return chr(code) if 0x20 <= code <= sys.maxunicode and not 0xD800 <= code <= 0xDFFF else ""


def _text_boxes(element, depth: int) -> list:
    """The outermost <w:txbxContent> in a drawing, reading one branch of each AlternateContent."""
    if depth > MAX_DEPTH:
        raise ImportRefused(TOO_DEEP)
    name = _name(element)
    if name == "txbxContent":
        return [element]
    if name == "mc:AlternateContent":
        branch = _alternative(element)
        return [] if branch is None else _text_boxes(branch, depth + 1)
    return [box for child in element for box in _text_boxes(child, depth + 1)]


def read_docx(data: bytes) -> list[SourceLine]:
    """A .docx → lines of its body in order: paragraphs, and table cells with `cell=(row, column)`.

    Word's automatic numbers come in `auto_number`/`level`, bold in `bold`. Headers, footers, comments,
    footnotes and deleted text are left out; no relationship (image, link, template, altChunk) is
    followed. Refused: not a .docx, a zip bomb, too many entries, DTDs and entities in the XML.
    """
    parts = _open_parts(data)
    document = _xml(parts["word/document.xml"], "word/document.xml")
    styles = _Styles(_xml(parts.get("word/styles.xml"), "word/styles.xml"))
    numbering = _Numbering(_xml(parts.get("word/numbering.xml"), "word/numbering.xml"), styles)
    body = _child(document, "body")
    if body is None:
        raise ImportRefused(BROKEN % {"part": "word/document.xml"})
    reader = _DocxReader(styles, numbering)
    try:
        reader.blocks(body, 0)
    except RecursionError:
        raise ImportRefused(TOO_DEEP) from None
    return _finish(reader.pieces)


# --- uploads ------------------------------------------------------------------------------------------

# First bytes, then what the file really is, completing DISGUISED_TXT ("… but is actually %(kind)s, …").
_MAGIC = [
    (
        b"PK\x03\x04",
        pgettext_lazy("what a file really is", "a compressed file (zip, perhaps a renamed .docx file)"),
    ),
    (b"PK\x05\x06", pgettext_lazy("what a file really is", "a compressed file (zip)")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", pgettext_lazy("what a file really is", "an old Word .doc file")),
    (b"%PDF-", pgettext_lazy("what a file really is", "a PDF file")),
    (b"{\\rtf", pgettext_lazy("what a file really is", "an RTF file")),
    (b"\x89PNG", pgettext_lazy("what a file really is", "an image file")),
    (b"\xff\xd8\xff", pgettext_lazy("what a file really is", "an image file")),
    (b"GIF8", pgettext_lazy("what a file really is", "an image file")),
]


def read_upload(name: str, data: bytes) -> list[SourceLine]:
    """An uploaded file → lines, by its extension (.txt or .docx) checked against its first bytes."""
    suffix = PurePosixPath((name or "").replace("\\", "/").strip().rstrip(".")).suffix.lower()
    if suffix == ".doc":
        raise ImportRefused(OLD_DOC)
    if suffix not in (".txt", ".docx"):
        raise ImportRefused(UNSUPPORTED % {"ext": suffix} if suffix else NO_EXTENSION)
    if not data:
        raise ImportRefused(EMPTY)
    if suffix == ".docx":
        return read_docx(data)
    kind = next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)
    if kind:
        raise ImportRefused(DISGUISED_TXT % {"kind": kind})
    return read_text(decode(data))
