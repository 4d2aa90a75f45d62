"""The one rule for "is this pledge on track": the leaders' reports and the public pages both read it here.

A pledge's status on a day compares the share of it given by that day with the share of its time
elapsed, so the monitoring page and the portal cannot disagree about who is behind.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Col, CombinedExpression
from django.db.models.functions import Cast, Coalesce, Greatest, Least

from apps.donations.models import Donation
from apps.pledges.models import Pledge

# A pledge is "behind" when the share given trails the share of its time elapsed by more than
# this: help comes in lumps (a bag of rice at Tết), so an exact pro-rata test would flag everyone.
BEHIND_MARGIN = Decimal("0.10")
# Shares are exact decimals: a float could put a pledge a hair under the margin.
_SHARE: DecimalField = DecimalField(max_digits=20, decimal_places=6)


class PledgeStatus:
    """The statuses a pledge can have on a day, as stored in the ``status`` annotation."""

    ON_TRACK = "on_track"
    BEHIND = "behind"
    OVERDUE = "overdue"
    FULFILLED = "fulfilled"
    ALL = (FULFILLED, ON_TRACK, BEHIND, OVERDUE)
    # The statuses that need urging: a unit with any of these is not on track.
    LAGGING = (BEHIND, OVERDUE)


class DaysBetween(Func):
    """later - earlier in whole days (PostgreSQL's date subtraction; Django's gives an interval)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()


class _OfThePledge(ExpressionWrapper):
    """An expression of the pledge's own fields, which depend on its id.

    Grouped by the columns it reads rather than by itself: the pledges are grouped by id, so PostgreSQL
    drops those columns from the GROUP BY instead of computing the expression for every donation row
    and sorting on it.
    """

    def get_group_by_cols(self):
        return [expression for expression in self.expression.flatten() if isinstance(expression, Col)]


def _share(part, whole) -> CombinedExpression:
    """part / whole as an exact decimal (integer division would round every share down to 0); ``whole`` the pledge's."""
    return Cast(part, _SHARE) / _OfThePledge(Cast(whole, _SHARE), output_field=_SHARE)


def pledges_with_fulfilment(*, on: datetime.date, pledges: QuerySet[Pledge] | None = None) -> QuerySet[Pledge]:
    """Pledges annotated with what was given by ``on`` and their status on that day.

    ``given_share`` is given / promised (the lower of money and labour when both were promised;
    1 for a pledge of goods only once anything was handed over). ``expected_share`` is the share
    of the pledge's days elapsed by ``on``, both ends included. Status: ``fulfilled`` when the
    share reaches 1; else ``overdue`` after the end date; else ``on_track`` when the share given
    is at least the share expected minus :data:`BEHIND_MARGIN`; else ``behind``.

    One grouped query: each pledge joined once to its donations up to ``on``. The figures built on
    ``given_vnd`` and ``given_days`` repeat the same SUMs, which PostgreSQL computes once per pledge
    (a chain of correlated subqueries would be run again at every reference). Filtering on
    ``status`` therefore becomes a HAVING, and a figure over the pledges (per status, per unit) is
    taken with ``aggregate()``, which reads these annotations as the columns of an inner query,
    or counted from the rows (see :func:`pledges_by_unit`).
    """
    pledges = Pledge.objects.all() if pledges is None else pledges
    day = Value(on, output_field=DateField())
    # "pledge is not null" lets PostgreSQL read the donations from donations_pledge_progress_idx alone.
    by_then = Q(donations__date__lte=on, donations__pledge__isnull=False)
    return pledges.alias(given=FilteredRelation("donations", condition=by_then)).annotate(
        given_vnd=Coalesce(Sum("given__amount_vnd", filter=Q(given__kind=Donation.Kind.MONEY)), 0),
        given_days=Coalesce(
            Sum("given__labour_days", filter=Q(given__kind=Donation.Kind.LABOUR)),
            Value(Decimal(0)),
            output_field=DecimalField(max_digits=10, decimal_places=1),
        ),
        # Counts a column of the index (every donation has a date), not the id the index lacks.
        given_count=Count("given__date"),
        total_days=_OfThePledge(DaysBetween(F("end"), F("start")) + 1, output_field=IntegerField()),
        elapsed_days=_OfThePledge(
            Greatest(Least(DaysBetween(day, F("start")) + 1, F("total_days")), 0), output_field=IntegerField()
        ),
        expected_share=_OfThePledge(_share(F("elapsed_days"), F("total_days")), output_field=_SHARE),
        money_share=Case(When(money_vnd__gt=0, then=_share(F("given_vnd"), F("money_vnd")))),
        days_share=Case(When(labour_days__gt=0, then=_share(F("given_days"), F("labour_days")))),
        given_share=Case(
            When(Q(money_vnd__gt=0, labour_days__gt=0), then=Least(F("money_share"), F("days_share"))),
            When(money_vnd__gt=0, then=F("money_share")),
            When(labour_days__gt=0, then=F("days_share")),
            When(given_count__gt=0, then=Value(Decimal(1))),
            default=Value(Decimal(0)),
            output_field=_SHARE,
        ),
        status=Case(
            When(given_share__gte=1, then=Value(PledgeStatus.FULFILLED)),
            When(end__lt=on, then=Value(PledgeStatus.OVERDUE)),
            When(
                given_share__gte=_OfThePledge(F("expected_share") - Value(BEHIND_MARGIN), output_field=_SHARE),
                then=Value(PledgeStatus.ON_TRACK),
            ),
            default=Value(PledgeStatus.BEHIND),
            output_field=CharField(),
        ),
    )


def pledges_by_unit(*, on: datetime.date, pledges: QuerySet[Pledge]) -> dict[int, dict[str, int]]:
    """For each unit among ``pledges``: how many, the money promised, and those started by ``on`` in each status.

    One query, summed from one row per pledge: PostgreSQL cannot group by a status that is itself an
    aggregate, and a unit has a few dozen pledges. Keys: ``count``, ``money_vnd`` and each of
    :attr:`PledgeStatus.ALL`.
    """
    # mypy's Django plugin cannot see the `status` annotation.
    rows = (
        pledges_with_fulfilment(on=on, pledges=pledges)
        .values_list("unit_id", "start", "money_vnd", "status")  # type: ignore[misc]
        .order_by()
    )
    units: dict[int, dict[str, int]] = {}
    for unit_id, start, money_vnd, status in rows:
        unit = units.setdefault(unit_id, {"count": 0, "money_vnd": 0, **dict.fromkeys(PledgeStatus.ALL, 0)})
        unit["count"] += 1
        unit["money_vnd"] += money_vnd
        if start <= on:
            unit[status] += 1
    return units
