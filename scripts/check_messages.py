"""Fail when the Vietnamese catalogue misses a user-facing string of the project, or breaks the glossary.

Runs makemessages, lists untranslated or fuzzy entries, then puts the catalogue back as it was. Then
checks every translation in locale/vi against docs/glossary.md: a forbidden variant of a programme term
("số chứng từ" for số phiếu, "CCCD" for số định danh cá nhân, …) fails the review. Last, the same for every
cell of the downloadable import templates, whose column labels are data rather than catalogue entries.
"""

import ast
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
PO = BASE / "locale" / "vi" / "LC_MESSAGES" / "django.po"
CATALOGUES = [PO, PO.with_name("djangojs.po")]
GLOSSARY = BASE / "docs" / "glossary.md"


def glossary_rules(text: str) -> list[tuple[str, str, list[str]]]:
    """(English word or "*", term, forbidden variants) from the glossary's table."""
    rules = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not line.startswith("|") or cells[0] in ("English word in the msgid", "---"):
            continue
        english, term, forbidden = cells
        rules.append((english, term, [word.strip() for word in forbidden.split(",") if word.strip()]))
    return rules


def translations(path: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every entry of a .po file, plural forms joined, obsolete entries left out."""
    text = subprocess.run(["msgcat", "--no-wrap", str(path)], check=True, capture_output=True, text=True).stdout
    pairs: list[tuple[str, str]] = []
    msgid, msgstr, key = "", "", ""
    for line in text.splitlines() + [""]:
        if match := re.match(r"^(msgid|msgid_plural|msgstr(?:\[\d+\])?) (\".*\")$", line):
            key, value = match.group(1), ast.literal_eval(match.group(2))
            if key == "msgid":
                msgid, msgstr = value, ""
            elif key.startswith("msgstr"):
                msgstr += " " + value
        elif line.startswith('"') and key:
            value = ast.literal_eval(line)
            if key == "msgid":
                msgid += value
            elif key.startswith("msgstr"):
                msgstr += value
        elif not line.strip() and msgid:
            pairs.append((msgid, msgstr.strip()))
            msgid, msgstr, key = "", "", ""
    return pairs


def glossary_problems() -> list[str]:
    rules = glossary_rules(GLOSSARY.read_text(encoding="utf-8"))
    problems = []
    for path in CATALOGUES:
        if not path.exists():
            continue
        for msgid, msgstr in translations(path):
            for english, term, forbidden in rules:
                if english != "*" and not re.search(rf"\b{re.escape(english)}\b", msgid, re.IGNORECASE):
                    continue
                for word in forbidden:
                    if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", msgstr, re.IGNORECASE):
                        problems.append(f"{path.name}: {msgid!r} → {msgstr!r}: write “{term}”, not “{word}”")
    return problems


def template_problems() -> list[str]:
    """Cells of the import templates (labels, examples, notes, in Vietnamese) that use a forbidden variant."""
    if str(BASE) not in sys.path:
        sys.path.insert(0, str(BASE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taybinh.settings")
    import django

    django.setup()
    from django.utils import translation
    from openpyxl import load_workbook

    from apps.imports.kinds import WORKBOOK
    from apps.imports.spreadsheets import template_for

    forbidden = [
        (term, word)
        for english, term, words in glossary_rules(GLOSSARY.read_text("utf-8"))
        for word in words
        if english == "*"
    ]
    with translation.override("vi"):
        workbook = load_workbook(io.BytesIO(template_for(WORKBOOK)), read_only=True)
    problems = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str):
                    continue
                for term, word in forbidden:
                    if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", cell.value, re.IGNORECASE):
                        problems.append(
                            f"template {sheet.title}!{cell.coordinate} {cell.value!r}: write “{term}”, not “{word}”"
                        )
    return problems


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
    problems = glossary_problems()
    if problems:
        print("Translations that break docs/glossary.md:")
        print("\n".join(problems))
        return 1
    print("locale/vi: every translation keeps the glossary's terms")
    problems = template_problems()
    if problems:
        print("Import templates that break docs/glossary.md:")
        print("\n".join(problems))
        return 1
    print("import templates: every label and note keeps the glossary's terms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
