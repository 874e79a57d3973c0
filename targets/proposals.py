"""Targets (chỉ tiêu) proposed from the text of a section: `100% đoàn viên …`, `tăng thêm 106 đoàn viên`,
`ít nhất 01 đồng chí/năm`, `1 - 2 đồng chí`, `trên 55%`, `đạt 100%`, `01 doanh nghiệp`.

The chair accepts, edits or ignores each proposal; nothing here is saved.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

UNITS = (
    "đoàn viên", "đồng chí", "doanh nghiệp", "công đoàn cơ sở", "CĐCS", "người lao động", "người", "lượt",
    "gia đình", "tổ công đoàn", "tổ", "cuộc", "buổi", "hội nghị", "sáng kiến", "công trình", "suất", "cháu",
    "đơn vị", "trường", "lớp", "thỏa ước", "hồ sơ",
)  # fmt: skip
_UNIT = "|".join(re.escape(unit) for unit in sorted(UNITS, key=len, reverse=True))
_NUMBER = r"\d{1,3}(?:[.,]\d{3})*(?:[.,]\d+)?"
_LEAD = (
    r"(?P<lead>tăng thêm|tăng|kết nạp(?: mới)?|phát triển(?: mới)?|ít nhất|tối thiểu|trên|hơn|dưới|không quá"
    r"|tối đa|từ|đạt(?: tỉ lệ| tỷ lệ)?|có)?"
)
PERCENT = re.compile(
    rf"{_LEAD}\s*(?P<low>{_NUMBER})\s*(?:(?:-|–|đến)\s*(?P<high>{_NUMBER})\s*)?%\s*(?P<what>[^,;.()\n]{{0,60}})?",
    re.I,
)
COUNT = re.compile(
    rf"{_LEAD}\s*(?P<low>{_NUMBER})\s*(?:(?:-|–|đến)\s*(?P<high>{_NUMBER})\s*)?(?P<unit>{_UNIT})"
    r"(?P<per>\s*/\s*(?:năm học|năm|quý|tháng))?\b",
    re.I,
)
AMOUNT = re.compile(
    rf"{_LEAD}\s*(?P<low>{_NUMBER})\s*(?P<unit>triệu đồng|nghìn đồng|đồng|đ)(?!\w)(?!\s*chí)", re.I
)

COMPARISONS = {
    "trên": "more_than", "hơn": "more_than", "ít nhất": "at_least", "tối thiểu": "at_least", "từ": "at_least",
    "dưới": "less_than", "không quá": "at_most", "tối đa": "at_most",
}  # fmt: skip


@dataclass(frozen=True)
class Proposal:
    text: str  # the clause it was found in, as written
    kind: str  # "count", "percentage", "amount"
    comparison: str  # "at_least", "at_most", "exactly", "between", "more_than", "less_than"
    value: float
    value_max: float | None
    unit: str
    increase: bool = False  # `tăng thêm 106 đoàn viên`: on top of the baseline
    per: str = ""  # `/năm`
    start: int = 0  # where in the text


def _number(text: str) -> float:
    """`01` → 1, `1.500` → 1500, `55,5` → 55.5 (Vietnamese: `.` groups thousands, `,` is the decimal mark)."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        return float(text.replace(".", ""))
    return float(text.replace(",", "."))


def _comparison(lead: str | None, high: str | None) -> str:
    if high:
        return "between"
    if not lead:
        return "at_least"
    lead = lead.lower()
    for word, comparison in COMPARISONS.items():
        if lead.startswith(word):
            return comparison
    return "at_least" if lead.startswith(("đạt", "tăng", "kết nạp", "phát triển", "có")) else "exactly"


def _clause(text: str, start: int, end: int) -> str:
    left = max(text.rfind(mark, 0, start) for mark in (".", ";", "\n", ":"))
    rights = [i for i in (text.find(mark, end) for mark in (".", ";", "\n")) if i != -1]
    return text[left + 1 : min(rights) if rights else len(text)].strip(" -+•")


def propose(text: str) -> list[Proposal]:
    """Every target-like phrase of `text`, in order; overlapping matches are reported once."""
    text = unicodedata.normalize("NFC", text or "")
    found: list[Proposal] = []
    taken: list[range] = []
    for kind, pattern in (("percentage", PERCENT), ("amount", AMOUNT), ("count", COUNT)):
        for match in pattern.finditer(text):
            span = range(match.start("low"), match.end())
            if any(span.start < r.stop and r.start < span.stop for r in taken):
                continue
            if kind == "count" and re.match(r"\s*/\s*\d", text[match.end() :]):
                continue  # 12/2025 is a date, not 12 of something
            groups = match.groupdict()
            lead, high = groups.get("lead"), groups.get("high")
            unit = "%" if kind == "percentage" else groups["unit"]
            found.append(
                Proposal(
                    text=_clause(text, match.start(), match.end()),
                    kind=kind,
                    comparison=_comparison(lead, high),
                    value=_number(groups["low"]),
                    value_max=_number(high) if high else None,
                    unit=unit,
                    increase=bool(lead and lead.lower().startswith("tăng")),
                    per=(groups.get("per") or "").replace(" ", "").lstrip("/"),
                    start=match.start("low"),
                )
            )
            taken.append(span)
    return sorted(found, key=lambda proposal: proposal.start)
