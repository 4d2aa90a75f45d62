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
from apps.portal.selectors import ONLINE_WINDOW

CARRIED_OVER_NEGATIVE = _("The carried-over total cannot be negative.")
DATA_VERSION_KEY = "portal:data-version"
# Online rows older than this are useless ("online now" looks back 5 minutes); drop them as we go.
ONLINE_ROWS_KEPT = datetime.timedelta(hours=1)
# "Online now" counts at most this many visitors (user agents) of one client address: a script varying
# its user agent adds no more. An office behind one shared address shows at most this many people online.
ONLINE_PER_ADDRESS = 3
# A visitor hash is two halves of this many hex digits: the address's, then the address and user agent's.
ADDRESS_PART = 32
# The first key of the portal's PostgreSQL advisory locks (pg_advisory_xact_lock(class, address)).
ADVISORY_LOCK_CLASS = 1_000_011


def _daily_salt(day: datetime.date) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), f"visitors:{day.isoformat()}".encode(), hashlib.sha256).digest()


def address_hash(*, address: str, day: datetime.date) -> str:
    """The client's address for one day, unrecognisable the next: the salt changes every day."""
    return hmac.new(_daily_salt(day), f"address|{address}".encode(), hashlib.sha256).hexdigest()[:ADDRESS_PART]


def visitor_hash(*, address: str, user_agent: str, day: datetime.date) -> str:
    """Recognise a visitor for one day without keeping the address. The first half is the address's own
    hash, so the visitors of one address can be counted (ONLINE_PER_ADDRESS) without knowing the address."""
    agent = hmac.new(_daily_salt(day), f"{address}|{user_agent}".encode(), hashlib.sha256).hexdigest()
    return address_hash(address=address, day=day) + agent[:ADDRESS_PART]


def _over_view_rate(address_key: str, now: datetime.datetime) -> bool:
    """Counts one view for the address this minute (in the cache, shared by every server on Redis)."""
    limit = settings.PORTAL_VIEWS_PER_ADDRESS_PER_MINUTE
    if not limit:
        return False
    key = f"portal:views:{address_key}:{int(now.timestamp() // 60)}"
    # add() then incr() works on every cache backend (locmem, Redis); incr is atomic on Redis.
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add() and incr()
        return False


def record_visit(*, address: str, user_agent: str, now: datetime.datetime | None = None) -> None:
    """Count one public page view. Every count is added in the database, so no view is lost under load.

    One address counts at most settings.PORTAL_VIEWS_PER_ADDRESS_PER_MINUTE views a minute and at most
    ONLINE_PER_ADDRESS visitors "online now": a script varying its user agent cannot inflate the counter.
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    visitor = visitor_hash(address=address, user_agent=user_agent, day=day)
    address_key = visitor[:ADDRESS_PART]
    if _over_view_rate(address_key, now):
        return
    days = DailyVisits._meta.db_table
    online = OnlineVisitor._meta.db_table
    # One transaction (no savepoint inside a caller's), two statements. The first takes the address's lock,
    # held to the commit, so its visitors online never pass the limit however many requests arrive at once;
    # drops the online rows nobody needs; adds 1 to the day in the database (never read-modify-write).
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            f"WITH locked AS (SELECT pg_advisory_xact_lock(%s, %s)), "
            f"gone AS (DELETE FROM {online} WHERE last_seen < %s) "
            f"INSERT INTO {days} (day, views) SELECT %s, 1 FROM locked "
            f"ON CONFLICT (day) DO UPDATE SET views = {days}.views + 1",
            [ADVISORY_LOCK_CLASS, int(address_key[:7], 16), now - ONLINE_ROWS_KEPT, day],
        )
        # A visitor already known is seen again; a new one only while its address has room.
        cursor.execute(
            f"INSERT INTO {online} (visitor_hash, last_seen) SELECT %s, %s "
            f"WHERE EXISTS (SELECT 1 FROM {online} WHERE visitor_hash = %s) "
            f"OR (SELECT count(*) FROM {online} WHERE visitor_hash LIKE %s AND last_seen > %s) < %s "
            f"ON CONFLICT (visitor_hash) DO UPDATE SET last_seen = GREATEST({online}.last_seen, EXCLUDED.last_seen)",
            [visitor, now, visitor, f"{address_key}%", now - ONLINE_WINDOW, ONLINE_PER_ADDRESS],
        )


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
