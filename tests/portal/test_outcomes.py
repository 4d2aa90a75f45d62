"""The public results page's poverty outcomes: aggregates, the standard named, never a name (issue 15)."""

import pytest
from django.urls import reverse

from tests.donations import test_outcomes

commune_with_reviews = test_outcomes.commune_with_reviews  # the same households, for the page

pytestmark = pytest.mark.django_db


def test_the_results_page_shows_the_outcomes_as_aggregates_without_names(visitor, commune_with_reviews):
    commune = commune_with_reviews[0]

    page = visitor.get(reverse("portal:results"), {"commune": commune.code}).content.decode()

    section = page[page.index('id="outcomes-title"') :]
    assert "Quyết định số 59/2015/QĐ-TTg" in section
    assert "Hộ Được Giúp Một" not in page and "Hộ Không Được Giúp" not in page


def test_a_group_scope_says_outcomes_are_counted_for_communes(visitor):
    from tests.factories import UnitGroupFactory

    group = UnitGroupFactory()

    page = visitor.get(reverse("portal:results"), {"group": group.code}).content.decode()

    assert 'id="outcomes-title"' in page
    assert "outcomes__table" not in page
