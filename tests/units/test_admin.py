"""The admin of groups, units, memberships, assignments and members for a superuser (issue 2, part 4)."""

import datetime

import pytest

from apps.units.models import Assignment, GroupMembership, Member, Unit, UnitGroup
from tests.admin_helpers import admin_url, assert_admin_pages_bounded, search_results
from tests.factories import (
    AssignmentFactory,
    CommuneCommitteeFactory,
    DonationFactory,
    GroupMembershipFactory,
    MemberFactory,
    UnitFactory,
    UnitGroupFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db


def test_group_pages_answer_with_queries_that_do_not_grow_with_its_units(admin_client, django_assert_max_num_queries):
    def make(n):
        UnitGroupFactory.create_batch(n)
        group = UnitGroupFactory()
        GroupMembershipFactory.create_batch(n, group=group)
        for village in VillageFactory.create_batch(n):
            AssignmentFactory(group=group, commune=village.commune, village=village)
        return group

    assert_admin_pages_bounded(admin_client, django_assert_max_num_queries, UnitGroup, make, "TN")


def test_unit_pages_answer_with_queries_that_do_not_grow_with_members(admin_client, django_assert_max_num_queries):
    def make(n):
        for unit in UnitFactory.create_batch(n):
            GroupMembershipFactory(unit=unit)
            DonationFactory(unit=unit)
        unit = CommuneCommitteeFactory()
        MemberFactory.create_batch(n, unit=unit)
        return unit

    assert_admin_pages_bounded(admin_client, django_assert_max_num_queries, Unit, make, "TDV")


def test_membership_pages_answer_with_bounded_queries(admin_client, django_assert_max_num_queries):
    def make(n):
        return GroupMembershipFactory.create_batch(n)[0]

    assert_admin_pages_bounded(admin_client, django_assert_max_num_queries, GroupMembership, make, "TDV")


def test_assignment_pages_answer_with_bounded_queries(admin_client, django_assert_max_num_queries):
    def make(n):
        villages = VillageFactory.create_batch(n)
        return [AssignmentFactory(commune=v.commune, village=v) for v in villages][0]

    assert_admin_pages_bounded(admin_client, django_assert_max_num_queries, Assignment, make, "TN")


def test_member_pages_answer_with_bounded_queries(admin_client, django_assert_max_num_queries):
    def make(n):
        return MemberFactory.create_batch(n)[0]

    assert_admin_pages_bounded(admin_client, django_assert_max_num_queries, Member, make, "TCB")


def test_searching_units_without_diacritics_finds_them(admin_client):
    unit = UnitFactory(name="Phòng Giáo dục Hòa Bình Thử")
    committee = CommuneCommitteeFactory(name="Đảng ủy xã Hòa Đồng Thử")

    assert unit in search_results(admin_client, Unit, "giao duc hoa binh thu")
    assert committee in search_results(admin_client, Unit, "dang uy dong thu")
    assert unit in search_results(admin_client, Unit, unit.code)


def test_unit_list_shows_its_group_today_and_the_money_it_gave(admin_client):
    unit = UnitFactory(name="Đơn vị có tiền")
    group = UnitGroupFactory(name="Nhóm đang giúp")
    GroupMembershipFactory(unit=unit, group=UnitGroupFactory(name="Nhóm cũ"), end=datetime.date(2018, 10, 31))
    GroupMembershipFactory(unit=unit, group=group, start=datetime.date(2018, 11, 1))
    DonationFactory(unit=unit, amount_vnd=745_000_000)
    DonationFactory(unit=unit, amount_vnd=5_000_000)
    DonationFactory(unit=unit, labour=True)

    response = admin_client.get(admin_url(Unit, "changelist"), {"q": unit.code})

    row = response.context["cl"].result_list[0]
    assert (row.current_group_name, row.donation_count, row.money_given) == ("Nhóm đang giúp", 3, 750_000_000)
    assert "750.000.000" in response.content.decode()
