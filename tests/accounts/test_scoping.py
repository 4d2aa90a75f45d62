"""Each role against each record type: what they see, and what they may change (issue 5, "Roles")."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from apps.accounts.roles import GROUP_NAMES, LEADERSHIP
from apps.accounts.scoping import may_write, scope_queryset
from apps.donations.models import Donation
from apps.households.models import Household
from apps.pledges.models import Pledge
from apps.units.models import Member
from tests.factories import (
    CommuneFactory,
    DonationFactory,
    HouseholdFactory,
    MemberFactory,
    PledgeFactory,
    UnitFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units(focal_unit):
    other = UnitFactory(name="Đơn vị khác")
    return {
        "own": DonationFactory(unit=focal_unit),
        "other": DonationFactory(unit=other),
        "own_member": MemberFactory(unit=focal_unit),
        "other_member": MemberFactory(unit=other),
        "own_pledge": PledgeFactory(unit=focal_unit),
        "other_pledge": PledgeFactory(unit=other),
        "other_unit": other,
    }


def test_role_groups_are_created_by_migration_with_their_permissions():
    groups = {group.name: group for group in Group.objects.prefetch_related("permissions")}
    assert set(GROUP_NAMES.values()) <= set(groups)
    leadership = {p.codename for p in groups[GROUP_NAMES[LEADERSHIP]].permissions.all()}
    assert "view_donation" in leadership
    assert not [code for code in leadership if not code.startswith("view_")]


def test_unit_focal_point_sees_only_their_units_donations_members_and_pledges(unit_focal_point, two_units):
    assert list(scope_queryset(unit_focal_point, Donation.objects.all())) == [two_units["own"]]
    assert list(scope_queryset(unit_focal_point, Member.objects.all())) == [two_units["own_member"]]
    assert list(scope_queryset(unit_focal_point, Pledge.objects.all())) == [two_units["own_pledge"]]
    assert not may_write(unit_focal_point, two_units["other"])
    assert may_write(unit_focal_point, two_units["own"])


def test_commune_focal_point_sees_households_of_their_commune_and_of_communes_merged_into_it(
    commune_focal_point, focal_commune
):
    merged = CommuneFactory(successor=focal_commune, valid_to=datetime.date(2025, 6, 30))
    own = HouseholdFactory(village=VillageFactory(commune=focal_commune))
    inherited = HouseholdFactory(village=VillageFactory(commune=merged))
    elsewhere = HouseholdFactory()
    seen = set(scope_queryset(commune_focal_point, Household.objects.all()))
    assert {own, inherited} <= seen
    assert elsewhere not in seen
    assert not may_write(commune_focal_point, elsewhere)


def test_outsider_sees_no_record_at_all(outsider, two_units):
    assert not scope_queryset(outsider, Donation.objects.all()).exists()
    assert not scope_queryset(outsider, Household.objects.all()).exists()


def test_district_officer_and_leader_see_every_donation(district_officer, leader, two_units):
    total = Donation.objects.count()
    assert scope_queryset(district_officer, Donation.objects.all()).count() == total
    assert scope_queryset(leader, Donation.objects.all()).count() == total


# --- Through the admin: the same rules hold on every URL. ---


def test_unit_focal_point_cannot_open_another_units_donation_by_changing_the_id(client, unit_focal_point, two_units):
    client.force_login(unit_focal_point)
    own = client.get(reverse("admin:donations_donation_change", args=[two_units["own"].pk]))
    assert own.status_code == 200
    other = client.get(reverse("admin:donations_donation_change", args=[two_units["other"].pk]), follow=True)
    assert two_units["other"].reference not in other.content.decode()
    listing = client.get(reverse("admin:donations_donation_changelist")).content.decode()
    assert two_units["own"].reference in listing
    assert two_units["other"].reference not in listing


def test_unit_focal_point_cannot_record_a_donation_for_another_unit(client, unit_focal_point, two_units):
    client.force_login(unit_focal_point)
    household = HouseholdFactory()
    before = Donation.objects.count()
    response = client.post(
        reverse("admin:donations_donation_add"),
        {
            "reference": "TEST-OTHER-UNIT",
            "date": "10/05/2020",
            "unit": two_units["other_unit"].pk,
            "kind": "money",
            "amount_vnd": "500000",
            "beneficiary_kind": "household",
            "household": household.pk,
            "repayments-TOTAL_FORMS": "0",
            "repayments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form comes back with an error
    assert Donation.objects.count() == before


def test_unit_focal_point_cannot_edit_another_units_member(client, unit_focal_point, two_units):
    client.force_login(unit_focal_point)
    other = two_units["other_member"]
    client.post(
        reverse("admin:units_member_change", args=[other.pk]),
        {"code": other.code, "name": "Đã bị sửa", "unit": other.unit_id, "position": ""},
    )
    other.refresh_from_db()
    assert other.name != "Đã bị sửa"


def test_leader_can_read_donations_but_not_change_them(client, leader, two_units):
    client.force_login(leader)
    donation = two_units["own"]
    assert client.get(reverse("admin:donations_donation_change", args=[donation.pk])).status_code == 200
    response = client.post(reverse("admin:donations_donation_change", args=[donation.pk]), {"amount_vnd": "1"})
    assert response.status_code == 403
    donation.refresh_from_db()
    assert donation.amount_vnd == 500_000


def test_outsider_gets_no_programme_page_in_the_admin(client, outsider, two_units):
    client.force_login(outsider)
    assert client.get(reverse("admin:donations_donation_changelist")).status_code == 403
    assert client.get(reverse("admin:households_household_changelist")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/donations/" not in index
    assert "/admin/households/" not in index


def test_commune_focal_point_lists_and_edits_only_their_communes_households(client, commune_focal_point, focal_commune):
    own = HouseholdFactory(village=VillageFactory(commune=focal_commune))
    elsewhere = HouseholdFactory()
    client.force_login(commune_focal_point)
    listing = client.get(reverse("admin:households_household_changelist")).content.decode()
    assert own.code in listing
    assert elsewhere.code not in listing
    assert client.get(reverse("admin:households_household_change", args=[own.pk])).status_code == 200
    page = client.get(reverse("admin:households_household_change", args=[elsewhere.pk]), follow=True)
    assert elsewhere.head_name not in page.content.decode()
    # Donations belong to units: a commune focal point has no business there.
    assert client.get(reverse("admin:donations_donation_changelist")).status_code == 403


def test_commune_focal_point_cannot_move_a_household_into_another_communes_village(
    client, commune_focal_point, focal_commune
):
    own = HouseholdFactory(village=VillageFactory(commune=focal_commune))
    neighbour_village = VillageFactory(commune=focal_commune)
    foreign_village = VillageFactory()
    client.force_login(commune_focal_point)

    def move_to(village):
        return client.post(
            reverse("admin:households_household_change", args=[own.pk]),
            {
                "code": own.code,
                "village": village.pk,
                "head_name": own.head_name,
                "id_number": "",
                "size": "4",
                "statuses-TOTAL_FORMS": "0",
                "statuses-INITIAL_FORMS": "0",
                "students-TOTAL_FORMS": "0",
                "students-INITIAL_FORMS": "0",
            },
        )

    assert move_to(neighbour_village).status_code == 302  # within the commune: saved
    assert move_to(foreign_village).status_code == 200  # the form comes back with an error
    own.refresh_from_db()
    assert own.village == neighbour_village


def test_unit_focal_point_may_read_the_households_their_unit_helps_but_not_change_them(
    client, unit_focal_point, focal_unit
):
    household = PledgeFactory(unit=focal_unit).household
    client.force_login(unit_focal_point)
    assert client.get(reverse("admin:households_household_change", args=[household.pk])).status_code == 200
    client.post(
        reverse("admin:households_household_change", args=[household.pk]),
        {
            "code": household.code,
            "village": household.village_id,
            "head_name": "Đã bị sửa",
            "size": "4",
            "statuses-TOTAL_FORMS": "0",
            "statuses-INITIAL_FORMS": "0",
            "students-TOTAL_FORMS": "0",
            "students-INITIAL_FORMS": "0",
        },
    )
    household.refresh_from_db()
    assert household.head_name != "Đã bị sửa"


def test_a_new_communes_focal_point_sees_the_villages_and_households_moved_from_its_old_communes(client):
    """On the demo district: Hòa Thịnh (2025) holds the villages of Hòa Đồng and the old Hòa Thịnh."""
    from apps.communes.models import Commune, Village
    from tests.conftest import _staff_user

    new = Commune.objects.get(code="HOA_THINH_2025")
    focal_point = _staff_user("dau_moi_hoa_thinh", "commune_focal_point", commune=new)
    villages = set(scope_queryset(focal_point, Village.objects.all()))
    moved = set(Village.objects.ever_in(Commune.objects.filter(code__in=["HOA_DONG", "HOA_THINH"])))
    assert villages == moved and len(moved) == 13
    households = scope_queryset(focal_point, Household.objects.all())
    assert households.exists()
    assert set(households.values_list("village__commune__code", flat=True)) == {"HOA_THINH_2025"}
    elsewhere = Household.objects.filter(village__commune__code="TAY_HOA_2025").first()
    assert not may_write(focal_point, elsewhere)
    client.force_login(focal_point)
    page = client.get(reverse("admin:communes_village_changelist")).content.decode()
    assert "Mỹ Hòa 1" in page and "Phú Diễn" in page  # from the old Hòa Thịnh and from Hòa Đồng
    assert "Mỹ Lệ Đông" not in page  # a village of xã Tây Hòa
    assert client.get(reverse("admin:households_household_change", args=[elsewhere.pk])).status_code == 302
