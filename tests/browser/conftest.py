"""Browser tests: pytest-playwright drives Debian's Chromium against Django's live server."""

import os
import threading
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.db.backends.signals import connection_created
from django.test.utils import modify_settings
from pytest_django.live_server_helper import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = "Chromium is not installed (apt-get install chromium): browser tests skipped"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# Once Playwright runs, fixtures and tests see other Django connections than pytest-django's teardown
# does (Django keys connections on the context, which Playwright's greenlets switch). Left open, they
# kept the test database "accessed by other users" when it was dropped; they are closed here instead.
_OPENED_IN_MAIN_THREAD: list = []

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


def _remember_connection(sender, connection, **kwargs):
    if threading.current_thread() is threading.main_thread():  # the live server's threads close theirs
        _OPENED_IN_MAIN_THREAD.append(connection)


def _close_remembered_connections() -> None:
    while _OPENED_IN_MAIN_THREAD:
        connection = _OPENED_IN_MAIN_THREAD.pop()
        if not connection.in_atomic_block:
            connection.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    result = yield
    if "browser" in item.keywords:
        _close_remembered_connections()  # the test's transaction is rolled back by now
    return result


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
    from apps.portal.models import DailyVisits, FlushedVisits

    counters = (DailyVisits, FlushedVisits)
    connection_created.connect(_remember_connection)
    with django_db_blocker.unblock():
        saved = {model: list(model.objects.all()) for model in counters}
    with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
        server = LiveServer("localhost")
        yield server.url
        server.stop()
    with django_db_blocker.unblock():
        with transaction.atomic():
            for model, rows in saved.items():
                model.objects.all().delete()
                model.objects.bulk_create(rows)
        _close_remembered_connections()
    connection_created.disconnect(_remember_connection)


@pytest.fixture
def demo_site(demo_server):
    """The live server's address. The test's django_db mark opens the database to its request threads."""
    # Pages cached by earlier tests in this process were rendered from their own rolled-back data.
    cache.clear()
    return demo_server
