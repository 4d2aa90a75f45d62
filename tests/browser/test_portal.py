"""The public portal in a real browser: figures, navigation, accessibility, screenshots at two widths."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

pytestmark = [
    pytest.mark.browser,
    # Not transactional: the pages come from one live server for the session (demo_site in
    # tests/browser/conftest.py), which reads the demo committed when the test database was set up.
    pytest.mark.django_db,
]

WIDTHS = {"phone": 390, "office": 1366}
NAVIGATION = [
    "Kết quả|Results",
    "Xã - thị trấn|Xã, thị trấn|Communes and towns",
    "Cơ quan - đơn vị|Cơ quan, đơn vị|Agencies and units",
    "Tin tức|News",
    "Trang chủ|Home",
]


def _public_pages(page: Page, base: str) -> list[str]:
    """Every kind of public page, reached by following links from the home page."""
    page.goto(base + "/")
    urls = [page.url]
    for label in NAVIGATION[:4]:
        page.get_by_role("navigation", name=re.compile("menu|Trình đơn", re.I)).get_by_role(
            "link", name=re.compile(f"^({label})$")
        ).click()
        urls.append(page.url)
        if "xa-thi-tran" in page.url:
            page.locator("main table a").first.click()
            urls.append(page.url)
            page.go_back()
        if "co-quan-don-vi" in page.url:
            page.locator("main a[href*='/nhom/']").first.click()
            urls.append(page.url)
            page.locator("main table a[href*='/co-quan-don-vi/']:not([href*='/nhom/'])").first.click()
            urls.append(page.url)
            page.go_back()
            page.go_back()
        if "tin-tuc" in page.url:
            page.locator("main .card a").first.click()
            urls.append(page.url)
            page.go_back()
    return urls


def test_home_page_shows_the_review_figures(page: Page, demo_site):
    page.goto(demo_site + "/")
    main = page.locator("main")
    expect(main).to_contain_text("745.320.000 đ")
    expect(main).to_contain_text("1.325")
    expect(main).to_contain_text("796")
    expect(page.locator("aside")).to_contain_text("10.114.")  # the total carried over from the old site


def test_navigation_reaches_every_public_page_which_is_accessible_at_both_widths(page: Page, demo_site, screenshots):
    urls = _public_pages(page, demo_site)
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
