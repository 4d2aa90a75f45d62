"""Changes between a household's classifications are derived, never typed (issue 15)."""

import datetime

import pytest

from apps.households.changes import Change, changes_between, household_changes, with_change
from apps.households.models import Household, HouseholdStatus
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
