"""Household rules: the admin's message and the database's refusal (issue 2, part 3)."""

import pytest
from django.db import IntegrityError, transaction

from apps.households.models import TARGET_NEEDS_HOUSEHOLD, TARGET_NEEDS_VILLAGE, HouseholdStatus, Target
from tests.admin_helpers import admin_url
from tests.admin_helpers import assert_form_error as assert_shown
from tests.factories import HouseholdFactory, HouseholdStatusFactory, TargetFactory, VillageFactory

pytestmark = pytest.mark.django_db


def test_admin_refuses_a_second_status_for_the_same_year(admin_client):
    status = HouseholdStatusFactory(year=2018)

    response = admin_client.post(
        admin_url(HouseholdStatus, "add"),
        {
            "household": status.household_id,
            "year": "2018",
            "status": "near_poor",
            "review_round": "yearly",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert HouseholdStatus.objects.get(household=status.household, year=2018).status == "poor"


def test_database_refuses_a_second_status_for_the_same_year():
    status = HouseholdStatusFactory(year=2018)

    with pytest.raises(IntegrityError, match="households_one_status_per_year"), transaction.atomic():
        HouseholdStatus.objects.create(household=status.household, year=2018, status="near_poor")


def test_admin_refuses_a_model_village_target_without_a_village(admin_client):
    response = admin_client.post(
        admin_url(Target, "add"),
        {
            "code": "TMT-X",
            "kind": "model_village",
            "target_year": "2020",
            "status": "planned",
        },
    )

    assert_shown(response, TARGET_NEEDS_VILLAGE)


def test_admin_refuses_a_model_garden_target_without_a_household(admin_client):
    response = admin_client.post(
        admin_url(Target, "add"),
        {
            "code": "TMT-Y",
            "kind": "model_garden",
            "village": VillageFactory().pk,
            "target_year": "2020",
            "status": "planned",
        },
    )

    assert_shown(response, TARGET_NEEDS_HOUSEHOLD)


def test_database_refuses_a_target_that_does_not_match_its_kind():
    with pytest.raises(IntegrityError, match="households_target_matches_kind"), transaction.atomic():
        TargetFactory(kind=Target.Kind.MODEL_VILLAGE, village=None)
    with pytest.raises(IntegrityError, match="households_target_matches_kind"), transaction.atomic():
        TargetFactory(kind=Target.Kind.MODEL_VILLAGE, household=HouseholdFactory())


def test_database_refuses_an_implausible_review_year():
    with pytest.raises(IntegrityError, match="households_status_year_plausible"), transaction.atomic():
        HouseholdStatusFactory(year=1890)
