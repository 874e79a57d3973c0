"""Reporting periods: quarters, halves and years, named by a short key (`2026-Q1`, `2026-H2`, `2026-Y`).

A period is a value, not a row: reports and reminders store its key, and everything else (dates, the label
printed on a report, the deadline under a parent's rule) is worked out from it.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
KINDS = {"Q": 3, "H": 6, "Y": 12}  # months per period
FIRST_YEAR, LAST_YEAR = 1990, 2100  # a key outside is a typing error, not a period
_KEY = re.compile(r"^(?P<year>\d{4})-(?:(?P<kind>[QH])(?P<index>[1-4])|Y)$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str  # "Q" quarter, "H" half-year, "Y" year
    index: int = 1

    def __post_init__(self):
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise ValueError(f"year out of range: {self.year}")
        if self.kind not in KINDS or not 1 <= self.index <= 12 // KINDS[self.kind]:
            raise ValueError(f"no such period: {self.year} {self.kind}{self.index}")

    @classmethod
    def parse(cls, key: str) -> Period:
        match = _KEY.match(key or "")
        if not match:
            raise ValueError(f"not a period key: {key!r}")
        kind = match["kind"] or "Y"
        return cls(int(match["year"]), kind, int(match["index"] or 1))

    @classmethod
    def containing(cls, day: datetime.date, kind: str = "Q") -> Period:
        return cls(day.year, kind, (day.month - 1) // KINDS[kind] + 1)

    @classmethod
    def all_in(cls, year: int, kinds: str = "QHY") -> list[Period]:
        return [cls(year, kind, index) for kind in kinds for index in range(1, 12 // KINDS[kind] + 1)]

    @property
    def key(self) -> str:
        return f"{self.year}-Y" if self.kind == "Y" else f"{self.year}-{self.kind}{self.index}"

    def __str__(self) -> str:
        return self.key

    @property
    def months(self) -> int:
        return KINDS[self.kind]

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, (self.index - 1) * self.months + 1, 1)

    @property
    def end(self) -> datetime.date:
        month = self.index * self.months
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def month(self, n: int) -> tuple[int, int]:
        """(year, month) of the n-th month of the period (1-based)."""
        return self.year, (self.index - 1) * self.months + n

    @property
    def label(self) -> str:
        """As printed on a report: `quý I năm 2026`, `6 tháng đầu năm 2026`, `năm 2026`."""
        if self.kind == "Q":
            return f"quý {ROMAN[self.index]} năm {self.year}"
        if self.kind == "H":
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
        return f"năm {self.year}"

    @property
    def short_label(self) -> str:
        if self.kind == "Q":
            return f"Quý {ROMAN[self.index]}/{self.year}"
        if self.kind == "H":
            return f"{'6 tháng đầu' if self.index == 1 else '6 tháng cuối'} {self.year}"
        return f"Năm {self.year}"

    def previous(self) -> Period:
        if self.index > 1:
            return Period(self.year, self.kind, self.index - 1)
        return Period(self.year - 1, self.kind, 12 // self.months)

    def next(self) -> Period:
        if self.index < 12 // self.months:
            return Period(self.year, self.kind, self.index + 1)
        return Period(self.year + 1, self.kind, 1)


def day_in_month(year: int, month: int, day: int) -> datetime.date:
    """The `day`-th of the month, or its last day when the month is shorter (31 → 30/4, 28 or 29/2)."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))
