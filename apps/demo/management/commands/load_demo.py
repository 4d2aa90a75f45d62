"""python manage.py load_demo: the reference district, created where missing, never overwritten.

The reference district (Tây Hòa) as demo data: ``apps.demo.tables`` holds the hand-written facts,
``generator`` invents the rest deterministically, ``loader`` writes what is missing, and
``portal_content`` adds the public site's news, links and counter. Nothing outside this app knows
about Tây Hòa: another district loads its own data.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.signals import records_written_in_bulk
from apps.demo import generator, loader
from apps.demo.portal_content import load_portal_content
from apps.imports.records import RECORDS


class Command(BaseCommand):
    help = "Load the demo district (Tây Hòa). Safe to re-run: creates only what is missing, edits nothing."

    def handle(self, *args: Any, verbosity: int = 1, **options: Any) -> None:
        started = time.monotonic()
        created = loader.load(generator.build())
        load_portal_content()  # the portal's news article, website links and visitor counter
        records_written_in_bulk.send(sender=self.__class__)  # bulk_create sends no save signals
        if verbosity == 0:
            return
        total = sum(created.values())
        if total == 0:
            self.stdout.write(_("Demo data already loaded: nothing to create."))
            return
        # Only the tables that grew, with their names as staff see them in the admin.
        parts = [
            f"{count} {record.model._meta.verbose_name_plural}"
            for record in RECORDS.values()
            if (count := created[record.name])
        ]
        self.stdout.write(
            ngettext(
                "Demo data loaded in %(seconds).1f s: %(count)d record created (%(parts)s).",
                "Demo data loaded in %(seconds).1f s: %(count)d records created (%(parts)s).",
                total,
            )
            % {"seconds": time.monotonic() - started, "count": total, "parts": ", ".join(parts)}
        )
