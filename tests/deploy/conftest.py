import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """A page cached by another test must not hide the queries a test here looks at."""
    cache.clear()
    yield
    cache.clear()
