"""Fail when the Vietnamese catalogue misses a user-facing string of the project.

Runs makemessages, lists untranslated or fuzzy entries, then puts the catalogue back as it was.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
PO = BASE / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def main() -> int:
    backup = Path(tempfile.mkdtemp()) / "django.po"
    shutil.copy(PO, backup)
    try:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "vi",
                "--no-location",
                "--ignore",
                ".venv/*",
                "--ignore",
                ".data/*",
                "--ignore",
                "staticfiles/*",
                "--ignore",
                "test-artifacts/*",
            ],
            cwd=BASE,
            check=True,
            capture_output=True,
        )
        problems = ""
        for flag in ("--untranslated", "--only-fuzzy"):
            problems += subprocess.run(
                ["msgattrib", flag, "--no-obsolete", str(PO)], check=True, capture_output=True, text=True
            ).stdout
    finally:
        shutil.copy(backup, PO)
    entries = [line for line in problems.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
    if entries:
        print("Untranslated or fuzzy strings in locale/vi (run `make messages` and translate them):")
        print("\n".join(entries))
        return 1
    print("locale/vi: every project string is translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
