"""The staff pages work under their Content Security Policy: no script or style refused in a real browser."""

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

USERNAME = "csp_kiem_tra"
PASSWORD = "mat-khau-kiem-tra-csp-1"
REVIEW = "from=2014-02-14&to=2018-10-24"


@pytest.fixture(scope="module")
def staff_account(demo_server, django_db_blocker):
    """A superuser the live server can see: written outside the tests' transactions, removed afterwards."""
    with django_db_blocker.unblock():
        user = User.objects.create_superuser(USERNAME, password=PASSWORD)
    yield user
    with django_db_blocker.unblock():
        for session in Session.objects.all():
            if session.get_decoded().get("_auth_user_id") == str(user.pk):
                session.delete()
        user.delete()


@pytest.fixture
def violations(page: Page) -> list[str]:
    """What the browser refused because of the policy (Chromium reports each refusal on the console)."""
    refused: list[str] = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    return refused


def _log_in(page: Page, base: str) -> None:
    page.goto(base + "/admin/login/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()


def test_the_admin_change_form_runs_its_scripts_under_the_policy(page: Page, demo_site, staff_account, violations):
    _log_in(page, demo_site)
    page.goto(demo_site + "/admin/donations/donation/")
    expect(page.locator("#result_list")).to_be_visible()
    page.locator("#result_list tbody th a").first.click()
    expect(page.locator("#donation_form")).to_be_visible()
    # The autocomplete widgets are built by the admin's scripts (select2): they ran.
    expect(page.locator("#donation_form .select2-container").first).to_be_visible()
    assert violations == []


def test_the_report_page_and_its_print_button_work_under_the_policy(page: Page, demo_site, staff_account, violations):
    _log_in(page, demo_site)
    response = page.goto(f"{demo_site}/reports/summary/?{REVIEW}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate("() => { window.print = () => { window.printed = true; }; }")
    page.locator("[data-print]").click()
    assert page.evaluate("() => window.printed") is True  # static/js/print.js was loaded and ran
    assert violations == []


def test_the_import_preview_works_under_the_policy(page: Page, demo_site, staff_account, violations, tmp_path):
    upload = tmp_path / "nhom.csv"
    upload.write_text("code,name\nNHOM_CSP_THU,Nhóm kiểm tra\n", encoding="utf-8")
    _log_in(page, demo_site)
    page.goto(demo_site + "/staff/import/")
    page.select_option("#id_kind", "unit_groups")
    page.set_input_files("#id_file", str(upload))
    page.locator("form.upload [type=submit]").click()
    expect(page.locator("#content-main")).to_contain_text("NHOM_CSP_THU")
    assert violations == []
