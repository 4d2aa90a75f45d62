"""Every kind of public page, as a visitor reaches it: by following the links from the home page."""

from __future__ import annotations

import re

from playwright.sync_api import Page

NAVIGATION = [
    "Kết quả|Results",
    "Xã - thị trấn|Xã, thị trấn|Communes and towns",
    "Cơ quan - đơn vị|Cơ quan, đơn vị|Agencies and units",
    "Tin tức|News",
    "Trang chủ|Home",
]


def public_pages(page: Page, base: str) -> list[str]:
    """The home page, each menu section and one page of each kind below it (commune, group, unit, article)."""
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
            page.locator("main a[href$='/nhom/']").first.click()  # the groups' list
            urls.append(page.url)
            page.locator("main table a[href*='/nhom/']").first.click()
            urls.append(page.url)
            page.locator("main table a[href*='/co-quan-don-vi/']:not([href*='/nhom/'])").first.click()
            urls.append(page.url)
            page.go_back()
            page.go_back()
            page.go_back()
        if "tin-tuc" in page.url:
            page.locator("main .card a").first.click()
            urls.append(page.url)
            page.go_back()
    # The open-data guide, from the footer of every page.
    page.locator("footer").get_by_role("link", name=re.compile("^(Dữ liệu mở|Open data)$")).click()
    urls.append(page.url)
    # The search box in the header, as a visitor types in it (without diacritics).
    page.get_by_role("search").first.get_by_role("searchbox").fill("hoa my")
    page.get_by_role("search").first.get_by_role("button").click()
    urls.append(page.url)
    return urls
