"""Writes of the portal: counting visits (in the cache, flushed to the database in batches) and marking
cached pages stale."""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import time
from typing import Any, NamedTuple, cast

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
# KEYS from ``first``: those three; ``shown``: visit_counter_keys as stored (the epoch, the database's snapshot,
# then whole numbers), one per line: one argument, not seventy (each costs the client and Redis; a standalone
# Redis, as here, does not need a script's keys declared). Returns the view's count (0: not counted), whether
# the visitor is new this minute, the epoch, the snapshot, and the whole numbers in one string ("12,,7": one
# value to parse, not seventy).
COUNT_AND_READ = """
local function read_counters(shown)
  local keys = {}
  for key in string.gmatch(shown, '[^\\n]+') do keys[#keys + 1] = key end
  local values = redis.call('MGET', unpack(keys))
  local numbers = {}
  for i = 3, #values do numbers[i - 2] = values[i] or '' end
  return {values[1], values[2], table.concat(numbers, ',')}
end

local function count_and_read(first, count, limit, seconds, seen, shown)
  local counted, new_visitor = 0, 0
  if count == '1' then
    local over = false
    if tonumber(limit) > 0 then
      redis.call('SET', KEYS[first], 0, 'NX', 'EX', 120)
      over = redis.call('INCR', KEYS[first]) > tonumber(limit)
    end
    if not over then
      redis.call('SET', KEYS[first + 1], 0, 'NX')
      counted = redis.call('INCR', KEYS[first + 1])
      if redis.call('SET', KEYS[first + 2], seen, 'NX', 'EX', seconds) then new_visitor = 1 end
    end
  end
  local counters = read_counters(shown)
  return {counted, new_visitor, counters[1], counters[2], counters[3]}
end
"""
RECORD_AND_READ = COUNT_AND_READ + "return count_and_read(1, '1', ARGV[1], ARGV[2], ARGV[3], ARGV[4])\n"
# A cached public page's view (apps.portal.caching): KEYS[1] the data version, KEYS[2] the page, stored as the
# version it was built under, a newline, then the rest (store_page); ARGV[6] the version of the copy the caller
# holds. Not current (no page of the current version, and the caller holds none): {0, version}, nothing counted.
# Else {1, version, the page or nil when the caller's copy is current, then as RECORD_AND_READ}: the view
# counted when ARGV[5] is 1 (a browser's GET), the counters only read otherwise. A page passing through the
# script engine costs more than the rest of the view, hence the caller's copies.
PAGE_AND_COUNT = (
    COUNT_AND_READ
    + """
local version = redis.call('GET', KEYS[1])
if not version then return {0} end
local page = false
if ARGV[6] ~= version then
  page = redis.call('GET', KEYS[2])
  if not page or string.sub(page, 1, #version + 1) ~= version .. '\\n' then return {0, version} end
end
return {1, version, page, count_and_read(3, ARGV[5], ARGV[1], ARGV[2], ARGV[3], ARGV[4])}
"""
)


class CachedPage(NamedTuple):
    """cached_page_and_count's answer."""

    current: bool  # a page of the current data version: ``page``, else the copy the caller holds
    version: int | None  # the current data version (None: none set yet)
    page: bytes | None  # what store_page stored (the version line, then the page), when the caller needs it
    counts: dict[str, int] | None  # the counter, with this view when counted (None when not current)


def _counting_keys(*, address: str, user_agent: str, now: datetime.datetime) -> tuple[str, list[str], bytes]:
    """The visitor's hash, then the keys COUNT_AND_READ takes, as stored (the counters cache's make_key): the
    three it counts in, and the counters shown, one per line (visit_counter_keys)."""
    backend = caches["counters"]
    day = timezone.localdate(now)
    visitor = visitor_hash(address=address, user_agent=user_agent, day=day)
    counting = [
        backend.make_key(f"portal:views:{visitor[:ADDRESS_PART]}:{int(now.timestamp() // 60)}"),
        backend.make_key(views_key(day)),
        backend.make_key(f"portal:online:seen:{minute_of(now)}:{visitor}"),
    ]
    return visitor, counting, _stored_keys(backend, tuple(visit_counter_keys(now=now)))


@functools.lru_cache(maxsize=4)
def _stored_keys(backend, keys: tuple[str, ...]) -> bytes:
    """Keys as stored, one per line: made once a minute (seventy keys, every counted view)."""
    return "\n".join(backend.make_key(key) for key in keys).encode()


def _counting_args(shown: bytes) -> list[Any]:
    backend = caches["counters"]._cache  # type: ignore[attr-defined]
    return [
        settings.PORTAL_VIEWS_PER_ADDRESS_PER_MINUTE or 0,
        ONLINE_KEYS_SECONDS,
        backend._serializer.dumps(True),
        shown,
    ]


def _counted(*, answer: list[Any], visitor: str, now: datetime.datetime) -> dict[str, int]:
    """What record_visit does after the script's part (COUNT_AND_READ's ``answer``), then visit_counts from the
    counters the script read."""
    counted, new_visitor, epoch, snapshot, numbers = answer
    loads = caches["counters"]._cache._serializer.loads  # type: ignore[attr-defined]
    shown = visit_counter_keys(now=now)
    found: dict[str, Any] | None = {
        key: int(number) for key, number in zip(shown[2:], numbers.split(b","), strict=True) if number
    }
    for key, value in zip(shown[:2], (epoch, snapshot), strict=True):
        if value is not None:
            found[key] = loads(value)  # type: ignore[index]
    if counted and new_visitor:
        # A visitor new this minute (once a minute per visitor): the rest of _see_online, then a fresh read.
        _see_online(visitor=visitor, address_key=visitor[:ADDRESS_PART], now=now, seen=True)
        found = None
    if counted and (counted % max(1, settings.PORTAL_VISITS_FLUSH_EVERY) == 0 or _flush_due()):
        flush_visits(now=now)
    return visit_counts(now=now, found=found)


def _script(client, source: str):
    script = _scripts.get((id(client), source))
    if script is None:
        script = _scripts[id(client), source] = client.register_script(source)
    return script


def record_visit_and_count(*, address: str, user_agent: str, now: datetime.datetime | None = None) -> dict[str, int]:
    """record_visit, then visit_counts: on Redis in one round trip (a script) instead of four or more."""
    now = now or timezone.now()
    client = _redis_client()
    if client is None:
        record_visit(address=address, user_agent=user_agent, now=now)
        return visit_counts(now=now)
    visitor, counting, shown = _counting_keys(address=address, user_agent=user_agent, now=now)
    answer = _script(client, RECORD_AND_READ)(keys=counting, args=_counting_args(shown), client=client)
    return _counted(answer=answer, visitor=visitor, now=now)


def cached_page_and_count(
    key: str, *, held: int | None, count: bool, address: str, user_agent: str, now: datetime.datetime | None = None
) -> CachedPage:
    """The page stored under ``key`` by store_page, or the caller's copy built under data version ``held``, when
    of the current data version, with the visitor counter: this view counted first when ``count``
    (record_visit_and_count), else only read. Nothing counted when not current. On Redis one round trip for all
    of it (PAGE_AND_COUNT), the page not sent when the caller's copy is current.
    """
    now = now or timezone.now()
    client = _page_redis_client()
    if client is None:
        version, page = cache.get(DATA_VERSION_KEY), None
        if version is None or held != version:
            page = cache.get(key)
            if version is None or page is None or not page.startswith(b"%d\n" % version):
                return CachedPage(current=False, version=version, page=None, counts=None)
        if count:
            counts = record_visit_and_count(address=address, user_agent=user_agent, now=now)
        else:
            counts = visit_counts(now=now)
        return CachedPage(current=True, version=version, page=page, counts=counts)
    visitor, counting, shown = _counting_keys(address=address, user_agent=user_agent, now=now)
    answer = _script(client, PAGE_AND_COUNT)(
        keys=[cache.make_key(DATA_VERSION_KEY), cache.make_key(key), *counting],
        args=[*_counting_args(shown), 1 if count else 0, "" if held is None else held],
        client=client,
    )
    version = int(answer[1]) if len(answer) > 1 else None
    if not answer[0]:
        return CachedPage(current=False, version=version, page=None, counts=None)
    counts = _counted(answer=answer[3], visitor=visitor, now=now)
    return CachedPage(current=True, version=version, page=answer[2], counts=counts)


def cached_page(key: str) -> bytes | None:
    """What store_page stored under ``key`` when it was built under the current data version (not counted)."""
    client = _page_redis_client()
    if client is None:
        found = cache.get_many([DATA_VERSION_KEY, key])
        version, page = found.get(DATA_VERSION_KEY), found.get(key)
    else:
        version, page = client.mget([cache.make_key(DATA_VERSION_KEY), cache.make_key(key)])
        version = None if version is None else int(version)
    if version is None or page is None or not page.startswith(b"%d\n" % version):
        return None
    return page


def store_page(key: str, page: bytes, *, version: int, timeout: int) -> None:
    """Keeps a public page (bytes) built under data ``version``: raw bytes on Redis, where PAGE_AND_COUNT
    compares the version they start with; pickled bytes in a local cache."""
    value = b"%d\n%s" % (version, page)
    client = _page_redis_client()
    if client is None:
        cache.set(key, value, timeout)
    else:
        client.set(cache.make_key(key), value, ex=timeout)


_scripts: dict[tuple[int, str], Any] = {}


def _redis_client():
    """The Redis client behind the counters cache, or None for another cache (one in each process's memory)."""
    if not all(isinstance(caches[alias], RedisCache) for alias in ("default", "counters")):
        return None
    return caches["counters"]._cache.get_client(write=True)  # type: ignore[attr-defined]


def _page_redis_client():
    """The Redis client of the pages and the counters when both are on the same Redis database (production),
    so one script can read the one and count in the other; else None."""
    client = _redis_client()
    if client is None or caches["default"]._servers != caches["counters"]._servers:  # type: ignore[attr-defined]
        return None
    return client


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
