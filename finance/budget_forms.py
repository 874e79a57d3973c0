"""The year's estimates (dự toán) of a union, per ledger and budget line, and the one write path saving them.

Amounts are whole đồng, typed as Vietnamese write them (`1.500.000`, `1500000`, `1 500 000 đ`); a negative
or a decimal amount is refused. An empty line is no estimate (its row is removed). Two treasurers editing at
once: the form carries the lines' stamp (a digest of every line with its `updated_at`), and a save whose
stamp is no longer the current one is refused (`StaleBudget`), the typed values kept for a second look.
"""

from __future__ import annotations

import hashlib
import re

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from finance.models import BudgetLine, Category, Ledger
from members import access
from members.models import Organization

MAX_AMOUNT = 10**15 - 1  # 999.999.999.999.999 đ: more than any union's year
GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
PLAIN = re.compile(r"^\d+$")


def parse_dong(text: str) -> int | None:
    """`1.234.567`, `1234567`, `1 234 567 đ` → 1234567; empty → None. Raises ValidationError otherwise."""
    value = (text or "").strip().lower()
    for suffix in ("đồng", "đ", "vnd", "vnđ"):
        if value.endswith(suffix):
            value = value[: -len(suffix)].strip()
            break
    value = value.replace(" ", "").replace("\u00a0", "")
    if not value:
        return None
    if value.startswith("-"):
        raise ValidationError(_("An estimate cannot be negative."), code="negative")
    if not (PLAIN.match(value) or GROUPED.match(value)):
        raise ValidationError(
            _("Write a whole number of đồng, e.g. 1.500.000 (no decimals)."), code="invalid"
        )
    amount = int(value.replace(".", ""))
    if amount > MAX_AMOUNT:
        raise ValidationError(_("This amount is too large."), code="too_large")
    return amount


def dots(amount: int | None) -> str:
    return "" if amount is None else f"{amount:,}".replace(",", ".")


class DongField(forms.Field):
    """A whole-đồng amount; `cleaned_data` holds an int or None."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 40})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value not in self.empty_values and len(str(value)) > 40:
            raise ValidationError(_("This amount is too large."), code="too_large")
        return parse_dong("" if value in self.empty_values else str(value))

    def prepare_value(self, value):
        return dots(value) if isinstance(value, int) else value


def budget_ledgers(organization: Organization, year: int) -> list[Ledger]:
    """The ledgers open in some part of `year`, the official one first."""
    ledgers = [
        ledger
        for ledger in organization.ledgers.all()
        if ledger.opened_on.year <= year and (ledger.closed_on is None or ledger.closed_on.year >= year)
    ]
    return sorted(ledgers, key=lambda ledger: (ledger.kind != Ledger.Kind.OFFICIAL, ledger.name))


def budget_stamp(ledger_ids: list[int], year: int) -> str:
    """What the form was drawn from: a digest of the year's lines (each one's id, amount, note and time of
    change), so that any save in between, even in the same instant, changes it. One query."""
    rows = BudgetLine.objects.filter(ledger__in=ledger_ids, year=year).order_by("pk")
    digest = hashlib.sha256()
    for row in rows.values_list("pk", "amount", "note", "updated_at"):
        digest.update(repr(row).encode())
    return digest.hexdigest()[:32]


def field_name(ledger: Ledger, category: str, kind: str = "amount") -> str:
    return f"{kind}_{ledger.pk}_{category}"


class BudgetForm(forms.Form):
    """One amount and one note for every (ledger, budget line) of the year, and the stamp."""

    stamp = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, ledgers: list[Ledger], lines: list[BudgetLine], stamp: str = "", **kwargs):
        current = {(line.ledger_id, line.category): line for line in lines}
        initial = {"stamp": stamp}
        for ledger in ledgers:
            for category in Category.values:
                line = current.get((ledger.pk, category))
                if line is not None:
                    initial[field_name(ledger, category)] = line.amount
                    initial[field_name(ledger, category, "note")] = line.note
        super().__init__(*args, initial=initial, **kwargs)
        self.ledgers, self.current = ledgers, current
        for ledger in ledgers:
            for category in Category.values:
                label = f"{ledger.name} – {Category(category).label}"
                self.fields[field_name(ledger, category)] = DongField(label=label)
                self.fields[field_name(ledger, category, "note")] = forms.CharField(
                    label=_("Note"), required=False, max_length=255,
                    widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
                )  # fmt: skip

    def sections(self) -> list[dict]:
        """For the template: per ledger, the income then the spending lines, each with its two fields."""
        result = []
        for ledger in self.ledgers:
            groups = []
            for title, categories in ((_("Income"), Category.income()), (_("Spending"), Category.expense())):
                rows = []
                for category in categories:
                    saved = self.current.get((ledger.pk, category))
                    rows.append(
                        {
                            "label": Category(category).label,
                            "amount": self[field_name(ledger, category)],
                            "note": self[field_name(ledger, category, "note")],
                            "saved": saved,
                        }
                    )
                groups.append({"title": title, "rows": rows})
            result.append({"ledger": ledger, "groups": groups})
        return result

    def values(self) -> dict[tuple[int, str], tuple[int | None, str]]:
        data = self.cleaned_data
        return {
            (ledger.pk, category): (
                data.get(field_name(ledger, category)),
                (data.get(field_name(ledger, category, "note")) or "").strip(),
            )
            for ledger in self.ledgers
            for category in Category.values
        }


class StaleBudget(Exception):
    """Someone saved the year's estimates after the form was drawn."""


@transaction.atomic
def budget_save(
    *,
    organization: Organization,
    year: int,
    ledgers: list[Ledger],
    values: dict[tuple[int, str], tuple[int | None, str]],
    expected_stamp: str,
    by,
) -> int:
    """Save the year's estimates of `ledgers` (of `organization`); returns the number of lines changed.

    Under a lock on the ledgers' rows, the stamp is read again: if it moved, `StaleBudget`, nothing written.
    """
    if not access.can(by, "keep_books", organization):
        raise PermissionDenied("keep_books refused")
    ids = [ledger.pk for ledger in ledgers]
    if any(ledger.organization_id != organization.pk for ledger in ledgers):
        raise PermissionDenied("a ledger of another union")
    list(Ledger.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    if budget_stamp(ids, year) != expected_stamp:
        raise StaleBudget
    existing = {
        (line.ledger_id, line.category): line for line in BudgetLine.objects.filter(ledger__in=ids, year=year)
    }
    changed = 0
    for (ledger_id, category), (amount, note) in values.items():
        line = existing.get((ledger_id, category))
        if amount is None and not note:
            if line is not None:
                line.delete()
                changed += 1
            continue
        amount = amount or 0
        if line is None:
            BudgetLine.objects.create(
                ledger_id=ledger_id, year=year, category=category, amount=amount, note=note
            )
            changed += 1
        elif (line.amount, line.note) != (amount, note):
            line.amount, line.note = amount, note
            line.save(update_fields=["amount", "note", "updated_at"])
            changed += 1
    return changed
