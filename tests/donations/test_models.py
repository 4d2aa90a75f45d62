"""Donation and repayment rules (CONTRACT.md): the admin's message and the database's refusal."""

import pytest
from django.db import IntegrityError, transaction

from apps.donations.models import (
    GOODS_NEED_ITEM,
    LABOUR_NEEDS_DAYS,
    MONEY_NEEDS_AMOUNT,
    REPAYMENT_EXCEEDS_LOAN,
    Donation,
    Repayment,
)
from apps.households.beneficiaries import BENEFICIARY_MISMATCH
from tests.admin_helpers import admin_url, assert_form_error
from tests.factories import DonationFactory, HouseholdFactory, RepaymentFactory, UnitFactory, standard_item

pytestmark = pytest.mark.django_db


def donation_form(**changes) -> dict:
    data = {
        "reference": "TUH-RULE",
        "date": "05/03/2019",
        "unit": UnitFactory().pk,
        "kind": "money",
        "amount_vnd": "1500000",
        "beneficiary_kind": "household",
        "household": HouseholdFactory().pk,
        "note": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount_vnd": "0"}, MONEY_NEEDS_AMOUNT),
        ({"item": "gao", "quantity": "10"}, MONEY_NEEDS_AMOUNT),
        ({"kind": "loan", "amount_vnd": "0"}, MONEY_NEEDS_AMOUNT),
        ({"kind": "goods", "amount_vnd": "0"}, GOODS_NEED_ITEM),
        ({"kind": "goods", "item": "gao", "quantity": "0"}, GOODS_NEED_ITEM),
        ({"kind": "labour", "amount_vnd": "0"}, LABOUR_NEEDS_DAYS),
        ({"beneficiary_kind": "student"}, BENEFICIARY_MISMATCH),
    ],
    ids=[
        "money-without-amount",
        "money-with-item",
        "loan-without-amount",
        "goods-without-item",
        "goods-without-quantity",
        "labour-without-days",
        "beneficiary-not-matching-kind",
    ],
)
def test_admin_refuses_a_donation_that_breaks_a_rule(admin_client, changes, message):
    if "item" in changes:
        changes["item"] = standard_item(changes["item"]).pk

    response = admin_client.post(admin_url(Donation, "add"), donation_form(**changes))

    assert_form_error(response, message)
    assert not Donation.objects.filter(reference="TUH-RULE").exists()


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"amount_vnd": 0}, "donations_money_has_amount"),
        ({"item_code": "gao", "quantity": 10}, "donations_money_has_amount"),
        ({"kind": "goods", "amount_vnd": 0}, "donations_goods_have_item"),
        ({"kind": "labour", "amount_vnd": 0, "labour_days": 0}, "donations_labour_has_days"),
        ({"kind": "labour", "amount_vnd": 0, "labour_days": None}, "donations_labour_has_days"),
        ({"kind": "goods", "amount_vnd": 0, "item_code": "gao", "quantity": None}, "donations_goods_have_item"),
        ({"beneficiary_kind": "village"}, "donations_donation_beneficiary_matches_kind"),
    ],
    ids=[
        "money-without-amount",
        "money-with-item",
        "goods-without-item",
        "labour-without-days",
        "labour-with-empty-days",
        "goods-with-empty-quantity",
        "beneficiary-not-matching-kind",
    ],
)
def test_database_refuses_a_donation_that_breaks_a_rule(fields, constraint):
    if "item_code" in fields:
        fields["item"] = standard_item(fields.pop("item_code"))

    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        DonationFactory(**fields)


def test_admin_refuses_a_repayment_beyond_what_remains_of_the_loan(admin_client):
    loan = DonationFactory(loan=True, amount_vnd=5_000_000)
    RepaymentFactory(loan=loan, amount_vnd=4_000_000)

    response = admin_client.post(
        admin_url(Repayment, "add"),
        {
            "reference": "TTN-RULE",
            "loan": loan.pk,
            "date": "01/06/2017",
            "amount_vnd": "1500000",
            "note": "",
        },
    )

    assert_form_error(response, REPAYMENT_EXCEEDS_LOAN)
    assert loan.repayments.count() == 1


def test_database_refuses_a_repayment_beyond_the_loan_even_in_bulk():
    loan = DonationFactory(loan=True, amount_vnd=5_000_000)
    RepaymentFactory(loan=loan, amount_vnd=4_000_000)

    with pytest.raises(IntegrityError, match="donations_repayment_within_loan"), transaction.atomic():
        Repayment.objects.bulk_create(
            [Repayment(reference="TTN-BULK", loan=loan, date=loan.date, amount_vnd=1_500_000)]
        )


def test_database_refuses_lowering_a_loan_below_what_was_repaid():
    loan = DonationFactory(loan=True, amount_vnd=5_000_000)
    RepaymentFactory(loan=loan, amount_vnd=4_000_000)

    with pytest.raises(IntegrityError, match="donations_repayment_within_loan"), transaction.atomic():
        Donation.objects.filter(pk=loan.pk).update(amount_vnd=3_000_000)


def test_a_repayment_that_exactly_clears_the_loan_is_accepted(admin_client):
    loan = DonationFactory(loan=True, amount_vnd=5_000_000)
    RepaymentFactory(loan=loan, amount_vnd=4_000_000)

    response = admin_client.post(
        admin_url(Repayment, "add"),
        {
            "reference": "TTN-LAST",
            "loan": loan.pk,
            "date": "01/06/2017",
            "amount_vnd": "1000000",
            "note": "",
        },
    )

    assert response.status_code == 302
    assert Donation.objects.with_repaid().get(pk=loan.pk).repaid_vnd == 5_000_000
