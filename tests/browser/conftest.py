"""Browser tests: pytest-playwright drives Debian's Chromium against Django's live server."""

import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test.utils import modify_settings
from pytest_django.live_server_helper import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = "Chromium is not installed (apt-get install chromium): browser tests skipped"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there otherwise.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.hookimpl(trylast=True)  # after pytest-django has put the database tests in Django's order
def pytest_collection_modifyitems(items):
    # Last in each process: the page views they make add committed rows to the visitor counter,
    # which tests counting from an empty table must not see (demo_server puts them back at the end).
    items.sort(key=lambda item: "browser" in item.keywords)
    if CHROMIUM.exists():
        return
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=CHROMIUM_MISSING))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Vietnamese visitors: the portal answers in Vietnamese with Vietnamese number formats.
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def demo_server(django_db_setup, django_db_blocker):
    """One live server for the whole run, serving the demo that the test database was set up with.

    pytest-django's ``live_server`` makes each test transactional, and the flush after such a test
    empties the database: the demo had to be loaded again inside every browser test, and again in the
    next run (--reuse-db). These tests only read public pages, so this server reads the committed demo
    and nothing is flushed. The only rows its pages write are the visitor counter's (each page view
    counts), which are put back as they were when the server stops.
    """
    from apps.portal.models import DailyVisits, OnlineVisitor

    counters = (DailyVisits, OnlineVisitor)
    with django_db_blocker.unblock():
        saved = {model: list(model.objects.all()) for model in counters}
    with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
        server = LiveServer("localhost")
        yield server.url
        server.stop()
    with django_db_blocker.unblock(), transaction.atomic():
        for model, rows in saved.items():
            model.objects.all().delete()
            model.objects.bulk_create(rows)


@pytest.fixture
def demo_site(demo_server):
    """The live server's address. The test's django_db mark opens the database to its request threads."""
    # Pages cached by earlier tests in this process were rendered from their own rolled-back data.
    cache.clear()
    return demo_server
