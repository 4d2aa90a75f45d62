"""Writes of the portal: counting visits (atomic in the database) and marking cached pages stale."""

from __future__ import annotations

import datetime
import hashlib
import hmac
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.portal.models import DailyVisits, OnlineVisitor, VisitCounterSettings

CARRIED_OVER_NEGATIVE = _("The carried-over total cannot be negative.")
DATA_VERSION_KEY = "portal:data-version"
# Online rows older than this are useless ("online now" looks back 5 minutes); drop them as we go.
ONLINE_ROWS_KEPT = datetime.timedelta(hours=1)


def visitor_hash(*, address: str, user_agent: str, day: datetime.date) -> str:
    """Recognise a visitor for one day without keeping the address: the salt changes every day."""
    salt = hmac.new(settings.SECRET_KEY.encode(), f"visitors:{day.isoformat()}".encode(), hashlib.sha256).digest()
    return hmac.new(salt, f"{address}|{user_agent}".encode(), hashlib.sha256).hexdigest()


def record_visit(*, address: str, user_agent: str, now: datetime.datetime | None = None) -> None:
    """Count one public page view. Each statement is atomic in PostgreSQL, so no view is lost under load."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    days = DailyVisits._meta.db_table
    online = OnlineVisitor._meta.db_table
    with connection.cursor() as cursor:
        # An upsert that adds 1 in the database: never read-modify-write in Python.
        cursor.execute(
            f"INSERT INTO {days} (day, views) VALUES (%s, 1) ON CONFLICT (day) DO UPDATE SET views = {days}.views + 1",
            [day],
        )
        cursor.execute(
            f"INSERT INTO {online} (visitor_hash, last_seen) VALUES (%s, %s) "
            f"ON CONFLICT (visitor_hash) DO UPDATE SET last_seen = GREATEST({online}.last_seen, EXCLUDED.last_seen)",
            [visitor_hash(address=address, user_agent=user_agent, day=day), now],
        )
        cursor.execute(f"DELETE FROM {online} WHERE last_seen < %s", [now - ONLINE_ROWS_KEPT])


@transaction.atomic
def set_carried_over_total(total: int) -> VisitCounterSettings:
    if total < 0:
        raise ValidationError({"carried_over_total": CARRIED_OVER_NEGATIVE})
    counter = VisitCounterSettings.load()
    counter.carried_over_total = total
    counter.full_clean()
    counter.save()
    return counter


def data_version() -> int:
    """A number that changes whenever a record shown on the public pages changes (cache keys use it)."""
    return cast(int, cache.get_or_set(DATA_VERSION_KEY, 1, timeout=None))


def mark_public_pages_stale() -> None:
    try:
        cache.incr(DATA_VERSION_KEY)
    except ValueError:  # not set yet, or evicted: any new value makes old keys unreachable
        cache.set(DATA_VERSION_KEY, int(timezone.now().timestamp()), timeout=None)
