"""A clerk records a money donation from a household's page in a real browser (issue 13, done-when)."""

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from playwright.sync_api import Page, expect

from apps.donations.models import Donation
from apps.households.models import Household
from apps.units.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

USERNAME = "thu_ky_trinh_duyet"
PASSWORD = "mat-khau-thu-ky-13"


@pytest.fixture(scope="module")
def clerk(demo_server, django_db_blocker):
    """A superuser the live server can see (written outside the tests' transactions); the account and what
    it recorded are removed afterwards."""
    with django_db_blocker.unblock():
        user = User.objects.create_superuser(USERNAME, password=PASSWORD)
        household = Household.objects.order_by("pk").first()
        unit = Unit.objects.filter(valid_to__isnull=True).order_by("pk").first()
        before = set(Donation.objects.filter(household=household).values_list("pk", flat=True))
    yield {"household": household, "unit": unit}
    with django_db_blocker.unblock():
        Donation.objects.filter(household=household).exclude(pk__in=before).delete()
        for session in Session.objects.all():
            if session.get_decoded().get("_auth_user_id") == str(user.pk):
                session.delete()
        user.delete()


def test_a_clerk_types_the_receipts_amount_on_the_households_page_and_sees_it_listed_there(
    page: Page, demo_site, clerk, screenshots
):
    household, unit = clerk["household"], clerk["unit"]
    page.goto(demo_site + "/admin/login/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()
    page.goto(f"{demo_site}/admin/households/household/{household.pk}/change/")

    page.locator("#help-section a.addlink", has_text="tiền").click()  # click 1
    expect(page.locator("#id_household")).to_have_value(str(household.pk))
    page.fill("#id_date", "05/03/2026")
    page.locator("#id_unit + .select2").click()  # click 2
    page.keyboard.type(unit.name)
    page.locator(".select2-results__option", has_text=unit.name).first.click()  # click 3
    page.fill("#id_amount_vnd", "1.500.000")
    page.locator("input[name=_save]").click()  # click 4

    expect(page).to_have_url(f"{demo_site}/admin/households/household/{household.pk}/change/")
    section = page.locator("#help-section")
    expect(section).to_contain_text("1.500.000 đồng")
    expect(section).to_contain_text(f"{unit.code}-2026-")
    section.screenshot(path=screenshots / "admin-household-help-received.png")
