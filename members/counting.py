"""Figures counted from the member roll, for targets that count themselves (`Target.counts_from`).

New members are the admissions and re-admissions recorded on a union's roll (`MemberEvent`): a member who
comes by transfer is not new to the union movement, so a transfer in is not counted (nor is the transfer out
taken off the union that admitted them).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count

from members.models import MemberEvent

ADMISSIONS = "admissions"  # the value of `Target.counts_from` for a target of new members counted here
NEW_MEMBER_KINDS = (MemberEvent.Kind.ADMITTED, MemberEvent.Kind.READMITTED)


def admissions(organization_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict[int, int]:
    """Union id → the admissions and re-admissions on its roll dated from `start` to `end` (both included),
    in one query; a union with none is 0."""
    ids = list(organization_ids)
    counted = dict.fromkeys(ids, 0)
    if not ids or end < start:
        return counted
    rows = (
        MemberEvent.objects.filter(
            organization_id__in=ids, kind__in=NEW_MEMBER_KINDS, on__gte=start, on__lte=end
        )
        .order_by()
        .values("organization_id")
        .annotate(n=Count("pk"))
        .values_list("organization_id", "n")
    )
    counted.update(rows)
    return counted
