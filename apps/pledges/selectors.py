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
    DateField,
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression
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


def _share(part, whole) -> CombinedExpression:
    """part / whole as an exact decimal (integer division would round every share down to 0)."""
    return Cast(part, _SHARE) / Cast(whole, _SHARE)


def pledges_with_fulfilment(*, on: datetime.date, pledges: QuerySet[Pledge] | None = None) -> QuerySet[Pledge]:
    """Pledges annotated with what was given by ``on`` and their status on that day.

    ``given_share`` is given / promised (the lower of money and labour when both were promised;
    1 for a pledge of goods only once anything was handed over). ``expected_share`` is the share
    of the pledge's days elapsed by ``on``, both ends included. Status: ``fulfilled`` when the
    share reaches 1; else ``overdue`` after the end date; else ``on_track`` when the share given
    is at least the share expected minus :data:`BEHIND_MARGIN`; else ``behind``.
    """
    pledges = Pledge.objects.all() if pledges is None else pledges
    linked = Donation.objects.filter(pledge=OuterRef("pk"), date__lte=on).order_by().values("pledge")
    day = Value(on, output_field=DateField())
    return pledges.annotate(
        given_vnd=Coalesce(
            Subquery(linked.filter(kind=Donation.Kind.MONEY).annotate(s=Sum("amount_vnd")).values("s")), 0
        ),
        given_days=Coalesce(
            Subquery(linked.filter(kind=Donation.Kind.LABOUR).annotate(s=Sum("labour_days")).values("s")),
            Value(Decimal(0)),
            output_field=DecimalField(max_digits=10, decimal_places=1),
        ),
        anything_given=Exists(linked),
        total_days=DaysBetween(F("end"), F("start")) + 1,
        elapsed_days=Greatest(Least(DaysBetween(day, F("start")) + 1, F("total_days")), 0),
        expected_share=_share(F("elapsed_days"), F("total_days")),
        money_share=Case(When(money_vnd__gt=0, then=_share(F("given_vnd"), F("money_vnd")))),
        days_share=Case(When(labour_days__gt=0, then=_share(F("given_days"), F("labour_days")))),
        given_share=Case(
            When(Q(money_vnd__gt=0, labour_days__gt=0), then=Least(F("money_share"), F("days_share"))),
            When(money_vnd__gt=0, then=F("money_share")),
            When(labour_days__gt=0, then=F("days_share")),
            When(anything_given=True, then=Value(Decimal(1))),
            default=Value(Decimal(0)),
            output_field=_SHARE,
        ),
        status=Case(
            When(given_share__gte=1, then=Value(PledgeStatus.FULFILLED)),
            When(end__lt=on, then=Value(PledgeStatus.OVERDUE)),
            When(given_share__gte=F("expected_share") - Value(BEHIND_MARGIN), then=Value(PledgeStatus.ON_TRACK)),
            default=Value(PledgeStatus.BEHIND),
            output_field=CharField(),
        ),
    )
