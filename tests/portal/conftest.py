import datetime

import pytest
from django.core.cache import cache, caches

from tests.factories import AssignmentFactory, CommuneFactory, UnitGroupFactory, VillageFactory
from tests.portal.seeds import BROWSER


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Pages cached by one test (whose records were rolled back) must not be served to the next, nor its
    visits counted in the next."""
    cache.clear()
    caches["counters"].clear()
    yield
    cache.clear()
    caches["counters"].clear()


@pytest.fixture
def visitor(client):
    """An ordinary browser: the test client sends no user agent, which the counter takes for a script."""
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    return client


@pytest.fixture
def merged_communes(db):
    """A new commune formed from an old one, each with a village; a group assigned to the new one."""
    new = CommuneFactory(name="Xã Hợp Nhất Thử")
    old = CommuneFactory(name="Xã Cũ Thử", successor=new, valid_to=datetime.date(2025, 6, 30))
    group = UnitGroupFactory(name="Nhóm giúp xã thử")
    AssignmentFactory(group=group, commune=new, start=datetime.date(2025, 7, 1))
    return {
        "new": new,
        "old": old,
        "new_village": VillageFactory(commune=new),
        "old_village": VillageFactory(commune=old),
        "group": group,
    }
