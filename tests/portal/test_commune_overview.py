"""The commune list's figures (rolled up over merged communes) equal each commune's own totals."""

import datetime

import pytest

from apps.donations.selectors import empty_totals, totals
from apps.portal.selectors import commune_overview
from tests.factories import CommuneFactory, DonationFactory, HouseholdFactory, VillageFactory

pytestmark = pytest.mark.django_db


def _without_goods(figures: dict) -> dict:
    return {**figures, "goods": empty_totals()["goods"]}


def test_every_communes_figures_on_the_list_equal_its_totals_with_the_communes_merged_into_it():
    # A household helped in a commune before it was merged, then moved into the new commune and helped
    # again: one household, counted once for the new commune (distinct counts do not add up).
    new = CommuneFactory()
    old = CommuneFactory(successor=new, valid_to=datetime.date(2025, 6, 30))
    household = HouseholdFactory(village=VillageFactory(commune=old))
    DonationFactory(household=household, date=datetime.date(2024, 3, 1), amount_vnd=700_000)
    household.village = VillageFactory(commune=new)
    household.save()
    DonationFactory(household=household, date=datetime.date(2025, 8, 1), amount_vnd=300_000)
    DonationFactory(household=HouseholdFactory(village=household.village), date=datetime.date(2025, 9, 1))

    rows = commune_overview(today=datetime.date(2026, 12, 2))

    for row in rows:  # the demo's communes (and their 2025 merger) too
        assert row["figures"] == _without_goods(totals(commune=row["commune"])["total"]), row["commune"].code
    figures = next(row["figures"] for row in rows if row["commune"] == new)
    assert (figures["households"], figures["household_visits"], figures["money_vnd"]) == (2, 3, 1_500_000)
