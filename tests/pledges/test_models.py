"""Pledge rules: the admin's message and the database's refusal (issue 2, part 3)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from apps.core.models import PERIOD_ENDS_BEFORE_START
from apps.households.beneficiaries import BENEFICIARY_MISMATCH
from apps.pledges.models import Pledge
from tests.admin_helpers import admin_url, assert_form_error
from tests.factories import HouseholdFactory, PledgeFactory, UnitFactory, VillageFactory

pytestmark = pytest.mark.django_db


def pledge_form(**changes) -> dict:
    data = {
        "code": "TDK-X",
        "unit": UnitFactory().pk,
        "beneficiary_kind": "household",
        "household": HouseholdFactory().pk,
        "start": "01/01/2019",
        "end": "31/12/2020",
        "money_vnd": "1000000",
        "labour_days": "0",
        "description": "",
    }
    data.update(changes)
    return data


def test_admin_refuses_a_pledge_ending_before_it_starts(admin_client):
    response = admin_client.post(admin_url(Pledge, "add"), pledge_form(end="31/12/2018"))

    assert_form_error(response, PERIOD_ENDS_BEFORE_START)


def test_admin_refuses_a_beneficiary_that_does_not_match_the_kind(admin_client):
    response = admin_client.post(admin_url(Pledge, "add"), pledge_form(beneficiary_kind="village"))

    assert_form_error(response, BENEFICIARY_MISMATCH)
    assert not Pledge.objects.filter(code="TDK-X").exists()


def test_database_refuses_a_pledge_ending_before_it_starts():
    with pytest.raises(IntegrityError, match="pledges_ends_after_start"), transaction.atomic():
        PledgeFactory(start=datetime.date(2020, 1, 1), end=datetime.date(2019, 1, 1))


def test_database_refuses_a_beneficiary_that_does_not_match_the_kind():
    with pytest.raises(IntegrityError, match="pledges_pledge_beneficiary_matches_kind"), transaction.atomic():
        PledgeFactory(beneficiary_kind="village")
    with pytest.raises(IntegrityError, match="pledges_pledge_beneficiary_matches_kind"), transaction.atomic():
        PledgeFactory(beneficiary_kind="household", village=VillageFactory())
