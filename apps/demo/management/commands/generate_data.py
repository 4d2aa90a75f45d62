"""python manage.py generate_data --scale {district,province}: a whole programme, invented, into an empty database."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.signals import records_written_in_bulk
from apps.demo.scale import SCALES, SEED, NotEmpty, generate


class Command(BaseCommand):
    help = (
        "Fill an EMPTY database (migrated, no records) with invented programme data at district or province "
        "scale, deterministically, with the audit history production would have. For benchmarks, never production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="district")
        parser.add_argument("--seed", type=int, default=SEED, help="the same seed gives the same data")

    def handle(self, *args: Any, scale: str, seed: int, verbosity: int = 1, **options: Any) -> None:
        started = time.monotonic()

        def log(line: str) -> None:
            if verbosity >= 2:
                self.stdout.write(f"  {time.monotonic() - started:6.1f} s  {line}")

        try:
            counts = generate(scale, seed=seed, log=log)
        except NotEmpty as error:
            found = "; ".join(f"{count} {name}" for name, count in error.args[0].items())
            raise CommandError(
                f"The database already holds records ({found}); generate_data only fills an empty database. "
                "Create a new database, migrate it, and run generate_data there."
            ) from error
        records_written_in_bulk.send(sender=self.__class__)  # COPY sends no save signals
        if verbosity:
            rows = ", ".join(f"{table} {count}" for table, count in counts.items())
            self.stdout.write(f"Generated the {scale} in {time.monotonic() - started:.1f} s: {rows}.")
