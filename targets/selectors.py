"""Reading what is in force: shared by reports (what to pre-fill) and the dashboard (what to sum)."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q

from plans.models import Plan


def in_force(start: datetime.date, end: datetime.date) -> Q:
    """Plans issued for a period overlapping [start, end], unless a newer issued version replaces them."""
    replaced = Plan.objects.filter(replaces=OuterRef("pk"), status=Plan.Status.ISSUED)
    return Q(status=Plan.Status.ISSUED, period_start__lte=end, period_end__gte=start) & ~Q(Exists(replaced))


def plans_in_force(start: datetime.date, end: datetime.date):
    return Plan.objects.filter(in_force(start, end))
