"""Kiểm tra kế hoạch: warnings about a saved plan (impossible dates, blank references, wrong years…).

Pure functions over a plan and its sections, fetched once. Findings are warnings: nothing here blocks saving,
submitting or printing. A chair may set a finding aside with a reason (`FindingDismissal`, one per plan, code
and place, so one dismissal covers every finding of that code in that place).
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from members.models import Organization
from plans import markup, numbering
from plans.models import FindingDismissal, Plan, Section


@dataclass(frozen=True)
class Finding:
    code: str  # stable, snake_case English
    message: str  # translated (Vietnamese), quotes the offending text
    where: str  # "field:<name>", "section:<pk>", "source" or "plan"
    excerpt: str = ""


CODES = (
    "impossible_date", "deadline_outside_period", "placeholder_reference", "period_mismatch", "term_cycle",
    "fixed_date_wrong", "numbering_gap", "numbering_duplicate", "empty_section", "missing_signature",
    "missing_recipients", "missing_archive_line", "motto_misspelt", "motto_missing", "governing_body_missing",
)  # fmt: skip

# RULES.md, "Congress terms": grassroots unions were on 2023–2028 and are now on 2025–2030. RULES.md gives no
# switch date; the 2025–2030 grassroots congresses came with the reorganisation of 1/7/2025, so a plan dated
# from then is held to the new cycle. Data, not logic: add a row when the next cycle is decided.
GRASSROOTS_TERMS = [  # (in force from, first year, last year)
    (datetime.date(2023, 1, 1), 2023, 2028),
    (datetime.date(2025, 7, 1), 2025, 2030),
]

# Union days (RULES.md, "Calendar"): the name shown (translated), its day and month, then the pattern
# that finds it in a (Vietnamese) document.
FIXED_DAYS = [
    (gettext_lazy("International Women's Day"), 8, 3, r"quốc\s+tế\s+phụ\s+nữ|phụ\s+nữ\s+quốc\s+tế"),
    (
        gettext_lazy("Vietnamese Women's Day"),
        20,
        10,
        r"ngày\s+phụ\s+nữ(?:\s+việt\s+nam)?|phụ\s+nữ\s+việt\s+nam",
    ),
    (
        gettext_lazy("Vietnamese Teachers' Day"),
        20,
        11,
        r"ngày\s+nhà\s+giáo(?:\s+việt\s+nam)?|nhà\s+giáo\s+việt\s+nam",
    ),
    (
        gettext_lazy("Founding Day of the Vietnam Trade Union"),
        28,
        7,
        r"(?:thành\s+lập|truyền\s+thống)\s+công\s+đoàn\s+việt\s+nam",
    ),
]

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")  # document text, not UI
# For each line of MOTTO: (misspelt, missing) messages.
_MOTTO_MESSAGES = (
    (
        gettext_lazy("The national name in the source is misspelt: “%(written)s” (correct: “%(correct)s”)."),
        gettext_lazy("The source lacks the national name line “%(line)s”."),
    ),
    (
        gettext_lazy("The motto in the source is misspelt: “%(written)s” (correct: “%(correct)s”)."),
        gettext_lazy("The source lacks the motto line “%(line)s”."),
    ),
)
UNION_WORDS = ("CÔNG ĐOÀN", "LĐLĐ", "LIÊN ĐOÀN", "CĐ")  # "CĐ" also covers CĐCS
# Names of the plan's fields, opening a sentence ("Summary says “…” but…").
FIELD_NAMES = {
    "title": gettext_lazy("Summary"),
    "period_label": gettext_lazy("Period name"),
    "legal_bases": gettext_lazy("Legal bases section"),
    "preamble": gettext_lazy("Preamble"),
    "closing": gettext_lazy("Closing paragraph"),
    "recipients": gettext_lazy("Recipients"),
}

# --- dates ----------------------------------------------------------------------------------------

# 30/02/2023, 31-6-2024, 31.04.2024, 31/4, 30/4/75 (two-digit years after "/" only); not 348/PGD, 02-NQ/TW
_NUM_DATE = re.compile(
    r"(?<![\w/.])(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})"
    r"(?:(?P=sep)(?P<y>\d{4}|(?<=/)\d{2}))?(?![\w/]|[.\-]\d)"
)
_TEXT_DATE = re.compile(
    r"(?<!\w)ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s*,?\s*năm\s+(?P<y>\d{4}))?(?!\d)", re.I
)
_NGAY_BEFORE = re.compile(r"(?<!\w)ngày\s*$", re.I)
_DEADLINE_BEFORE = re.compile(
    r"(?<!\w)(?:chậm\s+nhất|hoàn\s+thành\s+trước|trước|hạn(?:\s+(?:chót|cuối|nộp))?)"
    r"(?:\s*(?:là|vào|ngày|:))*[\s*]*$",
    re.I,
)


@dataclass(frozen=True)
class _Date:
    start: int
    end: int
    day: int
    month: int
    year: int | None


def _dates(text: str) -> list[_Date]:
    """Day/month(/year) mentions; "1-2" or "2.5" count only after the word "ngày" (else: ranges, numbers)."""
    found = []
    for match in _NUM_DATE.finditer(text):
        if match["y"] is None and match["sep"] != "/" and not _NGAY_BEFORE.search(text[: match.start()]):
            continue
        year = match["y"] and int(match["y"])
        if year is not None and year < 100:
            year += 2000 if year < 50 else 1900
        found.append(_Date(match.start(), match.end(), int(match["d"]), int(match["m"]), year))
    for match in _TEXT_DATE.finditer(text):
        year = match["y"] and int(match["y"])
        found.append(_Date(match.start(), match.end(), int(match["d"]), int(match["m"]), year))
    return sorted(found, key=lambda d: d.start)


def _fmt(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def _clean(text: str) -> str:
    return " ".join(text.replace("*", "").split())


def _period_years(plan: Plan, month: int) -> list[int]:
    """Years of the period in which `month` falls inside it (all the period's years if none does)."""
    years = list(range(plan.period_start.year, plan.period_end.year + 1))
    inside = [
        y
        for y in years
        if datetime.date(y, month, 1) <= plan.period_end
        and datetime.date(y, month, calendar.monthrange(y, month)[1]) >= plan.period_start
    ]
    return inside or years


def _impossible(plan: Plan, found: _Date) -> str | None:
    """Why the date cannot exist, or None (also None for what is not a date at all, like 15/20)."""
    d, m, y = found.day, found.month, found.year
    if y is None:
        if not (1 <= m <= 12 and 1 <= d <= 31):
            return None  # a ratio or a score (15/20), not a date
        years = _period_years(plan, m)
        if any(d <= calendar.monthrange(year, m)[1] for year in years):
            return None
        return _no_such_day(d, m, years[-1])
    if not 1900 <= y <= 2100:
        return None
    if not 1 <= m <= 12:
        # Translators: why a date does not exist, shown in “The date “…” does not exist (…).”
        return _("there is no month %(month)s") % {"month": m}
    if d == 0:
        # Translators: why a date does not exist, shown in “The date “…” does not exist (…).”
        return _("there is no day 0")
    if d > calendar.monthrange(y, m)[1]:
        return _no_such_day(d, m, y)
    return None


def _no_such_day(day: int, month: int, year: int) -> str:
    """Why day/month does not exist: 29 February in a year that is not a leap year, else a day past the
    end of its month (in every year)."""
    if month == 2 and day == 29:
        # Translators: why a date does not exist, shown in “The date “…” does not exist (…).”
        return _("month %(month)s of %(year)s has no day %(day)s") % {
            "month": month,
            "year": year,
            "day": day,
        }
    # Translators: why a date does not exist, shown in “The date “…” does not exist (…).”
    return _("month %(month)s has no day %(day)s") % {"month": month, "day": day}


def _deadline_bounds(plan: Plan) -> tuple[datetime.date, datetime.date]:
    # a deadline between the day the plan is signed and the start of its period is a normal one
    return min(plan.period_start, plan.dated_on), plan.period_end


def _deadline_finding(plan: Plan, text: str, found: _Date, where: str) -> Finding | None:
    before = _DEADLINE_BEFORE.search(text[max(0, found.start - 40) : found.start])
    if before is None:
        return None
    low, high = _deadline_bounds(plan)
    years = [found.year] if found.year else range(plan.period_start.year, plan.period_end.year + 1)
    for year in years:
        try:
            if low <= datetime.date(year, found.month, found.day) <= high:
                return None
        except ValueError:
            continue
    start = max(0, found.start - 40) + before.start()
    excerpt = _clean(text[start : found.end])
    message = _("The deadline “%(excerpt)s” falls outside the plan's period (%(start)s – %(end)s).") % {
        "excerpt": excerpt,
        "start": _fmt(plan.period_start),
        "end": _fmt(plan.period_end),
    }
    return Finding("deadline_outside_period", message, where, excerpt)


def _date_findings(plan: Plan, text: str, where: str, *, deadlines: bool) -> list[tuple[int, Finding]]:
    out = []
    for found in _dates(text):
        written = _clean(text[found.start : found.end])
        why = _impossible(plan, found)
        if why:
            shown = re.sub(r"^ngày\s+", "", written, flags=re.I)  # "ngày 31 tháng 4" → Ngày “31 tháng 4”
            message = _("The date “%(date)s” does not exist (%(why)s).") % {"date": shown, "why": why}
            out.append((found.start, Finding("impossible_date", message, where, written)))
        elif deadlines and (finding := _deadline_finding(plan, text, found, where)):
            out.append((found.start, finding))
    return out


# --- blank references -----------------------------------------------------------------------------

_BL = r"[ .…_]*"  # a blank left to fill in: spaces, dots, an ellipsis, underscores
_PLACEHOLDERS = [
    # "số -KH/HU", "Số: /KH-CĐ", "Số:    /KH", "số ..../QĐ": a reference symbol with no number
    re.compile(rf"(?<!\w)(?i:số)\s*:?{_BL}[-/](?=[A-ZĐ])[\w&]*(?:[-/][\w&]+)*"),
    # "số ….. ngày", "số …… của": a dotted blank where the number goes
    re.compile(rf"(?<!\w)(?i:số)\s*:?\s*(?:…|\.{{3,}}|_{{3,}}){_BL}(?=(?i:ngày|của)\b)"),
    # "ngày /2023", "ngày …/…/2023", "ngày   /   /2023": no day and no month
    re.compile(rf"(?<!\w)(?i:ngày){_BL}/{_BL}(?:/{_BL})?\d{{4}}(?!\d)"),
    # "ngày 15/ /2023", "ngày 15/…/2023": no month
    re.compile(rf"(?<!\w)(?i:ngày)\s*\d{{1,2}}\s*/{_BL}/\s*\d{{4}}(?!\d)"),
    # "ngày /9/2023", "ngày …/9/2023": no day
    re.compile(rf"(?<!\w)(?i:ngày){_BL}/\s*\d{{1,2}}\s*/\s*\d{{4}}(?!\d)"),
    # "ngày ….. của": a dotted blank where the date goes
    re.compile(rf"(?<!\w)(?i:ngày)\s*(?:…|\.{{3,}}|_{{3,}}){_BL}(?=(?i:của)\b)"),
]
# "ngày    tháng    năm 2023", "ngày … tháng … năm …", "ngày 15 tháng   năm 2023" (checked in code)
_WORD_DATE_SLOT = re.compile(
    rf"(?<!\w)ngày{_BL}(?P<d>\d{{1,2}})?{_BL}tháng{_BL}(?P<m>\d{{1,2}})?{_BL}năm{_BL}(?P<y>\d{{4}})?(?!\d)",
    re.I,
)
_DOCUMENT_BEFORE = re.compile(
    r"(?:kế\s+hoạch|công\s+văn|quyết\s+định|nghị\s+quyết|hướng\s+dẫn|thông\s+báo|chỉ\s+thị|báo\s+cáo|"
    r"chương\s+trình|tờ\s+trình)\s+$",
    re.I,
)


def _placeholder_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for pattern in _PLACEHOLDERS for m in pattern.finditer(text)]
    for m in _WORD_DATE_SLOT.finditer(text):
        written = m.group(0).rstrip()
        missing = not (m["d"] and m["m"] and m["y"])
        marked = m["y"] or any(c in written for c in ".…_") or "  " in written  # not "ngày tháng năm sinh"
        if missing and marked:
            spans.append((m.start(), m.start() + len(written)))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and not text[merged[-1][1] : start].strip():  # overlapping or only blanks between
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _placeholder_findings(text: str, where: str) -> list[tuple[int, Finding]]:
    out = []
    for start, end in _placeholder_spans(text):
        before = _DOCUMENT_BEFORE.search(text[max(0, start - 30) : start])
        shown = max(0, start - 30) + before.start() if before else start
        excerpt = _clean(text[shown:end])
        message = _("The document number or date is left blank: “%(excerpt)s”.") % {"excerpt": excerpt}
        out.append((start, Finding("placeholder_reference", message, where, excerpt)))
    return out


# --- union days -----------------------------------------------------------------------------------

_GAP_STOP = {"và", "hoặc", "với", "đến", "tới", "cho"}
# the name, at most three words without digits (no "và", "hoặc"…), then a day and month: "20/10", "20-10",
# "ngày 20 tháng 10"
_DAY_MONTH = (
    r"(?:ngày\s+)?(?:(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})"
    r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2}))(?!\d)"
)
_GAP = r"(?P<gap>(?:[ (:–-]+[^\s\d,.;:()“”\"]+){0,3}?)[ (:–-]+"
_FIXED = [
    (name, day, month, re.compile(rf"(?<!\w)(?:{pattern}){_GAP}{_DAY_MONTH}", re.I))
    for name, day, month, pattern in FIXED_DAYS
]


def _fixed_day_findings(text: str, where: str) -> list[tuple[int, Finding]]:
    out = []
    for name, day, month, pattern in _FIXED:
        for match in pattern.finditer(text):
            if _GAP_STOP & set(match["gap"].lower().split()):
                continue
            d, m = int(match["d"] or match["d2"]), int(match["m"] or match["m2"])
            if (d, m) != (day, month):
                excerpt = _clean(match.group(0))
                message = _("%(name)s is on %(day)s/%(month)s, but the text says “%(excerpt)s”.") % {
                    "name": name,
                    "day": day,
                    "month": month,
                    "excerpt": excerpt,
                }
                out.append((match.start(), Finding("fixed_date_wrong", message, where, excerpt)))
    return out


# --- years named in the text ----------------------------------------------------------------------

_SCHOOL_YEAR = re.compile(r"(?<!\w)năm\s+học\s+(?P<a>\d{4})\s*[-–—/]\s*(?P<b>\d{4}|\d{2})(?!\d)", re.I)
_TERM = re.compile(r"(?<!\w)nhiệm\s+kỳ\s*:?\s*(?P<a>\d{4})\s*[-–—]\s*(?P<b>\d{4}|\d{2})(?!\d)", re.I)
_YEAR = re.compile(r"(?<!\w)năm\s+(?P<a>\d{4})(?!\d)(?!\s*[-–—]\s*\d)", re.I)
_DATE_BEFORE_YEAR = re.compile(r"tháng\s*\d{1,2}\s*,?\s*$", re.I)
_LOOKING_BACK = re.compile(r"(?:kết\s+quả|tổng\s+kết|sơ\s+kết|đánh\s+giá|đạt\s+được)[^.;\n]{0,80}$", re.I)


def _span(match) -> tuple[int, int]:
    first, second = int(match["a"]), int(match["b"])
    return first, (second + 2000 if second < 100 else second)


def _describe_period(plan: Plan) -> str:
    start, end = plan.period_start, plan.period_end
    dates = f"{_fmt(start)} – {_fmt(end)}"
    values = {"first": start.year, "last": end.year, "dates": dates}
    if plan.kind == Plan.Kind.SCHOOL_YEAR:
        # Translators: the plan's period, shown in “Summary says “…” but the plan is for ….”
        return _("school year %(first)s-%(last)s (%(dates)s)") % values
    if plan.kind == Plan.Kind.TERM:
        # Translators: the plan's period, shown in “Summary says “…” but the plan is for ….”
        return pgettext("union congress term", "term %(first)s-%(last)s (%(dates)s)") % values
    if plan.kind == Plan.Kind.CALENDAR_YEAR and start.year == end.year:
        # Translators: the plan's period, shown in “Summary says “…” but the plan is for ….”
        return _("year %(first)s (%(dates)s)") % values
    return dates


def _period_findings(plan: Plan, text: str, field: str) -> list[tuple[int, Finding]]:
    """Years named in the title, period label, preamble or closing that disagree with the plan's period."""
    first, last = plan.period_start.year, plan.period_end.year
    wrong = []  # (match, looks back to an earlier period)
    for match in _SCHOOL_YEAR.finditer(text):
        a, b = _span(match)
        if not 1900 <= a <= b <= 2100:
            continue
        if plan.kind == Plan.Kind.SCHOOL_YEAR:
            bad = (a, b) != (first, last)
        else:  # the school year 1/9/a – 31/8/b must overlap the period
            bad = datetime.date(b, 8, 31) < plan.period_start or datetime.date(a, 9, 1) > plan.period_end
        if bad:
            wrong.append((match, b <= first))
    for match in _TERM.finditer(text):
        a, b = _span(match)
        bad = (a, b) != (first, last) if plan.kind == Plan.Kind.TERM else (b < first or a > last)
        if bad:
            wrong.append((match, b <= first))
    if plan.kind == Plan.Kind.CALENDAR_YEAR and field != "preamble":
        for match in _YEAR.finditer(text):
            year = int(match["a"])
            if not first <= year <= last and not _DATE_BEFORE_YEAR.search(text[: match.start()]):
                wrong.append((match, year < first))
    out = []
    for match, earlier in wrong:
        if field == "preamble" and earlier and _LOOKING_BACK.search(text[: match.start()]):
            continue  # "trên cơ sở kết quả năm học 2024-2025" looks back on purpose
        excerpt = _clean(match.group(0))
        message = _("%(field)s says “%(excerpt)s” but the plan is for %(period)s.") % {
            "field": FIELD_NAMES[field],
            "excerpt": excerpt,
            "period": _describe_period(plan),
        }
        out.append((match.start(), Finding("period_mismatch", message, f"field:{field}", excerpt)))
    return out


def _term_in_force(on: datetime.date) -> tuple[int, int] | None:
    current = None
    for since, first, last in GRASSROOTS_TERMS:
        if since <= on:
            current = (first, last)
    return current


def _fits_term(years: tuple[int, int], term: tuple[int, int]) -> bool:
    # a union founded mid-term runs to the end of the term (RULES.md)
    return years[1] == term[1] and term[0] <= years[0] < term[1]


def _term_findings(plan: Plan) -> list[Finding]:
    if plan.organization.level != Organization.Level.GRASSROOTS:
        return []
    term = _term_in_force(plan.dated_on)
    if term is None:
        return []
    cycle = f"{term[0]}-{term[1]}"
    on = _fmt(plan.dated_on)
    if plan.kind == Plan.Kind.TERM:
        years = (plan.period_start.year, plan.period_end.year)
        if _fits_term(years, term):
            return []
        values = {"first": years[0], "last": years[1], "date": on, "cycle": cycle}
        shown = pgettext("union congress term", "term %(first)s-%(last)s") % values
        message = (
            _(
                "The plan for the term %(first)s-%(last)s does not match the grassroots union congress term "
                "in force on %(date)s (%(cycle)s)."
            )
            % values
        )
        return [Finding("term_cycle", message, "plan", shown)]
    out = []
    for field in ("title", "period_label"):
        for match in _TERM.finditer(getattr(plan, field)):
            if not _fits_term(_span(match), term):
                excerpt = _clean(match.group(0))
                message = _(
                    "%(field)s says “%(excerpt)s”, but the grassroots union congress term in force "
                    "on %(date)s is %(cycle)s."
                ) % {"field": FIELD_NAMES[field], "excerpt": excerpt, "date": on, "cycle": cycle}
                out.append(Finding("term_cycle", message, f"field:{field}", excerpt))
    return out


# --- sections -------------------------------------------------------------------------------------

_ROMAN = {numbering.roman(n): n for n in range(1, 90)}
_LETTERS = {letter: n for n, letter in enumerate(numbering.VIETNAMESE_LETTERS, start=1)}


def _last_component(source_number: str) -> tuple[str, str] | None:
    """`3.1.` → ("3", "1"), `II.` → ("", "II"), `a)` → ("", "a"); bullets and blanks → None."""
    words = source_number.strip().strip("()").split()
    if not words:
        return None
    parts = [p for p in words[-1].strip("().").split(".") if p]
    if not parts or not parts[-1].isalnum():
        return None
    return ".".join(parts[:-1]), parts[-1]


def _values(tokens: list[str]) -> tuple[list[int], str] | None:
    if all(t.isdigit() for t in tokens):
        return [int(t) for t in tokens], "arabic"
    if all(t in _ROMAN for t in tokens) and (
        any(len(t) > 1 for t in tokens) or set(tokens) <= {"I", "V", "X"}
    ):
        return [_ROMAN[t] for t in tokens], "roman"
    if all(t.lower() in _LETTERS for t in tokens):
        return [_LETTERS[t.lower()] for t in tokens], "letter"
    return None  # mixed styles: nothing sensible to compare


def _shown(value: int, style: str) -> str:
    return {"arabic": str(value), "roman": numbering.roman(value), "letter": numbering.letter(value)}[style]


def _missing(top: int, value: int, style: str) -> str:
    shown = [_shown(n, style) for n in range(top + 1, value)]
    return ", ".join(n for n in shown if n != "đ")  # plenty of plans letter a) b) c) d) e), skipping đ)


def _numbering_findings(siblings: list[Section]) -> dict[int, list[Finding]]:
    numbered = [(s, parsed) for s in siblings if (parsed := _last_component(s.source_number))]
    parsed = _values([token for _, (_, token) in numbered]) if numbered else None
    if parsed is None:
        return {}
    values, style = parsed
    out: dict[int, list[Finding]] = {}
    prefix, seen, top, previous = None, {}, 0, None
    for (section, (section_prefix, _token)), value in zip(numbered, values, strict=True):
        if section_prefix != prefix:  # 1.1, 1.2 then 2.1: a new run
            prefix, seen, top, previous = section_prefix, {}, 0, None
        where, number = f"section:{section.pk}", section.source_number.strip()
        if value in seen:
            shown = {"number": number, "heading": seen[value].heading}
            message = _("The number “%(number)s” in the source repeats that of the section “%(heading)s”.")
            out.setdefault(section.pk, []).append(
                Finding("numbering_duplicate", message % shown, where, number)
            )
        elif value > top + 1 and (missing := _missing(top, value, style)):
            shown = {"number": number, "previous": previous, "missing": missing}
            if previous is None:
                message = _("The numbering in the source starts at “%(number)s” (%(missing)s missing).")
            else:
                message = _(
                    "The numbering in the source jumps from “%(previous)s” to “%(number)s” "
                    "(%(missing)s missing)."
                )
            out.setdefault(section.pk, []).append(Finding("numbering_gap", message % shown, where, number))
        seen.setdefault(value, section)
        top, previous = max(top, value), number
    return out


def _section_text(section: Section) -> str:
    return "\n".join([section.heading, section.body, section.timeline, section.responsible])


# --- the imported source --------------------------------------------------------------------------


def _letters(text: str) -> tuple[str, list[int]]:
    """Lower-case letters only (spacing, hyphen variants vanish), old-style "hoà" as "hòa"; with positions."""
    kept = [(c, i) for i, c in enumerate(unicodedata.normalize("NFC", text.lower())) if c.isalpha()]
    return "".join(c for c, _ in kept).replace("hoà", "hòa"), [i for _, i in kept]


def _ascii(text: str) -> str:
    stripped = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in stripped if not unicodedata.combining(c))


def _fuzzy_find(pattern: str, text: str) -> tuple[int, int, int]:
    """The fewest edits turning `pattern` into some substring of `text`: (distance, start, end)."""
    previous = [(0, j) for j in range(len(text) + 1)]  # (distance, start of the substring)
    for i, p in enumerate(pattern, start=1):
        row = [(i, 0)]
        for j, t in enumerate(text, start=1):
            row.append(
                min(
                    (previous[j - 1][0] + (p != t), previous[j - 1][1]),
                    (previous[j][0] + 1, previous[j][1]),
                    (row[j - 1][0] + 1, row[j - 1][1]),
                )
            )
        previous = row
    best = min(range(len(previous)), key=lambda j: previous[j][0])
    return previous[best][0], previous[best][1], best


def _source_lines(source: str) -> list[str]:
    return [line.replace("*", "").strip() for line in markup.normalize(source).split("\n") if line.strip()]


def _source_header(lines: list[str]) -> list[str]:
    """The lines before the document type (KẾ HOẠCH…), at most the first 8."""
    for index, line in enumerate(lines[:12]):
        if " ".join(line.split()).upper().startswith("KẾ HOẠCH"):
            return lines[: min(index, 8)]
    return lines[:8]


def _motto_findings(header: list[str]) -> list[Finding]:
    out, missing = [], []
    for (misspelt, absent), target in zip(_MOTTO_MESSAGES, MOTTO, strict=True):
        wanted, wanted_ascii = _letters(target)[0], _ascii(_letters(target)[0])
        best = None  # (distance, line, start, end)
        for line in header:
            letters, positions = _letters(line)
            if len(letters) < len(wanted) - 3:
                continue  # too short to hold the line, even misspelt
            distance, start, end = _fuzzy_find(wanted, letters)
            if distance > 3:
                plain_distance, plain_start, plain_end = _fuzzy_find(wanted_ascii, _ascii(letters))
                if plain_distance <= 1:  # the diacritics were lost (same length: positions still hold)
                    distance, start, end = 3, plain_start, plain_end
            if end > start and (best is None or distance < best[0]):
                best = (distance, line, positions[start], positions[end - 1] + 1)
        if best is None or best[0] > 3:
            missing.append(str(absent) % {"line": target})
        elif best[0] > 0:
            written = " ".join(best[1][best[2] : best[3]].split())
            message = str(misspelt) % {"written": written, "correct": target}
            out.append(Finding("motto_misspelt", message, "source", written))
    if len(missing) == 2:
        message = _("The source has neither the national name nor the motto (“%(name)s”, “%(motto)s”).") % {
            "name": MOTTO[0],
            "motto": MOTTO[1],
        }
        out.append(Finding("motto_missing", message, "source"))
    elif missing:
        out.append(Finding("motto_missing", missing[0], "source"))
    return out


def _has_governing_body(header: list[str]) -> bool:
    for line in header:
        for cell in re.split(r"\s{3,}", line):  # a two-column header flattened onto one line
            words = " ".join(cell.split())
            if (
                any(c.isalpha() for c in words)
                and words == words.upper()
                and any(w in words for w in UNION_WORDS)
            ):
                return True
    return False


def _source_findings(plan: Plan) -> list[Finding]:
    header = _source_header(_source_lines(plan.source_text))
    out = []
    # the header does not survive into the plan's fields: check its reference and date here
    text = "\n".join(header)
    found = _placeholder_findings(text, "source") + _date_findings(plan, text, "source", deadlines=False)
    out += [finding for _, finding in sorted(found, key=lambda pair: pair[0])]
    out += _motto_findings(header)
    if not _has_governing_body(header):
        message = (
            # Translators: the examples are lines of a Vietnamese document, left as they are.
            _(
                "The source has no line naming the governing body at the top of the document "
                "(for example “%(first)s” or “%(second)s”)."
            )
            % {"first": "LĐLĐ HUYỆN AN LÃO", "second": "CÔNG ĐOÀN PHƯỜNG X"}
        )
        out.append(Finding("governing_body_missing", message, "source"))
    return out


# --- putting it together --------------------------------------------------------------------------


def _text_findings(plan: Plan, text: str, where: str, *, deadlines: bool = True) -> list[tuple[int, Finding]]:
    return (
        _date_findings(plan, text, where, deadlines=deadlines)
        + _placeholder_findings(text, where)
        + _fixed_day_findings(text, where)
    )


def _ordered(pairs: list[tuple[int, Finding]]) -> list[Finding]:
    return [finding for _, finding in sorted(pairs, key=lambda pair: pair[0])]


def _field_findings(plan: Plan, field: str, *, period: bool, deadlines: bool = True) -> list[Finding]:
    text = markup.normalize(getattr(plan, field))
    pairs = _text_findings(plan, text, f"field:{field}", deadlines=deadlines)
    if period:
        pairs += _period_findings(plan, text, field)
    return _ordered(pairs)


def run_checks(plan: Plan) -> list[Finding]:
    """Every finding, in document order: header, legal bases, preamble, sections, closing, signature,
    recipients, then the imported source. Two queries: the sections, the organisation (unless loaded)."""
    sections = list(plan.sections.order_by("position", "pk"))
    children: dict[int | None, list[Section]] = {}
    for section in sections:
        children.setdefault(section.parent_id, []).append(section)
    numbering_found: dict[int, list[Finding]] = {}
    for siblings in children.values():
        numbering_found.update(_numbering_findings(siblings))

    out: list[Finding] = []
    terms = _term_findings(plan)
    out += [f for f in terms if f.where == "plan"]
    for field in ("title", "period_label"):
        out += _field_findings(plan, field, period=True)
        out += [f for f in terms if f.where == f"field:{field}"]
    out += _field_findings(plan, "legal_bases", period=False, deadlines=False)
    out += _field_findings(plan, "preamble", period=True)

    def walk(parent_id):
        for section in children.get(parent_id, []):
            where = f"section:{section.pk}"
            out.extend(numbering_found.get(section.pk, []))
            out.extend(_ordered(_text_findings(plan, markup.normalize(_section_text(section)), where)))
            blank = not any(s.strip() for s in (section.body, section.timeline, section.responsible))
            if blank and section.pk not in children:
                message = _("The section “%(heading)s” has no content yet.") % {"heading": section.heading}
                out.append(Finding("empty_section", message, where, section.heading))
            walk(section.pk)

    walk(None)
    out += _field_findings(plan, "closing", period=True)

    for field, message in (
        (
            "signature_authority",
            # Translators: the example is a line of a Vietnamese document, left as it is.
            _("There is no signing authority line yet (for example “%(example)s”).")
            % {"example": "TM. BAN CHẤP HÀNH"},
        ),
        (
            "signature_title",
            # Translators: the example is a line of a Vietnamese document, left as it is.
            _("The signer's title is missing (for example “%(example)s”).") % {"example": "CHỦ TỊCH"},
        ),
        ("signer_name", _("The signer's full name is missing.")),
    ):
        if not getattr(plan, field).strip():
            out.append(Finding("missing_signature", message, f"field:{field}"))

    recipients = markup.lines(plan.recipients)
    if not recipients:
        out.append(
            Finding("missing_recipients", _("There is no “Recipients” section yet."), "field:recipients")
        )
    else:
        out += _field_findings(plan, "recipients", period=False, deadlines=False)
        if not any(re.match(r"lưu(?!\w)", line.lstrip("-+•* ").lower()) for line in recipients):
            # Translators: the example is a line of a Vietnamese document, left as it is.
            message = _("The “Recipients” section has no archive line yet (for example “%(example)s”).") % {
                "example": "- Lưu: VT."
            }
            out.append(Finding("missing_archive_line", message, "field:recipients"))

    if plan.source_text.strip():
        out += _source_findings(plan)
    return out


def active_findings(plan: Plan) -> tuple[list[Finding], list[tuple[Finding, FindingDismissal]]]:
    """(findings still shown, findings set aside with their dismissal); one query more than run_checks."""
    dismissals = {(d.code, d.where): d for d in plan.dismissals.all()}
    active, dismissed = [], []
    for finding in run_checks(plan):
        dismissal = dismissals.get((finding.code, finding.where))
        if dismissal is None:
            active.append(finding)
        else:
            dismissed.append((finding, dismissal))
    return active, dismissed


def dismiss(plan: Plan, code: str, where: str, reason: str, user) -> FindingDismissal:
    """Set a finding aside with a reason; dismissing it again only updates the reason."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValueError(_("Give a reason for setting the warning aside."))
    limit = FindingDismissal._meta.get_field("reason").max_length
    if len(reason) > limit:
        raise ValueError(
            ngettext(
                "The reason is too long (at most %(limit)s character).",
                "The reason is too long (at most %(limit)s characters).",
                limit,
            )
            % {"limit": limit}
        )
    if code not in CODES:
        raise ValueError(_("There is no warning type “%(code)s”.") % {"code": code})
    dismissal, _created = FindingDismissal.objects.update_or_create(
        plan=plan, code=code, where=where, defaults={"reason": reason, "dismissed_by": user}
    )
    return dismissal
