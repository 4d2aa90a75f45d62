"""The admin of households, yearly statuses, students and targets for a superuser (issue 2, part 4)."""

import pytest

from apps.donations.models import Donation
from apps.households.models import Household, HouseholdStatus, Student, Target
from tests.admin_helpers import admin_url, assert_admin_pages_bounded, search_results
from tests.factories import (
    CommuneFactory,
    DonationFactory,
    HouseholdFactory,
    HouseholdStatusFactory,
    StudentFactory,
    TargetFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db


def test_household_pages_answer_with_queries_that_do_not_grow_with_its_years(
    admin_client, django_assert_max_num_queries
):
    def make(n):
        for household in HouseholdFactory.create_batch(n):
            HouseholdStatusFactory(household=household)
        household = HouseholdFactory()
        for year in range(2000, 2000 + n):
            HouseholdStatusFactory(household=household, year=year)
        StudentFactory.create_batch(n, household=household)
        return household

    assert_admin_pages_bounded(admin_client, django_assert_max_num_queries, Household, make, "THO")


def test_yearly_status_pages_answer_with_bounded_queries(admin_client, django_assert_max_num_queries):
    def make(n):
        return HouseholdStatusFactory.create_batch(n)[0]

    assert_admin_pages_bounded(admin_client, django_assert_max_num_queries, HouseholdStatus, make, "THO")


def test_student_pages_answer_with_bounded_queries(admin_client, django_assert_max_num_queries):
    def make(n):
        return StudentFactory.create_batch(n)[0]

    assert_admin_pages_bounded(admin_client, django_assert_max_num_queries, Student, make, "THS")


def test_target_pages_answer_with_bounded_queries(admin_client, django_assert_max_num_queries):
    def make(n):
        TargetFactory.create_batch(n, kind=Target.Kind.MODEL_GARDEN, village=None, household=HouseholdFactory())
        return TargetFactory.create_batch(n)[0]

    assert_admin_pages_bounded(admin_client, django_assert_max_num_queries, Target, make, "TMT")


def test_searching_households_by_their_village_or_commune_ignores_diacritics(admin_client):
    village = VillageFactory(name="Thôn Đông Thử", commune=CommuneFactory(name="Hòa Bình Thử"))
    household = HouseholdFactory(village=village)
    elsewhere = HouseholdFactory()

    assert household in search_results(admin_client, Household, "hoa binh thu")
    assert household in search_results(admin_client, Household, "thon dong thu")
    assert elsewhere not in search_results(admin_client, Household, "hoa binh thu")
    assert household in search_results(admin_client, Household, household.code)


def test_household_list_shows_the_latest_years_status(admin_client):
    household = HouseholdFactory()
    HouseholdStatusFactory(household=household, year=2018, status=HouseholdStatus.Status.POOR)
    HouseholdStatusFactory(household=household, year=2021, status=HouseholdStatus.Status.NEAR_POOR)

    response = admin_client.get(admin_url(Household, "changelist"), {"q": household.code, "latest_status": "near_poor"})

    assert list(response.context["cl"].result_list) == [household]
    assert "2021" in response.content.decode()
    assert "2.021" not in response.content.decode()


def test_a_phrase_finds_heads_with_its_words_in_order_before_words_scattered_over_fields(admin_client):
    """Issue 13: "nguyen van" must not bring "Nguyễn Ngọc Hạnh" of village "Vạn Lộc" when Nguyễn Văn heads exist."""
    van_loc = VillageFactory(name="Vạn Lộc")
    scattered = HouseholdFactory(head_name="Nguyễn Ngọc Hạnh", village=van_loc)
    in_order = HouseholdFactory(head_name="Nguyễn Văn Thành")

    found = search_results(admin_client, Household, "nguyen van")

    assert in_order in found
    assert scattered not in found
    # With no head named so, words spread over the name and the village still find the household.
    assert scattered in search_results(admin_client, Household, "hanh van loc")


def test_donations_are_found_by_a_phrase_of_the_household_heads_name(admin_client):
    scattered = DonationFactory(
        household=HouseholdFactory(head_name="Khoai Thị Mít", village=VillageFactory(name="Vân Sơn"))
    )
    in_order = DonationFactory(household=HouseholdFactory(head_name="Khoai Văn Tây"))

    found = search_results(admin_client, Donation, "khoai vân")

    assert in_order in found and scattered not in found


def test_household_page_shows_each_reviews_deprivations_causes_and_derived_change(admin_client):
    from apps.households.models import DeprivationIndicator, PovertyCause

    household = HouseholdFactory()
    HouseholdStatusFactory(household=household, year=2022, status="poor")
    later = HouseholdStatusFactory(household=household, year=2023, status="near_poor", decision_number="215/QĐ-UBND")
    later.deprivations.set(DeprivationIndicator.objects.filter(code__in=["2022_viec_lam", "2022_nha_tieu"]))
    later.causes.set(PovertyCause.objects.filter(code="thieu_von"))

    page = admin_client.get(admin_url(Household, "change", household.pk)).content.decode()

    assert "Việc làm" in page and "Nhà tiêu hợp vệ sinh" in page
    assert "Thiếu vốn sản xuất, kinh doanh" in page
    assert "215/QĐ-UBND" in page
    assert "thoát nghèo" in page  # poor in 2022, near-poor in 2023: derived, not typed


def test_admin_refuses_a_deprivation_of_another_standard(admin_client):
    from apps.households.models import DeprivationIndicator

    household = HouseholdFactory()
    old_indicator = DeprivationIndicator.objects.get(code="2016_tre_em_di_hoc")

    response = admin_client.post(
        admin_url(HouseholdStatus, "add"),
        {
            "household": household.pk,
            "year": "2023",
            "status": "poor",
            "review_round": "yearly",
            "deprivations": [old_indicator.pk],
        },
    )

    assert response.status_code == 200
    assert "deprivations" in response.context["adminform"].form.errors
    assert not HouseholdStatus.objects.filter(household=household).exists()
