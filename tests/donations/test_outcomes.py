"""Outcomes that mean something: helped households' escapes from poverty against the not-helped (issue 15)."""

import datetime

import pytest
from django.urls import reverse

from apps.donations.outcomes import poverty_outcomes
from tests.factories import DonationFactory, HouseholdFactory, HouseholdStatusFactory, VillageFactory

pytestmark = pytest.mark.django_db


def _household(village, lists: str, *, first_helped: int | None = None, name: str = ""):
    household = HouseholdFactory(village=village, **({"head_name": name} if name else {}))
    for year, status in enumerate(lists.split(), start=2019):
        HouseholdStatusFactory(household=household, year=year, status=status)
    if first_helped:
        DonationFactory(household=household, date=datetime.date(first_helped, 5, 10))
        DonationFactory(household=household, date=datetime.date(first_helped + 1, 5, 10))
    return household


@pytest.fixture
def commune_with_reviews():
    """2019-2022 lists of one commune's households; one more commune where nobody was helped."""
    village = VillageFactory()
    _household(village, "poor near_poor near_poor none", first_helped=2019, name="Hộ Được Giúp Một")
    _household(village, "poor poor poor poor", first_helped=2019)
    _household(village, "near_poor none", first_helped=2019)
    _household(village, "poor near_poor poor", name="Hộ Không Được Giúp")  # escaped, then fell back
    _household(village, "poor poor", first_helped=2023)  # helped only after the three years: not helped here
    elsewhere = VillageFactory()
    _household(elsewhere, "poor none")  # no household of its commune was helped: not compared
    return village.commune, elsewhere.commune


def test_helped_and_not_helped_households_of_the_same_communes_are_compared(commune_with_reviews):
    [row] = poverty_outcomes(commune_ids=[c.pk for c in commune_with_reviews], until_year=2022)

    assert row["year"] == 2019
    assert row["standard"] == "Chuẩn nghèo đa chiều giai đoạn 2016–2020 (Quyết định số 59/2015/QĐ-TTg)"
    helped, not_helped = row["helped"], row["not_helped"]
    assert (helped["households"], helped["poor"]) == (3, 2)
    assert [share["count"] for share in helped["escaped"]] == [1, 1, 1]
    assert (helped["escaped_near"]["count"], helped["fell_back"]["count"]) == (2, 0)
    assert (not_helped["households"], not_helped["poor"]) == (2, 2)
    assert [share["count"] for share in not_helped["escaped"]] == [1, 1, 1]
    assert (not_helped["escaped_near"]["count"], not_helped["fell_back"]["count"]) == (0, 1)
    # No percentage of a handful of households.
    assert helped["escaped"][0]["percent"] is None


def test_a_window_that_ends_after_the_last_year_looked_at_is_not_counted(commune_with_reviews):
    [row] = poverty_outcomes(commune_ids=[c.pk for c in commune_with_reviews], until_year=2020)

    assert row["helped"]["escaped"][0]["count"] == 1
    assert row["helped"]["escaped"][1:] == [None, None]
    assert row["helped"]["escaped_near"] is None


def test_the_report_counts_outcomes_only_up_to_its_end(admin_client, commune_with_reviews):
    commune = commune_with_reviews[0]

    response = admin_client.get(
        reverse("reports:summary"), {"from": "2019-01-01", "to": "2020-12-31", "commune": commune.code}
    )

    [row] = response.context["figures"]["outcomes"]
    assert row["helped"]["escaped"][1] is None  # 2021 is after the report's period
    assert "Hộ Được Giúp Một" not in response.content.decode()
