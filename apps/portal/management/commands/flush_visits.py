"""python manage.py flush_visits: writes the page views counted in the cache to the database now.

The site flushes by itself as it is visited (settings.PORTAL_VISITS_FLUSH_EVERY / _SECONDS); run this from
cron (every minute) so that a quiet site's last views reach the database too, or before stopping Redis.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from apps.portal.services import flush_visits


class Command(BaseCommand):
    help = "Write the page views counted in the cache to the database."

    def handle(self, *args: Any, **options: Any) -> None:
        written = flush_visits()
        self.stdout.write(_("%(views)s page views written to the database.") % {"views": written})
