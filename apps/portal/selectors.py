"""Reads for the public pages: aggregates only, in the database, a fixed number of queries per page.

Every programme figure is counted by ``apps.donations.selectors``: whole totals by :func:`totals`, and
series here with the same aggregate expressions, so that a year's bars add up to the period's totals.
Nothing returned here carries a household's, member's or student's name or ID number.
"""

from __future__ import annotations

import datetime
import functools
import secrets
from functools import reduce
from operator import or_
from typing import Any, NamedTuple, cast

from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.db.models.lookups import IContains
from django.utils import timezone
from django.utils.connection import ConnectionProxy

from apps.bodies.models import IssuingBody
from apps.bodies.selectors import sector_labels_for
from apps.communes.models import Commune, Village, VillageCommune, mark_namesakes, name_history
from apps.communes.periods import overlapping
from apps.core.admin_base import Unaccented
from apps.core.models import ProgrammeSettings
from apps.core.text import nfc

# The contract's counting rules.
from apps.donations.outcomes import communes_key, remembered
from apps.donations.selectors import (
    add_sums,
    empty_totals,
    households_ever_helped,
    kept_totals_by,
    students_per_family,
    totals_per_commune,
    yearly_totals,
)
from apps.households.changes import Change, with_change
from apps.households.models import Household, Target
from apps.pledges.models import Pledge
from apps.pledges.selectors import PledgeStatus, money_given_by_unit, pledges_by_unit
from apps.portal.models import Article, DailyVisits, FlushedVisits, VisitCounterSettings, WebsiteLink
from apps.units.models import Assignment, GroupMembership, Unit, UnitGroup, active_on

# --- Visitor counter -----------------------------------------------------------------
#
# A page view adds 1 to a counter in the cache (Redis in production, shared by every server), never a
# database write; apps.portal.services.flush_visits moves what the counters hold into DailyVisits now and
# then, every PORTAL_VISITS_FLUSH_EVERY views or PORTAL_VISITS_FLUSH_SECONDS seconds. The counter shown is
# the database's days plus what the cache counted beyond them, so it is exact before and after a flush.

# "Online now": the visitors seen in the last ONLINE_MINUTES whole minutes (counted per minute in the cache).
ONLINE_MINUTES = 5
ONLINE_WINDOW = datetime.timedelta(minutes=ONLINE_MINUTES)
# Views of the last COUNTER_DAYS days may still wait in the cache: the counters read and flushed are those
# days' (this month and last month are always inside). A view waits only until the next flush, so one older
# than that needs a site without a single view (or `manage.py flush_visits`) for two months after it.
COUNTER_DAYS = 62
EPOCH_KEY = "portal:visits:epoch"
# The cache alias of the counters (settings.CACHES): the same Redis as the pages in production.
counters = ConnectionProxy(caches, "counters")


def visit_counter_epoch() -> int:
    """The name of the cache's current set of counters, kept beside them. A cache that lost its counters
    (Redis restarted without its data, a cache.clear()) lost this key with them, and starts a new epoch: its
    counters restart at 0 and the database keeps what it took from the old ones (FlushedVisits is per epoch).
    Read with the counters in one operation, so the two always match."""
    return cast(int, counters.get_or_set(EPOCH_KEY, lambda: secrets.randbits(62) + 1, timeout=None))


def views_key(day: datetime.date) -> str:
    """The cache counter of one day's views; it only ever goes up."""
    return f"portal:visits:{day.isoformat()}"


def online_key(minute: int) -> str:
    """Visitors whose latest view fell in this minute (minutes since the epoch of Unix time)."""
    return f"portal:online:{minute}"


def minute_of(moment: datetime.datetime) -> int:
    return int(moment.timestamp() // 60)


def counter_days(today: datetime.date) -> list[datetime.date]:
    return [today - datetime.timedelta(days=back) for back in range(COUNTER_DAYS, -1, -1)]


def _flushed_snapshot_key(today: datetime.date) -> str:
    return f"portal:visits:flushed:{today.isoformat()}"


def forget_flushed_snapshot(*, today: datetime.date | None = None) -> None:
    """After a change the counter must show at once (the carried-over total)."""
    counters.delete(_flushed_snapshot_key(today or timezone.localdate()))


def _flushed_snapshot(epoch: int, days: list[datetime.date]) -> dict[str, Any]:
    """What the database holds, in ONE statement so that its parts agree: the views of every day, of each day
    in ``days``, what it took from this epoch's counters, and the carried-over total."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT coalesce(sum(views), 0)::bigint FROM {DailyVisits._meta.db_table}), "
            f"(SELECT carried_over_total FROM {VisitCounterSettings._meta.db_table} WHERE id = 1), "
            # Days as ISO text whatever the server's DateStyle: the keys are compared with date.isoformat().
            f"(SELECT json_object_agg(to_char(day, 'YYYY-MM-DD'), views) FROM {DailyVisits._meta.db_table} "
            f"WHERE day BETWEEN %s AND %s), "
            f"(SELECT json_object_agg(to_char(day, 'YYYY-MM-DD'), views) FROM {FlushedVisits._meta.db_table} "
            f"WHERE epoch = %s AND day BETWEEN %s AND %s)",
            [days[0], days[-1], epoch, days[0], days[-1]],
        )
        total, carried_over, views, flushed = cursor.fetchone()
    return {
        "epoch": epoch,
        "total": total,
        "carried_over": carried_over or 0,
        "views": views or {},
        "flushed": flushed or {},
    }


def visit_counter_keys(*, now: datetime.datetime) -> list[str]:
    """The cache keys visit_counts reads, in one get_many (or one Redis MGET with a view's count): the epoch, the
    database's snapshot, then whole numbers (the days' views, the minutes' visitors online)."""
    return list(_counter_keys(timezone.localdate(now), minute_of(now)))


@functools.lru_cache(maxsize=4)
def _counter_keys(today: datetime.date, minute: int) -> tuple[str, ...]:
    return (
        EPOCH_KEY,
        _flushed_snapshot_key(today),
        *_day_layout(today).keys,
        *(online_key(m) for m in range(minute - ONLINE_MINUTES + 1, minute + 1)),
    )


class _DayLayout(NamedTuple):
    """The counter's days (counter_days) as visit_counts reads them: their cache keys and ISO dates, and where
    yesterday, this month and last month are among them."""

    keys: tuple[str, ...]
    days: tuple[str, ...]
    this_month: slice
    last_month: slice


@functools.lru_cache(maxsize=4)
def _day_layout(today: datetime.date) -> _DayLayout:
    days = counter_days(today)
    month_start = today.replace(day=1)
    last_month_start = (month_start - datetime.timedelta(days=1)).replace(day=1)
    return _DayLayout(
        keys=tuple(views_key(day) for day in days),
        days=tuple(day.isoformat() for day in days),
        this_month=slice(days.index(month_start), None),
        last_month=slice(days.index(last_month_start), days.index(month_start)),
    )


def visit_counts(*, now: datetime.datetime | None = None, found: dict[str, Any] | None = None) -> dict[str, int]:
    """The counter as the public sees it, current to the moment; days and months in Vietnamese time.

    One cache read, and a query at most every PORTAL_VISITS_FLUSH_SECONDS: the database's part is kept in
    the cache for that long. Any snapshot of it gives the exact counter, however old, because a flush moves
    views from "counted beyond the snapshot" to the database and the snapshot records both sides. (With a
    cache per process, several processes each show their own views not yet flushed; hence Redis.)
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    minute = minute_of(now)
    layout = _day_layout(today)
    snapshot_key = _flushed_snapshot_key(today)
    if found is None:  # else read already, with the view just counted (services.record_visit_and_count)
        found = counters.get_many(visit_counter_keys(now=now))
    epoch = found.get(EPOCH_KEY) or visit_counter_epoch()
    snapshot = found.get(snapshot_key)
    if snapshot is None or snapshot["epoch"] != epoch:
        snapshot = _flushed_snapshot(epoch, counter_days(today))
        counters.set(snapshot_key, snapshot, timeout=settings.PORTAL_VISITS_FLUSH_SECONDS or None)
    flushed, views = snapshot["flushed"], snapshot["views"]
    waiting = [
        max(0, found.get(key, 0) - flushed.get(day, 0)) for key, day in zip(layout.keys, layout.days, strict=True)
    ]
    per_day = [views.get(day, 0) + more for day, more in zip(layout.days, waiting, strict=True)]
    online_keys = [online_key(m) for m in range(minute - ONLINE_MINUTES + 1, minute + 1)]
    return {
        "online": max(0, sum(found.get(key, 0) for key in online_keys)),
        "today": per_day[-1],
        "yesterday": per_day[-2],
        "this_month": sum(per_day[layout.this_month]),
        "last_month": sum(per_day[layout.last_month]),
        "total": snapshot["total"] + sum(waiting) + snapshot["carried_over"],
    }


# --- Site-wide blocks ----------------------------------------------------------------


def programme_settings() -> ProgrammeSettings:
    """The settings row, or its defaults when it was never saved (a public GET never writes)."""
    return ProgrammeSettings.objects.filter(pk=1).first() or ProgrammeSettings()


def website_links() -> QuerySet[WebsiteLink]:
    return WebsiteLink.objects.filter(is_active=True)


def latest_articles(*, limit: int = 5) -> QuerySet[Article]:
    return Article.objects.published().defer("body")[:limit]


def sector_labels_for_period(*, start: datetime.date, end: datetime.date) -> dict[str, str]:
    """The sectors as the bodies in charge of ``start``–``end`` call them, when they all call them alike.

    The 2014–2018 review under the Huyện ủy says "Các nhóm cơ quan, đơn vị huyện"; the four communes'
    party committees after 2025 say "Các cơ quan, đơn vị cấp tỉnh". A period under bodies that word them
    differently, or under none, gets the neutral labels. One query.
    """
    wordings = {tuple(sector_labels_for(body=body).items()) for body in IssuingBody.objects.on_duty_between(start, end)}
    return dict(wordings.pop()) if len(wordings) == 1 else sector_labels_for(body=None)


# --- Phases and series ---------------------------------------------------------------


def current_phase_start(*, today: datetime.date) -> datetime.date | None:
    """Start of the assignment arrangement in force today (e.g. 01/11/2018), or None without one."""
    return Assignment.objects.filter(active_on(today)).aggregate(start=Max("start"))["start"]


def yearly_series(
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    commune: Commune | None = None,
    group: UnitGroup | None = None,
    unit: Unit | None = None,
) -> list[dict[str, Any]]:
    """TOTALS (without goods) per calendar year, from the figures kept ahead of time. Two to five queries."""
    if group is None and unit is None:
        by_year = yearly_totals(start=start, end=end, commune=commune)
    else:
        by_year = kept_totals_by(
            key=ExtractYear("day"), goods=False, start=start, end=end, commune=commune, group=group, unit=unit
        )
    return [{"year": year, **figures} for year, figures in sorted(by_year.items())]


def unit_totals(*, unit: Unit) -> dict[str, Any]:
    """What one unit gave since the start, counted by the contract's rules (goods left to the caller)."""
    return kept_totals_by(key=F("unit"), goods=False, unit=unit).get(unit.pk, empty_totals())


def escaped_poverty(*, commune: Commune | None = None) -> dict[str, int]:
    """Households helped by the programme, and how many of them have since escaped poverty. One query.

    Escaped: some review moved the household off the poor list (apps.households.changes), derived, never typed.
    """
    helped = households_ever_helped()  # one tally row per household, read from its index
    family = None
    if commune is not None:
        family = commune.family_ids()
        helped = helped.filter(household__in=Household.objects.filter(village__commune__in=family).values("pk"))
    escaped = with_change(Change.ESCAPED_POVERTY, field="household")
    # One row (the ever-helped tallies are of all sectors, sector ""). It reads what the outcomes of help read
    # (first help, classifications, households' villages): remembered with them until one of those changes
    # (~40 ms at province, on the home page and each commune's).
    counts = helped.values("sector").annotate(helped=Count("household"), escaped=Count("household", filter=escaped))
    sql, params = counts.values("helped", "escaped").query.sql_with_params()
    [row] = remembered(f"escaped:{communes_key(family)}", sql, list(params)) or [{"helped": 0, "escaped": 0}]
    return {"helped": row["helped"], "escaped": row["escaped"]}


# --- Who helps where -----------------------------------------------------------------


def _active_member_count(day: datetime.date) -> Subquery:
    return Subquery(
        GroupMembership.objects.filter(active_on(day), group=OuterRef("group"))
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def current_assignments(*, today: datetime.date) -> QuerySet[Assignment]:
    """Which group helps which commune (or village) today, with the number of units in the group."""
    return (
        Assignment.objects.filter(active_on(today))
        .select_related("group", "commune", "village")
        .annotate(unit_count=Coalesce(_active_member_count(today), 0))
        .order_by("commune__name", "village__name")
    )


def assignment_counts(*, today: datetime.date) -> dict[str, int]:
    """How many assignments there are today, and how many groups help how many communes. One query."""
    return Assignment.objects.filter(active_on(today)).aggregate(
        assignments=Count("pk"), groups=Count("group", distinct=True), communes=Count("commune", distinct=True)
    )


class Helper(NamedTuple):
    """A group helping a commune today, with the village it helps when one (the commune list's last column)."""

    group_code: str
    group_name: str
    village_name: str | None


def _helpers_by_commune(today: datetime.date) -> dict[int, list[Helper]]:
    """The groups (with the village, when one) helping each commune today, by commune id. One query, of values
    (a province's 457 assignments as three model instances each took longer to build than to read)."""
    helpers: dict[int, list[Helper]] = {}
    for commune, *helper in (
        Assignment.objects.filter(active_on(today))
        .order_by("group__name", "village__name")
        .values_list("commune_id", "group__code", "group__name", "village__name")
    ):
        helpers.setdefault(commune, []).append(Helper(*helper))
    return helpers


def _village_counts(communes: list[Commune], day: datetime.date) -> dict[int, int]:
    """Villages of each commune: today's for a commune that exists on ``day``, those of its last day for an ended
    one. Two grouped queries (two subqueries per commune before: a province's list, 4 -> 1 ms)."""
    now = dict(Village.objects.values_list("commune").annotate(n=Count("pk")).order_by())
    ended = {commune.pk for commune in communes if commune.ended_before(day)}
    then = dict(
        VillageCommune.objects.filter(active_on(F("commune__valid_to")), commune__in=ended)
        .values_list("commune")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {commune.pk: (then if commune.pk in ended else now).get(commune.pk, 0) for commune in communes}


def commune_overview(*, today: datetime.date) -> list[dict[str, Any]]:
    """Every commune, merged ones after the ones that exist today, with its figures since the start and the
    groups helping it today (``helpers``: :class:`Helper`).

    Each row names its commune as a page about the present does: "Xã Hòa Đồng (nay thuộc xã Hòa Thịnh)".
    A commune's figures include the communes merged into it (one level deep, as in the 2025 merger): their
    sums and household visits add up; their students are counted again over the merged families' rows only;
    their households, which the list does not show, are not counted (None).
    """
    communes = list(
        Commune.objects.order_by(F("successor").asc(nulls_first=True), "name").prefetch_related(name_history())
    )
    mark_namesakes(communes, today)
    villages = _village_counts(communes, today)
    by_id = {commune.pk: commune for commune in communes}
    for commune in communes:  # every successor is in the list: its names are read once
        commune.village_count = villages[commune.pk]
        if commune.successor_id:
            commune.successor = by_id[commune.successor_id]
    own = totals_per_commune([commune.pk for commune in communes])
    families: dict[int, list[int]] = {}
    for commune in communes:
        if commune.successor_id:
            families.setdefault(commune.successor_id, [commune.successor_id]).append(commune.pk)
    students = students_per_family(families)
    empty = empty_totals()

    def figures(commune: Commune) -> dict[str, Any]:
        if commune.pk not in families:
            return own.get(commune.pk, empty)
        members = [own.get(pk, empty) for pk in families[commune.pk]]
        rolled = reduce(add_sums, members, empty_totals())
        visits = sum(member["household_visits"] for member in members)
        return rolled | {"household_visits": visits, "households": None, "students": students.get(commune.pk, 0)}

    helpers = _helpers_by_commune(today)
    return [
        {"commune": c, "label": c.present_name(today), "figures": figures(c), "helpers": helpers.get(c.pk, [])}
        for c in communes
    ]


def commune_history(*, commune: Commune, today: datetime.date) -> dict[str, Any]:
    """Groups assigned to the commune (and to the communes merged into it) over time, with their units then."""
    assignments = list(
        Assignment.objects.filter(commune__in=commune.family_ids())
        .select_related("group", "commune", "village")
        .order_by("start", "commune__name")
    )
    labels = {
        c.pk: c.display_name(on=today)
        for c in Commune.objects.filter(pk__in={a.commune_id for a in assignments})
        .with_names_on(today)
        .prefetch_related(name_history())
    }
    names = {
        g.pk: g
        for g in UnitGroup.objects.filter(pk__in={a.group_id for a in assignments}).prefetch_related(name_history())
    }
    group_ids = {a.group_id for a in assignments}
    memberships = list(
        GroupMembership.objects.filter(group_id__in=group_ids).select_related("unit").order_by("unit__name")
    )
    for assignment in assignments:
        # The group under its name while it helped here, the commune as today's pages name it.
        assignment.group_name = names[assignment.group_id].name_on(min(assignment.end or today, today))  # type: ignore[attr-defined]
        assignment.commune_label = labels[assignment.commune_id]  # type: ignore[attr-defined]
        # Units that were in the group at some time during the assignment.
        assignment.units = [  # type: ignore[attr-defined]  # for the template
            m.unit
            for m in memberships
            if m.group_id == assignment.group_id
            and (assignment.end is None or m.start <= assignment.end)
            and (m.end is None or m.end >= assignment.start)
        ]
    return {"assignments": assignments}


def communes_of_period(*, start: datetime.date | None, end: datetime.date) -> list[tuple[Commune, str]]:
    """The communes that existed at some time in ``start``–``end``, each with its name on ``end``.

    A page about 2014–2018 lists the eleven communes of then, never the four formed in 2025: a commune
    formed by a merger exists from the day after its predecessors ended. Two queries.
    """
    communes = Commune.objects.exclude(Exists(Commune.objects.filter(successor=OuterRef("pk"), valid_to__gte=end)))
    if start is not None:
        communes = communes.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    communes = communes.with_names_on(end).prefetch_related(name_history()).order_by("name")
    return sorted(((c, c.display_name(on=end)) for c in communes), key=lambda pair: pair[1])


def groups_of_period(*, start: datetime.date | None, end: datetime.date) -> QuerySet[UnitGroup]:
    """The groups that had units or helped a commune at some time in ``start``–``end``, with ``name_then``."""
    start = start or datetime.date.min
    in_period = Q(Exists(GroupMembership.objects.filter(overlapping(start, end), group=OuterRef("pk")))) | Q(
        Exists(Assignment.objects.filter(overlapping(start, end), group=OuterRef("pk")))
    )
    return UnitGroup.objects.filter(in_period).with_name_on(end).order_by("code")


def commune_villages(*, commune: Commune, today: datetime.date) -> QuerySet[Village]:
    """The commune's villages today, or, for a commune that has ended, those it had on its last day under
    their names then (``name_then``)."""
    if commune.ended_before(today):
        day = cast(datetime.date, commune.valid_to)
        villages = Village.objects.in_commune_on(commune, day)
    else:
        villages, day = commune.villages.all(), today
    # Counted per village (an index range each), not by joining every household and grouping: the name's
    # subquery then ran once per household (166 ms for a province commune's 1.000, cold).
    households = Household.objects.filter(village=OuterRef("pk")).values("village").annotate(n=Count("pk")).values("n")
    return villages.with_name_on(day).annotate(household_count=Coalesce(Subquery(households), 0)).order_by("name_then")


def commune_targets(*, commune: Commune) -> dict[str, Any]:
    """Model villages by name (a village is public), model gardens only as counts (a garden is a household)."""
    family = commune.family_ids()
    villages = (
        Target.objects.filter(kind=Target.Kind.MODEL_VILLAGE, village__commune__in=family)
        .select_related("village")
        .order_by("target_year", "village__name")
        .only("kind", "status", "target_year", "achieved_on", "village__name", "village__kind")
    )
    gardens = (
        Target.objects.filter(kind=Target.Kind.MODEL_GARDEN, household__village__commune__in=family)
        .values("target_year")
        .annotate(
            total=Count("pk"),
            achieved=Count("pk", filter=Q(status=Target.Status.ACHIEVED)),
            in_progress=Count("pk", filter=Q(status=Target.Status.IN_PROGRESS)),
            planned=Count("pk", filter=Q(status=Target.Status.PLANNED)),
            abandoned=Count("pk", filter=Q(status=Target.Status.ABANDONED)),
        )
        .order_by("target_year")
    )
    return {"model_villages": villages, "model_gardens": gardens}


# --- Units and groups: pledged, given, on track --------------------------------------


def units_with_progress(*, today: datetime.date, units: QuerySet[Unit] | None = None) -> list[Unit]:
    """Units (all by default) with money pledged and given, and their pledges under way counted by status today.

    Three queries whatever the number of units: the units, their money given, their pledges with their statuses.
    The status is the monitoring page's (:func:`apps.pledges.selectors.pledges_with_fulfilment`), so the
    public site and the leaders see the same units behind. ``on_track`` is None for a unit with no
    pledge started yet, False when any started pledge is behind or overdue, True otherwise.
    """
    units = Unit.objects.all() if units is None else units
    current_group = Subquery(
        GroupMembership.objects.filter(active_on(today), unit=OuterRef("pk")).order_by().values("group__name")[:1],
        output_field=CharField(),
    )
    # Two "Đảng ủy xã Hòa Thịnh" (the old commune's and the new one's) are told apart by the old one's end.
    ended_on = Case(
        When(kind=Unit.Kind.COMMUNE_COMMITTEE, commune__valid_to__lt=today, then=F("commune__valid_to")),
        output_field=DateField(),
    )
    namesake_today = Exists(Unit.objects.existing_on(today).exclude(pk=OuterRef("pk")).filter(name=OuterRef("name")))
    rows = list(
        units.annotate(current_group=current_group, ended_on=ended_on, namesake_today=namesake_today).order_by(
            "kind",
            "name",
            "pk",  # the pk orders namesakes alike on every server and on every page
        )
    )
    if not rows:
        return rows
    given = money_given_by_unit(units=units)
    # Under way: the pledges the monitoring page watches, started by today, whether still running or ended.
    # The units' ids, not a subquery: their pledges are then read through the unit index, not the whole table.
    pledges = pledges_by_unit(on=today, pledges=Pledge.objects.filter(unit__in=[unit.pk for unit in rows]))
    nothing_given = {"given_vnd": 0, "given_to_pledges_vnd": 0}
    no_pledge = {"count": 0, "money_vnd": 0, **dict.fromkeys(PledgeStatus.ALL, 0)}
    for unit in rows:
        for name, value in given.get(unit.pk, nothing_given).items():
            setattr(unit, name, value)
        counts = pledges.get(unit.pk, no_pledge)
        unit.pledge_count, unit.pledged_vnd = counts["count"], counts["money_vnd"]
        for status in PledgeStatus.ALL:
            setattr(unit, f"pledges_{status}", counts[status])
        unit.pledges_under_way = sum(counts[status] for status in PledgeStatus.ALL)
        unit.pledges_lagging = sum(counts[status] for status in PledgeStatus.LAGGING)
        unit.on_track = None if not unit.pledges_under_way else not unit.pledges_lagging
    return rows


def groups_overview(*, today: datetime.date) -> list[UnitGroup]:
    """Groups (by code) with ``units_now``, ``communes_now``, and ``first_start`` and ``last_end`` of their
    memberships (9999-12-31 while a unit is still in). Three queries, the memberships and assignments grouped once
    each (a subquery per group and figure read a province's 200 groups' rows four times: 11 ms)."""
    memberships = (
        GroupMembership.objects.values("group")
        .annotate(
            units_now=Count("pk", filter=active_on(today)),
            first_start=Min("start"),
            last_end=Max(Coalesce("end", Value(datetime.date(9999, 12, 31)))),
        )
        .order_by()
    )
    by_group = {row.pop("group"): row for row in memberships}
    communes_now = dict(
        Assignment.objects.filter(active_on(today)).values("group").annotate(n=Count("pk")).values_list("group", "n")
    )
    groups = list(UnitGroup.objects.order_by("code"))
    never = {"units_now": 0, "first_start": None, "last_end": None}
    for group in groups:
        for name, value in by_group.get(group.pk, never).items():
            setattr(group, name, value)
        group.communes_now = communes_now.get(group.pk, 0)
    return groups


def group_assignments(*, group: UnitGroup) -> QuerySet[Assignment]:
    return group.assignments.select_related("commune", "village").order_by("start", "commune__name")


def group_units(*, group: UnitGroup, today: datetime.date) -> list[Unit]:
    """Units that were ever in the group, with their progress; ``membership_end`` None = still in it."""
    in_group = GroupMembership.objects.filter(group=group, unit=OuterRef("pk"))
    units = Unit.objects.filter(Exists(in_group)).annotate(
        membership_start=Subquery(in_group.order_by("start").values("start")[:1], output_field=DateField()),
        membership_end=Subquery(in_group.order_by("-start").values("end")[:1], output_field=DateField()),
    )
    return units_with_progress(today=today, units=units)


def unit_with_progress(*, code: str, today: datetime.date) -> Unit | None:
    """One unit (with its commune) and its progress, as on the unit list; None when there is no such unit."""
    units = units_with_progress(today=today, units=Unit.objects.select_related("commune").filter(code=code))
    return units[0] if units else None


def unit_memberships(*, unit: Unit) -> QuerySet[GroupMembership]:
    return unit.memberships.select_related("group").order_by("start")


def unit_pledges_summary(*, unit: Unit) -> QuerySet:
    """Pledges of one unit grouped by what they help (no beneficiary named)."""
    return (
        Pledge.objects.filter(unit=unit)
        .values("beneficiary_kind")
        .annotate(
            count=Count("pk"),
            money_vnd=Coalesce(Sum("money_vnd"), 0),
            labour_days=Sum("labour_days"),
            first_start=Min("start"),
            last_end=Max("end"),
        )
        .order_by("beneficiary_kind")
    )


def helped_places(
    *, today: datetime.date, unit: Unit | None = None, group: UnitGroup | None = None
) -> list[dict[str, Any]]:
    """Communes where a unit (or a group's units while in the group) helped, with figures, named as today's
    pages name them. Four queries."""
    figures = kept_totals_by(key=F("commune"), goods=False, unit=unit, group=group)
    communes = (
        Commune.objects.filter(pk__in=list(figures))
        .with_names_on(today)
        .select_related("successor")
        .prefetch_related("names", "successor__names")
        .order_by(F("successor").asc(nulls_first=True), "name")
    )
    return [{"commune": c, "label": c.present_name(today), "figures": figures[c.pk]} for c in communes]


# --- Search --------------------------------------------------------------------------

SEARCH_RESULTS_PER_KIND = 20
SEARCH_WORDS = 8


def search_words(text: str) -> list[str]:
    """The words of a search, at most SEARCH_WORDS of them; diacritics are ignored by :func:`search`."""
    return nfc(text).split()[:SEARCH_WORDS]


def _every_word_in(fields: tuple[str, ...], words: list[str]) -> Q:
    """Each word in one of ``fields``, ignoring case and diacritics (taybinh_unaccent on both sides)."""
    condition = Q()
    for word in words:
        plain = Unaccented(Value(word))
        condition &= reduce(or_, (Q(IContains(Unaccented(field), plain)) for field in fields))
    return condition


def search(*, text: str, today: datetime.date) -> dict[str, list[Any]]:
    """Communes, groups, units and published news matching every word of ``text``. Four queries.

    Only what the public pages already show is searched (names of places, units and groups, the text of
    published articles): never a household, a member or a student.
    """
    words = search_words(text)
    if not words:
        return {"communes": [], "groups": [], "units": [], "articles": []}
    communes = (
        Commune.objects.filter(_every_word_in(("name",), words))
        .select_related("successor")
        .with_names_on(today)
        .prefetch_related("names", "successor__names")
        .order_by(F("successor_id").asc(nulls_first=True), "name")[:SEARCH_RESULTS_PER_KIND]
    )
    groups = UnitGroup.objects.filter(_every_word_in(("name",), words)).order_by("name")[:SEARCH_RESULTS_PER_KIND]
    units = Unit.objects.filter(_every_word_in(("name",), words)).order_by("name")[:SEARCH_RESULTS_PER_KIND]
    articles = (
        Article.objects.published()
        .filter(_every_word_in(("title", "summary", "body"), words))
        .defer("body")[:SEARCH_RESULTS_PER_KIND]
    )
    return {
        "communes": [(commune, commune.present_name(today)) for commune in communes],
        "groups": list(groups),
        "units": list(units),
        "articles": list(articles),
    }


# --- Quick periods of the results form -------------------------------------------------


def approved_report_periods() -> list[dict[str, Any]]:
    """The period (and commune or group) of each report leadership approved, newest first. One query.

    Read through the app registry: the reports app sits beside the portal in the layers (.importlinter),
    and the portal only reads the dates and the scope, never the figures kept with the report.
    """
    frozen_report = django_apps.get_model("reports", "FrozenReport")
    rows = (
        frozen_report.objects.order_by("-end", "-start")
        .values("start", "end", "commune__code", "group__code")
        .distinct()
    )
    return [
        {"start": row["start"], "end": row["end"], "commune": row["commune__code"], "group": row["group__code"]}
        for row in rows
    ]
