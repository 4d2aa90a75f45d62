"""Fresh databases, outside the test database, for the deploy tests that run the portal as its own processes."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from psycopg2 import sql

BASE_DIR = Path(settings.BASE_DIR)


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """A page cached by another test must not hide the queries a test here looks at."""
    cache.clear()
    caches["counters"].clear()
    yield
    cache.clear()
    caches["counters"].clear()


def _maintenance(statement: sql.Composable) -> None:
    params = {**connection.get_connection_params(), "dbname": "postgres"}
    maintenance = psycopg2.connect(**params)
    try:
        maintenance.autocommit = True  # CREATE and DROP DATABASE cannot run inside a transaction
        with maintenance.cursor() as cursor:
            cursor.execute(statement)
    finally:
        maintenance.close()


def database_url(name: str) -> str:
    """A DATABASE_URL for database ``name`` on the server the tests use (a TCP server or the embedded socket).

    Read from the parameters libpq really gets: the embedded server's socket directory is in OPTIONS["host"]
    (its URL is ``…@/name?host=/socket``), not in HOST, and an empty host would mean the Debian service's socket.
    """
    params = connection.get_connection_params()
    user = quote(params.get("user") or "postgres") + (f":{quote(params['password'])}" if params.get("password") else "")
    host = params.get("host") or ""
    if not host:
        return f"postgres://{user}@/{name}"
    if host.startswith("/"):  # a unix socket directory (the embedded server's)
        return f"postgres://{user}@/{name}?host={host}"
    return f"postgres://{user}@{host}:{params.get('port') or 5432}/{name}"


def manage(url: str, *arguments: str, env: dict[str, str] | None = None) -> str:
    """Run ``python manage.py …`` with the portal's real settings on database ``url``; return its output."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "taybinh.settings", "DATABASE_URL": url, **(env or {})}
    done = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def create_database() -> str:
    """A new empty database on the tests' server; returns its name."""
    name = f"taybinh_deploy_{uuid.uuid4().hex[:12]}"
    _maintenance(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


def drop_database(name: str) -> None:
    _maintenance(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def load_demo(url: str) -> None:
    """The reference district, as `make run` builds it (migrate, load_demo)."""
    manage(url, "migrate", "--noinput", "-v0")
    manage(url, "load_demo", "-v0")


@pytest.fixture
def fresh_database() -> Iterator:
    """fresh_database() → the URL of a new empty database, dropped when the test ends."""
    names: list[str] = []

    def create() -> str:
        names.append(create_database())
        return database_url(names[-1])

    yield create
    for name in names:
        drop_database(name)


@pytest.fixture
def demo_database(fresh_database) -> str:
    url = fresh_database()
    load_demo(url)
    return url
