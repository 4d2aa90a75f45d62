"""Rules on units, memberships and assignments: the admin's message, the database's refusal (issue 2, part 3)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.html import escape

from apps.core.models import PERIOD_ENDS_BEFORE_START
from apps.units.models import (
    COMMITTEE_NEEDS_COMMUNE,
    COMMITTEE_OUTLIVES_COMMUNE,
    UNIT_ALREADY_IN_GROUP,
    VILLAGE_OUTSIDE_COMMUNE,
    Assignment,
    GroupMembership,
    Unit,
)
from tests.admin_helpers import admin_url, assert_form_error
from tests.factories import (
    AssignmentFactory,
    CommuneCommitteeFactory,
    CommuneFactory,
    GroupMembershipFactory,
    UnitFactory,
    UnitGroupFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db


def test_admin_refuses_a_commune_committee_without_its_commune(admin_client):
    response = admin_client.post(
        admin_url(Unit, "add"),
        {
            "code": "TDV-X",
            "name": "Đảng ủy xã thử",
            "kind": "commune_committee",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )

    assert_form_error(response, COMMITTEE_NEEDS_COMMUNE)
    assert not Unit.objects.filter(code="TDV-X").exists()


def test_database_refuses_a_commune_committee_without_its_commune():
    with pytest.raises(IntegrityError, match="units_committee_has_commune"), transaction.atomic():
        Unit.objects.create(code="TDV-Y", name="Đảng ủy xã thử", kind=Unit.Kind.COMMUNE_COMMITTEE)


def test_admin_refuses_a_unit_in_two_groups_at_once_with_one_clear_message(admin_client):
    membership = GroupMembershipFactory(start=datetime.date(2014, 2, 14), end=None)

    response = admin_client.post(
        admin_url(GroupMembership, "add"),
        {
            "unit": membership.unit_id,
            "group": UnitGroupFactory().pk,
            "start": "01/01/2016",
        },
    )

    assert_form_error(response, UNIT_ALREADY_IN_GROUP)
    assert "units_membership_one_group_at_a_time" not in response.content.decode()


def test_a_unit_may_move_to_another_group_once_the_first_membership_ended(admin_client):
    membership = GroupMembershipFactory(start=datetime.date(2014, 2, 14), end=datetime.date(2018, 10, 31))

    response = admin_client.post(
        admin_url(GroupMembership, "add"),
        {
            "unit": membership.unit_id,
            "group": UnitGroupFactory().pk,
            "start": "01/11/2018",
        },
    )

    assert response.status_code == 302
    assert membership.unit.memberships.count() == 2


def test_database_refuses_a_unit_in_two_groups_at_once():
    membership = GroupMembershipFactory(start=datetime.date(2014, 2, 14), end=datetime.date(2018, 10, 31))

    with pytest.raises(IntegrityError, match="units_membership_one_group_at_a_time"), transaction.atomic():
        GroupMembership.objects.create(
            unit=membership.unit, group=UnitGroupFactory(), start=datetime.date(2018, 10, 31)
        )


def test_admin_refuses_a_membership_ending_before_it_starts(admin_client):
    response = admin_client.post(
        admin_url(GroupMembership, "add"),
        {
            "unit": UnitFactory().pk,
            "group": UnitGroupFactory().pk,
            "start": "01/01/2016",
            "end": "31/12/2015",
        },
    )

    assert_form_error(response, PERIOD_ENDS_BEFORE_START)


def test_database_refuses_periods_ending_before_they_start():
    with pytest.raises(IntegrityError, match="units_membership_ends_after_start"), transaction.atomic():
        GroupMembershipFactory(start=datetime.date(2016, 1, 1), end=datetime.date(2015, 12, 31))
    with pytest.raises(IntegrityError, match="units_assignment_ends_after_start"), transaction.atomic():
        AssignmentFactory(start=datetime.date(2016, 1, 1), end=datetime.date(2015, 12, 31))


def test_admin_refuses_an_assigned_village_of_another_commune(admin_client):
    response = admin_client.post(
        admin_url(Assignment, "add"),
        {
            "group": UnitGroupFactory().pk,
            "commune": CommuneFactory().pk,
            "village": VillageFactory().pk,
            "start": "01/11/2018",
        },
    )

    assert_form_error(response, VILLAGE_OUTSIDE_COMMUNE)


# --- Units that end (issue 9: district offices dissolved on 30/06/2025) ----------------------


def test_a_unit_exists_up_to_its_last_day_and_not_after():
    ended = UnitFactory(valid_to=datetime.date(2025, 6, 30))
    lasting = UnitFactory()
    old_commune = CommuneFactory(valid_to=datetime.date(2025, 6, 30))
    old_committee = CommuneCommitteeFactory(commune=old_commune)

    on_last_day = set(Unit.objects.existing_on(datetime.date(2025, 6, 30)))
    after = set(Unit.objects.existing_on(datetime.date(2025, 7, 1)))

    assert {ended, lasting, old_committee} <= on_last_day
    assert lasting in after
    assert ended not in after and old_committee not in after


def test_admin_refuses_a_commune_committee_outliving_its_commune(admin_client):
    commune = CommuneFactory(valid_to=datetime.date(2025, 6, 30))

    response = admin_client.post(
        admin_url(Unit, "add"),
        {
            "code": "TDV-LATE",
            "name": "Đảng ủy xã cũ thử",
            "kind": "commune_committee",
            "commune": commune.pk,
            "valid_to": "31/12/2025",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200, "a committee outliving its commune was saved"
    with translation.override("vi"):
        expected = str(COMMITTEE_OUTLIVES_COMMUNE) % {"day": "30/06/2025"}
    assert escape(expected) in response.content.decode()
    assert not Unit.objects.filter(code="TDV-LATE").exists()


def test_units_are_imported_with_the_day_they_ended(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(
        "code,name,kind,valid_to\nTDV-PHONG,Phòng thử,district_unit,30/06/2025\nTDV-SO,Sở thử,district_unit,\n",
        encoding="utf-8",
    )

    call_command("import_records", "units", str(path), stdout=io.StringIO())

    assert Unit.objects.get(code="TDV-PHONG").valid_to == datetime.date(2025, 6, 30)
    assert Unit.objects.get(code="TDV-SO").valid_to is None
