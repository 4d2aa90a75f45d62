"""The one rule for "is this pledge on track": the leaders' reports and the public pages both read it here.

A pledge's status on a day compares the share of it given by that day with the share of its time
elapsed, so the monitoring page and the portal cannot disagree about who is behind.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
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
from django.utils import timezone

from apps.donations.models import Donation
from apps.pledges.models import Pledge, UnitMoneyGiven
from apps.units.models import Unit

# A pledge is "behind" when the share given trails the share of its time elapsed by more than
# this: help comes in lumps (a bag of rice at Tết), so an exact pro-rata test would flag everyone.
BEHIND_MARGIN = Decimal("0.10")
# Shares are exact decimals: a float could put a pledge a hair under the margin.
_SHARE: DecimalField = DecimalField(max_digits=20, decimal_places=6)
_DAYS: DecimalField = DecimalField(max_digits=14, decimal_places=1)
_NO_DAYS = Value(Decimal(0), output_field=_DAYS)
# Pledge progress on a day this recent is read from the kept totals less the donations dated after it;
# an older day's from its donations up to it (fewer rows to read than those after it).
KEPT_PROGRESS_WITHIN = datetime.timedelta(days=366)


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


def _given_from_the_donations(pledges: QuerySet[Pledge], on: datetime.date) -> QuerySet[Pledge]:
    """``given_vnd``, ``given_days`` and ``given_count`` summed from each pledge's donations up to ``on``."""
    # "pledge is not null" lets PostgreSQL read the donations from donations_pledge_progress_idx alone.
    by_then = Q(donations__date__lte=on, donations__pledge__isnull=False)
    return pledges.alias(given=FilteredRelation("donations", condition=by_then)).annotate(
        given_vnd=Coalesce(Sum("given__amount_vnd", filter=Q(given__kind=Donation.Kind.MONEY)), 0),
        given_days=Coalesce(Sum("given__labour_days", filter=Q(given__kind=Donation.Kind.LABOUR)), _NO_DAYS),
        # Counts a column of the index (every donation has a date), not the id the index lacks.
        given_count=Count("given__date"),
    )


def _given_from_the_kept_progress(pledges: QuerySet[Pledge], on: datetime.date) -> QuerySet[Pledge]:
    """The same three figures: each pledge's kept totals (PledgeProgress) less its donations dated after ``on``.

    Exact for any day; quick for a recent one, whose later donations are few (none after today, as a rule).
    """
    later = Q(donations__date__gt=on, donations__pledge__isnull=False)
    return pledges.alias(later=FilteredRelation("donations", condition=later)).annotate(
        given_vnd=Coalesce(F("progress__given_vnd"), 0)
        - Coalesce(Sum("later__amount_vnd", filter=Q(later__kind=Donation.Kind.MONEY)), 0),
        given_days=ExpressionWrapper(
            Coalesce(F("progress__given_days"), _NO_DAYS)
            - Coalesce(Sum("later__labour_days", filter=Q(later__kind=Donation.Kind.LABOUR)), _NO_DAYS),
            output_field=_DAYS,
        ),
        given_count=Coalesce(F("progress__donations"), 0) - Count("later__date"),
    )


def _reads_kept_progress(on: datetime.date) -> bool:
    """Whether ``on`` is recent enough for the kept totals to be the quicker way (both answers are the same)."""
    return on >= timezone.localdate() - KEPT_PROGRESS_WITHIN


def pledges_with_fulfilment(*, on: datetime.date, pledges: QuerySet[Pledge] | None = None) -> QuerySet[Pledge]:
    """Pledges annotated with what was given by ``on`` and their status on that day.

    ``given_share`` is given / promised (the lower of money and labour when both were promised;
    1 for a pledge of goods only once anything was handed over). ``expected_share`` is the share
    of the pledge's days elapsed by ``on``, both ends included. Status: ``fulfilled`` when the
    share reaches 1; else ``overdue`` after the end date; else ``on_track`` when the share given
    is at least the share expected minus :data:`BEHIND_MARGIN`; else ``behind``.

    One grouped query, each pledge computed once: its kept totals (PledgeProgress) less its donations
    after ``on`` for a recent day, its donations up to ``on`` for an older one. The figures built on
    ``given_vnd`` and ``given_days`` repeat the same SUMs, which PostgreSQL computes once per pledge
    (a chain of correlated subqueries would be run again at every reference). Filtering on
    ``status`` therefore becomes a HAVING, and a figure over the pledges (per status, per unit) is
    taken with ``aggregate()``, which reads these annotations as the columns of an inner query,
    or counted from the rows (see :func:`pledges_by_unit`).
    """
    pledges = Pledge.objects.all() if pledges is None else pledges
    given = _given_from_the_kept_progress if _reads_kept_progress(on) else _given_from_the_donations
    return _with_status(given(pledges, on), on)


def _with_status(pledges: QuerySet[Pledge], on: datetime.date) -> QuerySet[Pledge]:
    """The shares and the status built on ``given_vnd``, ``given_days`` and ``given_count``."""
    day = Value(on, output_field=DateField())
    return pledges.annotate(
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

    One query: the pledges with their status (one row each) counted per unit around it, since PostgreSQL
    cannot group by a status that is itself an aggregate. Keys: ``count``, ``money_vnd`` and each of
    :attr:`PledgeStatus.ALL`.
    """
    # mypy's Django plugin cannot see the `status` annotation.
    rows = (
        pledges_with_fulfilment(on=on, pledges=pledges)
        .values_list("unit_id", "start", "money_vnd", "status")  # type: ignore[misc]
        .order_by()
    )
    sql, params = rows.query.sql_with_params()
    started_in = ", ".join("COUNT(*) FILTER (WHERE start <= %s AND status = %s)" for _ in PledgeStatus.ALL)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT unit_id, COUNT(*), COALESCE(SUM(money_vnd), 0)::bigint, {started_in} "
            f"FROM ({sql}) AS pledge GROUP BY unit_id",
            [*(value for status in PledgeStatus.ALL for value in (on, status)), *params],
        )
        return {
            unit_id: {"count": count, "money_vnd": money_vnd, **dict(zip(PledgeStatus.ALL, started, strict=True))}
            for unit_id, count, money_vnd, *started in cursor.fetchall()
        }


def money_given_by_unit(*, units: QuerySet[Unit]) -> dict[int, dict[str, int]]:
    """Money each unit gave in all and toward its pledges, keyed by unit id. One query.

    Read from the figures kept per unit (UnitMoneyGiven), one row per unit that ever gave: grouping
    the donations at query time reads a million rows at province scale.
    """
    rows = UnitMoneyGiven.objects.filter(unit__in=units.values("pk")).values_list(
        "unit", "given_vnd", "given_to_pledges_vnd"
    )
    return {unit: {"given_vnd": given, "given_to_pledges_vnd": toward} for unit, given, toward in rows}
