"""python manage.py load_demo: the reference district, created where missing, never overwritten."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.demo import generator, loader
from apps.portal.demo import load_demo_content


class Command(BaseCommand):
    help = "Load the demo district (Tây Hòa). Safe to re-run: creates only what is missing, edits nothing."

    def handle(self, *args: Any, verbosity: int = 1, **options: Any) -> None:
        started = time.monotonic()
        created = loader.load(generator.build())
        load_demo_content()  # the portal's news article, website links and visitor counter
        if verbosity == 0:
            return
        total = sum(created.values())
        if total == 0:
            self.stdout.write(_("Demo data already loaded: nothing to create."))
            return
        # Only the tables that grew, with their names as staff see them in the admin.
        parts = [
            f"{count} {table.model._meta.verbose_name_plural}"
            for table in loader.TABLES
            if (count := created[table.rows])
        ]
        self.stdout.write(
            ngettext(
                "Demo data loaded in %(seconds).1f s: %(count)d record created (%(parts)s).",
                "Demo data loaded in %(seconds).1f s: %(count)d records created (%(parts)s).",
                total,
            )
            % {"seconds": time.monotonic() - started, "count": total, "parts": ", ".join(parts)}
        )
