"""Every public page on a 360 px and a 390 px phone and an office screen: nothing scrolls sideways, every
table's total is on screen, and no chart label is smaller than 12 px. Screenshots go to test-artifacts/."""

import pytest
from playwright.sync_api import Page

from tests.browser.public_pages import public_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDTHS = (360, 390, 1366)
SMALLEST_CHART_TEXT_PX = 12

# For each table: how far it reaches past the box it sits in (a sideways scroll inside the table), and
# where the cells of its last column (the total, in a figures table) end compared with the screen.
TABLES = """() => Array.from(document.querySelectorAll('main table')).map(table => {
  const box = table.closest('.table-scroll') || table.parentElement;
  const lastCells = Array.from(table.querySelectorAll('tbody tr')).map(row => row.lastElementChild);
  return {
    caption: (table.caption && table.caption.textContent.trim()) || '',
    overflow: box.scrollWidth - box.clientWidth,
    rightmost: Math.max(0, ...lastCells.map(cell => cell.getBoundingClientRect().right)),
  };
})"""
# Each SVG text's font size as drawn: its computed size times the scale the SVG is drawn at.
CHART_TEXTS = """() => Array.from(document.querySelectorAll('svg text')).map(text => ({
  text: text.textContent.trim(),
  px: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
}))"""


def _name(url: str, base: str) -> str:
    return url.removeprefix(base).strip("/").replace("/", "_").replace("?", "_") or "home"


def test_every_public_page_fits_a_phone_with_totals_on_screen_and_readable_charts(page: Page, demo_site, screenshots):
    urls = public_pages(page, demo_site)
    problems = []
    charts_seen = 0
    for url in urls:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            assert page.goto(url).status == 200, url
            page.screenshot(path=str(screenshots / f"{_name(url, demo_site)}-{width}.png"), full_page=True)
            if (scroll_width := page.evaluate("document.documentElement.scrollWidth")) > width:
                problems.append(f"{url} at {width}px: the page is {scroll_width}px wide")
            for table in page.evaluate(TABLES):
                if table["overflow"] > 0:
                    problems.append(f"{url} at {width}px: table “{table['caption']}” scrolls {table['overflow']}px")
                if table["rightmost"] > width:
                    problems.append(f"{url} at {width}px: the last column of “{table['caption']}” is off screen")
            texts = page.evaluate(CHART_TEXTS)
            charts_seen += len(texts)
            problems += [
                f"{url} at {width}px: chart text “{t['text']}” is {t['px']:.1f}px"
                for t in texts
                if t["px"] < SMALLEST_CHART_TEXT_PX
            ]
    assert charts_seen > 0  # the home, results, commune, group and unit pages draw charts
    assert not problems, "\n".join(problems)
