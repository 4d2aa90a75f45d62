"""The migration that made yearly statuses classifications keeps every household and year (issue 15)."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from apps.households.changes import Change, with_change
from apps.households.models import Household, HouseholdStatus
from tests.factories import HouseholdFactory, HouseholdStatusFactory

pytestmark = pytest.mark.django_db

carry_over = importlib.import_module(
    "apps.households.migrations.0009_yearly_statuses_become_classifications"
).carry_over


def test_old_statuses_become_lists_with_the_flag_and_the_standard_of_their_year():
    household = HouseholdFactory()
    old = {2019: "poor", 2020: "near_poor", 2021: "escaped", 2022: "at_risk", 2023: "none"}
    for year, status in old.items():
        HouseholdStatusFactory(household=household, year=year, status=status, standard=None)

    with connection.schema_editor(atomic=False) as editor:
        carry_over(apps, editor)

    rows = {s.year: (s.status, s.at_risk, s.standard.code) for s in household.statuses.select_related("standard")}
    assert rows == {
        2019: ("poor", False, "CN_2016_2020"),
        2020: ("near_poor", False, "CN_2016_2020"),
        2021: ("none", False, "CN_2016_2020_NAM_2021"),
        2022: ("none", True, "CN_2022_2025"),
        2023: ("none", False, "CN_2022_2025"),
    }
    assert HouseholdStatus.objects.filter(household=household).count() == len(old)
    # Poor, then near-poor: escaped poverty now (the old rule waited for "escaped"); then near-poverty.
    assert (
        Household.objects.filter(pk=household.pk).filter(with_change(Change.ESCAPED_POVERTY, last_year=2020)).exists()
    )
    assert Household.objects.filter(pk=household.pk).filter(with_change(Change.ESCAPED_NEAR_POVERTY)).exists()
