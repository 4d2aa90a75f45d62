"""How long the counting selector takes on the demo district (a benchmark, not a test).

Run it against a database holding the demo data:

    .venv/bin/python manage.py load_demo
    .venv/bin/python scripts/bench_totals.py                 # the demo as loaded
    .venv/bin/python scripts/bench_totals.py --enlarge 10    # also on a 10x copy of the donations

It prints, for the review period (14/02/2014-24/10/2018) and the whole programme, with no scope,
a commune, a merged commune and a group, the median time of ``totals()`` over ``--runs`` calls and
the number of queries. ``--enlarge N`` copies every donation N-1 times inside a transaction that is
rolled back at the end, so the database is left exactly as it was.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taybinh.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from apps.communes.models import Commune  # noqa: E402
from apps.donations.models import Donation  # noqa: E402
from apps.donations.selectors import totals  # noqa: E402
from apps.units.models import UnitGroup  # noqa: E402

PERIODS = {
    "review 2014-2018": {"start": datetime.date(2014, 2, 14), "end": datetime.date(2018, 10, 24)},
    "all years": {},
}


def scopes() -> dict[str, dict]:
    return {
        "whole district": {},
        "commune HOA_DONG": {"commune": Commune.objects.get(code="HOA_DONG")},
        "merged SON_THANH_2025": {"commune": Commune.objects.get(code="SON_THANH_2025")},
        "group NHOM_2014_1": {"group": UnitGroup.objects.get(code="NHOM_2014_1")},
        "group NHOM_2018_01": {"group": UnitGroup.objects.get(code="NHOM_2018_01")},
    }


def measure(runs: int) -> None:
    print(f"{Donation.objects.count():>8} donations")
    for period_name, period in PERIODS.items():
        for scope_name, scope in scopes().items():
            timings = []
            for _ in range(runs):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    result = totals(**period, **scope)
                    timings.append(time.perf_counter() - started)
            print(
                f"  {period_name:<17} {scope_name:<22} {statistics.median(timings) * 1000:7.1f} ms"
                f"  {len(queries)} queries  visits={result['total']['household_visits']}"
            )


def enlarge(times: int) -> None:
    """Copy every donation ``times - 1`` times, with new references and no revolving-loan link."""
    skipped = ("id", "reference", "previous_loan_id")
    listed = ", ".join(f'"{f.column}"' for f in Donation._meta.concrete_fields if f.column not in skipped)
    with connection.cursor() as cursor:
        # The history triggers would make the copy take minutes; the copy is rolled back anyway.
        cursor.execute("SET LOCAL session_replication_role = replica")
        for copy in range(1, times):
            cursor.execute(
                f'INSERT INTO "donations_donation" ("reference", {listed}) '  # noqa: S608 - names from the model
                f"SELECT reference || '-X{copy}', {listed} FROM \"donations_donation\" "
                "WHERE reference NOT LIKE '%%-X%%'"
            )
        cursor.execute("SET LOCAL session_replication_role = origin")
        cursor.execute('ANALYZE "donations_donation"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--enlarge", type=int, default=0, help="also measure on N times the donations")
    options = parser.parse_args()
    if not Donation.objects.exists():
        sys.exit("No donations: run `python manage.py load_demo` first.")
    measure(options.runs)
    if options.enlarge > 1:
        with transaction.atomic():
            started = time.perf_counter()
            enlarge(options.enlarge)
            print(f"(copied to {options.enlarge}x in {time.perf_counter() - started:.1f} s; rolled back afterwards)")
            measure(options.runs)
            transaction.set_rollback(True)


if __name__ == "__main__":
    main()
