"""The printable report read on a screen: the appendix, printed landscape, fits the portrait sheet on screen."""

import pytest
from playwright.sync_api import Page

from tests.browser.test_staff_csp import REVIEW, _log_in, staff_account  # noqa: F401 - the signed-in superuser

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.mark.usefixtures("staff_account")
def test_the_pledges_per_unit_fit_the_sheet_and_name_each_unit_on_a_line_or_two(page: Page, demo_site):
    _log_in(page, demo_site)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{demo_site}/reports/summary/?{REVIEW}")
    sheet = page.locator(".document").bounding_box()
    table = page.locator("table.figures-pledge_units").bounding_box()
    assert sheet and table
    assert table["x"] + table["width"] <= sheet["x"] + sheet["width"] + 1
    # The unit's name column is not squeezed to a word per line by the printed widths of the others.
    first_name = page.locator("table.figures-pledge_units tbody tr td").first.bounding_box()
    assert first_name and first_name["width"] >= 100
