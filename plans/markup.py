"""The small markup of section bodies: paragraphs, `- ` and `+ ` bullets, *italic*, **bold**.

Bodies are stored as plain text; this turns them into escaped HTML blocks at render time, so no
stored HTML ever reaches a page or a PDF.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BULLETS = {"-": "dash", "+": "plus", "•": "dash"}
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)(.+?)(?<=\S)\*(?![*\w])")


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph", "dash" or "plus"
    html: SafeString
    text: str  # plain text, markup removed


def normalize(text: str) -> str:
    """NFC, no non-breaking spaces or tabs, Unix line ends."""
    text = unicodedata.normalize("NFC", text or "")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\t", " ")


def inline(text: str) -> SafeString:
    html = escape(text)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    html = _ITALIC.sub(r"<em>\1</em>", html)
    return mark_safe(html)  # noqa: S308 - built from escaped text only


def plain(text: str) -> str:
    return _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))


def blocks(text: str) -> list[Block]:
    result = []
    for raw in normalize(text).split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        kind = "paragraph"
        if len(line) > 1 and line[0] in BULLETS and line[1] == " ":
            kind, line = BULLETS[line[0]], line[2:].strip()
        result.append(Block(kind=kind, html=inline(line), text=plain(line)))
    return result


def lines(text: str) -> list[str]:
    """Non-empty, normalised lines (legal bases, recipients)."""
    return [" ".join(line.split()) for line in normalize(text).split("\n") if line.strip()]
