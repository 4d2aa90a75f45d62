"""The report's tables by group and by commune, its escaped households and its good results, read from the
figures kept ahead of time (issue 10), count exactly what the old computation over the donations counted.

The old functions live here only, as the reference: periods cutting a membership change and a merger,
a commune with a predecessor, groups whose members changed, every kind of donation and beneficiary,
two donations of one visit.
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.test.utils import CaptureQueriesContext

from apps.communes.services import move_villages
from apps.donations.models import Donation
from apps.donations.selectors import TOTALS_AGGREGATES, donations_in_scope, totals_by
from apps.households.beneficiaries import beneficiary_commune
from apps.households.changes import Change, with_change
from apps.households.models import Household, HouseholdStatus
from apps.pledges.selectors import PledgeStatus, pledges_with_fulfilment
from apps.reports import selectors
from apps.units.models import GroupMembership, Unit
from tests.factories import (
    CommuneFactory,
    GroupMembershipFactory,
    HouseholdFactory,
    HouseholdStatusFactory,
    PledgeFactory,
    StudentFactory,
    UnitFactory,
    UnitGroupFactory,
    VillageFactory,
    standard_item,
)

pytestmark = pytest.mark.django_db

MERGER_DAY = datetime.date(2020, 1, 1)
DAYS = [
    datetime.date(2018, 6, 1),
    datetime.date(2019, 5, 31),
    datetime.date(2019, 6, 1),
    datetime.date(2019, 12, 31),
    datetime.date(2020, 1, 1),
    datetime.date(2020, 6, 15),
]
PERIODS = [
    (datetime.date(2018, 1, 1), datetime.date(2020, 12, 31)),
    (datetime.date(2019, 6, 1), datetime.date(2019, 12, 31)),
    (datetime.date(2019, 1, 1), datetime.date(2020, 1, 1)),
    (datetime.date(2020, 1, 1), datetime.date(2020, 6, 15)),
]


# --- The old computation, over the donations ---------------------------------------------------------------


def old_by_group(**scope) -> dict:
    group_then = Subquery(
        GroupMembership.objects.filter(unit=OuterRef("unit")).on(OuterRef("date")).values("group")[:1]
    )
    key = Coalesce(
        Cast(group_then, output_field=CharField()),
        Concat(Value("sector:"), F("unit__kind"), output_field=CharField()),
    )
    return totals_by(donations_in_scope(**scope), key=key)


def old_by_commune(**scope) -> dict:
    rows = totals_by(donations_in_scope(**scope), key=beneficiary_commune())
    return {key: figures for key, figures in rows.items() if key is not None}


def old_households_escaped(*, start, end, **scope) -> int:
    helped = donations_in_scope(start=start, end=end, **scope).filter(household__isnull=False).values("household")
    escaped = with_change(Change.ESCAPED_POVERTY, first_year=start.year, last_year=end.year)
    return Household.objects.filter(pk__in=helped).filter(escaped).count()


def old_good_results(*, start, end, commune=None, group=None) -> list:
    scope = {"start": start, "end": end, "commune": commune, "group": group}
    pledges = pledges_with_fulfilment(on=end, pledges=selectors.pledges_in_scope(**scope))
    lagging = pledges.filter(status__in=PledgeStatus.LAGGING).values("unit")
    rows = (
        donations_in_scope(**scope)
        .exclude(unit__in=lagging)
        .annotate(unit_name=selectors._unit_name_on(end))
        .values("unit__code", "unit_name")
        .annotate(household_visits=TOTALS_AGGREGATES["household_visits"], money_vnd=TOTALS_AGGREGATES["money_vnd"])
        .order_by("-household_visits", "-money_vnd", "unit_name")[: selectors.GOOD_RESULTS_SHOWN]
    )
    return [
        {"code": r["unit__code"], "name": r["unit_name"], "household_visits": r["household_visits"]}
        | {"money_vnd": int(r["money_vnd"])}
        for r in rows
    ]


# --- The data ----------------------------------------------------------------------------------------------


@pytest.fixture
def world(db):
    """Communes A and C, B merged into C on MERGER_DAY (its villages moved), households and students in each,
    units of every sector, two groups whose members changed, donations of every kind on days around the
    changes, a visit of two donations, a household that escaped poverty, a unit behind on a pledge."""
    a, c = CommuneFactory(name="Xã An"), CommuneFactory(name="Xã Cát")
    b = CommuneFactory(name="Xã Bình", successor=c, valid_to=MERGER_DAY - datetime.timedelta(days=1))
    villages = [
        VillageFactory(commune=a),
        VillageFactory(commune=b),
        VillageFactory(commune=b),
        VillageFactory(commune=c),
    ]
    households = [HouseholdFactory(village=village) for village in villages]
    students = [StudentFactory(household=households[0]), StudentFactory(household=households[2])]
    units = [
        UnitFactory(name="Ban Dân vận"),
        UnitFactory(name="Đảng ủy xã An", kind=Unit.Kind.COMMUNE_COMMITTEE, commune=a),
        UnitFactory(name="Hội Nông dân", kind=Unit.Kind.OTHER),
        UnitFactory(name="Công an"),
    ]
    g1, g2 = UnitGroupFactory(), UnitGroupFactory()
    GroupMembershipFactory(group=g1, unit=units[0], start=datetime.date(2018, 1, 1), end=datetime.date(2019, 5, 31))
    GroupMembershipFactory(group=g2, unit=units[0], start=datetime.date(2019, 6, 1), end=None)
    GroupMembershipFactory(group=g1, unit=units[1], start=datetime.date(2019, 6, 1), end=None)
    GroupMembershipFactory(group=g2, unit=units[2], start=datetime.date(2018, 1, 1), end=datetime.date(2019, 12, 31))
    beneficiaries = [a, b, c, *villages, *households, *students]
    kinds = itertools.cycle(["money", "goods", "money", "loan", "labour", "money", "goods"])
    for n, (day, unit, beneficiary) in enumerate(itertools.product(DAYS, units, beneficiaries)):
        if n % 3 == 0:
            continue
        donation = Donation(reference=f"TKEPT-{n}", date=day, unit=unit, kind=next(kinds), amount_vnd=0)
        donation.beneficiary = beneficiary
        if donation.kind in ("money", "loan"):
            donation.amount_vnd = (n % 9 + 1) * 100_000
        elif donation.kind == "goods":
            donation.item = standard_item("gao" if n % 2 else "duong")
            donation.quantity = Decimal(n % 11 + 1) / 2
        else:
            donation.labour_days = Decimal(n % 5 + 1) / 2
        donation.save()
    # One visit of two donations: a household visit counted once.
    for n in (1, 2):
        _visit(f"TKEPT-V{n}", units[3], households[1])
    move_villages(from_commune=b, to_commune=c, on=MERGER_DAY)
    HouseholdStatusFactory(household=households[1], year=2018, status=HouseholdStatus.Status.POOR)
    HouseholdStatusFactory(household=households[1], year=2019, status=HouseholdStatus.Status.NEAR_POOR)
    HouseholdStatusFactory(household=households[3], year=2019, status=HouseholdStatus.Status.POOR)
    HouseholdStatusFactory(household=households[3], year=2020, status=HouseholdStatus.Status.NONE)
    PledgeFactory(
        unit=units[2], household=households[0], start=DAYS[0], end=datetime.date(2020, 12, 31), money_vnd=90_000_000
    )
    return {"communes": [a, b, c], "groups": [g1, g2]}


def _visit(reference: str, unit: Unit, household: Household) -> None:
    donation = Donation(reference=reference, date=DAYS[2], unit=unit, kind="money", amount_vnd=50_000)
    donation.beneficiary = household
    donation.save()


def _scopes(world):
    a, _, c = world["communes"]
    g1, g2 = world["groups"]
    for start, end in PERIODS:
        for place in ({}, {"commune": a}, {"commune": c}, {"group": g1}, {"group": g2}):
            yield {"start": start, "end": end, "commune": None, "group": None, **place}


def test_tables_by_group_and_by_commune_count_what_the_donations_count(world):
    seen_groups = set()
    for scope in _scopes(world):
        by_group = selectors.totals_by_group(**scope)
        assert by_group == old_by_group(**scope), scope
        assert selectors.totals_by_commune(**scope) == old_by_commune(**scope), scope
        seen_groups |= set(by_group)
    g1, g2 = world["groups"]
    # Every kind of row was compared: both groups, and units in no group in two sectors.
    assert {str(g1.pk), str(g2.pk), "sector:district_unit", "sector:other"} <= seen_groups
    # The predecessor's help lies in its own row of the successor's report.
    _, b, c = world["communes"]
    assert set(selectors.totals_by_commune(start=PERIODS[0][0], end=PERIODS[0][1], commune=c)) == {b.pk, c.pk}


def test_the_whole_programmes_table_by_commune_comes_from_each_communes_kept_rows_and_counts_the_same(world):
    whole = {"start": datetime.date(2000, 1, 1), "end": datetime.date(2100, 1, 1), "commune": None, "group": None}
    with CaptureQueriesContext(connection) as queries:
        by_commune = selectors.totals_by_commune(**whole)
    assert by_commune == old_by_commune(**whole)
    assert any("donations_communefigures" in query["sql"] for query in queries.captured_queries)
    assert not any("donations_dailyfigures" in query["sql"] for query in queries.captured_queries)


def test_escaped_households_and_good_results_are_those_of_the_donations(world):
    escaped = set()
    for scope in _scopes(world):
        escaped.add(old_households_escaped(**scope))
        assert selectors.households_escaped(**scope) == old_households_escaped(**scope), scope
        figures = selectors.report_figures(**scope)
        assert figures["good_results"] == old_good_results(**scope), scope
    assert escaped >= {0, 1, 2}
