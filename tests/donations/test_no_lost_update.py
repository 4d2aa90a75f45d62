"""No lost update (issue 13): a form opened before someone else's save cannot put back the old values,
and clerks repaying one loan at once each get a saved record or a form error, never a server error."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pghistory
import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connections
from django.test import Client

from apps.accounts.stale import current_version, refuse_stale_edit, save_unless_stale
from apps.donations.models import REPAYMENT_EXCEEDS_LOAN, Donation, Repayment
from apps.donations.services import save_donation, save_repayment
from tests.admin_helpers import admin_url
from tests.donations.test_bad_input import committed
from tests.factories import DonationFactory, HouseholdFactory, PledgeFactory, RepaymentFactory

pytestmark = pytest.mark.django_db
CLERKS = 8


def form_of(donation: Donation, **changes) -> dict:
    data = {
        "reference": donation.reference,
        "date": f"{donation.date:%d/%m/%Y}",
        "unit": donation.unit_id,
        "kind": donation.kind,
        "amount_vnd": str(donation.amount_vnd),
        "beneficiary_kind": donation.beneficiary_kind,
        "household": donation.household_id,
        "note": donation.note,
        "repayments-TOTAL_FORMS": "0",
        "repayments-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def seen_version_on(page: str) -> str:
    return re.search(r'name="seen_version" value="(\d+)"', page).group(1)


def test_a_stale_form_is_refused_and_shows_what_the_other_clerk_changed(admin_client):
    donation = DonationFactory(amount_vnd=1_500_000)
    url = admin_url(Donation, "change", donation.pk)
    opened = admin_client.get(url)
    seen = seen_version_on(opened.content.decode())

    # Clerk B saves first, from their own page.
    with pghistory.context(username="thu_ky_b"):
        donation.refresh_from_db()
        donation.amount_vnd = 2_000_000
        save_donation(donation)

    # Clerk A saves the form opened before, with a new note and the old amount.
    response = admin_client.post(url, form_of(donation, amount_vnd="1.500.000", note="ghi chú A", seen_version=seen))

    assert response.status_code == 200
    page = response.content.decode()
    assert "thu_ky_b" in page
    assert "1.500.000 → 2.000.000" in page
    assert "không được lưu" in page
    donation.refresh_from_db()
    assert (donation.amount_vnd, donation.note) == (2_000_000, "")
    # Sent again unchanged, it is still refused: the clerk must open the record again.
    again = admin_client.post(url, form_of(donation, amount_vnd="1.500.000", seen_version=seen_version_on(page)))
    assert again.status_code == 200 and "thu_ky_b" in again.content.decode()


def test_a_form_opened_after_the_last_change_saves(admin_client):
    donation = DonationFactory(amount_vnd=1_500_000)
    url = admin_url(Donation, "change", donation.pk)
    seen = seen_version_on(admin_client.get(url).content.decode())

    response = admin_client.post(url, form_of(donation, amount_vnd="1.600.000", seen_version=seen))

    assert response.status_code == 302, response.content.decode()[:3000]
    donation.refresh_from_db()
    assert donation.amount_vnd == 1_600_000


@pytest.mark.parametrize(
    ("make", "change"),
    [
        (DonationFactory, {"note": "đã sửa"}),
        (RepaymentFactory, {"note": "đã sửa"}),
        (PledgeFactory, {"description": "đã sửa"}),
        (HouseholdFactory, {"size": 9}),
    ],
    ids=["donation", "repayment", "pledge", "household"],
)
def test_every_audited_record_refuses_a_change_made_from_before_someone_elses(make, change):
    record = make()
    seen = current_version(record)
    refuse_stale_edit(record, seen)  # nobody changed it since: nothing to refuse
    with pghistory.context(username="thu_ky_b"):
        type(record).objects.filter(pk=record.pk).update(**change)

    with pytest.raises(ValidationError) as refused:
        refuse_stale_edit(record, seen)

    assert "thu_ky_b" in " ".join(refused.value.messages)
    refuse_stale_edit(record, current_version(record))


def test_the_services_of_donations_repayments_and_the_generic_save_take_the_version():
    donation, repayment, household = DonationFactory(), RepaymentFactory(), HouseholdFactory()
    versions = {obj: current_version(obj) for obj in (donation, repayment, household)}
    Donation.objects.filter(pk=donation.pk).update(note="khác")
    Repayment.objects.filter(pk=repayment.pk).update(note="khác")
    type(household).objects.filter(pk=household.pk).update(size=7)

    with pytest.raises(ValidationError):
        save_donation(donation, seen_version=versions[donation])
    with pytest.raises(ValidationError):
        save_repayment(repayment, seen_version=versions[repayment])
    with pytest.raises(ValidationError):
        save_unless_stale(household, versions[household])


@pytest.fixture
def loan_to_race():
    loan = committed(lambda: Donation.objects.loans().filter(repayments__isnull=True).order_by("-pk").first())
    user = committed(lambda: User.objects.create_superuser("race_clerk_13", password="s3cret-pass"))
    yield loan, user

    def clean_up():
        Repayment.objects.filter(reference__startswith="RACE13-").delete()
        User.objects.filter(pk=user.pk).delete()

    committed(clean_up)


def test_eight_clerks_repaying_a_quarter_each_at_once_through_the_service_save_four_and_refuse_four(loan_to_race):
    loan, _user = loan_to_race
    start = threading.Barrier(CLERKS)

    def repay(number: int) -> str:
        try:
            repayment = Repayment(
                reference=f"RACE13-S{number}", loan_id=loan.pk, date=loan.date, amount_vnd=loan.amount_vnd // 4
            )
            start.wait()
            save_repayment(repayment)
            return "saved"
        except ValidationError as error:
            return "refused" if str(REPAYMENT_EXCEEDS_LOAN) in " ".join(error.messages) else repr(error)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=CLERKS) as pool:
        answers = list(pool.map(repay, range(CLERKS)))

    assert sorted(answers) == ["refused"] * 4 + ["saved"] * 4
    assert committed(lambda: Repayment.objects.filter(loan=loan).count()) == 4


def test_eight_clerks_repaying_a_quarter_each_at_once_in_the_admin_get_no_server_error(loan_to_race):
    loan, user = loan_to_race
    start = threading.Barrier(CLERKS)

    def repay(number: int) -> tuple[int, bool]:
        try:
            client = Client(raise_request_exception=False)
            client.force_login(user)
            start.wait()
            response = client.post(
                admin_url(Repayment, "add"),
                {
                    "reference": f"RACE13-A{number}",
                    "loan": loan.pk,
                    "date": f"{loan.date:%d/%m/%Y}",
                    "amount_vnd": f"{loan.amount_vnd // 4:,}".replace(",", "."),
                    "note": "",
                },
            )
            return response.status_code, str(REPAYMENT_EXCEEDS_LOAN) in response.content.decode()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=CLERKS) as pool:
        answers = list(pool.map(repay, range(CLERKS)))

    assert sorted(status for status, _told in answers) == [200] * 4 + [302] * 4
    assert all(told for status, told in answers if status == 200)
    assert committed(lambda: Repayment.objects.filter(loan=loan).count()) == 4
