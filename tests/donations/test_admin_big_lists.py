"""The donations list read the fast way at province scale (issue 10) shows what Django's plain way shows:
the same years and months in the date hierarchy, the same rows on a far page, the same rows found by a search."""

import datetime

import pytest
from django.db.models import QuerySet

from apps.accounts import admin_base
from apps.donations.models import Donation
from tests.admin_helpers import admin_url, search_results
from tests.factories import DonationFactory, HouseholdFactory

pytestmark = pytest.mark.django_db


def test_the_date_hierarchy_lists_the_same_years_and_months_as_djangos_distinct_dates(admin_client):
    for day in [datetime.date(2016, 3, 5), datetime.date(2016, 11, 30), datetime.date(2019, 1, 1)]:
        DonationFactory(date=day, reference=f"TUH-{day}")
    DonationFactory(date=datetime.date(2021, 12, 31), goods=True, reference="TUH-goods")
    # No row in 2017, 2018 or 2020: those years are not offered.
    listed = admin_client.get(admin_url(Donation, "changelist")).context["cl"].queryset

    assert type(listed).dates is not QuerySet.dates  # the list is read the fast way
    for kind in ["year", "month"]:
        for order in ["ASC", "DESC"]:
            assert listed.dates("date", kind, order) == list(QuerySet.dates(listed, "date", kind, order))
    mine = listed.filter(reference__startswith="TUH-")
    assert [day.year for day in mine.dates("date", "year")] == [2016, 2019, 2021]
    assert [day.month for day in mine.filter(date__year=2016).dates("date", "month")] == [3, 11]
    assert mine.dates("date", "month", order="DESC")[0] == datetime.date(2021, 12, 1)
    goods = admin_client.get(admin_url(Donation, "changelist"), {"kind__exact": "goods"}).context["cl"].queryset
    assert goods.dates("date", "year") == list(QuerySet.dates(goods, "date", "year"))
    assert datetime.date(2021, 1, 1) in goods.dates("date", "year")


def test_a_far_page_shows_the_rows_plain_slicing_shows_in_the_lists_order(admin_client):
    for n in range(7):
        DonationFactory(date=datetime.date(2020, 1, 1 + n % 3), reference=f"TUH-2020-{n:04d}")
    admin_base.ProgrammeModelAdmin.list_per_page = 3
    try:
        pages = [
            list(admin_client.get(admin_url(Donation, "changelist"), {"p": p}).context["cl"].result_list)
            for p in (1, 2, 3)
        ]
    finally:
        admin_base.ProgrammeModelAdmin.list_per_page = 50

    everything = [d.reference for d in Donation.objects.order_by("-date", "reference")]
    assert [[d.reference for d in page] for page in pages] == [everything[0:3], everything[3:6], everything[6:9]]


def test_a_search_finds_by_head_name_by_reference_and_across_fields_as_before(admin_client):
    khanh = HouseholdFactory(head_name="Ngô Xuânzy Khánhzy")
    DonationFactory(household=khanh, reference="TUH-ZZ-0001")
    DonationFactory(household=khanh, reference="TUH-ZZ-0002")
    DonationFactory(household=HouseholdFactory(head_name="Ngô Khánhzy Xuânzy"), reference="TUH-ZZ-0003")
    DonationFactory(reference="CA-QQXUAN-KHANH-9")

    def found(term: str) -> list[str]:
        return sorted(d.reference for d in search_results(admin_client, Donation, term))

    assert found("ngo xuanzy khanhzy") == ["TUH-ZZ-0001", "TUH-ZZ-0002"]  # the phrase, in order, in one name
    assert found("khanhzy xuanzy") == ["TUH-ZZ-0003"]
    assert found("qqxuan-khanh") == ["CA-QQXUAN-KHANH-9"]  # a reference, in capitals or not
    assert found("tuh-zz-0003") == ["TUH-ZZ-0003"]
    # Each word anywhere, when no single field holds the phrase: a word of the head's name and of the reference.
    assert found("xuanzy 0003") == ["TUH-ZZ-0003"]
    assert found("xuanzy zz-0002") == ["TUH-ZZ-0002"]
    assert found("nobodyzz") == []


def test_a_search_finding_more_rows_than_read_by_id_lists_them_all(admin_client, monkeypatch):
    monkeypatch.setattr(admin_base, "SEARCH_IDS_AT_MOST", 2)
    household = HouseholdFactory(head_name="Lò Văn Pọmzy")
    for n in range(4):
        DonationFactory(household=household, reference=f"TUH-ZZ-{n:04d}")
    DonationFactory(reference="TUH-ZZ-0009")

    assert len(search_results(admin_client, Donation, "lo van pomzy")) == 4
    assert len(search_results(admin_client, Donation, "pomzy")) == 4
    assert len(search_results(admin_client, Donation, "tuh-zz")) == 5
