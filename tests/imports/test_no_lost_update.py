"""No lost update through the importer (issue 13): a confirmation never overwrites a change someone saved
after the preview; the whole file is refused, naming who changed what and when, as the admin's stale form does."""

import re

import pghistory
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from apps.donations.models import Donation
from apps.donations.services import save_donation
from apps.households.models import Household
from tests.admin_helpers import admin_url
from tests.donations.test_no_lost_update import form_of, seen_version_on
from tests.factories import DonationFactory, HouseholdFactory, UnitFactory
from tests.imports.files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ["Số phiếu", "Ngày", "Mã đơn vị", "Hình thức", "Số tiền (đồng)", "Đối tượng được giúp", "Mã đối tượng"]


@pytest.fixture
def clerk_a(client):
    client.force_login(User.objects.create_superuser("thu_ky_a", password="x"))
    return client


@pytest.fixture
def clerk_b():
    other = Client()
    other.force_login(User.objects.create_superuser("thu_ky_b", password="x"))
    return other


@pytest.fixture
def receipt():
    """A donation of 1.500.000 đ that the file will change to 1.800.000 đ."""
    return DonationFactory(reference="LU-1", amount_vnd=1_500_000, household=HouseholdFactory(), unit=UnitFactory())


def file_for(donation: Donation, *, new_reference: str = "LU-2") -> list[list[str]]:
    row = [donation.unit.code, "tiền"]
    beneficiary = ["hộ", donation.household.code]
    return [
        HEADER,
        [donation.reference, f"{donation.date:%d/%m/%Y}", *row, "1.800.000", *beneficiary],
        [new_reference, "12/05/2016", *row, "300.000", *beneficiary],
    ]


def preview(client, lines) -> str:
    response = client.post(
        "/staff/import/", {"kind": "donations", "file": SimpleUploadedFile("phieu.csv", csv_bytes(lines))}
    )
    assert response.status_code == 200 and response.context["report"].ok, response.context["report"].errors
    return response.context["token"]


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_a_change_saved_in_the_admin_after_the_preview_refuses_the_whole_import_naming_it(clerk_a, clerk_b, receipt):
    token = preview(clerk_a, file_for(receipt))
    # Clerk B corrects the amount in the admin while clerk A looks at the preview.
    url = admin_url(Donation, "change", receipt.pk)
    seen = seen_version_on(clerk_b.get(url).content.decode())
    saved = clerk_b.post(url, form_of(receipt, amount_vnd="2.000.000", seen_version=seen))
    assert saved.status_code == 302

    response = clerk_a.post(reverse("imports:confirm"), {"token": token})

    assert response.status_code == 400
    page = text(response)
    assert "Không nhập gì cả" in page
    # The error table: row, column, value, reason (who, when, what).
    assert "2 Số phiếu LU-1 bản ghi này đã được sửa sau khi xem trước, nên không nhập gì cả: thu_ky_b lúc" in page
    assert "(số tiền (đồng): 1.500.000 → 2.000.000)" in page
    assert re.search(r"thu_ky_b lúc \d\d:\d\d \d\d/\d\d/\d{4}", page)
    receipt.refresh_from_db()
    assert receipt.amount_vnd == 2_000_000  # clerk B's amount stays
    assert not Donation.objects.filter(reference="LU-2").exists()  # all or nothing: the new row is not written


def test_without_a_change_in_between_the_confirmation_updates_and_creates(clerk_a, receipt):
    token = preview(clerk_a, file_for(receipt))

    response = clerk_a.post(reverse("imports:confirm"), {"token": token}, follow=True)

    assert "tạo mới 1, cập nhật 1" in text(response)
    receipt.refresh_from_db()
    assert receipt.amount_vnd == 1_800_000
    assert Donation.objects.filter(reference="LU-2").exists()


def test_a_change_of_a_record_the_file_does_not_touch_does_not_stop_the_import(clerk_a, receipt):
    token = preview(clerk_a, file_for(receipt))
    other = DonationFactory(reference="LU-OTHER")
    with pghistory.context(username="thu_ky_b"):
        other.amount_vnd = 900_000
        save_donation(other)

    clerk_a.post(reverse("imports:confirm"), {"token": token})

    receipt.refresh_from_db()
    assert receipt.amount_vnd == 1_800_000


def test_a_record_created_by_someone_else_after_the_preview_is_not_overwritten(clerk_a, receipt):
    token = preview(clerk_a, file_for(receipt, new_reference="LU-3"))  # LU-3 is new in the preview
    with pghistory.context(username="thu_ky_b"):
        DonationFactory(reference="LU-3", amount_vnd=700_000, unit=receipt.unit, household=receipt.household)

    response = clerk_a.post(reverse("imports:confirm"), {"token": token})

    assert response.status_code == 400
    assert "3 Số phiếu LU-3 bản ghi này đã được sửa sau khi xem trước" in text(response)
    assert "thu_ky_b" in text(response)
    assert Donation.objects.get(reference="LU-3").amount_vnd == 700_000
    receipt.refresh_from_db()
    assert receipt.amount_vnd == 1_500_000


def test_a_household_changed_after_the_preview_refuses_a_households_file(clerk_a):
    household = HouseholdFactory(size=4)
    lines = [["Mã hộ", "Mã thôn", "Chủ hộ", "Số nhân khẩu"], [household.code, household.village.code, "Lê Văn D", "5"]]
    response = clerk_a.post(
        "/staff/import/", {"kind": "households", "file": SimpleUploadedFile("ho.csv", csv_bytes(lines))}
    )
    token = response.context["token"]
    with pghistory.context(username="thu_ky_b"):
        Household.objects.filter(pk=household.pk).update(size=6)

    response = clerk_a.post(reverse("imports:confirm"), {"token": token})

    assert response.status_code == 400 and "thu_ky_b" in text(response)
    household.refresh_from_db()
    assert household.size == 6 and household.head_name != "Lê Văn D"


def test_the_command_has_no_preview_and_imports_as_before(run_import, receipt):
    with pghistory.context(username="thu_ky_b"):
        receipt.note = "sửa trước khi nhập"
        save_donation(receipt)

    outcome = run_import("donations", file_for(receipt))

    assert outcome.code == 0, outcome.err
    receipt.refresh_from_db()
    assert receipt.amount_vnd == 1_800_000


def test_a_workbook_is_refused_whole_when_a_record_of_one_of_its_sheets_changed(clerk_a, receipt):
    household = receipt.household
    households = [
        ["Mã hộ", "Mã thôn", "Chủ hộ", "Số nhân khẩu"],
        [household.code, household.village.code, "Lê Văn D", 5],
    ]
    workbook = xlsx_bytes({"households": households, "donations": file_for(receipt)})
    response = clerk_a.post("/staff/import/", {"kind": "workbook", "file": SimpleUploadedFile("ca_nam.xlsx", workbook)})
    assert response.context["report"].ok, response.context["report"].errors
    with pghistory.context(username="thu_ky_b"):
        Household.objects.filter(pk=household.pk).update(size=6)

    response = clerk_a.post(reverse("imports:confirm"), {"token": response.context["token"]})

    assert response.status_code == 400
    assert "thu_ky_b" in text(response) and "số nhân khẩu: 4 → 6" in text(response).lower()
    household.refresh_from_db()
    receipt.refresh_from_db()
    assert household.size == 6 and household.head_name != "Lê Văn D"
    assert receipt.amount_vnd == 1_500_000  # the donations sheet, untouched by the change, is not written either
    assert not Donation.objects.filter(reference="LU-2").exists()
