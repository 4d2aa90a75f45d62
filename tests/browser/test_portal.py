"""The public portal in a real browser: figures, navigation, accessibility, screenshots at two widths."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.public_pages import public_pages

pytestmark = [
    pytest.mark.browser,
    # Not transactional: the pages come from one live server for the session (demo_site in
    # tests/browser/conftest.py), which reads the demo committed when the test database was set up.
    pytest.mark.django_db,
]

WIDTHS = {"phone": 390, "office": 1366}


def test_home_page_shows_the_review_figures(page: Page, demo_site):
    page.goto(demo_site + "/")
    main = page.locator("main")
    expect(main).to_contain_text("745.320.000 đ")
    expect(main).to_contain_text("1.325")
    expect(main).to_contain_text("796")
    expect(page.locator("aside")).to_contain_text("10.114.")  # the total carried over from the old site


def test_navigation_reaches_every_public_page_which_is_accessible_at_both_widths(page: Page, demo_site, screenshots):
    urls = public_pages(page, demo_site)
    kinds = {"/", "/ket-qua/", "/xa-thi-tran/", "/co-quan-don-vi/", "/tin-tuc/"}
    paths = [url.removeprefix(demo_site) for url in urls]
    assert kinds <= set(paths)
    assert any(p.startswith("/xa-thi-tran/") and p != "/xa-thi-tran/" for p in paths)
    assert any("/nhom/" in p for p in paths)
    assert any(p.startswith("/tin-tuc/") and p != "/tin-tuc/" for p in paths)
    assert len(paths) >= 9
    axe = Axe()
    problems = []
    for url in urls:
        for device, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(url)
            assert response.status == 200, url
            name = url.removeprefix(demo_site).strip("/").replace("/", "_") or "home"
            page.screenshot(path=str(screenshots / f"{name}-{device}-{width}.png"), full_page=True)
            # Nothing wider than the screen on a phone: tables scroll inside their own box.
            assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{url} overflows at {width}px"
            violations = axe.run(page).response["violations"]
            problems += [
                f"{url} at {width}px: {v['id']} ({v['impact']}): {v['help']}"
                for v in violations
                if v["impact"] in ("serious", "critical")
            ]
    assert not problems, "\n".join(problems)
