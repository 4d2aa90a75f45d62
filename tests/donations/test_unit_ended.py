"""A unit that ended (a district office dissolved on 30/06/2025) gives and pledges nothing dated later."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.html import escape

from apps.donations.models import UNIT_ENDED_BEFORE_DATE, Donation
from apps.donations.services import save_donation
from apps.pledges.models import UNIT_ENDED_BEFORE_PLEDGE_END
from tests.admin_helpers import admin_url
from tests.factories import DonationFactory, HouseholdFactory, PledgeFactory, UnitFactory

pytestmark = pytest.mark.django_db

LAST_DAY = datetime.date(2025, 6, 30)


@pytest.fixture
def dissolved_office():
    return UnitFactory(name="Phòng Tư pháp thử", valid_to=LAST_DAY)


def in_vietnamese(message, **params) -> str:
    with translation.override("vi"):
        return str(message) % params


def donation_form(unit, date: str) -> dict:
    return {
        "reference": "TUH-ENDED",
        "date": date,
        "unit": unit.pk,
        "kind": "money",
        "amount_vnd": "1500000",
        "beneficiary_kind": "household",
        "household": HouseholdFactory().pk,
        "note": "",
        "repayments-TOTAL_FORMS": "0",
        "repayments-INITIAL_FORMS": "0",
    }


def test_admin_refuses_a_donation_dated_after_its_unit_ended_with_a_vietnamese_message(admin_client, dissolved_office):
    response = admin_client.post(admin_url(Donation, "add"), donation_form(dissolved_office, "01/07/2025"))

    assert response.status_code == 200, "the donation of a dissolved unit was saved"
    expected = in_vietnamese(UNIT_ENDED_BEFORE_DATE, unit="Phòng Tư pháp thử", day="30/06/2025")
    assert escape(expected) in response.content.decode()
    assert "30/06/2025" in expected and "Phòng Tư pháp thử" in expected
    assert not Donation.objects.filter(reference="TUH-ENDED").exists()


def test_admin_accepts_a_donation_on_the_units_last_day(admin_client, dissolved_office):
    response = admin_client.post(admin_url(Donation, "add"), donation_form(dissolved_office, "30/06/2025"))

    assert response.status_code == 302
    assert Donation.objects.get(reference="TUH-ENDED").unit == dissolved_office


def test_the_service_refuses_moving_a_donation_after_its_units_end(dissolved_office):
    donation = DonationFactory(unit=dissolved_office, date=LAST_DAY)
    donation.date = datetime.date(2026, 1, 5)

    with pytest.raises(ValidationError) as refused:
        save_donation(donation)

    assert "date" in refused.value.message_dict


def test_a_pledge_running_past_its_units_end_is_refused(dissolved_office):
    pledge = PledgeFactory.build(
        unit=dissolved_office,
        household=HouseholdFactory(),
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
    )

    with pytest.raises(ValidationError) as refused:
        pledge.full_clean()

    with translation.override("vi"):
        assert refused.value.message_dict["end"] == [
            str(UNIT_ENDED_BEFORE_PLEDGE_END) % {"unit": "Phòng Tư pháp thử", "day": "30/06/2025"}
        ]
    pledge.end = LAST_DAY
    pledge.full_clean()


def test_an_imported_donation_after_its_units_end_is_refused_on_its_row(tmp_path, dissolved_office):
    household = HouseholdFactory()
    path = tmp_path / "donations.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["reference", "date", "unit_code", "kind", "amount_vnd", "beneficiary_kind", "beneficiary_code"]
        )
        writer.writerow(
            ["TIMP-OK", "30/06/2025", dissolved_office.code, "money", "500.000", "household", household.code]
        )
        writer.writerow(
            ["TIMP-LATE", "15/08/2025", dissolved_office.code, "money", "500.000", "household", household.code]
        )
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("import_records", "donations", str(path), stdout=out, stderr=err)

    printed = "\n".join([out.getvalue(), err.getvalue(), str(refused.value)])
    lines = [line.strip() for line in printed.splitlines() if line.strip().startswith("dòng ")]
    reason = in_vietnamese(UNIT_ENDED_BEFORE_DATE, unit="Phòng Tư pháp thử", day="30/06/2025")
    assert lines == [f"dòng 3, cột date: {reason}"]  # the good row 2 is not reported
    assert not Donation.objects.filter(reference__startswith="TIMP-").exists()
