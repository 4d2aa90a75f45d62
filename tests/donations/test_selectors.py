"""The counting selector: the review's figures from the demo, and each counting rule on our own data."""

import datetime

import pytest

from apps.communes.models import Commune
from apps.donations.selectors import totals
from tests.factories import (
    CommuneCommitteeFactory,
    CommuneFactory,
    DonationFactory,
    GroupMembershipFactory,
    HouseholdFactory,
    RepaymentFactory,
    StudentFactory,
    UnitFactory,
    UnitGroupFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

REVIEW = {"start": datetime.date(2014, 2, 14), "end": datetime.date(2018, 10, 24)}
NOTHING = {
    "money_vnd": 0,
    "loans_vnd": 0,
    "labour_days": 0,
    "goods": {},
    "household_visits": 0,
    "households": 0,
    "students": 0,
}


def goods(**quantities):
    names = {
        "gao": ("Gạo", "kg"),
        "duong": ("Đường", "kg"),
        "sach": ("Sách", "bộ"),
        "vo": ("Vở", "quyển"),
        "quan_ao": ("Quần áo", "bộ"),
        "xe_dap": ("Xe đạp", "chiếc"),
    }
    return {
        code: {"name": names[code][0], "measure": names[code][1], "quantity": quantity}
        for code, quantity in quantities.items()
    }


# --- The 4-year review (14/02/2014 - 24/10/2018), from the demo district ----------------------


def test_district_unit_groups_gave_what_the_review_reported():
    district = totals(**REVIEW)["sectors"]["district_units"]

    assert district["money_vnd"] == 499_650_000  # "gần 500 triệu đồng"
    assert district["goods"] == goods(gao=30, duong=48)
    assert district["loans_vnd"] == 49_000_000
    assert district["labour_days"] == 0


def test_commune_party_committees_gave_what_the_review_reported():
    committees = totals(**REVIEW)["sectors"]["commune_committees"]

    assert committees["money_vnd"] == 745_320_000  # "trên 745 triệu đồng"
    assert committees["goods"] == goods(gao=1009, sach=97, vo=1075, quan_ao=59, xe_dap=17)
    assert committees["labour_days"] == 40
    assert committees["loans_vnd"] == 0


def test_other_units_gave_nothing_in_the_review_period():
    assert totals(**REVIEW)["sectors"]["other"] == NOTHING


def test_review_totals_are_1325_household_visits_and_796_students():
    total = totals(**REVIEW)["total"]

    assert total["household_visits"] == 1325
    assert total["students"] == 796
    assert total["money_vnd"] == 499_650_000 + 745_320_000
    assert total["loans_vnd"] == 49_000_000
    assert total["labour_days"] == 40
    assert total["goods"] == goods(gao=1039, duong=48, sach=97, vo=1075, quan_ao=59, xe_dap=17)
    sectors = totals(**REVIEW)["sectors"]
    assert sectors["district_units"]["household_visits"] + sectors["commune_committees"]["household_visits"] == 1325
    assert sectors["district_units"]["students"] + sectors["commune_committees"]["students"] == 796


def test_review_goods_are_listed_in_catalogue_order():
    assert list(totals(**REVIEW)["total"]["goods"]) == ["gao", "duong", "sach", "vo", "quan_ao", "xe_dap"]


# --- Counting rules, on records of our own (scoped to a fresh commune) ------------------------


@pytest.fixture
def commune():
    return CommuneFactory()


@pytest.fixture
def household(commune):
    return HouseholdFactory(village=VillageFactory(commune=commune))


def count(commune, **period):
    return totals(commune=commune, **period)["total"]


def test_two_items_handed_over_on_one_visit_count_as_one_household_visit(commune, household):
    unit = UnitFactory()
    DonationFactory(unit=unit, household=household, amount_vnd=500_000)
    DonationFactory(unit=unit, household=household, goods=True)

    figures = count(commune)
    assert figures["household_visits"] == 1
    assert figures["households"] == 1


def test_one_household_helped_by_two_units_on_the_same_day_counts_twice(commune, household):
    DonationFactory(unit=UnitFactory(), household=household)
    DonationFactory(unit=UnitFactory(), household=household)

    figures = count(commune)
    assert figures["household_visits"] == 2
    assert figures["households"] == 1


def test_one_household_helped_by_one_unit_on_two_days_counts_twice(commune, household):
    unit = UnitFactory()
    DonationFactory(unit=unit, household=household, date=datetime.date(2016, 5, 10))
    DonationFactory(unit=unit, household=household, date=datetime.date(2016, 5, 11))

    assert count(commune)["household_visits"] == 2


def test_help_to_a_village_or_student_is_not_a_household_visit(commune, household):
    DonationFactory(beneficiary_kind="village", household=None, village=household.village)
    DonationFactory(beneficiary_kind="student", household=None, student=StudentFactory(household=household))

    figures = count(commune)
    assert figures["household_visits"] == 0
    assert figures["students"] == 1
    assert figures["money_vnd"] == 1_000_000


def test_estimated_value_of_goods_is_never_added_to_money(commune, household):
    DonationFactory(household=household, amount_vnd=500_000)
    DonationFactory(household=household, goods=True, amount_vnd=300_000, quantity=12)

    figures = count(commune)
    assert figures["money_vnd"] == 500_000
    assert figures["loans_vnd"] == 0
    assert figures["goods"] == goods(gao=12)


def test_loans_count_what_was_lent_not_what_was_repaid(commune, household):
    loan = DonationFactory(household=household, loan=True, amount_vnd=5_000_000)
    RepaymentFactory(loan=loan, amount_vnd=2_000_000)
    RepaymentFactory(loan=loan, amount_vnd=3_000_000)

    figures = count(commune)
    assert figures["loans_vnd"] == 5_000_000
    assert figures["money_vnd"] == 0


def test_labour_days_are_summed_with_their_fractions(commune, household):
    DonationFactory(household=household, labour=True, labour_days=2)
    DonationFactory(household=household, labour=True, labour_days=1.5)

    assert count(commune)["labour_days"] == 3.5


def test_period_includes_both_end_dates(commune, household):
    for day in (
        datetime.date(2016, 12, 31),
        datetime.date(2017, 1, 1),
        datetime.date(2017, 12, 31),
        datetime.date(2018, 1, 1),
    ):
        DonationFactory(household=household, date=day, amount_vnd=day.month * 100_000 + day.day * 1_000)

    figures = count(commune, start=datetime.date(2017, 1, 1), end=datetime.date(2017, 12, 31))
    assert figures["money_vnd"] == 101_000 + 1_231_000
    assert count(commune, start=datetime.date(2018, 1, 1))["money_vnd"] == 101_000
    assert count(commune, end=datetime.date(2016, 12, 31))["money_vnd"] == 1_231_000


def test_commune_scope_includes_the_communes_merged_into_it():
    new = CommuneFactory(name="Xã Mới")
    old = CommuneFactory(name="Xã Cũ", successor=new, valid_to=datetime.date(2025, 6, 30))
    neighbour = CommuneFactory()
    village = VillageFactory(commune=old)
    DonationFactory(household=HouseholdFactory(village=village), amount_vnd=700_000)
    DonationFactory(beneficiary_kind="commune", household=None, commune=new, amount_vnd=2_000_000)
    DonationFactory(household=HouseholdFactory(village=VillageFactory(commune=neighbour)), amount_vnd=9_000_000)

    assert count(new)["money_vnd"] == 2_700_000  # the old commune's records, reported under the new name
    assert count(old)["money_vnd"] == 700_000  # and still under the old one
    assert count(neighbour)["money_vnd"] == 9_000_000


def test_group_scope_follows_membership_on_the_donations_date():
    before, after = UnitGroupFactory(), UnitGroupFactory()
    unit = UnitFactory()
    GroupMembershipFactory(unit=unit, group=before, start=datetime.date(2014, 2, 14), end=datetime.date(2018, 10, 24))
    GroupMembershipFactory(unit=unit, group=after, start=datetime.date(2018, 11, 1), end=None)
    DonationFactory(unit=unit, date=datetime.date(2016, 6, 1), amount_vnd=1_000_000)
    DonationFactory(unit=unit, date=datetime.date(2018, 10, 24), amount_vnd=200_000)
    DonationFactory(unit=unit, date=datetime.date(2018, 10, 28), amount_vnd=40_000_000)  # between the groups
    DonationFactory(unit=unit, date=datetime.date(2019, 6, 1), amount_vnd=3_000_000)

    assert totals(group=before)["total"]["money_vnd"] == 1_200_000
    assert totals(group=after)["total"]["money_vnd"] == 3_000_000


def test_households_and_students_are_counted_once_however_often_helped(commune, household):
    student = StudentFactory(household=household)
    other_student = StudentFactory(household=household)
    for day in (datetime.date(2015, 3, 1), datetime.date(2016, 3, 1)):
        DonationFactory(household=household, date=day)
        DonationFactory(beneficiary_kind="student", household=None, student=student, date=day)
    DonationFactory(beneficiary_kind="student", household=None, student=other_student)

    figures = count(commune)
    assert figures["households"] == 1
    assert figures["household_visits"] == 2
    assert figures["students"] == 2


def test_a_donation_counts_in_the_sector_of_its_units_kind(commune, household):
    DonationFactory(household=household, unit=UnitFactory(), amount_vnd=100_000)
    DonationFactory(household=household, unit=CommuneCommitteeFactory(commune=commune), amount_vnd=200_000)
    DonationFactory(household=household, unit=UnitFactory(kind="other"), amount_vnd=400_000)

    sectors = totals(commune=commune)["sectors"]
    assert [sectors[s]["money_vnd"] for s in ("district_units", "commune_committees", "other")] == [
        100_000,
        200_000,
        400_000,
    ]
    assert totals(commune=commune)["total"]["money_vnd"] == 700_000
    assert totals(commune=commune)["total"]["household_visits"] == 3


def test_a_scope_with_no_donations_gives_zeros_in_every_sector(commune):
    result = totals(commune=commune)
    assert result["total"] == NOTHING
    assert all(result["sectors"][s] == NOTHING for s in ("district_units", "commune_committees", "other"))


# --- Cost: a handful of queries, whatever the data --------------------------------------------


def add_donations(commune, group, how_many):
    unit = UnitFactory()
    GroupMembershipFactory(unit=unit, group=group, start=datetime.date(2014, 2, 14))
    village = VillageFactory(commune=commune)
    for index in range(how_many):
        household = HouseholdFactory(village=village)
        DonationFactory(unit=unit, household=household, date=datetime.date(2016, 1, 1 + index % 28))
        DonationFactory(unit=unit, household=household, goods=True, date=datetime.date(2016, 1, 1 + index % 28))
        DonationFactory(
            beneficiary_kind="student", household=None, unit=unit, student=StudentFactory(household=household)
        )


def fresh(commune: Commune) -> Commune:
    return Commune.objects.get(pk=commune.pk)


def test_totals_take_the_same_few_queries_for_few_or_many_donations(django_assert_max_num_queries, commune):
    group = UnitGroupFactory()
    counts = []
    for how_many in (1, 30):
        add_donations(commune, group, how_many)
        # The commune read again for each call, as each page does (its family is then read once per call).
        for scope in ({}, {"commune": fresh(commune)}, {"group": group}, {"commune": fresh(commune), "group": group}):
            with django_assert_max_num_queries(5) as queries:
                totals(**REVIEW, **scope)
            counts.append(len(queries))
    assert counts[:4] == counts[4:]
    assert totals(commune=commune)["total"]["households"] == 31


def test_a_revolving_loan_can_be_followed_from_any_of_its_loans(admin_client):
    from django.urls import reverse

    from apps.donations.selectors import loan_chain
    from tests.factories import DonationFactory

    first = DonationFactory(loan=True, reference="TVQ-1", date=datetime.date(2019, 3, 1))
    second = DonationFactory(loan=True, reference="TVQ-2", date=datetime.date(2020, 3, 1), previous_loan=first)
    third = DonationFactory(loan=True, reference="TVQ-3", date=datetime.date(2021, 3, 1), previous_loan=second)
    alone = DonationFactory(loan=True, reference="TVQ-ALONE")

    assert [loan.reference for loan in loan_chain(loan=second)] == ["TVQ-1", "TVQ-2", "TVQ-3"]
    assert [loan.reference for loan in loan_chain(loan=third)] == ["TVQ-1", "TVQ-2", "TVQ-3"]
    assert loan_chain(loan=alone) == []

    page = admin_client.get(reverse("admin:donations_donation_change", args=[first.pk])).content.decode()
    assert page.index("TVQ-2") < page.index("TVQ-3")
    assert reverse("admin:donations_donation_change", args=[third.pk]) in page
