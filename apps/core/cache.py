"""Django's Redis cache backend, a little cheaper per operation: a public page from the cache with its
visitor counter makes a handful of them, and they were most of its time above the framework floor.

- One Redis client per connection pool: Django builds a new ``redis.Redis`` for every operation
  (``RedisCacheClient.get_client``), about a quarter of a millisecond each. A client is thread-safe and holds
  no state beyond its pool.
- ``incr`` in one round trip (a script: INCRBY when the key exists) instead of EXISTS then INCRBY; still
  ValueError for a missing key, as Django's.

settings.CACHES uses it for ``rediscache://`` URLs.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis

INCR_EXISTING = "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end"


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._incr_existing: Any = None

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        if self._incr_existing is None:
            self._incr_existing = client.register_script(INCR_EXISTING)
        value = self._incr_existing(keys=[key], args=[delta], client=client)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
