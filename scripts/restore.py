"""Restore a backup made by scripts/backup.py into the portal's database and media folder.

    python scripts/restore.py backups/taybinh-YYYYMMDD-HHMMSS.dump       (make restore FILE=…)

The database DATABASE_URL names (or the project-local one) gets the dump's tables in place of its own
(pg_restore --clean --if-exists, in one transaction: on an error nothing changes). The media archive
of the same name, when it is there, is unpacked into MEDIA_ROOT over the files already there.
Stop the app servers first, and afterwards clear the shared cache (or wait five minutes) so no
page shows figures from before the restore.
"""

from __future__ import annotations

import argparse
import subprocess
import tarfile
from pathlib import Path

from backup import MEDIA_SUFFIX, database, media_root, postgres_program, setup_django


def restore(dump: Path) -> Path | None:
    """Restore ``dump`` and its media archive; return the archive, if there was one."""
    environment, major = database()
    subprocess.run(
        [
            postgres_program("pg_restore", major),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={environment['PGDATABASE']}",
            dump,
        ],
        env=environment,
        check=True,
    )
    media = dump.with_name(dump.name.removesuffix(".dump") + MEDIA_SUFFIX)
    if not media.is_file():
        return None
    root = media_root()
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(media) as archive:
        members = [member for member in archive.getmembers() if member.name.startswith("media/")]
        for member in members:
            member.name = member.name.removeprefix("media/")
        safe = safe_members([member for member in members if member.name], root)
        # Python 3.11.4+ filters as well; Debian 12's 3.11.2 has no filter= (a TypeError there).
        options = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        archive.extractall(root, members=safe, **options)  # noqa: S202 - members checked by safe_members()
    return media


def safe_members(members: list[tarfile.TarInfo], root: Path) -> list[tarfile.TarInfo]:
    """Plain files and folders that land inside ``root``; a link, a device or a path leaving it stops the restore."""
    inside = root.resolve()
    for member in members:
        if not (member.isfile() or member.isdir()) or not (inside / member.name).resolve().is_relative_to(inside):
            raise SystemExit(
                f"Refused: the media archive holds {member.name!r}, which is not a file inside the media folder"
            )
    return members


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dump", type=Path, help="the .dump file of a backup")
    arguments = parser.parse_args()
    if not arguments.dump.is_file():
        raise SystemExit(f"No such backup: {arguments.dump}")
    setup_django()
    media = restore(arguments.dump)
    print(f"Restored {arguments.dump}" + (f" and {media}" if media else " (no media archive beside it)"))


if __name__ == "__main__":
    main()
