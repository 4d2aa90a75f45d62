"""The admin of donations, loans and their repayments, and items, for a superuser (issue 2, part 4)."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection

from apps.core.admin_base import EstimatedCountPaginator
from apps.donations.models import REPAYMENT_EXCEEDS_LOAN, Donation, Item, Repayment
from apps.reports.models import FrozenReport
from tests.admin_helpers import admin_url, assert_admin_pages_bounded, assert_form_error, search_results
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


def warnings_shown(response) -> list[str]:
    """The warning messages on the page the clerk lands on."""
    return re.findall(r'<li class="warning">(.*?)</li>', response.content.decode(), re.S)


def test_saving_a_donation_dated_inside_a_frozen_report_warns_the_clerk_on_the_next_page(admin_client, admin_user):
    FrozenReport.objects.create(
        start=datetime.date(2019, 1, 1), end=datetime.date(2019, 12, 31), figures={}, frozen_by=admin_user
    )

    response = admin_client.post(admin_url(Donation, "add"), donation_form(), follow=True)

    assert response.redirect_chain[-1][1] == 302
    donation = Donation.objects.get(reference="TUH-FORM-1")
    assert (donation.date, donation.amount_vnd) == (datetime.date(2019, 3, 5), 1_500_000)
    [warning] = warnings_shown(response)
    assert "05/03/2019" in warning
    assert "01/01/2019 - 31/12/2019" in warning


def test_saving_a_donation_outside_any_frozen_report_warns_of_nothing(admin_client, admin_user):
    FrozenReport.objects.create(
        start=datetime.date(2018, 1, 1), end=datetime.date(2018, 12, 31), figures={}, frozen_by=admin_user
    )

    response = admin_client.post(admin_url(Donation, "add"), donation_form(), follow=True)

    assert Donation.objects.filter(reference="TUH-FORM-1").exists()
    assert warnings_shown(response) == []


def test_saving_a_repayment_dated_inside_a_frozen_report_warns_the_clerk(admin_client, admin_user):
    loan = DonationFactory(loan=True, amount_vnd=5_000_000)
    FrozenReport.objects.create(
        start=datetime.date(2017, 1, 1), end=datetime.date(2017, 12, 31), figures={}, frozen_by=admin_user
    )

    response = admin_client.post(
        admin_url(Repayment, "add"),
        {"reference": "TTN-FROZEN", "loan": loan.pk, "date": "01/06/2017", "amount_vnd": "1000000", "note": ""},
        follow=True,
    )

    assert Repayment.objects.filter(reference="TTN-FROZEN").exists()
    [warning] = warnings_shown(response)
    assert "01/06/2017" in warning


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


def test_deleting_donations_in_bulk_warns_once_for_each_date_inside_a_frozen_report(admin_client, admin_user):
    FrozenReport.objects.create(
        start=datetime.date(2016, 1, 1), end=datetime.date(2016, 12, 31), figures={}, frozen_by=admin_user
    )
    inside = DonationFactory.create_batch(2, date=datetime.date(2016, 5, 10))
    outside = DonationFactory(date=datetime.date(2017, 6, 1))
    chosen = [donation.pk for donation in [*inside, outside]]

    response = admin_client.post(
        admin_url(Donation, "changelist"),
        {"action": "delete_selected", "_selected_action": chosen, "post": "yes"},
        follow=True,
    )

    assert not Donation.objects.filter(pk__in=chosen).exists()
    [warning] = warnings_shown(response)
    assert "10/05/2016" in warning
    assert "01/01/2016 - 31/12/2016" in warning


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


def test_donations_are_found_by_their_household_heads_name_without_diacritics(admin_client):
    head = HouseholdFactory(head_name="Khổng Quỳnh Xuyến")
    theirs = DonationFactory(household=head)
    DonationFactory(household=HouseholdFactory(head_name="Khổng Văn An"))

    found = search_results(admin_client, Donation, "khong quynh xuyen")

    assert found == [theirs]


def test_a_heads_name_finds_nothing_for_staff_who_may_not_see_households(client, django_user_model):
    DonationFactory(household=HouseholdFactory(head_name="Nguyễn Công Hùng"))
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_donation"))
    client.force_login(clerk)

    assert search_results(client, Donation, "Nguyễn Công Hùng") == []


def test_a_big_unfiltered_list_is_counted_from_the_tables_estimate(admin_client, monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE donations_donation")
        cursor.execute("UPDATE pg_class SET reltuples = 1000000 WHERE relname = 'donations_donation'")
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 100)

    response = admin_client.get(admin_url(Donation, "changelist"))

    assert response.context["cl"].result_count == 1_000_000


def test_a_clerk_types_the_amount_as_on_the_receipt_and_it_is_saved(admin_client):
    response = admin_client.post(
        admin_url(Donation, "add"), donation_form(reference="TUH-RECEIPT-1", amount_vnd="1.500.000 đ")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Donation.objects.get(reference="TUH-RECEIPT-1").amount_vnd == 1_500_000


def test_a_quantity_with_an_english_decimal_point_comes_back_with_the_reason(admin_client):
    rice = Item.objects.get(code="gao")
    data = donation_form(reference="TUH-RICE-1", kind="goods", amount_vnd="", item=rice.pk, quantity="12.5")
    response = admin_client.post(admin_url(Donation, "add"), data)
    assert response.status_code == 200
    assert "12,5" in response.context["adminform"].form.errors["quantity"][0]
    assert not Donation.objects.filter(reference="TUH-RICE-1").exists()
