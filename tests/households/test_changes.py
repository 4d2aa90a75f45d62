"""Changes between a household's classifications are derived, never typed (issue 15)."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.households.changes import Change, changes_between, household_changes, with_change
from apps.households.models import Household, HouseholdStatus, StatusChange
from tests.factories import HouseholdFactory, HouseholdStatusFactory

pytestmark = pytest.mark.django_db


def _with_history(*lists: str, first_year: int = 2019) -> Household:
    household = HouseholdFactory()
    for year, status in enumerate(lists, start=first_year):
        HouseholdStatusFactory(household=household, year=year, status=status)
    return household


def _changed(change: Change, **years) -> set[int]:
    """The households of this test (the factory's codes; the demo's are HO-…) with ``change``."""
    households = Household.objects.filter(code__startswith="THO").filter(with_change(change, **years))
    return set(households.values_list("pk", flat=True))


def test_poor_to_near_poor_counts_as_escaped_poverty_but_not_escaped_near_poverty():
    household = _with_history("poor", "near_poor")

    assert household.pk in _changed(Change.ESCAPED_POVERTY)
    assert household.pk not in _changed(Change.ESCAPED_NEAR_POVERTY)
    assert changes_between("poor", "near_poor") == {Change.ESCAPED_POVERTY}


def test_near_poor_to_average_escapes_near_poverty_only():
    household = _with_history("near_poor", "average")

    assert household.pk in _changed(Change.ESCAPED_NEAR_POVERTY)
    assert household.pk not in _changed(Change.ESCAPED_POVERTY)


def test_poor_again_after_escaping_is_falling_back_and_poor_for_the_first_time_is_newly_poor():
    fell_back = _with_history("poor", "none", "near_poor", "poor")
    newly_poor = _with_history("none", "near_poor", "poor")

    assert _changed(Change.FELL_BACK) == {fell_back.pk}
    assert _changed(Change.NEWLY_POOR) == {newly_poor.pk}


def test_a_first_classification_and_an_unchanged_list_change_nothing():
    _with_history("poor")
    _with_history("poor", "poor", "poor")

    assert all(not _changed(change) for change in Change)


def test_changes_are_counted_in_the_list_year_they_happened():
    household = _with_history("poor", "poor", "none", first_year=2019)  # escaped with the 2021 list

    assert household.pk in _changed(Change.ESCAPED_POVERTY, first_year=2021, last_year=2021)
    assert household.pk not in _changed(Change.ESCAPED_POVERTY, first_year=2019, last_year=2020)


def test_a_recognition_during_the_year_follows_that_years_yearly_review():
    household = _with_history("near_poor")  # the 2019 list
    HouseholdStatusFactory(
        household=household,
        year=2019,
        status="poor",
        review_round=HouseholdStatus.Round.DURING_YEAR,
        decided_on=datetime.date(2019, 6, 3),
    )

    assert _changed(Change.NEWLY_POOR) == {household.pk}


def test_the_admins_changes_and_the_databases_agree():
    lists = ["near_poor", "poor", "near_poor", "none", "poor", "average"]
    household = _with_history(*lists)

    derived = household_changes(household.statuses.in_review_order())

    assert [changes for _status, changes in derived] == [
        set(),
        {Change.NEWLY_POOR},
        {Change.ESCAPED_POVERTY},
        {Change.ESCAPED_NEAR_POVERTY},
        {Change.FELL_BACK},
        {Change.ESCAPED_POVERTY},
    ]
    for change in Change:
        in_database = household.pk in _changed(change)
        assert in_database == any(change in changes for _status, changes in derived)


def _kept_changes(households) -> set[tuple[int, int, Change]]:
    """What StatusChange (kept by the database's triggers) holds for these households."""
    rows = StatusChange.objects.filter(household__in=households).values()
    return {(row["household_id"], row["year"], change) for row in rows for change in Change if row[change.value]}


def _rule_changes(households) -> set[tuple[int, int, Change]]:
    """The same by the Python rule (changes_between), over each household's classifications now."""
    statuses = HouseholdStatus.objects.filter(household__in=households).in_review_order()
    by_household: dict[int, list[HouseholdStatus]] = {}
    for status in statuses:
        by_household.setdefault(status.household_id, []).append(status)
    return {
        (status.household_id, status.year, change)
        for rows in by_household.values()
        for status, changes in household_changes(rows)
        for change in changes
    }


LISTS = st.sampled_from([choice.value for choice in HouseholdStatus.Status])
WRITES = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 2), st.integers(2015, 2024), LISTS),
        st.tuples(st.just("relist"), st.integers(0, 30), LISTS),
        st.tuples(st.just("delete"), st.integers(0, 30)),
        st.tuples(st.just("all_to"), st.integers(0, 2), LISTS),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=WRITES)
def test_the_kept_changes_follow_any_writes_of_classifications(writes):
    with transaction.atomic():
        households = [_with_history("poor", "near_poor", "poor", first_year=2014) for _ in range(3)]
        for name, *args in writes:
            statuses = list(HouseholdStatus.objects.filter(household__in=households).order_by("pk"))
            if name == "add":
                household, year, status = households[args[0]], args[1], args[2]
                if not HouseholdStatus.objects.filter(household=household, year=year).exists():
                    HouseholdStatusFactory(household=household, year=year, status=status)
            elif name == "relist" and statuses:
                HouseholdStatus.objects.filter(pk=statuses[args[0] % len(statuses)].pk).update(status=args[1])
            elif name == "delete" and statuses:
                statuses[args[0] % len(statuses)].delete()
            elif name == "all_to":  # one statement over a household's every classification
                HouseholdStatus.objects.filter(household=households[args[0]]).update(status=args[1])
            assert _kept_changes(households) == _rule_changes(households)
        transaction.set_rollback(True)
