"""The outcomes of help are remembered until what they read changes (donations/0022, issue 10).

Each kind of write the outcomes depend on is made after the outcomes were remembered, and the outcomes read
afterwards must be those counted afresh over the base tables, and differ from before (so a write the
remembering missed would fail here).
"""

import datetime

import psycopg2
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.communes.models import Village
from apps.donations.models import Donation
from apps.donations.outcomes import OUTCOMES_SQL, WRITERS_LOCK, _remembered_rows
from apps.households.models import Household, HouseholdStatus
from tests.factories import (
    CommuneFactory,
    DonationFactory,
    HouseholdFactory,
    HouseholdStatusFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

POOR, NEAR_POOR, NONE = HouseholdStatus.Status.POOR, HouseholdStatus.Status.NEAR_POOR, HouseholdStatus.Status.NONE
UNTIL = 2019


def _counted_afresh(commune_ids: list[int]) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(
            OUTCOMES_SQL.replace("%(scope)s", "AND v.commune_id = ANY(%(communes)s)"),
            {"until": UNTIL, "communes": commune_ids},
        )
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _remembered(commune_ids: list[int]) -> tuple[list[dict], int]:
    """The outcome rows and how many queries reading them took (one when remembered)."""
    with CaptureQueriesContext(connection) as queries:
        rows = _remembered_rows(commune_ids, UNTIL)
    return rows, len(queries)


@pytest.fixture
def world(db):
    """A commune of twelve households poor in 2015-2016 in two villages, one of them helped in 2016 and near-poor
    in 2017."""
    commune, elsewhere = CommuneFactory(name="Xã Nhớ Kết Quả"), CommuneFactory(name="Xã Bên Cạnh")
    village, other_village = VillageFactory(commune=commune), VillageFactory(commune=elsewhere)
    # Two of the households live in a village where nobody was helped: moving it changes no figure kept.
    unhelped_village = VillageFactory(commune=commune)
    households = [HouseholdFactory(village=village if n < 10 else unhelped_village) for n in range(12)]
    for household in households:
        for year in (2015, 2016):
            HouseholdStatusFactory(household=household, year=year, status=POOR)
    HouseholdStatusFactory(household=households[0], year=2017, status=NEAR_POOR)
    DonationFactory(household=households[0], date=datetime.date(2016, 3, 1))
    return {
        "unhelped_village": unhelped_village,
        "commune": commune,
        "elsewhere": elsewhere,
        "village": village,
        "other_village": other_village,
        "households": households,
    }


def _writes(world):
    h = world["households"]

    def add_donation(household, day):
        DonationFactory(household=household, date=day)

    return [
        ("a classification added", lambda: HouseholdStatusFactory(household=h[1], year=2017, status=NONE)),
        (
            "a classification changed",
            lambda: HouseholdStatus.objects.filter(household=h[1], year=2017).update(status=POOR),
        ),
        ("a classification deleted", lambda: HouseholdStatus.objects.filter(household=h[0], year=2017).delete()),
        ("a household helped for the first time", lambda: add_donation(h[2], datetime.date(2016, 5, 1))),
        ("a household's first help moved earlier", lambda: add_donation(h[0], datetime.date(2015, 5, 1))),
        ("a household's every donation deleted", lambda: Donation.objects.filter(household=h[2]).delete()),
        (
            "a household moved to another commune's village",
            lambda: Household.objects.filter(pk=h[3].pk).update(village=world["other_village"]),
        ),
        (
            "a village moved to another commune",
            lambda: Village.objects.filter(pk=world["unhelped_village"].pk).update(commune=world["elsewhere"]),
        ),
    ]


def test_the_outcomes_remembered_are_counted_again_after_each_write_they_depend_on(world):
    communes = [world["commune"].pk]
    for name, write in _writes(world):
        before = _remembered(communes)[0]
        rows, queries = _remembered(communes)
        assert (rows, queries) == (before, 1), f"not remembered before: {name}"
        assert rows == _counted_afresh(communes)
        write()
        after, queries = _remembered(communes)
        assert queries > 1, f"still remembered after: {name}"
        assert after == _counted_afresh(communes), name
        assert after != before, f"the write did not change the outcomes, so it tests nothing: {name}"


def test_help_to_a_household_already_helped_earlier_keeps_the_outcomes_remembered(world):
    communes = [world["commune"].pk]
    _remembered(communes)
    DonationFactory(household=world["households"][0], date=datetime.date(2018, 6, 1))
    rows, queries = _remembered(communes)
    assert queries == 1
    assert rows == _counted_afresh(communes)


def test_outcomes_counted_while_a_writer_is_in_flight_are_not_remembered(world):
    communes = [world["commune"].pk]
    writer = psycopg2.connect(**connection.get_connection_params())
    try:
        with writer.cursor() as cursor:  # what a statement changing a classification holds until it commits
            cursor.execute("SELECT pg_advisory_lock_shared(%s)", [WRITERS_LOCK])
        rows, _ = _remembered(communes)
        assert rows == _counted_afresh(communes)
        assert _remembered(communes)[1] > 1  # counted again: nothing was remembered
        with writer.cursor() as cursor:  # the writer commits (unlocked now: a closed connection's lock goes later)
            cursor.execute("SELECT pg_advisory_unlock_shared(%s)", [WRITERS_LOCK])
    finally:
        writer.close()
    _remembered(communes)
    assert _remembered(communes)[1] == 1  # the writer gone, they are remembered


def test_the_marks_before_the_last_are_removed_when_outcomes_are_remembered(world):
    communes = [world["commune"].pk]
    for year in (2017, 2018, 2019):
        HouseholdStatusFactory(household=world["households"][5], year=year, status=POOR)
    _remembered(communes)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), MAX(id) FROM donations_outcomeswrite")
        count, last = cursor.fetchone()
        cursor.execute("SELECT last_write FROM donations_outcomesmemo WHERE key = %s", [f"{UNTIL}:{communes[0]}"])
        assert count == 1 and cursor.fetchone()[0] == last


def test_the_households_escaped_remembered_with_the_outcomes_follow_each_write(world):
    """The home page's and a commune's "households helped, escaped poverty since" are remembered with the
    outcomes (the same tables): after every write they equal a count over the donations and classifications."""
    from apps.households.changes import Change, with_change
    from apps.portal.selectors import escaped_poverty

    commune = world["commune"]

    def counted_afresh() -> dict[str, int]:
        helped = Household.objects.filter(
            village__commune=commune, pk__in=Donation.objects.filter(household__isnull=False).values("household")
        )
        return {"helped": helped.count(), "escaped": helped.filter(with_change(Change.ESCAPED_POVERTY)).count()}

    seen = []
    for name, write in _writes(world):
        escaped_poverty(commune=commune)
        with CaptureQueriesContext(connection) as queries:
            before = escaped_poverty(commune=commune)
        # The remembered row (the commune's family read by the call before, once per instance).
        assert len(queries) == 1, f"not remembered before: {name}"
        assert before == counted_afresh(), name
        write()
        after = escaped_poverty(commune=commune)
        assert after == counted_afresh(), name
        seen.append(after)
    # The writes moved both figures (so a figure remembered past a write would have failed above).
    assert len({row["helped"] for row in seen}) > 1 and len({row["escaped"] for row in seen}) > 1
    assert escaped_poverty() == escaped_poverty() and escaped_poverty()["helped"] >= seen[-1]["helped"]
