"""The commune and village admin pages for a superuser (issue 2, part 4)."""

import datetime

import pytest

from apps.communes.models import Commune, Village
from tests.admin_helpers import admin_url, assert_admin_pages_bounded, search_results
from tests.factories import CommuneFactory, VillageFactory

pytestmark = pytest.mark.django_db


def test_commune_pages_answer_with_queries_that_do_not_grow_with_villages(admin_client, django_assert_max_num_queries):
    def make(n):
        CommuneFactory.create_batch(n)
        commune = CommuneFactory()
        VillageFactory.create_batch(n, commune=commune)
        return commune

    assert_admin_pages_bounded(admin_client, django_assert_max_num_queries, Commune, make, "TXA")


def test_village_pages_answer_with_queries_that_do_not_grow_with_villages(admin_client, django_assert_max_num_queries):
    def make(n):
        return VillageFactory.create_batch(n)[0]

    assert_admin_pages_bounded(admin_client, django_assert_max_num_queries, Village, make, "TTH")


def test_searching_communes_without_diacritics_finds_them(admin_client):
    hoa_binh = CommuneFactory(name="Hòa Bình Thử")
    hoa_dong = CommuneFactory(name="Hòa Đồng Thử")

    assert hoa_binh in search_results(admin_client, Commune, "hoa binh thu")
    assert hoa_dong in search_results(admin_client, Commune, "dong thu")
    assert hoa_binh not in search_results(admin_client, Commune, "dong thu")


def test_searching_villages_finds_them_by_name_commune_or_code(admin_client):
    village = VillageFactory(name="Buôn Đông Thử", commune=CommuneFactory(name="Sơn Thành Thử"))

    assert village in search_results(admin_client, Village, "buon dong thu")
    assert village in search_results(admin_client, Village, "son thanh thu")
    assert village in search_results(admin_client, Village, village.code.lower())


def test_typing_the_diacritics_finds_the_same_rows(admin_client):
    commune = CommuneFactory(name="Hòa Mỹ Thử")

    assert commune in search_results(admin_client, Commune, "Hòa Mỹ Thử")
    assert commune in search_results(admin_client, Commune, "HOA MY THU")


def test_commune_list_separates_merged_communes_from_existing_ones(admin_client):
    successor = CommuneFactory(name="Xã mới Thử")
    merged = CommuneFactory(name="Xã cũ Thử", successor=successor, valid_to=datetime.date(2025, 6, 30))

    merged_only = admin_client.get(admin_url(Commune, "changelist"), {"q": "thu", "merged": "yes"})
    existing_only = admin_client.get(admin_url(Commune, "changelist"), {"q": "thu", "merged": "no"})

    assert merged in merged_only.context["cl"].result_list
    assert successor not in merged_only.context["cl"].result_list
    assert successor in existing_only.context["cl"].result_list
    assert merged not in existing_only.context["cl"].result_list
