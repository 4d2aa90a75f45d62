"""How long importing 10.000 donation rows takes (a benchmark, not a test).

Run it against a database holding the demo data:

    .venv/bin/python manage.py load_demo
    .venv/bin/python scripts/bench_import.py              # 10.000 rows, CSV and XLSX
    .venv/bin/python scripts/bench_import.py --rows 2000

For each format it generates the rows (money, goods, labour and loans by the demo's units to its
households, students, villages and communes), then times a dry run, a real import and a re-import
of the same file (which must change nothing), and prints the number of queries of each. The
imported donations are deleted at the end, so the database is left with what it had.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taybinh.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from apps.communes.models import Commune, Village  # noqa: E402
from apps.donations.models import Donation  # noqa: E402
from apps.households.models import Household, Student  # noqa: E402
from apps.imports.importer import import_file  # noqa: E402
from apps.units.models import Unit  # noqa: E402
from tests.imports.files import csv_bytes, xlsx_bytes  # noqa: E402

HEADER = [
    "reference",
    "date",
    "unit_code",
    "kind",
    "amount_vnd",
    "item_code",
    "quantity",
    "labour_days",
    "beneficiary_kind",
    "beneficiary_code",
    "note",
    "due_date",
]


def generate(rows: int, prefix: str) -> list[list[str]]:
    rng = random.Random(68)
    units = list(Unit.objects.values_list("code", flat=True))
    targets = {
        "household": list(Household.objects.values_list("code", flat=True)),
        "student": list(Student.objects.values_list("code", flat=True)),
        "village": list(Village.objects.values_list("code", flat=True)),
        "commune": list(Commune.objects.values_list("code", flat=True)),
    }
    if not units or not targets["household"]:
        sys.exit("No demo data: run `python manage.py load_demo` first.")
    table = [HEADER]
    for n in range(rows):
        kind = rng.choices(["money", "goods", "labour", "loan"], weights=[60, 25, 10, 5])[0]
        beneficiary = rng.choices(["household", "student", "village", "commune"], weights=[70, 20, 5, 5])[0]
        day = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2014, 2024)}"
        row = [
            f"{prefix}{n:05d}",
            day,
            rng.choice(units),
            kind,
            "",
            "",
            "",
            "",
            beneficiary,
            rng.choice(targets[beneficiary] or targets["household"]),
            "",
            "",
        ]
        if beneficiary == "student" and not targets["student"]:
            row[8] = "household"
        if kind in ("money", "loan"):
            row[4] = f"{rng.randint(1, 50) * 100_000:,}".replace(",", ".")
        elif kind == "goods":
            row[5], row[6] = rng.choice([("gao", "10"), ("duong", "2,5"), ("vo", "1.009"), ("xe_dap", "1")])
        else:
            row[7] = rng.choice(["1", "2", "0,5"])
        if kind == "loan":
            row[11] = "31/12/2026"
        table.append(row)
    return table


def as_xlsx(table: list[list[str]]) -> bytes:
    return xlsx_bytes({"donations": table})


def timed(label: str, content: bytes, name: str, *, dry_run: bool) -> None:
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        report = import_file("donations", content, name, dry_run=dry_run, via="command")
        elapsed = time.perf_counter() - started
    if not report.ok:
        sys.exit(f"{label}: the generated file was refused: {report.errors[:3]}")
    print(
        f"  {label:<10} {elapsed:6.1f} s   {len(queries):>7} queries   "
        f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    for suffix, encode in (("csv", csv_bytes), ("xlsx", as_xlsx)):
        prefix = f"BENCH-{suffix.upper()}-"
        table = generate(args.rows, prefix)
        content = encode(table)
        print(f"{args.rows} donation rows as .{suffix} ({len(content) / 1024:.0f} KB):")
        try:
            timed("dry run", content, f"bench.{suffix}", dry_run=True)
            timed("import", content, f"bench.{suffix}", dry_run=False)
            timed("re-import", content, f"bench.{suffix}", dry_run=False)
        finally:
            Donation.objects.filter(reference__startswith=prefix).delete()


if __name__ == "__main__":
    main()
