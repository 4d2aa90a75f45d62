"""Commune rules: shown in the admin form, and held by the database whatever writes (issue 2, part 3)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from apps.communes.models import SUCCESSOR_IS_SELF, SUCCESSOR_NEEDS_END, Commune
from tests.admin_helpers import admin_url, assert_form_error
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def commune_form(commune, **changes) -> dict:
    data = {
        "code": commune.code,
        "name": commune.name,
        "kind": commune.kind,
        "villages-TOTAL_FORMS": "0",
        "villages-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_admin_refuses_to_merge_a_commune_into_itself(admin_client):
    commune = CommuneFactory()

    response = admin_client.post(
        admin_url(Commune, "change", commune.pk), commune_form(commune, successor=commune.pk, valid_to="30/06/2025")
    )

    assert_form_error(response, SUCCESSOR_IS_SELF)


def test_admin_asks_when_a_merged_commune_ceased_to_exist(admin_client):
    commune = CommuneFactory()

    response = admin_client.post(
        admin_url(Commune, "change", commune.pk), commune_form(commune, successor=CommuneFactory().pk)
    )

    assert_form_error(response, SUCCESSOR_NEEDS_END)


def test_database_refuses_a_commune_merged_into_itself():
    commune = CommuneFactory()

    with pytest.raises(IntegrityError, match="communes_commune_not_own_successor"), transaction.atomic():
        Commune.objects.filter(pk=commune.pk).update(successor=commune, valid_to=datetime.date(2025, 6, 30))


def test_database_refuses_a_merger_without_an_end_date():
    commune = CommuneFactory()

    with pytest.raises(IntegrityError, match="communes_merged_commune_has_end"), transaction.atomic():
        Commune.objects.filter(pk=commune.pk).update(successor=CommuneFactory())
