"""The rule in force on a date. A date without a rule is an error with a message, never a silent default."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from finance.models import Rule


class RuleMissing(ValidationError):
    """No rule of that kind covers the date (for that unit type)."""


class RuleBook:
    """Every rule, read once: answers `in_force` from memory, so a sheet of 5,000 lines costs one query."""

    def __init__(self, rules=None):
        self.rules: dict[str, list[Rule]] = {}
        for rule in Rule.objects.all() if rules is None else rules:
            self.rules.setdefault(rule.kind, []).append(rule)

    def in_force(self, kind: str, on: datetime.date, unit_type: str = "") -> Rule:
        candidates = [rule for rule in self.rules.get(kind, ()) if rule.applies_on(on)]
        specific = [rule for rule in candidates if unit_type and rule.unit_type == unit_type]
        general = [rule for rule in candidates if not rule.unit_type]
        found = specific or general
        if not found:
            raise RuleMissing(
                _("No rule “%(rule)s” is in force on %(date)s: a system administrator must add it first.")
                % {"rule": Rule.Kind(kind).label, "date": on.strftime("%d/%m/%Y")},
                code="rule_missing",
            )
        return max(found, key=lambda rule: rule.effective_from)

    def value(self, kind: str, on: datetime.date, unit_type: str = "") -> Decimal | None:
        return self.in_force(kind, on, unit_type).value


def in_force(kind: str, on: datetime.date, unit_type: str = "") -> Rule:
    """The rule of `kind` on `on` for a unit of `unit_type` (raises RuleMissing)."""
    rules = Rule.objects.filter(kind=kind, unit_type__in={"", unit_type}, effective_from__lte=on)
    return RuleBook(rules.exclude(effective_to__lt=on)).in_force(kind, on, unit_type)


def whole_dong(amount: Decimal) -> int:
    """Round to whole đồng, halves up (the way accountants round)."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_of(amount: int | Decimal, percent: Decimal) -> int:
    return whole_dong(Decimal(amount) * percent / 100)
