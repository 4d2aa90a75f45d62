"""The list of agencies and units in pages: a province's 2.000 units are not one 1,4 MB page (issue 10)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.portal.views import UNITS_PER_PAGE
from apps.units.models import Unit, UnitGroup
from tests.factories import AssignmentFactory, DonationFactory, GroupMembershipFactory, UnitFactory, UnitGroupFactory

pytestmark = pytest.mark.django_db


def _unit_codes(page: str) -> list[str]:
    """The codes of the units listed, from their links, in the order shown."""
    prefix, suffix = reverse("portal:unit", args=["CODE"]).split("CODE")
    return re.findall(f'<th scope="row"><a href="{re.escape(prefix)}([^"/]+){re.escape(suffix)}">', page)


@pytest.fixture
def many_units(db):
    """More units than a page holds; the last in name order gave 1.234.000 đ."""
    missing = UNITS_PER_PAGE + 5 - Unit.objects.count()
    units = [UnitFactory(name=f"Ủy ban thử {n:03d}") for n in range(max(missing, 5))]
    DonationFactory(unit=units[-1], amount_vnd=1_234_000)
    return units


def test_the_units_are_shown_a_page_at_a_time_in_name_order_each_once(visitor, many_units):
    ordered = list(Unit.objects.order_by("kind", "name", "pk").values_list("code", flat=True))
    first = visitor.get(reverse("portal:units")).content.decode()
    pages = (len(ordered) + UNITS_PER_PAGE - 1) // UNITS_PER_PAGE
    last = visitor.get(reverse("portal:units"), {"page": pages}).content.decode()

    assert _unit_codes(first) == ordered[:UNITS_PER_PAGE]
    assert _unit_codes(last) == ordered[(pages - 1) * UNITS_PER_PAGE :]
    assert f"Trang 1 / {pages}" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert f"trong tổng số {len(ordered)}" in first
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert "1.234.000" in last  # the last unit's money, on its own page


def test_a_page_number_out_of_range_shows_the_last_page_not_an_error(visitor, many_units):
    response = visitor.get(reverse("portal:units"), {"page": "9999"})
    assert response.status_code == 200
    assert "Ủy ban thử" in response.content.decode()
    assert visitor.get(reverse("portal:units"), {"page": "abc"}).status_code == 200


def test_a_page_of_units_takes_as_many_queries_however_many_units(visitor, many_units, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0

    def queries(page: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert visitor.get(reverse("portal:units"), {"page": page}).status_code == 200
        return len(captured)

    queries(2)  # the site's settings, read once per process
    second = queries(2)
    UnitFactory.create_batch(UNITS_PER_PAGE)
    assert queries(2) == second


def test_the_groups_have_a_page_of_their_own_which_the_unit_list_links_to(visitor):
    # A province's 200 groups above its units put the first unit a long way down a phone's screen.
    group = UnitGroupFactory(name="Nhóm <thử> mới")
    GroupMembershipFactory.create_batch(2, group=group)
    GroupMembershipFactory(group=group, start=datetime.date(2015, 3, 1), end=datetime.date(2020, 1, 1))  # left
    AssignmentFactory(group=group)
    units_page = visitor.get(reverse("portal:units")).content.decode()
    groups_page = visitor.get(reverse("portal:groups")).content.decode()

    link = f'<a href="{reverse("portal:groups")}">{UnitGroup.objects.count()} nhóm cơ quan, đơn vị: thời gian'
    assert link in units_page
    assert "Số đơn vị hiện nay" not in units_page  # no table of groups above the units
    row = groups_page[groups_page.index(f'<a href="{reverse("portal:group", args=[group.code])}">') :]
    row = row[: row.index("</tr>")]
    assert "Nhóm &lt;thử&gt; mới" in row
    assert re.findall(r'<td data-label="[^"]+">([^<]*)</td>', row) == ["14/02/2014 – nay", "2", "1"]
    assert groups_page.count("<tr>") == UnitGroup.objects.count() + 1  # the header and a row per group
    group_page = visitor.get(reverse("portal:group", args=[group.code])).content.decode()
    assert f'<a href="{reverse("portal:groups")}">Nhóm cơ quan, đơn vị</a> ›' in group_page
