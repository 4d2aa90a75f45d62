"""Query helpers for records valid for a period (``apps.core.models.Period``): used by communes and units.

They belong beside ``Period`` in apps.core; they live here, the lowest app both communes and units import,
until that move (apps.units.models re-exports them, and its first migration names ``apps.units.models.DateRange``).
"""

from __future__ import annotations

import datetime

from django.contrib.postgres.fields import RangeBoundary
from django.db import models
from django.db.models import Func, Q

# A start date for "since before the programme's records": a village's first commune, a record's first name.
FAR_PAST = datetime.date(1900, 1, 1)


class DateRange(Func):
    """daterange(start, end, '[]'): an inclusive period, open-ended when ``end`` is null."""

    function = "DATERANGE"
    output_field = models.Field()

    def __init__(self, start, end):
        super().__init__(start, end, RangeBoundary(inclusive_lower=True, inclusive_upper=True))


def active_on(day, prefix: str = "") -> Q:
    """Rows whose period contains ``day`` (a date, or an expression such as ``OuterRef("date")``)."""
    return Q(**{f"{prefix}start__lte": day}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day}))


def overlapping(start: datetime.date, end: datetime.date | None) -> Q:
    """Rows whose period shares at least one day with ``start``–``end`` (open-ended when ``end`` is None)."""
    condition = Q(end__isnull=True) | Q(end__gte=start)
    if end is not None:
        condition &= Q(start__lte=end)
    return condition
