"""The contract's counting rules (CONTRACT.md, "Counting rules"), in one place.

:data:`TOTALS_AGGREGATES` is the only definition of a figure (money, loans, labour days, household
visits, households, students). Pages, files and reports get their figures from :func:`totals`, from
:func:`totals_by` (per year, commune, group…) or from :func:`per_unit` (an annotation per unit), all
built on it; nothing else in the project sums or counts donations into a figure.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, ExtractYear

from apps.core.numbers import json_number
from apps.donations.models import (
    ALL_SECTORS,
    ALL_YEARS,
    CommuneCounts,
    CommuneFigures,
    CommuneTally,
    DailyFigures,
    Donation,
    GroupFigures,
    GroupTally,
    KeptSums,
    ProgrammeCounts,
    ProgrammeFigures,
    RecipientDay,
    RecipientTally,
    SectorDay,
)
from apps.households.beneficiaries import BENEFICIARY_SELECT_RELATED
from apps.units.models import Unit

SECTORS = {
    "district_units": Unit.Kind.DISTRICT_UNIT,
    "commune_committees": Unit.Kind.COMMUNE_COMMITTEE,
    "other": Unit.Kind.OTHER,
}
SECTOR_OF_KIND = {kind: sector for sector, kind in SECTORS.items()}


def donations_in_scope(
    *, start: datetime.date | None = None, end: datetime.date | None = None, commune=None, group=None
) -> QuerySet[Donation]:
    qs = Donation.objects.in_period(start, end)
    if commune is not None:
        qs = qs.for_commune(commune)
    if group is not None:
        qs = qs.for_group(group)
    return qs


_VISIT = Concat(
    Cast("household_id", CharField()),
    Value("|"),
    Cast("date", CharField()),
    Value("|"),
    Cast("unit_id", CharField()),
    output_field=CharField(),
)
# The aggregates of one TOTALS row (without goods), for callers that split totals another way.
TOTALS_AGGREGATES = {
    "money_vnd": Coalesce(Sum("amount_vnd", filter=Q(kind=Donation.Kind.MONEY)), 0),
    "loans_vnd": Coalesce(Sum("amount_vnd", filter=Q(kind=Donation.Kind.LOAN)), 0),
    "labour_days": Sum("labour_days", filter=Q(kind=Donation.Kind.LABOUR)),
    # lượt hộ: one visit per (household, date, unit), however many items were handed over.
    "household_visits": Count(_VISIT, filter=Q(household__isnull=False), distinct=True),
    "households": Count("household", distinct=True),
    "students": Count("student", distinct=True),
}


def empty_totals() -> dict[str, Any]:
    return {
        "money_vnd": 0,
        "loans_vnd": 0,
        "labour_days": 0,
        "goods": {},
        "household_visits": 0,
        "households": 0,
        "students": 0,
    }


def as_totals(row: dict[str, Any]) -> dict[str, Any]:
    totals = empty_totals()
    totals.update(
        money_vnd=int(row["money_vnd"]),
        loans_vnd=int(row["loans_vnd"]),
        labour_days=json_number(row["labour_days"]),
        household_visits=row["household_visits"],
        households=row["households"],
        students=row["students"],
    )
    return totals


def _goods_by(qs: QuerySet[Donation], key) -> QuerySet:
    """Quantity per value of ``key`` and item, items in display order."""
    return (
        qs.filter(kind=Donation.Kind.GOODS)
        .annotate(split_key=key)
        .values("split_key", "item__code", "item__name", "item__measure", "item__position")
        .annotate(quantity=Sum("quantity"))
        .order_by("item__position", "item__code")
    )


def _add_goods(bucket: dict[str, Any], row: dict[str, Any]) -> None:
    entry = bucket.setdefault(
        row["item__code"], {"name": row["item__name"], "measure": row["item__measure"], "quantity": 0}
    )
    entry["quantity"] = json_number(Decimal(str(entry["quantity"])) + row["quantity"])


def totals_by(qs: QuerySet[Donation], *, key, goods: bool = True) -> dict[Any, dict[str, Any]]:
    """TOTALS per value of the expression ``key`` (a year, a commune, a group…): two queries, one without goods."""
    rows = {
        row["split_key"]: as_totals(row)
        for row in qs.annotate(split_key=key).values("split_key").annotate(**TOTALS_AGGREGATES).order_by()
    }
    if goods:
        for row in _goods_by(qs, key):
            _add_goods(rows[row["split_key"]]["goods"], row)
    return rows


def _figures_scope(
    *, start: datetime.date | None = None, end: datetime.date | None = None, commune=None, group=None, unit=None
) -> Q:
    """The summary rows of a scope: the rules of :func:`donations_in_scope`, on figures kept ahead of time."""
    from apps.units.models import GroupMembership

    scope = Q()
    if start:
        scope &= Q(day__gte=start)
    if end:
        scope &= Q(day__lte=end)
    if commune is not None:
        scope &= Q(commune__in=commune.family_ids())
    if group is not None:
        # The group's units first (index on unit, day), then whether each was a member that day.
        member_then = GroupMembership.objects.filter(group=group, unit=OuterRef("unit")).on(OuterRef("day"))
        scope &= Q(unit__in=GroupMembership.objects.filter(group=group).values("unit")) & Q(Exists(member_then))
    if unit is not None:
        scope &= Q(unit=unit)
    return scope


# TOTALS_AGGREGATES's distinct counts, over RecipientDay rows (one row per household or student helped
# by a unit on a day: a household's row is one household visit).
RECIPIENT_AGGREGATES = {
    "household_visits": Count("household"),  # rows with a household (NULLs are not counted)
    "households": Count("household", distinct=True),
    "students": Count("student", distinct=True),
}
_ITEM = ["item__code", "item__name", "item__measure", "item__position"]


def _add_sums(bucket: dict[str, Any], row: dict[str, Any]) -> None:
    """Add one row of :func:`_kept_sums` (one kind and item) into a TOTALS bucket."""
    kind = row["kind"]
    if kind == Donation.Kind.MONEY:
        bucket["money_vnd"] += int(row["amount"])
    elif kind == Donation.Kind.LOAN:
        bucket["loans_vnd"] += int(row["amount"])
    elif kind == Donation.Kind.LABOUR:
        bucket["labour_days"] = json_number(Decimal(str(bucket["labour_days"])) + row["labour_days"])
    elif kind == Donation.Kind.GOODS:
        _add_goods(bucket["goods"], row)


# What a summary table's rows add up to per key, kind and item, as _add_sums() reads them.
KEPT_SUMS = {
    "amount": Sum("amount_vnd"),
    "quantity": Sum("quantity"),
    "labour_days": Sum("labour_days"),
    "count": Sum("donations"),
}


def _kept_sums(
    condition: Q, key, *, goods: bool, model: type[KeptSums] = DailyFigures, relations: dict | None = None
) -> QuerySet:
    """Kept sums per value of ``key``, kind and (with goods) item, items in display order."""
    rows = model._default_manager.filter(condition).annotate(**_fresh(relations)).annotate(split_key=key)
    if not goods:
        rows = rows.exclude(kind=Donation.Kind.GOODS)
    return (
        rows.values("split_key", "kind", *(_ITEM if goods else []))
        .annotate(**KEPT_SUMS)
        .exclude(Q(count=0))  # changes that cancel out (ProgrammeFigures' rows before they are folded)
        .order_by(*(["item__position", "item__code"] if goods else []))
    )


def _fresh(relations: dict[str, FilteredRelation] | None) -> dict[str, FilteredRelation]:
    """Copies of ``relations`` for one queryset (a FilteredRelation is bound to the query that resolves it)."""
    return {name: relation.clone() for name, relation in (relations or {}).items()}


def _kept_recipients(condition: Q, key, relations: dict | None = None) -> QuerySet:
    return (
        RecipientDay.objects.filter(condition)
        .annotate(**_fresh(relations))
        .annotate(split_key=key)
        .values("split_key")
        .annotate(**RECIPIENT_AGGREGATES)
        .order_by()
    )


def kept_totals_by(
    *, key, goods: bool = True, relations: dict[str, FilteredRelation] | None = None, **scope
) -> dict[Any, dict[str, Any]]:
    """TOTALS per value of ``key``, an expression over the kept figures' fields (``day``, ``unit``,
    ``commune``…, and the ``relations`` annotated first), for a scope of :func:`_figures_scope`. Two queries:
    sums per key, kind and item; distinct counts per key. Keys without any figure are absent."""
    condition = _figures_scope(**scope)
    rows: dict[Any, dict[str, Any]] = {}
    for row in _kept_sums(condition, key, goods=goods, relations=relations):
        _add_sums(rows.setdefault(row["split_key"], empty_totals()), row)
    for row in _kept_recipients(condition, key, relations):
        rows.setdefault(row["split_key"], empty_totals()).update({k: row[k] for k in RECIPIENT_AGGREGATES})
    return rows


# A commune's (or a group's) distinct households and students and its household visits (its households'
# days), from CommuneTally's (GroupTally's) rows: one per household or student and commune (or group).
TALLY_RECIPIENTS = {
    "households": Count("household"),
    "students": Count("student"),
    "household_visits": Coalesce(Sum("days", filter=Q(household__isnull=False)), 0),
}
# The same over the rows of several communes (a commune and those merged into it), where a household or a
# student helped in two of them has a row in each.
FAMILY_RECIPIENTS = TALLY_RECIPIENTS | {
    "households": Count("household", distinct=True),
    "students": Count("student", distinct=True),
}


def totals_per_commune(communes: list[int], *, goods: bool = False) -> dict[int, dict[str, Any]]:
    """TOTALS (with ``goods``, per item) of each of ``communes`` (ids) helped since the start, by commune id
    (each donation in the commune its beneficiary lay in on its date; the communes merged into one are not
    added to it). From CommuneFigures and CommuneCounts: two queries, a few rows per commune."""
    rows: dict[int, dict[str, Any]] = {}
    for row in _kept_sums(Q(commune__in=communes, year=ALL_YEARS), F("commune"), goods=goods, model=CommuneFigures):
        _add_sums(rows.setdefault(row["split_key"], empty_totals()), row)
    counts = CommuneCounts.objects.filter(commune__in=communes, sector=ALL_SECTORS, year=ALL_YEARS)
    for row in counts.values("commune", *RECIPIENT_AGGREGATES):
        rows.setdefault(row.pop("commune"), empty_totals()).update(row)
    return rows


def totals_per_group() -> dict[tuple[int | None, str], dict[str, Any]]:
    """TOTALS with goods since the start per group of units, keyed (group id, ""), each donation in the group its
    unit was in on its date; the donations of units in no group then per sector, keyed (None, sector). From
    GroupFigures and GroupTally: two queries, a few rows per group."""
    rows: dict[tuple[int | None, str], dict[str, Any]] = {}
    groups = GroupFigures.objects.values("group", "sector", "kind", *_ITEM).annotate(**KEPT_SUMS)
    for row in groups.order_by("item__position", "item__code"):
        _add_sums(rows.setdefault((row["group"], row["sector"]), empty_totals()), row)
    for row in GroupTally.objects.values("group", "sector").annotate(**TALLY_RECIPIENTS).order_by():
        rows.setdefault((row.pop("group"), row.pop("sector")), empty_totals()).update(row)
    return rows


def students_per_family(families: dict[int, list[int]]) -> dict[int, int]:
    """Distinct students helped in each family of communes since the start (``families``: an id to the ids of its
    communes, itself included). One query over the students' tally rows only (a fifth of the rows: the
    households' distinct count across a family, which the commune list does not show, read them all), each
    commune paired with its family by two arrays (a CASE of a branch per commune took longer to write than to run)."""
    if not families:
        return {}
    pairs = [(pk, family) for family, members in families.items() for pk in members]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT family.id, COUNT(DISTINCT tally.student_id)
            FROM unnest(%s::bigint[], %s::bigint[]) AS family (commune_id, id)
            JOIN {CommuneTally._meta.db_table} AS tally ON tally.commune_id = family.commune_id
            WHERE tally.sector = %s AND tally.year = %s AND tally.household_id IS NULL
            GROUP BY family.id""",
            [[pk for pk, _ in pairs], [family for _, family in pairs], ALL_SECTORS, ALL_YEARS],
        )
        return dict(cursor.fetchall())


def households_ever_helped() -> QuerySet:
    """The ids of the households any donation ever helped (one value each), from the kept tallies: for
    ``household__in`` / ``pk__in`` filters."""
    return RecipientTally.objects.filter(sector=ALL_SECTORS, year=ALL_YEARS, household__isnull=False).values(
        "household"
    )


def add_sums(into: dict[str, Any], more: dict[str, Any]) -> dict[str, Any]:
    """``into`` with the money, loans and labour days of ``more`` (TOTALS without goods) added: what adds up."""
    into["money_vnd"] += more["money_vnd"]
    into["loans_vnd"] += more["loans_vnd"]
    into["labour_days"] = json_number(Decimal(str(into["labour_days"])) + Decimal(str(more["labour_days"])))
    return into


def totals(
    *, start: datetime.date | None = None, end: datetime.date | None = None, commune=None, group=None
) -> dict[str, Any]:
    """TOTALS per sector and in all, for a period (both ends included) and an optional scope.

    Read from the figures the database keeps ahead of time, never from the donations themselves. Three
    queries whatever the data: sums per sector, kind and item; distinct counts per sector; distinct
    counts over all sectors (they do not add up across sectors). Without a place or a group the sums
    come from SectorDay, and for the whole programme or one whole year (a period that holds every day
    helped, or every day helped of one year) from ProgrammeFigures and ProgrammeCounts: a few rows. A
    period across years without a place or a group takes the years it holds whole from ProgrammeFigures
    and counts its households and students from the year tallies, one row each
    (:data:`RECIPIENTS_ACROSS_YEARS`), in one query. A commune since the start (with the communes merged into
    it) comes from CommuneFigures and CommuneTally.
    """
    placeless = commune is None and group is None
    helped = _helped_within(start, end) if placeless and (start or end) else None
    if placeless and (year := _kept_year(start, end, helped)) is not None:
        return _programme_totals(year)
    if commune is not None and group is None and start is None and end is None:
        return _commune_totals(commune)
    sectors = {sector: empty_totals() for sector in SECTORS}
    total = empty_totals()
    if helped is not None and helped.first.year < helped.last.year:
        for row in _sums_across_years(helped):
            _add_sums(sectors[SECTOR_OF_KIND[row["split_key"]]], row)
            _add_sums(total, row)
        for sector, counts in _recipients_across_years(helped).items():
            (total if sector == ALL_SECTORS else sectors[SECTOR_OF_KIND[sector]]).update(counts)
        return {"sectors": sectors, "total": total}
    condition = _figures_scope(start=start, end=end, commune=commune, group=group)
    for row in _kept_sums(condition, F("sector"), goods=True, model=SectorDay if placeless else DailyFigures):
        _add_sums(sectors[SECTOR_OF_KIND[row["split_key"]]], row)
        _add_sums(total, row)
    recipients = RecipientDay.objects.filter(condition)
    for row in recipients.values("sector").annotate(**RECIPIENT_AGGREGATES).order_by():
        sectors[SECTOR_OF_KIND[row["sector"]]].update({k: row[k] for k in RECIPIENT_AGGREGATES})
    total.update(recipients.aggregate(**RECIPIENT_AGGREGATES))
    return {"sectors": sectors, "total": total}


def yearly_totals(
    *, start: datetime.date | None = None, end: datetime.date | None = None, commune=None
) -> dict[int, dict[str, Any]]:
    """TOTALS (without goods) per calendar year of a period, without a place or a group, or of a commune (with
    the communes merged into it). Years the period holds whole come from ProgrammeFigures and
    ProgrammeCounts; the one or two it cuts, from the day figures of their part only. Three to five queries.
    A commune's years since the start come from CommuneFigures and CommuneTally, its years of a period from
    its day figures."""
    if commune is not None:
        if start is None and end is None:
            return _commune_totals_by_year(commune)
        # With the goods' rows, so that a year of goods only is a year helped, as in all years' figures.
        by_year = kept_totals_by(key=ExtractYear("day"), start=start, end=end, commune=commune)
        return {year: figures | {"goods": {}} for year, figures in sorted(by_year.items())}
    helped = _helped_within(start, end)
    if helped is None:
        return {}
    years = range(helped.first.year, helped.last.year + 1)
    whole = [year for year in years if helped.holds(year)]
    rows: dict[int, dict[str, Any]] = {}
    kept = ProgrammeFigures.objects.filter(year__in=whole).exclude(kind=Donation.Kind.GOODS)
    for row in kept.values("year", "kind").annotate(amount=Sum("amount_vnd"), labour_days=Sum("labour_days")):
        _add_sums(rows.setdefault(row["year"], empty_totals()), row)
    for row in _programme_counts().filter(year__in=whole, sector=ALL_SECTORS):
        year, _ = row.pop("year"), row.pop("sector")
        rows.setdefault(year, empty_totals()).update(row)
    for year in (year for year in years if year not in whole):
        start, end = max(helped.first, datetime.date(year, 1, 1)), min(helped.last, datetime.date(year, 12, 31))
        rows.update(kept_totals_by(key=ExtractYear("day"), goods=False, start=start, end=end))
    return dict(sorted(rows.items()))


class _Helped(NamedTuple):
    """A period's bounds narrowed to the days anyone was helped, and whether they are the programme's first
    and last such days."""

    first: datetime.date
    last: datetime.date
    from_start: bool
    to_end: bool

    def holds(self, year: int) -> bool:
        """Whether the period holds every day of ``year`` anyone was helped."""
        return (self.from_start or self.first <= datetime.date(year, 1, 1)) and (
            self.to_end or self.last >= datetime.date(year, 12, 31)
        )


def _helped_within(start: datetime.date | None, end: datetime.date | None) -> _Helped | None:
    """None when nobody was helped within the period. One query (two index look-ups)."""
    extent = SectorDay.objects.aggregate(first=Min("day"), last=Max("day"))
    if extent["first"] is None:
        return None
    first, last = max(start or extent["first"], extent["first"]), min(end or extent["last"], extent["last"])
    return _Helped(first, last, first == extent["first"], last == extent["last"]) if first <= last else None


def holds_every_day_helped(start: datetime.date | None, end: datetime.date | None) -> bool:
    """Whether a period holds every day anyone was helped (its figures are the whole programme's). One query."""
    helped = _helped_within(start, end)
    return helped is None or (helped.from_start and helped.to_end)


def _kept_year(start: datetime.date | None, end: datetime.date | None, helped: _Helped | None) -> int | None:
    """ALL_YEARS when a period holds every day anyone was helped, a year when it holds every helped day of
    that year and no other, else None (its figures are counted from the days). ``helped``: the period's
    :func:`_helped_within`."""
    if not start and not end:
        return ALL_YEARS
    if helped is None:
        return None
    if helped.from_start and helped.to_end:
        return ALL_YEARS
    year = helped.first.year
    return year if helped.last.year == year and helped.holds(year) else None


# A period's distinct households and students across years, one tally row each: its first year's row when
# helped on or after the period's first day, else the row of the first later year helped within the period
# (helped nowhere since the period began before that year). Index ranges only (donations_tally_last_day_idx,
# donations_tally_previous_idx).
HELPED_FROM_TALLIES = """
    SELECT sector, COUNT(household_id) AS households, COUNT(student_id) AS students, 0 AS visits FROM (
        SELECT sector, household_id, student_id FROM donations_recipienttally
        WHERE year <> 0 AND year = %(first_year)s AND last_day >= %(first)s
        UNION ALL
        SELECT sector, household_id, student_id FROM donations_recipienttally
        WHERE year <> 0 AND year = ANY(%(later_years)s) AND previous_last_day < %(first)s
            AND (year < %(last_year)s OR first_day <= %(last)s)
        UNION ALL
        SELECT sector, household_id, student_id FROM donations_recipienttally
        WHERE year <> 0 AND year = ANY(%(later_years)s) AND previous_last_day IS NULL
            AND (year < %(last_year)s OR first_day <= %(last)s)
    ) AS first_helped_within
    GROUP BY sector"""
# A period that ends after the last day helped: those last helped on or after its first day; one that begins
# before the first day helped: those first helped on or before its last day. A few hundred RecipientEnds rows.
HELPED_SINCE = """
    SELECT sector, SUM(households_last) AS households, SUM(students_last) AS students, 0 AS visits
    FROM donations_recipientends
    WHERE day >= %(first)s GROUP BY sector"""
HELPED_UNTIL = """
    SELECT sector, SUM(households_first) AS households, SUM(students_first) AS students, 0 AS visits
    FROM donations_recipientends
    WHERE day <= %(last)s GROUP BY sector"""
# With the household visits, which add up: whole years' from ProgrammeCounts, the days of the years the
# period cuts from VisitDay (donations_visitday_key).
RECIPIENTS_ACROSS_YEARS = """
SELECT sector, SUM(households), SUM(students), SUM(visits) FROM ({helped}
    UNION ALL
    SELECT sector, 0, 0, household_visits FROM donations_programmecounts WHERE year = ANY(%(whole_years)s)
    UNION ALL
    SELECT COALESCE(sector, ''), 0, 0, COALESCE(SUM(visits), 0) FROM donations_visitday
    WHERE day BETWEEN %(first)s AND %(first_cut_end)s OR day BETWEEN %(last_cut_start)s AND %(last)s
    GROUP BY GROUPING SETS ((sector), ())
) AS counts
GROUP BY sector
"""


def _sums_across_years(helped: _Helped) -> list[dict[str, Any]]:
    """:func:`_kept_sums` per sector of a period across years: the years it holds whole from
    ProgrammeFigures, the days of the one or two it cuts from SectorDay. Two queries."""
    years = range(helped.first.year, helped.last.year + 1)
    whole = [year for year in years if helped.holds(year)]
    cut = Q(pk__in=[])
    if not helped.holds(helped.first.year):
        cut |= Q(day__gte=helped.first, day__lte=datetime.date(helped.first.year, 12, 31))
    if not helped.holds(helped.last.year):
        cut |= Q(day__gte=datetime.date(helped.last.year, 1, 1), day__lte=helped.last)
    key = F("sector")
    rows = list(_kept_sums(Q(year__in=whole), key, goods=True, model=ProgrammeFigures))
    return rows + list(_kept_sums(cut, key, goods=True, model=SectorDay))


def _recipients_across_years(helped: _Helped) -> dict[Any, dict[str, int]]:
    """Households, students and household visits per sector and in all (ALL_SECTORS) of a period whose
    helped days span more than one year. One query, reading RecipientEnds when the period begins before anyone
    was helped or ends after (the current phase, a review from the start), else the year tallies."""
    first_year, last_year = helped.first.year, helped.last.year
    years = range(first_year, last_year + 1)
    never = datetime.date.min  # an empty range of days: the year is counted whole
    parameters: dict[str, Any] = {
        "first": helped.first,
        "last": helped.last,
        "first_year": first_year,
        "last_year": last_year,
        "later_years": list(years[1:]),
        "whole_years": [year for year in years if helped.holds(year)],
        "first_cut_end": never if helped.holds(first_year) else datetime.date(first_year, 12, 31),
        "last_cut_start": datetime.date.max if helped.holds(last_year) else datetime.date(last_year, 1, 1),
    }
    helped_within = HELPED_SINCE if helped.to_end else HELPED_UNTIL if helped.from_start else HELPED_FROM_TALLIES
    with connection.cursor() as cursor:
        cursor.execute(RECIPIENTS_ACROSS_YEARS.format(helped=helped_within), parameters)
        return {
            sector: {"households": int(households), "students": int(students), "household_visits": int(visits)}
            for sector, households, students, visits in cursor.fetchall()
        }


def _programme_counts() -> QuerySet:
    return (
        ProgrammeCounts.objects.values("sector", "year")
        .annotate(households=Sum("households"), students=Sum("students"), household_visits=Sum("household_visits"))
        .order_by()
    )


def _per_sector(sums: QuerySet, counts: QuerySet) -> dict[str, Any]:
    """TOTALS per sector and in all from kept sums per sector (:func:`_kept_sums` keyed by sector) and kept
    counts per sector, ALL_SECTORS's being those in all."""
    sectors = {sector: empty_totals() for sector in SECTORS}
    total = empty_totals()
    for row in sums:
        _add_sums(sectors[SECTOR_OF_KIND[row["split_key"]]], row)
        _add_sums(total, row)
    for row in counts:
        figures = {name: row[name] for name in RECIPIENT_AGGREGATES}
        (total if row["sector"] == ALL_SECTORS else sectors[SECTOR_OF_KIND[row["sector"]]]).update(figures)
    return {"sectors": sectors, "total": total}


def _programme_totals(year: int) -> dict[str, Any]:
    """TOTALS of the whole programme or one year: the sums of ProgrammeFigures' and ProgrammeCounts' rows."""
    sums = _kept_sums(Q(year=year), F("sector"), goods=True, model=ProgrammeFigures)
    return _per_sector(sums, _programme_counts().filter(year=year))


def _family_counts(family: list[int], scope: Q, by: str) -> QuerySet:
    """The distinct households and students and the household visits of a commune's ``family`` (its ids, the
    commune's and those merged into it) per ``by`` (sector or year), within ``scope``: counted ahead of time for a
    commune alone (CommuneCounts, a row each), distinct over the family's CommuneTally rows (a row per household)
    when communes were merged into it, where a household helped in two of them has a row in each."""
    if len(family) == 1:
        return CommuneCounts.objects.filter(scope, commune=family[0]).values(by, *RECIPIENT_AGGREGATES)
    tallies = CommuneTally.objects.filter(scope, commune__in=family)
    return tallies.values(by).annotate(**FAMILY_RECIPIENTS).order_by()


def _commune_totals(commune) -> dict[str, Any]:
    """TOTALS of a commune (with the communes merged into it) since the start, from CommuneFigures' rows and the
    family's counts in all years: two queries (and the family's)."""
    family = commune.family_ids()
    sums = _kept_sums(Q(commune__in=family, year=ALL_YEARS), F("sector"), goods=True, model=CommuneFigures)
    return _per_sector(sums, _family_counts(family, Q(year=ALL_YEARS), "sector"))


def _commune_totals_by_year(commune) -> dict[int, dict[str, Any]]:
    """TOTALS (without goods) per year of a commune (with the communes merged into it), from CommuneFigures'
    rows and the family's counts of each year: two queries (and the family's)."""
    family = commune.family_ids()
    rows: dict[int, dict[str, Any]] = {}
    each_year = Q(commune__in=family) & ~Q(year=ALL_YEARS)
    sums = CommuneFigures.objects.filter(each_year).values("year", "kind").annotate(**KEPT_SUMS).order_by()
    for row in sums:
        year = rows.setdefault(row["year"], empty_totals())  # a year of goods only is a year helped
        if row["kind"] != Donation.Kind.GOODS:
            _add_sums(year, row)
    for row in _family_counts(family, each_year & Q(sector=ALL_SECTORS), "year"):
        rows.setdefault(row.pop("year"), empty_totals()).update(row)
    return dict(sorted(rows.items()))


def per_unit(figure: str, *, donations: QuerySet[Donation] | None = None) -> Coalesce:
    """The TOTALS ``figure`` of each unit's ``donations`` (all by default), 0 for a unit without any.

    An annotation for a Unit queryset: ``Unit.objects.annotate(given_vnd=per_unit("money_vnd"))``. A
    correlated subquery rather than a join, so it never multiplies the rows other annotations count.
    For whole-number figures (money, loans and the counts).
    """
    rows = Donation.objects.all() if donations is None else donations
    per_row = (
        rows.filter(unit=OuterRef("pk")).order_by().values("unit").annotate(figure=TOTALS_AGGREGATES[figure])
    ).values("figure")
    return Coalesce(Subquery(per_row), 0)


def loan_chain(*, loan: Donation) -> list[Donation]:
    """The revolving chain a loan belongs to, first loan first, each followed by the loans passed on from it.

    One recursive query: up to the first loan through ``previous_loan``, then down through ``passed_on``.
    """
    first = Donation.objects.raw(
        """
        WITH RECURSIVE up(id, previous_loan_id, depth) AS (
            SELECT id, previous_loan_id, 0 FROM donations_donation WHERE id = %s
            UNION ALL
            SELECT d.id, d.previous_loan_id, up.depth + 1
            FROM donations_donation d JOIN up ON d.id = up.previous_loan_id WHERE up.depth < 100
        ),
        down(id, depth) AS (
            SELECT id, 0 FROM up WHERE previous_loan_id IS NULL
            UNION ALL
            SELECT d.id, down.depth + 1
            FROM donations_donation d JOIN down ON d.previous_loan_id = down.id WHERE down.depth < 100
        )
        SELECT d.* FROM donations_donation d JOIN down ON d.id = down.id ORDER BY down.depth, d.date, d.id
        """,
        [loan.pk],
    )
    chain = list(first)
    return chain if len(chain) > 1 else []


def help_summary(*, donations: QuerySet[Donation], latest: int = 20) -> dict[str, Any]:
    """What a household received, a unit gave or a pledge brought: the totals, how many, the latest ones.

    Four queries however many donations: the sums, the goods per item, the count, the latest rows.
    """
    summary = totals_by(donations, key=Value(1)).get(1, empty_totals())
    return {
        "totals": summary,
        "count": donations.count(),
        "latest": list(
            donations.select_related("unit", "item", *BENEFICIARY_SELECT_RELATED).order_by("-date", "-pk")[:latest]
        ),
    }
