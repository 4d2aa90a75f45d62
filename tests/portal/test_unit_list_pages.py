"""The list of agencies and units in pages: a province's 2.000 units are not one 1,4 MB page (issue 10)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.portal.views import UNITS_PER_PAGE
from apps.units.models import Unit
from tests.factories import DonationFactory, UnitFactory

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
    # The last unit's money is on its own page, the groups only on the first.
    assert "1.234.000" in last
    assert 'id="groups-title"' in first
    assert 'id="groups-title"' not in last


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
