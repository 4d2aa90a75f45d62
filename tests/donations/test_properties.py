"""Property tests (hypothesis): any text in the admin's amount fields is a form error or a correct save.

Never a server error, nothing written on errors (issue 11).
"""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.donations.models import MAX_AMOUNT_VND, Donation, Repayment
from tests.admin_helpers import admin_url
from tests.factories import DonationFactory, HouseholdFactory, UnitFactory

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Any text a form field can carry, and numbers around the bounds (and beyond a bigint).
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=25)
AMOUNT_LIKE = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["9223372036854775807", "9223372036854775808", str(MAX_AMOUNT_VND), "١٠٠٠", "²", "1e9"]),
    ANY_TEXT,
)
references = itertools.count(1)


@pytest.fixture
def records(db):
    return {
        "unit": UnitFactory(),
        "household": HouseholdFactory(),
        "loan": DonationFactory(loan=True, amount_vnd=5_000_000),
    }


@EXAMPLES
@given(kind=st.sampled_from(["money", "loan", "goods", "labour"]), amount=AMOUNT_LIKE, figure=AMOUNT_LIKE)
def test_any_text_in_a_donations_amount_fields_is_a_form_error_or_a_saved_donation(
    admin_client, records, kind, amount, figure
):
    reference = f"TPROP-D-{next(references)}"
    data = {
        "reference": reference,
        "date": "05/03/2019",
        "unit": records["unit"].pk,
        "kind": kind,
        "amount_vnd": amount,
        "quantity": figure if kind == "goods" else "",
        "item": "",
        "labour_days": figure if kind == "labour" else "",
        "beneficiary_kind": "household",
        "household": records["household"].pk,
        "note": "",
        "repayments-TOTAL_FORMS": "0",
        "repayments-INITIAL_FORMS": "0",
    }
    before = Donation.objects.count()

    response = admin_client.post(admin_url(Donation, "add"), data)

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        donation = Donation.objects.get(reference=reference)
        assert 0 <= donation.amount_vnd <= MAX_AMOUNT_VND
        assert amount.strip().lstrip("+-").isascii()
    else:
        assert response.context["errors"]
        assert Donation.objects.count() == before


@pytest.mark.parametrize("amount", ["١٠٠٠", "１０００", "10²", "9223372036854775807", "100000000001"])
def test_an_amount_in_other_digits_or_above_the_bound_is_refused_in_the_admin(admin_client, records, amount):
    data = {"reference": "TPROP-D-BAD", "loan": records["loan"].pk, "date": "01/06/2017", "amount_vnd": amount}

    response = admin_client.post(admin_url(Repayment, "add"), {**data, "note": ""})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["amount_vnd"]
    assert not Repayment.objects.filter(reference="TPROP-D-BAD").exists()


@EXAMPLES
@given(amount=AMOUNT_LIKE)
def test_any_text_in_a_repayments_amount_is_a_form_error_or_a_repayment_within_the_loan(admin_client, records, amount):
    loan = records["loan"]
    data = {"reference": f"TPROP-R-{next(references)}", "loan": loan.pk, "date": "01/06/2017", "amount_vnd": amount}
    before = Repayment.objects.count()

    response = admin_client.post(admin_url(Repayment, "add"), {**data, "note": ""})

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert 0 < sum(loan.repayments.values_list("amount_vnd", flat=True)) <= loan.amount_vnd
        assert amount.strip().lstrip("+-").isascii()
    else:
        assert response.context["errors"]
        assert Repayment.objects.count() == before


@pytest.mark.parametrize("day", ["01/01/0001", "31/12/9999", "01/01/1899"])
def test_a_date_in_a_year_no_record_can_have_is_refused_in_the_admin_with_nothing_written(admin_client, records, day):
    data = {
        "reference": "TPROP-D-YEAR",
        "date": day,
        "unit": records["unit"].pk,
        "kind": "money",
        "amount_vnd": "500.000",
        "beneficiary_kind": "household",
        "household": records["household"].pk,
        "note": "",
        "repayments-TOTAL_FORMS": "0",
        "repayments-INITIAL_FORMS": "0",
    }

    response = admin_client.post(admin_url(Donation, "add"), data)

    assert response.status_code == 200
    assert "1900" in response.content.decode() and "2100" in response.content.decode()
    assert not Donation.objects.filter(reference="TPROP-D-YEAR").exists()
