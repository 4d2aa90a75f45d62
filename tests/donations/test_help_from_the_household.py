"""Work from the household, the unit and the pledge (issue 13): their pages list the help recorded for
them with totals, and link to record more with them filled in; a blank "số phiếu" is numbered."""

import datetime
import html
import re

import pytest

from apps.donations.models import Donation
from apps.donations.services import next_reference, save_donation
from apps.households.models import Household
from apps.pledges.models import Pledge
from apps.units.models import Unit
from tests.admin_helpers import admin_url, count_queries
from tests.factories import DonationFactory, HouseholdFactory, PledgeFactory, UnitFactory

pytestmark = pytest.mark.django_db


def record_help_link(page: str, kind: str) -> str:
    """The "record help" link of a page's help section for one kind of help."""
    links = re.findall(r'<a class="addlink" href="([^"]+)">', page)
    return next(html.unescape(link) for link in links if f"kind={kind}" in html.unescape(link))


def test_a_clerk_records_a_money_donation_from_the_households_page_and_sees_it_there(admin_client):
    household = HouseholdFactory()
    unit = UnitFactory(code="CATH")
    page = admin_client.get(admin_url(Household, "change", household.pk)).content.decode()
    assert "Chưa ghi nhận lượt giúp đỡ nào cho hộ này." in page

    # Click "tiền": the form opens with the household chosen and the kind set.
    add_url = record_help_link(page, "money")
    form = admin_client.get(add_url)
    initial = form.context["adminform"].form.initial
    assert (initial["beneficiary_kind"], str(initial["household"]), initial["kind"]) == (
        "household",
        str(household.pk),
        "money",
    )
    assert "&lt;mã đơn vị&gt;-&lt;năm&gt;-&lt;số thứ tự&gt;" in form.content.decode()

    # The clerk types the date, picks the unit and types the amount as on the receipt; no số phiếu.
    response = admin_client.post(
        add_url,
        {
            "reference": "",
            "date": "05/03/2026",
            "unit": unit.pk,
            "kind": "money",
            "amount_vnd": "1.500.000",
            "beneficiary_kind": "household",
            "household": household.pk,
            "note": "",
        },
    )

    # Saved, the clerk is back on the household's page.
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == admin_url(Household, "change", household.pk)
    donation = Donation.objects.get(household=household)
    assert (donation.reference, donation.amount_vnd) == ("CATH-2026-0001", 1_500_000)
    page = admin_client.get(admin_url(Household, "change", household.pk)).content.decode()
    assert "CATH-2026-0001" in page
    assert "1.500.000 đồng bằng tiền" in page
    assert "Đã ghi nhận 1 lượt ủng hộ, giúp đỡ" in page


def test_blank_references_are_numbered_per_unit_and_year_after_the_highest_one():
    unit = UnitFactory(code="CANUM")
    DonationFactory(unit=unit, reference="CANUM-2025-0041", date=datetime.date(2025, 6, 1))
    first = save_donation(
        DonationFactory.build(unit=unit, household=HouseholdFactory(), reference="", date=datetime.date(2025, 7, 1))
    )
    other_year = save_donation(
        DonationFactory.build(unit=unit, household=HouseholdFactory(), reference="", date=datetime.date(2026, 1, 2))
    )
    assert (first.reference, other_year.reference) == ("CANUM-2025-0042", "CANUM-2026-0001")
    assert next_reference(unit_code="CANUM", year=2025) == "CANUM-2025-0043"


def test_the_units_and_the_pledges_pages_list_their_help_and_link_to_record_more(admin_client):
    pledge = PledgeFactory()
    DonationFactory(unit=pledge.unit, pledge=pledge, household=pledge.household, amount_vnd=2_000_000)

    unit_page = admin_client.get(admin_url(Unit, "change", pledge.unit.pk)).content.decode()
    pledge_page = admin_client.get(admin_url(Pledge, "change", pledge.pk)).content.decode()

    assert "2.000.000 đồng bằng tiền" in unit_page and "2.000.000 đồng bằng tiền" in pledge_page
    assert f"unit={pledge.unit.pk}" in record_help_link(unit_page, "goods")
    link = record_help_link(pledge_page, "money")
    for part in (f"pledge={pledge.pk}", f"unit={pledge.unit.pk}", f"household={pledge.household.pk}"):
        assert part in link


def test_the_households_page_costs_the_same_queries_however_much_help_it_received(
    admin_client, django_assert_max_num_queries
):
    household = HouseholdFactory()
    DonationFactory.create_batch(3, household=household)
    url = admin_url(Household, "change", household.pk)
    admin_client.get(url)
    small = count_queries(admin_client, url)
    DonationFactory.create_batch(30, household=household)
    DonationFactory.create_batch(5, household=household, goods=True)

    with django_assert_max_num_queries(small):
        response = admin_client.get(url)

    assert "Đã ghi nhận 38 lượt ủng hộ, giúp đỡ" in response.content.decode()


def test_a_focal_point_sees_only_the_help_of_their_own_unit_on_a_households_page(client, unit_focal_point, focal_unit):
    household = HouseholdFactory()
    DonationFactory(unit=focal_unit, household=household, reference="TUH-MINE-1")
    DonationFactory(unit=UnitFactory(), household=household, reference="TUH-OTHER-1")
    client.force_login(unit_focal_point)

    page = client.get(admin_url(Household, "change", household.pk)).content.decode()

    assert "TUH-MINE-1" in page and "TUH-OTHER-1" not in page


def test_after_saving_the_clerk_is_sent_back_only_to_a_page_of_the_portal(admin_client):
    household, unit = HouseholdFactory(), UnitFactory()
    data = {
        "reference": "TUH-BACK-1",
        "date": "05/03/2019",
        "unit": unit.pk,
        "kind": "money",
        "amount_vnd": "100.000",
        "beneficiary_kind": "household",
        "household": household.pk,
        "note": "",
    }
    url = admin_url(Donation, "add") + "?return_to=https://example.com/lay-cap/"

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == admin_url(Donation, "changelist")
