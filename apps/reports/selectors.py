"""Reads behind the period report and the monitoring page.

Totals always come from :func:`apps.donations.selectors.totals`; the tables here split the same
donations by group and by commune with the same aggregates, so a table's rows and the report's
totals cannot disagree on what counts. Every function runs a fixed number of queries.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from apps.communes.models import Commune
from apps.communes.periods import active_on
from apps.core.collation import sort_by_name, vietnamese_key
from apps.core.numbers import json_number
from apps.donations.models import Donation
from apps.donations.outcomes import outcomes_in_scope
from apps.donations.selectors import SECTOR_OF_KIND, SECTORS, TOTALS_AGGREGATES, donations_in_scope, totals, totals_by
from apps.households.beneficiaries import beneficiary_commune, in_commune
from apps.households.changes import Change, with_change
from apps.pledges.models import Pledge
from apps.pledges.selectors import PledgeStatus, pledges_with_fulfilment
from apps.units.models import GroupMembership, Unit, UnitGroup, UnitName

# mypy's Django plugin cannot see the `status` annotation of pledges_with_fulfilment(): the lines
# that filter on it carry `type: ignore[misc]`.

GOOD_RESULTS_SHOWN = 10


# --- Pledges ------------------------------------------------------------------------------


def pledges_in_scope(
    *, start: datetime.date, end: datetime.date, commune: Commune | None = None, group: UnitGroup | None = None
) -> QuerySet[Pledge]:
    """Pledges running at some time in the period, to beneficiaries in the commune / by the group's units."""
    qs = Pledge.objects.filter(start__lte=end, end__gte=start)
    if commune is not None:
        qs = qs.filter(in_commune(commune, on="start"))
    if group is not None:
        member_during = GroupMembership.objects.filter(group=group, unit=OuterRef("unit")).during(
            OuterRef("start"), OuterRef("end")
        )
        qs = qs.filter(Exists(member_during))
    return qs


def _pledge_summary(pledges: QuerySet[Pledge]) -> dict[str, Any]:
    """How many pledges in each status, and money and labour promised and given (one query).

    ``aggregate()`` reads each pledge's status and figures once, from an inner query with one row per pledge.
    """
    # Named apart from the annotations they sum (an aggregate may not reuse an annotation's name).
    figures = pledges.aggregate(
        n=Count("id"),
        promised_vnd_sum=Sum("money_vnd"),
        given_vnd_sum=Sum("given_vnd"),
        promised_days_sum=Sum("labour_days"),
        given_days_sum=Sum("given_days"),
        **{status: Count("id", filter=Q(status=status)) for status in PledgeStatus.ALL},
    )
    return {
        "count": figures["n"],
        "promised_vnd": int(figures["promised_vnd_sum"] or 0),
        "given_vnd": int(figures["given_vnd_sum"] or 0),
        "promised_days": json_number(figures["promised_days_sum"] or Decimal(0)),
        "given_days": json_number(figures["given_days_sum"] or Decimal(0)),
        **{status: figures[status] for status in PledgeStatus.ALL},
    }


# --- Tables by group and by commune -----------------------------------------------------------


def _group_then() -> Subquery:
    """The group a donation's unit belonged to on the donation's date (never more than one)."""
    return Subquery(GroupMembership.objects.filter(unit=OuterRef("unit")).on(OuterRef("date")).values("group")[:1])


# Rows of units in no group, split by the unit's sector (the commune party committees are a sector of
# their own, never "units in no group"); after the groups, in this order.
NO_GROUP_ORDER = {SECTOR_OF_KIND[kind]: n for n, kind in enumerate(SECTORS.values())}


def _group_or_sector() -> Coalesce:
    """The group's id on the donation's date, or "sector:<unit kind>" for a unit in no group then."""
    return Coalesce(
        Cast(_group_then(), output_field=CharField()),
        Concat(Value("sector:"), F("unit__kind"), output_field=CharField()),
    )


def by_group(qs: QuerySet[Donation], *, on: datetime.date) -> list[dict[str, Any]]:
    """One row per group of units in Vietnamese order of its name as on ``on``, then one row per sector
    for the units in no group (the commune party committees' row carries their sector, not "no group")."""
    rows = totals_by(qs, key=_group_or_sector())
    group_ids = [int(key) for key in rows if not key.startswith("sector:")]
    groups = UnitGroup.objects.with_name_on(on).in_bulk(group_ids)
    table = sort_by_name(
        {"code": groups[int(key)].code, "name": groups[int(key)].name_then, **figures}
        for key, figures in rows.items()
        if not key.startswith("sector:")
    )
    outside = [
        {"code": None, "name": None, "sector": SECTOR_OF_KIND[key.removeprefix("sector:")], **figures}
        for key, figures in rows.items()
        if key.startswith("sector:")
    ]
    return table + sorted(outside, key=lambda row: NO_GROUP_ORDER[row["sector"]])


def by_commune(qs: QuerySet[Donation], *, on: datetime.date) -> list[dict[str, Any]]:
    """One row per commune the help went to, as a document dated ``on`` names it (nothing of later events).

    ``before`` (the day after it ended) tells an ended commune from a commune of ``on`` with the same name,
    as :meth:`Commune.display_name` does.
    """
    rows = totals_by(qs, key=beneficiary_commune())
    communes = Commune.objects.with_names_on(on).in_bulk([key for key in rows if key is not None])
    # Names and kind codes, not display strings: a frozen report must read well in any language.
    table = [
        {
            "code": communes[key].code,
            "name": communes[key].name_then,
            "kind": communes[key].kind,
            "before": _day_after_if_namesake(communes[key], on),
            **figures,
        }
        for key, figures in rows.items()
        if key is not None
    ]
    return sort_by_name(table)


def _day_after_if_namesake(commune: Commune, on: datetime.date) -> str | None:
    ended_on = commune.valid_to
    if ended_on is None or ended_on >= on or not commune.namesake_then:  # type: ignore[attr-defined]
        return None
    return (ended_on + datetime.timedelta(days=1)).isoformat()


def _unit_name_on(day: datetime.date) -> Coalesce:
    """The name of a row's ``unit`` on ``day`` (its former name when it was renamed later): one subquery."""
    then = UnitName.objects.filter(active_on(day), unit=OuterRef("unit")).values("name")[:1]
    return Coalesce(Subquery(then), F("unit__name"))


# --- Households, units behind, good results ------------------------------------------------------


def households_escaped(*, donations: QuerySet[Donation], start: datetime.date, end: datetime.date) -> int:
    """Households helped in the period that a review of the period's years moved off the poor list.

    Derived from two consecutive classifications (apps.households.changes), never typed.
    """
    from apps.households.models import Household

    helped = donations.filter(household__isnull=False).values("household")
    escaped = with_change(Change.ESCAPED_POVERTY, first_year=start.year, last_year=end.year)
    return Household.objects.filter(pk__in=helped).filter(escaped).count()


def units_behind(pledges: QuerySet[Pledge], *, on: datetime.date) -> list[dict[str, Any]]:
    """Units with pledges behind or overdue, with how much money they still owe on them (named as on ``on``).

    Summed from one row per lagging pledge: a status is an aggregate of the pledge's donations,
    so PostgreSQL cannot group the pledges by unit in the same query.
    """
    rows = (
        pledges.filter(status__in=PledgeStatus.LAGGING)  # type: ignore[misc]
        .annotate(unit_name=_unit_name_on(on))
        .values_list("unit__code", "unit_name", "status", "money_vnd", "given_vnd")
        .order_by()
    )
    units: dict[str, dict[str, Any]] = {}
    for code, name, status, promised, given in rows:
        unit = units.setdefault(code, {"code": code, "name": name, "behind": 0, "overdue": 0, "shortfall_vnd": 0})
        unit[status] += 1
        unit["shortfall_vnd"] += max(promised - int(given), 0)
    return sorted(units.values(), key=lambda unit: (-unit["overdue"], -unit["behind"], vietnamese_key(unit["name"])))


def good_results(
    *, donations: QuerySet[Donation], pledges: QuerySet[Pledge], on: datetime.date
) -> list[dict[str, Any]]:
    """Units worth commending: most household-visits (then money) in the period, none of their pledges behind."""
    lagging = pledges.filter(status__in=[PledgeStatus.BEHIND, PledgeStatus.OVERDUE]).values("unit")  # type: ignore[misc]
    rows = (
        donations.exclude(unit__in=lagging)
        .annotate(unit_name=_unit_name_on(on))
        .values("unit__code", "unit_name")
        .annotate(household_visits=TOTALS_AGGREGATES["household_visits"], money_vnd=TOTALS_AGGREGATES["money_vnd"])
        .order_by("-household_visits", "-money_vnd", "unit_name")[:GOOD_RESULTS_SHOWN]
    )
    return [
        {
            "code": r["unit__code"],
            "name": r["unit_name"],
            "household_visits": r["household_visits"],
            "money_vnd": int(r["money_vnd"]),
        }
        for r in rows
    ]


def pledge_list(pledges: QuerySet[Pledge], *, on: datetime.date) -> list[dict[str, Any]]:
    """Each pledge with how far it is fulfilled (units and groups named as on ``on``); the beneficiary only
    by kind and commune (no names). The group is the unit's group on the pledge's first day. Two queries."""
    group_then = Subquery(
        GroupMembership.objects.filter(unit=OuterRef("unit")).on(OuterRef("start")).values("group")[:1]
    )
    rows = list(
        pledges.annotate(
            beneficiary_commune=beneficiary_commune("name", on="start"),
            unit_name=_unit_name_on(on),
            group_then=group_then,
        )
        .values(
            "code",
            "unit__code",
            "unit__kind",
            "unit_name",
            "group_then",
            "beneficiary_kind",
            "beneficiary_commune",
            "end",
            "money_vnd",
            "given_vnd",
            "labour_days",
            "given_days",
            "given_share",
            "status",
        )
        .order_by()
    )
    groups = UnitGroup.objects.with_name_on(on).in_bulk({r["group_then"] for r in rows if r["group_then"]})
    listed = [
        {
            "code": r["code"],
            "unit_code": r["unit__code"],
            "unit": r["unit_name"],
            "unit_sector": SECTOR_OF_KIND[r["unit__kind"]],
            "group_code": groups[r["group_then"]].code if r["group_then"] else None,
            "group": groups[r["group_then"]].name_then if r["group_then"] else None,
            "beneficiary_kind": r["beneficiary_kind"],
            "commune": r["beneficiary_commune"],
            "end": r["end"].isoformat(),
            "promised_vnd": r["money_vnd"],
            "given_vnd": int(r["given_vnd"]),
            "promised_days": json_number(r["labour_days"]),
            "given_days": json_number(r["given_days"]),
            "given_percent": round(float(r["given_share"]) * 100, 1),
            "status": r["status"],
        }
        for r in rows
    ]
    # The worst first, then by unit in Vietnamese order, then by code.
    listed.sort(key=lambda p: (PledgeStatus.ALL[::-1].index(p["status"]), vietnamese_key(p["unit"]), p["code"]))
    return listed


def report_figures(
    *, start: datetime.date, end: datetime.date, commune: Commune | None = None, group: UnitGroup | None = None
) -> dict[str, Any]:
    """Everything the period report shows, as plain JSON-ready data (it is what a freeze stores)."""
    donations = donations_in_scope(start=start, end=end, commune=commune, group=group)
    on = min(end, timezone.localdate())
    pledges = pledges_with_fulfilment(
        on=on, pledges=pledges_in_scope(start=start, end=end, commune=commune, group=group)
    )
    figures = totals(start=start, end=end, commune=commune, group=group)
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "scope": {
            "commune": commune.code if commune else None,
            "commune_name": commune.name if commune else None,
            "commune_kind": commune.kind if commune else None,
            "group": group.code if group else None,
            "group_name": group.name if group else None,
        },
        "sectors": figures["sectors"],
        "total": figures["total"],
        # PostgreSQL's jsonb does not keep key order: a frozen copy restores it from this list.
        "item_order": list(figures["total"]["goods"]),
        # Named as on the period's end: a document about a period knows nothing later.
        "groups": by_group(donations, on=end),
        "communes": by_commune(donations, on=end),
        "pledges": _pledge_summary(pledges),
        "pledge_list": pledge_list(pledges, on=end),
        "households": {
            "helped": figures["total"]["households"],
            "escaped": households_escaped(donations=donations, start=start, end=end),
        },
        # Helped against not-helped households' escapes (apps.donations.outcomes); a group has no households of its own.
        "outcomes": None if group else outcomes_in_scope(start=start, end=end, commune=commune, today=end),
        "units_behind": units_behind(pledges, on=end),
        "good_results": good_results(donations=donations, pledges=pledges, on=end),
    }


# --- Monitoring --------------------------------------------------------------------------------


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` earlier (the month's last day when it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def monitored_pledges(*, on: datetime.date, status: str | None = None) -> QuerySet[Pledge]:
    """Pledges still to be watched on ``on``: started, and either running or ended unfulfilled."""
    # The unit's name read for each pledge after grouping: a join would add the name to the GROUP BY.
    unit_name = Subquery(Unit.objects.filter(pk=OuterRef("unit")).order_by().values("name"))
    qs = pledges_with_fulfilment(on=on, pledges=Pledge.objects.filter(start__lte=on)).annotate(unit_name=unit_name)
    if status:
        qs = qs.filter(status=status)  # type: ignore[misc]
    return qs.order_by(
        Case(
            When(status=PledgeStatus.OVERDUE, then=0),
            When(status=PledgeStatus.BEHIND, then=1),
            When(status=PledgeStatus.ON_TRACK, then=2),
            default=3,
        ),
        "end",
        "code",
    )


def idle_units(*, on: datetime.date, months: int = 6) -> QuerySet[Unit]:
    """Units with no donation in the ``months`` before ``on`` (including units that never gave)."""
    since = months_before(on, months)
    return (
        Unit.objects.existing_on(on)
        .annotate(last_donation=Max("donations__date", filter=Q(donations__date__lte=on)))
        .filter(Q(last_donation__isnull=True) | Q(last_donation__lt=since))
        .order_by(F("last_donation").asc(nulls_first=True), "name")
    )


def lapsed_units(*, year: int) -> QuerySet[Unit]:
    """Units that gave in ``year - 1`` but have given nothing so far in ``year``."""

    def gave_in(y: int) -> Exists:
        return Exists(Donation.objects.filter(unit=OuterRef("pk"), date__year=y))

    return (
        Unit.objects.existing_on(datetime.date(year, 1, 1))
        .filter(gave_in(year - 1))
        .exclude(gave_in(year))
        .annotate(
            last_year_vnd=Coalesce(
                Sum(
                    "donations__amount_vnd",
                    filter=Q(donations__date__year=year - 1, donations__kind=Donation.Kind.MONEY),
                ),
                0,
            ),
            last_year_count=Count("donations", filter=Q(donations__date__year=year - 1)),
        )
        .order_by("name")
    )


def open_loans(*, on: datetime.date) -> QuerySet[Donation]:
    """Loans not yet repaid in full, the overdue ones (due date passed) first."""
    return (
        Donation.objects.loans()
        .filter(date__lte=on)
        .with_repaid()
        .annotate(outstanding_vnd=F("amount_vnd") - F("repaid_vnd"))
        .filter(outstanding_vnd__gt=0)
        .annotate(
            overdue=Case(When(due_date__lt=on, then=Value(True)), default=Value(False)),
            commune_name=beneficiary_commune("name"),
        )
        .select_related("unit", "village", "household__village")
        .order_by("-overdue", "due_date", "date", "reference")
    )
