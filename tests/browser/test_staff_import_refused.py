"""A clerk confirms an import after another clerk changed one of its records: refused, in a real browser (issue 13)."""

import pghistory
import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from playwright.sync_api import Page, expect

from apps.donations.models import Donation
from apps.donations.services import save_donation
from apps.households.models import Household
from apps.units.models import Unit
from tests.donations.test_bad_input import committed
from tests.imports.files import csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

USERNAME = "thu_ky_nhap_tep"
PASSWORD = "mat-khau-nhap-tep-13"
PREFIX = "BR13-"


@pytest.fixture(scope="module")
def receipt(demo_server, django_db_blocker):
    """A clerk and a donation of 1.500.000 đ the file will change (committed: the live server sees them);
    both, and anything the test imported, are removed afterwards."""
    with django_db_blocker.unblock():
        user = User.objects.create_superuser(USERNAME, password=PASSWORD)
        household = Household.objects.order_by("pk").first()
        unit = Unit.objects.filter(valid_to__isnull=True).order_by("pk").first()
        donation = Donation.objects.create(
            reference=f"{PREFIX}1",
            date="2026-03-05",
            unit=unit,
            kind=Donation.Kind.MONEY,
            amount_vnd=1_500_000,
            beneficiary_kind="household",
            household=household,
        )
    yield donation
    with django_db_blocker.unblock():
        Donation.objects.filter(reference__startswith=PREFIX).delete()
        for session in Session.objects.all():
            if session.get_decoded().get("_auth_user_id") == str(user.pk):
                session.delete()
        user.delete()


def test_a_change_made_while_the_preview_is_open_refuses_the_import_and_says_who_made_it(
    page: Page, demo_site, receipt, screenshots
):
    page.goto(demo_site + "/admin/login/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()
    lines = [
        ["Số phiếu", "Ngày", "Mã đơn vị", "Hình thức", "Số tiền (đồng)", "Đối tượng được giúp", "Mã đối tượng"],
        [receipt.reference, "05/03/2026", receipt.unit.code, "tiền", "1.800.000", "hộ", receipt.household.code],
        [f"{PREFIX}2", "06/03/2026", receipt.unit.code, "tiền", "300.000", "hộ", receipt.household.code],
    ]
    page.goto(demo_site + "/staff/import/")
    page.select_option("#id_kind", "donations")
    page.set_input_files("#id_file", {"name": "phieu.csv", "mimeType": "text/csv", "buffer": csv_bytes(lines)})
    page.locator("input[type=submit].default").first.click()
    confirm = page.locator("input[value='Xác nhận và nhập']")
    expect(confirm).to_be_visible()

    def other_clerk_corrects_the_amount():
        with pghistory.context(username="thu_ky_b"):
            donation = Donation.objects.get(pk=receipt.pk)
            donation.amount_vnd = 2_000_000
            save_donation(donation)

    committed(other_clerk_corrects_the_amount)
    confirm.click()

    errors = page.locator("table", has_text="bản ghi này đã được sửa sau khi xem trước").first
    expect(errors).to_contain_text("thu_ky_b")
    expect(errors).to_contain_text("1.500.000 → 2.000.000")
    expect(page.locator("input[value='Xác nhận và nhập']")).to_have_count(0)
    page.screenshot(path=screenshots / "admin-import-refused-stale.png", full_page=True)
    amounts = committed(
        lambda: dict(Donation.objects.filter(reference__startswith=PREFIX).values_list("reference", "amount_vnd"))
    )
    assert amounts == {f"{PREFIX}1": 2_000_000}
