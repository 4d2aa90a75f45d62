"""No personal data on any public page or file: seed distinctive names and numbers, crawl, find none."""

import datetime
import io
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.spreadsheets import XLSX_CONTENT_TYPE
from apps.households.models import Target
from tests.factories import (
    DonationFactory,
    GroupMembershipFactory,
    HouseholdFactory,
    MemberFactory,
    PledgeFactory,
    StudentFactory,
    TargetFactory,
    VillageFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SECRETS = {
    "household head": "Quách Thị Zebrauyên",
    "second household head": "Lư Văn Xyloquang",
    "member": "Đàm Văn Quokkatrí",
    "student": "Hứa Thị Wombatlinh",
    "ID number": "079123456789",
    "second ID number": "054987650123",
}
MAX_PAGES = 1500
LINK = re.compile(r'href="([^"#]+)"')


@pytest.fixture
def seeded_people(merged_communes):
    """People whose names must never show, linked to every kind of record a public page aggregates."""
    village = merged_communes["old_village"]
    household = HouseholdFactory(village=village, head_name=SECRETS["household head"], id_number=SECRETS["ID number"])
    other = HouseholdFactory(
        village=VillageFactory(commune=merged_communes["new"]),
        head_name=SECRETS["second household head"],
        id_number=SECRETS["second ID number"],
    )
    student = StudentFactory(household=household, name=SECRETS["student"])
    membership = GroupMembershipFactory(group=merged_communes["group"], start=datetime.date(2019, 1, 1))
    member = MemberFactory(unit=membership.unit, name=SECRETS["member"])
    pledge = PledgeFactory(unit=member.unit, member=member, household=household)
    DonationFactory(unit=member.unit, member=member, household=household, pledge=pledge, date=datetime.date(2019, 5, 1))
    DonationFactory(unit=member.unit, member=member, household=other, date=datetime.date(2025, 8, 1), loan=True)
    DonationFactory(
        unit=member.unit,
        beneficiary_kind="student",
        household=None,
        student=student,
        date=datetime.date(2020, 9, 5),
        goods=True,
    )
    TargetFactory(kind=Target.Kind.MODEL_GARDEN, village=None, household=household, unit=member.unit)
    return merged_communes


def _text_of(response) -> str:
    """What a reader of the file sees: the page or file as text, every cell of a workbook."""
    content_type = response["Content-Type"]
    if content_type == XLSX_CONTENT_TYPE:
        workbook = load_workbook(io.BytesIO(response.content))
        return "\n".join(str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row)
    if content_type == "image/png":
        return ""  # drawn from the SVG of the same chart, which the crawl reads too
    return response.content.decode()


def _crawl(client) -> dict[str, str]:
    """Every page reachable from the home page by links within the site (bounded), by URL."""
    pages: dict[str, str] = {}
    queue = [reverse("portal:home")]
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        if url in pages:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        body = _text_of(response)
        pages[url] = body
        if not response["Content-Type"].startswith("text/html"):
            continue
        for href in LINK.findall(body):
            href = href.replace("&amp;", "&")
            target = urlsplit(urljoin(url, href))
            if target.netloc and target.netloc != "testserver":
                continue
            path = target.path + (f"?{target.query}" if target.query else "")
            if path.startswith(("/admin/", "/static/", "/media/", "/reports/", "/staff/")) or path in pages:
                continue
            queue.append(path)
    return pages


def test_no_public_page_or_file_shows_a_name_or_an_id_number(visitor, seeded_people):
    pages = _crawl(visitor)
    # The crawl must actually reach the pages that aggregate these people.
    assert reverse("portal:commune", args=[seeded_people["old"].code]) in pages
    assert reverse("portal:group", args=[seeded_people["group"].code]) in pages
    assert any(
        url.startswith("/co-quan-don-vi/") and "/nhom/" not in url and url != "/co-quan-don-vi/" for url in pages
    )
    assert any(url.startswith(reverse("portal:summary_csv")) for url in pages)
    # The downloads people open and the feed are linked from the pages, so the crawl read them.
    assert any(url.startswith(reverse("portal:results_xlsx")) for url in pages)
    assert any(url.startswith("/bieu-do/") and ".svg?unit=" in url for url in pages)
    assert any(url.startswith("/bieu-do/") and ".svg?group=" in url for url in pages)
    assert reverse("portal:news_feed") in pages
    searches = [reverse("portal:search") + f"?q={secret}" for secret in SECRETS.values()]
    searches += [reverse("portal:search") + "?q=" + word for word in ("Quach", "Zebrauyen", "Quokkatri", "079123")]
    for extra in (
        reverse("portal:summary_json"),
        reverse("portal:summary_csv"),
        reverse("portal:visits_json"),
        reverse("portal:summary_json") + f"?commune={seeded_people['new'].code}",
        reverse("portal:summary_csv") + f"?group={seeded_people['group'].code}",
        reverse("portal:sitemap"),
        reverse("portal:results_xlsx") + f"?commune={seeded_people['old'].code}",
        *searches,
    ):
        pages[extra] = _text_of(visitor.get(extra))
    for url, body in pages.items():
        if url in searches:  # a search page repeats the words typed, and must find nothing more
            assert 'role="status"' in body, url
            results = body.split("</main>")[0].split('role="status"')[1]
            assert "<h2" not in results, f"search {url} found something"
            continue
        for kind, secret in SECRETS.items():
            assert secret not in body, f"{kind} shown on {url}"
