"""The commune list's figures (rolled up over merged communes) equal each commune's own totals."""

import datetime

import pytest

from apps.communes.models import Commune
from apps.donations.selectors import empty_totals, totals
from apps.portal.selectors import commune_overview
from tests.factories import CommuneFactory, DonationFactory, HouseholdFactory, StudentFactory, VillageFactory

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
    student = StudentFactory(household=household)  # helped in both communes: one student
    DonationFactory(beneficiary_kind="student", household=None, student=student, date=datetime.date(2024, 9, 5))
    household.village = VillageFactory(commune=new)
    household.save()
    DonationFactory(household=household, date=datetime.date(2025, 8, 1), amount_vnd=300_000)
    DonationFactory(beneficiary_kind="student", household=None, student=student, date=datetime.date(2025, 9, 5))
    DonationFactory(household=HouseholdFactory(village=household.village), date=datetime.date(2025, 9, 1))

    rows = commune_overview(today=datetime.date(2026, 12, 2))

    for row in rows:  # the demo's communes (and their 2025 merger) too
        expected = _without_goods(totals(commune=row["commune"])["total"])
        if row["figures"]["households"] is None:  # a merged family's: not on the list, not counted
            expected["households"] = None
        assert row["figures"] == expected, row["commune"].code
    figures = next(row["figures"] for row in rows if row["commune"] == new)
    assert (figures["household_visits"], figures["students"], figures["money_vnd"]) == (3, 1, 2_500_000)
    assert sum(row["figures"]["households"] is None for row in rows) == len(
        {c.successor_id for c in Commune.objects.filter(successor__isnull=False)}
    )


def test_a_commune_page_counts_each_village_s_households():
    from apps.portal.selectors import commune_villages

    commune = CommuneFactory()
    full, empty = VillageFactory(commune=commune, name="Thôn Đông"), VillageFactory(commune=commune, name="Thôn Tây")
    HouseholdFactory.create_batch(3, village=full)
    HouseholdFactory(village=VillageFactory())  # another commune's

    counts = {
        v.name_then: v.household_count for v in commune_villages(commune=commune, today=datetime.date(2026, 12, 2))
    }

    assert counts == {full.name: 3, empty.name: 0}
