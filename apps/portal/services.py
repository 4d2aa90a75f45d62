"""Writes of the portal: counting visits (in the cache, flushed to the database in batches) and marking
cached pages stale."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import time
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.portal.models import DailyVisits, FlushedVisits, VisitCounterSettings
from apps.portal.selectors import (
    EPOCH_KEY,
    ONLINE_MINUTES,
    counter_days,
    counters,
    forget_flushed_snapshot,
    minute_of,
    online_key,
    views_key,
    visit_counter_epoch,
    visit_counter_keys,
    visit_counts,
)

CARRIED_OVER_NEGATIVE = _("The carried-over total cannot be negative.")
DATA_VERSION_KEY = "portal:data-version"
# The per-minute "online" keys outlive the window "online now" looks back over, then expire.
ONLINE_KEYS_SECONDS = 60 * (ONLINE_MINUTES + 5)
# Present while a flush happened less than PORTAL_VISITS_FLUSH_SECONDS ago (cache.add() is the gate).
FLUSH_DUE_KEY = "portal:visits:flush-due"
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
    # incr() is atomic on Redis and under a lock in local memory; add() starts the minute's count.
    try:
        return cache.incr(key) > limit
    except ValueError:  # the address's first view this minute
        cache.add(key, 0, timeout=120)
        try:
            return cache.incr(key) > limit
        except ValueError:  # expired between add() and incr()
            return False


def _increment(key: str) -> int:
    """Adds 1 to a counter that never expires; atomic on Redis (INCR), under a lock in local memory."""
    try:
        return counters.incr(key)
    except ValueError:  # the first view counted under this key
        counters.add(key, 0, timeout=None)
        return counters.incr(key)


def _add_to_minute(key: str, delta: int) -> int:
    """Adds ``delta`` to a per-minute counter, kept a little longer than "online now" looks back."""
    counters.add(key, 0, timeout=ONLINE_KEYS_SECONDS)
    try:
        return counters.incr(key, delta)
    except ValueError:  # expired between add() and incr(): the minute is out of the window anyway
        return 0


def _see_online(*, visitor: str, address_key: str, now: datetime.datetime, seen: bool = False) -> None:
    """Counts the visitor in this minute's "online" counter, once per minute; a visitor already online moves
    from its earlier minute to this one. A new visitor is counted only while its address has fewer than
    ONLINE_PER_ADDRESS visitors online: the address's counter is raised first and lowered again when over,
    so requests arriving at once can never all slip under the limit."""
    minute = minute_of(now)
    if not seen and not counters.add(f"portal:online:seen:{minute}:{visitor}", True, timeout=ONLINE_KEYS_SECONDS):
        return  # already counted this minute: one cache operation per further view
    last_key = f"portal:online:last:{visitor}"
    last = counters.get(last_key)
    first_minute = minute - ONLINE_MINUTES + 1
    if last is not None and last >= minute:
        return  # seen later already (requests stamped out of order)
    if last is not None and last >= first_minute:
        for key in (online_key, lambda m: f"portal:online:{address_key}:{m}"):
            _add_to_minute(key(minute), 1)
            _add_to_minute(key(last), -1)
    else:
        address_keys = [f"portal:online:{address_key}:{m}" for m in range(first_minute, minute)]
        earlier = sum(counters.get_many(address_keys).values())
        this_minute = f"portal:online:{address_key}:{minute}"
        if earlier + _add_to_minute(this_minute, 1) > ONLINE_PER_ADDRESS:
            _add_to_minute(this_minute, -1)
            return
        _add_to_minute(online_key(minute), 1)
    counters.set(last_key, minute, timeout=ONLINE_KEYS_SECONDS)


def record_visit(*, address: str, user_agent: str, now: datetime.datetime | None = None) -> None:
    """Count one public page view: in the cache, and in the database only every so many views (flush_visits).

    One address counts at most settings.PORTAL_VIEWS_PER_ADDRESS_PER_MINUTE views a minute and at most
    ONLINE_PER_ADDRESS visitors "online now": a script varying its user agent cannot inflate the counter.
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    visitor = visitor_hash(address=address, user_agent=user_agent, day=day)
    address_key = visitor[:ADDRESS_PART]
    if _over_view_rate(address_key, now):
        return
    counted = _increment(views_key(day))
    _see_online(visitor=visitor, address_key=address_key, now=now)
    # Whoever crosses a threshold flushes: the N-th view of a day, or the first view T seconds after the last
    # flush (the shared gate is asked at most once a second per process).
    if counted % max(1, settings.PORTAL_VISITS_FLUSH_EVERY) == 0 or _flush_due():
        flush_visits(now=now)


# One round trip for a counted view on Redis: the address's views this minute (when limited), the day's views,
# "seen online this minute", then every counter visit_counts shows, read after this view was added. The same
# commands, in the same order, as record_visit and visit_counts make one by one through Django's cache.
RECORD_AND_READ = """
local over = false
if tonumber(ARGV[1]) > 0 then
  redis.call('SET', KEYS[1], 0, 'NX', 'EX', 120)
  over = redis.call('INCR', KEYS[1]) > tonumber(ARGV[1])
end
local counted, new_visitor = 0, 0
if not over then
  redis.call('SET', KEYS[2], 0, 'NX')
  counted = redis.call('INCR', KEYS[2])
  if redis.call('SET', KEYS[3], ARGV[3], 'NX', 'EX', ARGV[2]) then new_visitor = 1 end
end
return {counted, new_visitor, redis.call('MGET', unpack(KEYS, 4))}
"""


def record_visit_and_count(*, address: str, user_agent: str, now: datetime.datetime | None = None) -> dict[str, int]:
    """record_visit, then visit_counts: on Redis in one round trip (a script) instead of four or more."""
    now = now or timezone.now()
    client = _redis_client()
    if client is None:
        record_visit(address=address, user_agent=user_agent, now=now)
        return visit_counts(now=now)
    day = timezone.localdate(now)
    visitor = visitor_hash(address=address, user_agent=user_agent, day=day)
    address_key = visitor[:ADDRESS_PART]
    shown = visit_counter_keys(now=now)
    keys = [
        f"portal:views:{address_key}:{int(now.timestamp() // 60)}",
        views_key(day),
        f"portal:online:seen:{minute_of(now)}:{visitor}",
        *shown,
    ]
    backend = caches["counters"]._cache  # type: ignore[attr-defined]
    script = _scripts.get(id(client))
    if script is None:
        script = _scripts[id(client)] = client.register_script(RECORD_AND_READ)
    counted, new_visitor, values = script(
        keys=[counters.make_key(key) for key in keys],
        args=[settings.PORTAL_VIEWS_PER_ADDRESS_PER_MINUTE or 0, ONLINE_KEYS_SECONDS, backend._serializer.dumps(True)],
        client=client,
    )
    found: dict[str, Any] | None = {
        key: backend._serializer.loads(value) for key, value in zip(shown, values, strict=True) if value is not None
    }
    if counted and new_visitor:
        # A visitor new this minute (once a minute per visitor): the rest of _see_online, then a fresh read.
        _see_online(visitor=visitor, address_key=address_key, now=now, seen=True)
        found = None
    if counted and (counted % max(1, settings.PORTAL_VISITS_FLUSH_EVERY) == 0 or _flush_due()):
        flush_visits(now=now)
    return visit_counts(now=now, found=found)


_scripts: dict[int, Any] = {}


def _redis_client():
    """The Redis client behind the counters cache, or None for another cache (one in each process's memory)."""
    if not all(isinstance(caches[alias], RedisCache) for alias in ("default", "counters")):
        return None
    return caches["counters"]._cache.get_client(write=True)  # type: ignore[attr-defined]


_next_look_at_the_gate = 0.0


def _flush_due() -> bool:
    global _next_look_at_the_gate
    if not settings.PORTAL_VISITS_FLUSH_SECONDS or time.monotonic() < _next_look_at_the_gate:
        return False
    _next_look_at_the_gate = time.monotonic() + 1
    return counters.add(FLUSH_DUE_KEY, True, timeout=settings.PORTAL_VISITS_FLUSH_SECONDS)


def flush_visits(*, now: datetime.datetime | None = None) -> int:
    """Writes to DailyVisits what the cache's counters hold beyond what the database already took from them
    (FlushedVisits): one transaction. Returns the views written.

    Idempotent and safe to run at once from several processes: they take turns on an advisory lock (one that
    finds it taken leaves the work to the holder), and a view the cache counted after this flush read its
    counters stays in the cache, shown, for the next flush. Nothing is lost when a process dies mid-way.
    """
    now = now or timezone.now()
    days = counter_days(timezone.localdate(now))
    keys = {views_key(day): day for day in days}
    found = counters.get_many([EPOCH_KEY, *keys])  # one read: the counters and the epoch they belong to
    epoch = found.pop(EPOCH_KEY, None) or visit_counter_epoch()
    counted = {keys[key]: views for key, views in found.items() if views}
    if not counted:
        return 0
    flushed = FlushedVisits._meta.db_table
    daily = DailyVisits._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_CLASS, epoch % 2**31])
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute(f"SELECT day, views FROM {flushed} WHERE epoch = %s AND day >= %s", [epoch, days[0]])
        held = dict(cursor.fetchall())
        new = {day: views - held.get(day, 0) for day, views in counted.items() if views > held.get(day, 0)}
        if not new:
            return 0
        cursor.execute(
            f"INSERT INTO {flushed} (epoch, day, views) SELECT %s, unnest(%s::date[]), unnest(%s::bigint[]) "
            f"ON CONFLICT (epoch, day) DO UPDATE SET views = EXCLUDED.views",
            [epoch, list(new), [counted[day] for day in new]],
        )
        cursor.execute(
            f"INSERT INTO {daily} (day, views) SELECT unnest(%s::date[]), unnest(%s::bigint[]) "
            f"ON CONFLICT (day) DO UPDATE SET views = {daily}.views + EXCLUDED.views",
            [list(new), list(new.values())],
        )
        # Counters of days this old are read no more (COUNTER_DAYS): their bookkeeping goes.
        cursor.execute(f"DELETE FROM {flushed} WHERE day < %s", [days[0]])
    return sum(new.values())


@transaction.atomic
def set_carried_over_total(total: int) -> VisitCounterSettings:
    if total < 0:
        raise ValidationError({"carried_over_total": CARRIED_OVER_NEGATIVE})
    counter = VisitCounterSettings.load()
    counter.carried_over_total = total
    counter.full_clean()
    counter.save()
    transaction.on_commit(forget_flushed_snapshot)
    forget_flushed_snapshot()
    return counter


def data_version() -> int:
    """A number that changes whenever a record shown on the public pages changes (cache keys use it)."""
    return cast(int, cache.get_or_set(DATA_VERSION_KEY, time.time_ns, timeout=None))


def _new_data_version() -> None:
    try:
        cache.incr(DATA_VERSION_KEY)
    except ValueError:  # not set yet, or evicted: a value never used before makes every old key unreachable
        cache.set(DATA_VERSION_KEY, time.time_ns(), timeout=None)


def mark_public_pages_stale() -> None:
    """Every cached public page is rebuilt on its next view. At once, and inside a transaction once more when
    it commits: another process may have cached a page from the data as it was before the commit under the
    first new version (registered once per transaction, however many records it writes)."""
    _new_data_version()
    db = transaction.get_connection()
    if db.in_atomic_block and not any(callback is _new_data_version for _ids, callback, _robust in db.run_on_commit):
        transaction.on_commit(_new_data_version)
