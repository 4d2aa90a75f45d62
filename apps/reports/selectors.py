"""Reads behind the period report and the monitoring page.

Totals always come from :func:`apps.donations.selectors.totals`; the tables here split the same
figures kept ahead of time (DailyFigures, RecipientDay) by group and by commune with the same
aggregates, so a table's rows and the report's totals cannot disagree on what counts. Every
function runs a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.communes.models import Commune
from apps.communes.periods import active_on
from apps.core.collation import sort_by_name, vietnamese_key
from apps.core.numbers import json_number
from apps.donations.models import DailyFigures, Donation, RecipientDay
from apps.donations.outcomes import outcomes_in_scope
from apps.donations.selectors import (
    _ITEM,
    KEPT_SUMS,
    RECIPIENT_AGGREGATES,
    SECTOR_OF_KIND,
    SECTORS,
    _add_sums,
    _figures_scope,
    empty_totals,
    holds_every_day_helped,
    households_ever_helped,
    kept_totals_by,
    totals,
    totals_per_commune,
    totals_per_group,
)
from apps.households.beneficiaries import beneficiary_commune, in_commune
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


def _pledge_summary(counts: list[dict[str, Any]]) -> dict[str, Any]:
    """How many pledges in each status, and money and labour promised and given (``counts``:
    :func:`_pledge_counts`)."""
    in_status = Counter[str]()
    for r in counts:
        in_status[r["status"]] += r["count"]
    return {
        "count": sum(r["count"] for r in counts),
        "promised_vnd": int(sum(r["money_vnd"] for r in counts)),
        "given_vnd": int(sum(r["given_vnd"] for r in counts)),
        "promised_days": json_number(sum((r["labour_days"] for r in counts), Decimal(0))),
        "given_days": json_number(sum((r["given_days"] for r in counts), Decimal(0))),
        **{status: in_status[status] for status in PledgeStatus.ALL},
    }


# --- Tables by group and by commune -----------------------------------------------------------


# Rows of units in no group, split by the unit's sector (the commune party committees are a sector of
# their own, never "units in no group"); after the groups, in this order.
NO_GROUP_ORDER = {SECTOR_OF_KIND[kind]: n for n, kind in enumerate(SECTORS.values())}


def _membership_then() -> FilteredRelation:
    """A kept row's unit's membership on the row's day (a unit is in one group at a time): one join."""
    on_the_day = Q(unit__memberships__start__lte=F("day")) & (
        Q(unit__memberships__end__isnull=True) | Q(unit__memberships__end__gte=F("day"))
    )
    return FilteredRelation("unit__memberships", condition=on_the_day)


# A kept row's key in the table by group: the group's id on the row's day, and the unit's sector (kind) only
# for a unit in no group then. Two plain columns, grouped as they are (an integer and, outside the groups, a
# short text): a text key built per row (the id cast and joined to the sector) made grouping the province's
# million kept rows cost twice as much.
GROUP_KEY = {
    "group": F("member__group"),
    "outside": Case(When(member__group__isnull=True, then=F("sector")), output_field=CharField()),
}


def _group_key(row: dict[str, Any]) -> str:
    """The group's id as text, or "sector:<unit kind>" for units in no group."""
    return str(row["group"]) if row["group"] is not None else f"sector:{row['outside']}"


def _whole_programme(scope: dict[str, Any], known: bool | None = None) -> bool:
    """Whether a scope is the whole programme's: no commune, no group, and every day anyone was helped (its
    figures are then read from the rows kept since the start). One query, none when ``known`` already says."""
    if known is not None:
        return known
    no_place = scope.get("commune") is None and scope.get("group") is None
    return no_place and holds_every_day_helped(scope.get("start"), scope.get("end"))


def totals_by_group(*, whole: bool | None = None, **scope) -> dict[str, dict[str, Any]]:
    """TOTALS of a scope of :func:`donations_in_scope` per group the donating unit belonged to on the day, or
    per sector ("sector:<unit kind>") of units in no group then. Two queries on the kept figures, as
    :func:`apps.donations.selectors.kept_totals_by` makes them; when the scope is the whole programme's
    (``whole``, else one more query tells), read from the few rows per group kept since the start."""
    if _whole_programme(scope, whole):
        return {
            _group_key({"group": group, "outside": sector}): row for (group, sector), row in totals_per_group().items()
        }
    return totals_by_group_from_days(**scope)


def totals_by_group_from_days(**scope) -> dict[str, dict[str, Any]]:
    """:func:`totals_by_group` from the day figures, for any scope."""
    condition = _figures_scope(**scope)
    sums = (
        DailyFigures.objects.filter(condition)
        .annotate(member=_membership_then())
        .annotate(**GROUP_KEY)
        .values("group", "outside", "kind", *_ITEM)
        .annotate(**KEPT_SUMS)
        .exclude(Q(count=0))
        .order_by("item__position", "item__code")
    )
    rows: dict[str, dict[str, Any]] = {}
    for row in sums:
        _add_sums(rows.setdefault(_group_key(row), empty_totals()), row)
    recipients = (
        RecipientDay.objects.filter(condition)
        .annotate(member=_membership_then())
        .annotate(**GROUP_KEY)
        .values("group", "outside")
        .annotate(**RECIPIENT_AGGREGATES)
        .order_by()
    )
    for row in recipients:
        rows.setdefault(_group_key(row), empty_totals()).update({k: row[k] for k in RECIPIENT_AGGREGATES})
    return rows


def totals_by_commune(*, whole: bool | None = None, **scope) -> dict[int, dict[str, Any]]:
    """TOTALS of a scope per commune the beneficiary lay in on the donation's date (the kept figures' commune,
    as :func:`apps.households.beneficiaries.beneficiary_commune`). Two queries; when the scope is the whole
    programme's (``whole``, else one more query tells), read from the few rows per commune kept since the start."""
    if _whole_programme(scope, whole):
        return totals_per_commune(list(Commune.objects.values_list("pk", flat=True)), goods=True)
    return kept_totals_by(key=F("commune"), **scope)


def group_ids(rows: dict[str, dict[str, Any]]) -> set[int]:
    """The groups among the keys of :func:`totals_by_group`."""
    return {int(key) for key in rows if not key.startswith("sector:")}


def by_group(rows: dict[str, dict[str, Any]], *, groups: dict[int, Any]) -> list[dict[str, Any]]:
    """One row per group of units in Vietnamese order of its name as on the day ``groups`` were named for
    (``UnitGroup.objects.with_name_on(on)``, at least those of :func:`group_ids`), then one row per sector
    for the units in no group (the commune party committees' row carries their sector, not "no group").
    ``rows``: :func:`totals_by_group`."""
    table = sort_by_name(
        {"code": groups[int(key)].code, "name": groups[int(key)].name_then, **figures}
        for key, figures in rows.items()
        if not key.startswith("sector:")
    )
    outside = [
        {"code": None, "name": None, "sector": SECTOR_OF_KIND[Unit.Kind(key.removeprefix("sector:"))], **figures}
        for key, figures in rows.items()
        if key.startswith("sector:")
    ]
    return table + sorted(outside, key=lambda row: NO_GROUP_ORDER[row["sector"]])


def by_commune(rows: dict[int, dict[str, Any]], *, on: datetime.date) -> list[dict[str, Any]]:
    """One row per commune the help went to, as a document dated ``on`` names it (nothing of later events).

    ``rows``: :func:`totals_by_commune`. ``before`` (the day after it ended) tells an ended commune from a
    commune of ``on`` with the same name, as :meth:`Commune.display_name` does.
    """
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


def _unit_name_on(day: datetime.date, unit: str = "unit") -> Coalesce:
    """The name of a row's ``unit`` on ``day`` (its former name when it was renamed later): one subquery."""
    then = UnitName.objects.filter(active_on(day), unit=OuterRef(unit)).values("name")[:1]
    return Coalesce(Subquery(then), F("name" if unit == "pk" else f"{unit}__name"))


# --- Households, units behind, good results ------------------------------------------------------


def households_escaped(*, start: datetime.date, end: datetime.date, whole: bool | None = None, **scope) -> int:
    """Households helped in the period (and scope) that a review of the period's years moved off the poor list.

    Derived from two consecutive classifications (apps.households.changes), never typed: the kept changes
    (StatusChange) of the households the kept figures saw helped (RecipientDay; over every day anyone was helped
    and no place, the households ever helped, one tally each). One query, and one more to tell whether the
    scope is the whole programme's when ``whole`` does not say.
    """
    from apps.households.models import StatusChange

    if _whole_programme({"start": start, "end": end, **scope}, whole):
        helped = households_ever_helped()
    else:
        days = RecipientDay.objects.filter(_figures_scope(start=start, end=end, **scope), household__isnull=False)
        helped = days.values("household")
    escaped = StatusChange.objects.filter(escaped_poverty=True, year__gte=start.year, year__lte=end.year)
    return escaped.filter(household__in=helped).values("household").distinct().count()


def units_behind(counts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Units with pledges behind or overdue, with how much money they still owe on them (``counts``:
    :func:`_pledge_counts`, units named as on the day they were read for)."""
    units: dict[str, dict[str, Any]] = {}
    for r in counts:
        if r["status"] not in PledgeStatus.LAGGING:
            continue
        code = r["unit__code"]
        unit = units.setdefault(
            code, {"code": code, "name": r["unit_name"], "behind": 0, "overdue": 0, "shortfall_vnd": 0}
        )
        unit[r["status"]] += r["count"]
        unit["shortfall_vnd"] += int(r["shortfall_vnd"])
    return sorted(units.values(), key=lambda unit: (-unit["overdue"], -unit["behind"], vietnamese_key(unit["name"])))


def good_results(*, lagging: set[int], on: datetime.date, **scope) -> list[dict[str, Any]]:
    """Units worth commending: most household-visits (then money) in the period and scope, none of their
    pledges (``lagging``: ids of units with a pledge behind or overdue) behind. Three queries: money and visits
    per unit from the kept figures, then the names as on ``on`` of the few units that can be shown."""
    condition = _figures_scope(**scope)
    money = (
        DailyFigures.objects.filter(condition)
        .values("unit")
        .annotate(money_vnd=Coalesce(Sum("amount_vnd", filter=Q(kind=Donation.Kind.MONEY)), 0))
        .order_by()
    )
    # Every unit that gave anything in the scope (goods only: no visit, no money, still a row).
    units: dict[int, list[int]] = {row["unit"]: [0, int(row["money_vnd"])] for row in money}
    visits = RecipientDay.objects.filter(condition).values("unit").annotate(visits=Count("household")).order_by()
    for row in visits:
        units.setdefault(row["unit"], [0, 0])[0] = row["visits"]
    ranked = sorted(((-visits, -money_vnd, unit) for unit, (visits, money_vnd) in units.items() if unit not in lagging))
    if not ranked:
        return []
    # The units up to the last one shown, and those level with it (their names decide who is shown).
    last = ranked[:GOOD_RESULTS_SHOWN][-1][:2]
    shown = {unit: (v, m) for v, m, unit in ranked if (v, m) <= last}
    rows = (
        Unit.objects.filter(pk__in=shown)
        .annotate(unit_name=_unit_name_on(on, unit="pk"))
        .values("pk", "code", "unit_name")
        .order_by("unit_name")
    )
    named = sorted(rows, key=lambda r: shown[r["pk"]])  # stable: level units stay in the order of their names
    return [
        {
            "code": r["code"],
            "name": r["unit_name"],
            "household_visits": -shown[r["pk"]][0],
            "money_vnd": -shown[r["pk"]][1],
        }
        for r in named[:GOOD_RESULTS_SHOWN]
    ]


def _group_then() -> Subquery:
    """The group a pledge's unit was in when the pledge began (a unit is in one group at a time)."""
    return Subquery(
        GroupMembership.objects.filter(unit=OuterRef("unit")).on(OuterRef("start")).order_by().values("group")[:1]
    )


def _joined_to_pledges(fulfilment: QuerySet, described: QuerySet, select: str, tail: str = "") -> list[dict[str, Any]]:
    """``select`` over the pledges' fulfilment (f) joined on the pledge to what describes them (d): grouped
    together, PostgreSQL would group the fulfilment by the descriptions too and look them up in the
    aggregate (3,5 s at province). Each side's SQL as Django compiles it."""
    fulfilment_sql, fulfilment_params = fulfilment.query.sql_with_params()
    described_sql, described_params = described.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {select} FROM ({fulfilment_sql}) f JOIN ({described_sql}) d ON d.pk = f.pk {tail}",
            (*fulfilment_params, *described_params),
        )
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


# Each pledge's figures as the report sums them, from pledges_with_fulfilment().
_FULFILMENT = ("pk", "unit_id", "money_vnd", "given_vnd", "labour_days", "given_days", "status")


def _pledge_counts(pledges: QuerySet[Pledge], *, on: datetime.date, named_on: datetime.date) -> list[dict[str, Any]]:
    """The pledges counted per unit, the unit's group when each began (its id in ``group_then``; :func:`_name_groups`
    names it) and status: how many, money and labour promised and given, money still to give, and the day the
    latest began. Every pledge figure of the report but the list of every pledge is summed from these rows, a
    few per unit (a province's 50.000 pledges in a few thousand rows). Two queries: the pledges grouped, with
    their fulfilment on ``on``; their units, named as on ``named_on``."""
    fulfilment = pledges_with_fulfilment(on=on, pledges=pledges).values(*_FULFILMENT).order_by()
    described = pledges.annotate(group_then=_group_then()).values("pk", "start", "group_then")
    grouped = _joined_to_pledges(
        fulfilment,
        described,
        "f.unit_id, d.group_then, f.status, COUNT(*) AS count, SUM(f.money_vnd) AS money_vnd, "
        "SUM(f.given_vnd) AS given_vnd, SUM(f.labour_days) AS labour_days, SUM(f.given_days) AS given_days, "
        "SUM(GREATEST(f.money_vnd - f.given_vnd, 0)) AS shortfall_vnd, MAX(d.start) AS began",
        "GROUP BY 1, 2, 3",
    )
    units = (
        Unit.objects.filter(pk__in={row["unit_id"] for row in grouped})
        .annotate(unit_name=_unit_name_on(named_on, unit="pk"))
        .values("pk", "code", "kind", "unit_name")
    )
    named = {unit.pop("pk"): unit for unit in units}
    for row in grouped:
        unit = named[row["unit_id"]]
        row.update(unit__code=unit["code"], unit__kind=unit["kind"], unit_name=unit["unit_name"])
    return grouped


def _unit_and_group(r: dict[str, Any]) -> dict[str, Any]:
    """A row's unit and its group then, as the report keeps them (:func:`pledge_counts`, :func:`pledge_list`)."""
    return {
        "unit_code": r["unit__code"],
        "unit": r["unit_name"],
        "unit_sector": SECTOR_OF_KIND[r["unit__kind"]],
        "group_code": r["group"].code if r["group"] else None,
        "group": r["group"].name_then if r["group"] else None,
    }


def pledge_counts(counts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of :func:`_pledge_counts` as the report keeps them, described as :func:`pledge_list`'s
    pledges (what the tables by group and by unit sum), with how many pledges each counts."""
    return [
        {
            **_unit_and_group(r),
            "status": r["status"],
            "count": r["count"],
            "promised_vnd": int(r["money_vnd"]),
            "given_vnd": int(r["given_vnd"]),
            "began": r["began"].isoformat(),
        }
        for r in counts
    ]


def _pledge_rows(pledges: QuerySet[Pledge], *, on: datetime.date, named_on: datetime.date) -> list[dict[str, Any]]:
    """Each pledge of ``pledges`` with its fulfilment on ``on`` (:func:`pledges_with_fulfilment`), its unit, the
    unit's group when the pledge began and the beneficiary's commune then, named as on ``named_on``; the groups
    as ids in ``group_then`` (:func:`_name_groups` names them). One query, one row per pledge, and one naming
    the communes: the list of every pledge (the workbook, an approved report)."""
    fulfilment = (
        pledges_with_fulfilment(on=on, pledges=pledges)
        .values(*_FULFILMENT, "code", "beneficiary_kind", "start", "end", "given_share")
        .order_by()
    )
    # The commune's id, named afterwards from one read of the communes: beneficiary_commune("name") joined all
    # the communes again for each pledge (1 s at province), and a subquery by id scanned them (0,3 s).
    described = pledges.annotate(
        commune_then=beneficiary_commune(on="start"), unit_name=_unit_name_on(named_on), group_then=_group_then()
    ).values("pk", "unit__code", "unit__kind", "unit_name", "group_then", "commune_then")
    about = [name for name in described.query.values_select + tuple(described.query.annotation_select) if name != "pk"]
    select = ", ".join(["f.*", *(f"d.{connection.ops.quote_name(name)}" for name in about)])
    rows = _joined_to_pledges(fulfilment, described, select)
    names = dict(Commune.objects.filter(pk__in={row["commune_then"] for row in rows}).values_list("pk", "name"))
    for row in rows:
        del row["pk"]
        row["beneficiary_commune"] = names.get(row.pop("commune_then"))
    return rows


def _name_groups(pledge_rows: list[dict[str, Any]], groups: dict[int, Any]) -> None:
    """Each pledge row's ``group``: the group of ``groups`` its unit was in when the pledge began, or None."""
    for r in pledge_rows:
        r["group"] = groups[r["group_then"]] if r["group_then"] else None


def pledge_list(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each pledge with how far it is fulfilled (``rows``: :func:`_pledge_rows`); the beneficiary only by kind
    and commune (no names). The group is the unit's group on the pledge's first day."""
    listed = [
        {
            "code": r["code"],
            **_unit_and_group(r),
            "beneficiary_kind": r["beneficiary_kind"],
            "commune": r["beneficiary_commune"],
            "began": r["start"].isoformat(),
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
    # A unit's name is keyed once, not once per pledge (50.000 pledges of 2.000 units at province), and the
    # pledges sorted on the rank of that key (names with equal keys share a rank): integers compare quicker.
    unit_keys = {name: vietnamese_key(name) for name in {p["unit"] for p in listed}}
    ranks = {key: rank for rank, key in enumerate(sorted(set(unit_keys.values())))}
    unit_ranks = {name: ranks[key] for name, key in unit_keys.items()}
    worst_first = {status: n for n, status in enumerate(PledgeStatus.ALL[::-1])}
    listed.sort(key=lambda p: (worst_first[p["status"]], unit_ranks[p["unit"]], p["code"]))
    return listed


def report_figures(
    *,
    start: datetime.date,
    end: datetime.date,
    commune: Commune | None = None,
    group: UnitGroup | None = None,
    listed: bool = True,
) -> dict[str, Any]:
    """Everything the period report shows, as plain JSON-ready data (it is what a freeze stores). With
    ``listed``, every pledge too (``pledge_list``: the workbook's list, an approval's record); the page and the
    PDF show the pledges summed (``pledge_counts``), and a province's 50.000 pledges cost a second to list."""
    scope: dict[str, Any] = {"start": start, "end": end, "commune": commune, "group": group}
    on = min(end, timezone.localdate())
    pledges = pledges_in_scope(**scope)
    # Named as on the period's end: a document about a period knows nothing later.
    counts = _pledge_counts(pledges, on=on, named_on=end)
    pledge_rows = _pledge_rows(pledges, on=on, named_on=end) if listed else []
    # Whether the tables by group and by commune and the escapes are read from the rows kept since the start.
    whole = _whole_programme(scope)
    group_rows = totals_by_group(whole=whole, **scope)
    # The groups of the tables named in one query.
    wanted = group_ids(group_rows) | {r["group_then"] for r in (*counts, *pledge_rows) if r["group_then"]}
    groups = UnitGroup.objects.with_name_on(end).in_bulk(wanted)
    _name_groups(counts, groups)
    _name_groups(pledge_rows, groups)
    lagging = {r["unit_id"] for r in counts if r["status"] in PledgeStatus.LAGGING}
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
        "groups": by_group(group_rows, groups=groups),
        "communes": by_commune(totals_by_commune(whole=whole, **scope), on=end),
        "pledges": _pledge_summary(counts),
        "pledge_counts": pledge_counts(counts),
        **({"pledge_list": pledge_list(pledge_rows)} if listed else {}),
        "households": {"helped": figures["total"]["households"], "escaped": households_escaped(whole=whole, **scope)},
        # Helped against not-helped households' escapes (apps.donations.outcomes); a group has no households of its own.
        "outcomes": None if group else outcomes_in_scope(start=start, end=end, commune=commune, today=end),
        "units_behind": units_behind(counts),
        "good_results": good_results(lagging=lagging, on=end, **scope),
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
    # The unit's last day with kept figures (a row exists exactly while a donation of that day does): one probe
    # of DailyFigures' (unit, day) index per unit instead of grouping every donation.
    last_day = DailyFigures.objects.filter(unit=OuterRef("pk"), day__lte=on).order_by("-day").values("day")[:1]
    return (
        Unit.objects.existing_on(on)
        .annotate(last_donation=Subquery(last_day))
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
    """Loans not yet repaid in full, the overdue ones (due date passed) first.

    What was repaid on each loan is summed by one grouped join of the repayments (the rule of
    :func:`apps.donations.models.repaid_on`: every repayment of the loan), not a subquery per loan.
    Without the beneficiary's commune, which :func:`with_commune_name` adds to the rows to show.
    """
    return (
        Donation.objects.loans()
        .filter(date__lte=on)
        .annotate(repaid_vnd=Coalesce(Sum("repayments__amount_vnd"), 0))
        .annotate(outstanding_vnd=F("amount_vnd") - F("repaid_vnd"))
        .filter(outstanding_vnd__gt=0)
        .annotate(overdue=Case(When(due_date__lt=on, then=Value(True)), default=Value(False)))
        .order_by("-overdue", "due_date", "date", "reference")
    )


def with_commune_name(loans: QuerySet[Donation]) -> QuerySet[Donation]:
    """Open loans with ``commune_name``, where their beneficiary lay on the loan's date.

    Worked out per row after grouping, so for the loans shown, not for all the open loans PostgreSQL sorts.
    """
    return loans.annotate(commune_name=beneficiary_commune("name")).select_related(
        "unit", "village", "household__village"
    )
