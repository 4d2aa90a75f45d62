"""Monitoring: poor households with no help this year, deprivations no matching help reached (issue 15)."""

import datetime

import pytest
from django.urls import reverse

from apps.households.models import DeprivationIndicator
from apps.reports.needs import unmet_needs
from tests.factories import DonationFactory, HouseholdFactory, HouseholdStatusFactory, StudentFactory, VillageFactory

pytestmark = pytest.mark.django_db
ON = datetime.date(2030, 6, 30)  # a year the demo has no list for: only this test's households count


def _poor(village, *lacks: str, status: str = "poor"):
    household = HouseholdFactory(village=village)
    classification = HouseholdStatusFactory(household=household, year=ON.year, status=status)
    classification.deprivations.set(DeprivationIndicator.objects.filter(code__in=lacks))
    return household


def test_unmet_needs_are_counted_per_commune():
    village = VillageFactory()
    _poor(village, "2022_tre_em_di_hoc")  # no help at all
    schooled = _poor(village, "2022_tre_em_di_hoc", "2022_chat_luong_nha")
    DonationFactory(beneficiary_kind="student", household=None, student=StudentFactory(household=schooled), date=ON)
    lent = _poor(village, "2022_viec_lam", status="near_poor")
    DonationFactory(household=lent, loan=True, date=ON)
    DonationFactory(household=_poor(village, "2022_viec_lam"), date=ON - datetime.timedelta(days=365))  # last year

    [row] = unmet_needs(on=ON)["rows"]

    assert row["commune"] == village.commune.display_name(on=ON)
    assert (row["poor"], row["poor_not_helped"]) == (3, 2)
    assert (row["school"], row["work"], row["housing"]) == (1, 1, 1)


def test_the_monitoring_page_shows_the_section(client, leader):
    client.force_login(leader)

    page = client.get(reverse("reports:monitoring"), {"on": ON.isoformat()}).content.decode()

    assert 'id="unmet-needs"' in page
