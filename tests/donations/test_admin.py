"""The admin of donations, loans and their repayments, and items, for a superuser (issue 2, part 4)."""

import datetime

import pytest

from apps.donations.models import REPAYMENT_EXCEEDS_LOAN, Donation, Item, Repayment
from tests.admin_helpers import admin_url, assert_admin_pages_bounded, assert_form_error
from tests.factories import DonationFactory, HouseholdFactory, RepaymentFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_donation_pages_answer_with_queries_that_do_not_grow_with_repayments(
    admin_client, django_assert_max_num_queries
):
    def make(n):
        DonationFactory.create_batch(n)
        DonationFactory.create_batch(n, goods=True)
        DonationFactory.create_batch(n, labour=True)
        loan = DonationFactory(loan=True, amount_vnd=50_000_000)
        RepaymentFactory.create_batch(n, loan=loan, amount_vnd=100_000)
        return loan

    assert_admin_pages_bounded(admin_client, django_assert_max_num_queries, Donation, make, "TUH")


def test_repayment_pages_answer_with_bounded_queries(admin_client, django_assert_max_num_queries):
    def make(n):
        return RepaymentFactory.create_batch(n)[0]

    assert_admin_pages_bounded(admin_client, django_assert_max_num_queries, Repayment, make, "TTN")


def test_item_pages_answer_with_bounded_queries(admin_client, django_assert_max_num_queries):
    def make(n):
        start = Item.objects.count()
        items = [
            Item.objects.create(code=f"titem{start + i}", name=f"Vật phẩm thử {start + i}", measure="kg")
            for i in range(n)
        ]
        return items[0]

    assert_admin_pages_bounded(admin_client, django_assert_max_num_queries, Item, make, "titem")


def donation_form(**changes) -> dict:
    data = {
        "reference": "TUH-FORM-1",
        "date": "05/03/2019",
        "unit": UnitFactory().pk,
        "kind": "money",
        "amount_vnd": "1500000",
        "beneficiary_kind": "household",
        "household": HouseholdFactory().pk,
        "note": "",
        "repayments-TOTAL_FORMS": "0",
        "repayments-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_saving_a_donation_in_the_admin_records_it_and_checks_the_frozen_period(admin_client, monkeypatch):
    checked = []
    monkeypatch.setattr("apps.donations.admin.warn_if_period_frozen", lambda request, day: checked.append(day))

    response = admin_client.post(admin_url(Donation, "add"), donation_form())

    assert response.status_code == 302
    donation = Donation.objects.get(reference="TUH-FORM-1")
    assert (donation.date, donation.amount_vnd) == (datetime.date(2019, 3, 5), 1_500_000)
    assert checked == [datetime.date(2019, 3, 5)]


def test_repayments_entered_together_cannot_exceed_the_loan(admin_client):
    loan = DonationFactory(loan=True, amount_vnd=5_000_000)
    data = donation_form(
        reference=loan.reference,
        date="10/05/2016",
        unit=loan.unit_id,
        kind="loan",
        amount_vnd="5000000",
        household=loan.household_id,
        **{
            "repayments-TOTAL_FORMS": "2",
            "repayments-INITIAL_FORMS": "0",
            "repayments-0-reference": "TTN-A",
            "repayments-0-date": "01/01/2017",
            "repayments-0-amount_vnd": "3000000",
            "repayments-1-reference": "TTN-B",
            "repayments-1-date": "01/06/2017",
            "repayments-1-amount_vnd": "3000000",
        },
    )

    response = admin_client.post(admin_url(Donation, "change", loan.pk), data)

    assert_form_error(response, REPAYMENT_EXCEEDS_LOAN)
    assert not loan.repayments.exists()


def test_repayment_list_shows_what_is_still_owed_on_the_loan(admin_client):
    loan = DonationFactory(loan=True, amount_vnd=49_000_000)
    RepaymentFactory(loan=loan, amount_vnd=10_000_000)
    RepaymentFactory(loan=loan, amount_vnd=4_000_000)

    response = admin_client.get(admin_url(Repayment, "changelist"), {"q": loan.reference, "balance": "open"})

    rows = response.context["cl"].result_list
    assert len(rows) == 2
    assert "35.000.000" in response.content.decode()
    fully_repaid = admin_client.get(admin_url(Repayment, "changelist"), {"q": loan.reference, "balance": "repaid"})
    assert list(fully_repaid.context["cl"].result_list) == []


def test_deleting_donations_in_bulk_checks_each_date_against_frozen_periods(admin_client, monkeypatch):
    checked = []
    monkeypatch.setattr("apps.donations.admin.warn_if_period_frozen", lambda request, day: checked.append(day))
    first = DonationFactory(date=datetime.date(2016, 5, 10))
    second = DonationFactory(date=datetime.date(2017, 6, 1))

    response = admin_client.post(
        admin_url(Donation, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [first.pk, second.pk],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not Donation.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert sorted(checked) == [datetime.date(2016, 5, 10), datetime.date(2017, 6, 1)]


def test_a_loans_details_are_open_on_its_page(admin_client):
    loan = DonationFactory(loan=True)

    response = admin_client.get(admin_url(Donation, "change", loan.pk))

    loan_fieldset = [fs for fs in response.context["adminform"] if "due_date" in fs.fields][0]
    assert "collapse" not in loan_fieldset.classes


def test_a_loans_page_shows_what_is_still_owed(admin_client):
    loan = DonationFactory(loan=True, amount_vnd=49_000_000)
    RepaymentFactory(loan=loan, amount_vnd=10_000_000)

    response = admin_client.get(admin_url(Donation, "change", loan.pk))

    assert "39.000.000" in response.content.decode()


def test_donation_list_reads_what_was_given_in_the_items_measure(admin_client):
    DonationFactory(reference="TUH-SHOW-RICE", goods=True, quantity=1009)
    DonationFactory(reference="TUH-SHOW-DAYS", labour=True, labour_days=12.5)

    content = admin_client.get(admin_url(Donation, "changelist"), {"q": "TUH-SHOW"}).content.decode()

    assert "1.009 kg" in content
    assert "12,5" in content
