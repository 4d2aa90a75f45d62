"""The Redis cache backend of production (apps.core.cache): Django's semantics, fewer round trips."""

import os
import threading

import pytest

from apps.core.cache import RedisCache

REDIS_DB = int(os.environ.get("TEST_REDIS_DB", "11"))  # the tests' own Redis database (tests/deploy)


@pytest.fixture
def redis_cache():
    cache = RedisCache(f"redis://127.0.0.1:6379/{REDIS_DB}", {"KEY_PREFIX": "test-cache"})
    cache.clear()  # fails, as it should, when Redis is not running: CI starts it (.ci/run)
    yield cache
    cache.clear()


def test_incr_adds_atomically_and_refuses_a_missing_key_as_django_does(redis_cache):
    with pytest.raises(ValueError):
        redis_cache.incr("views")
    assert redis_cache.get("views") is None  # a failed incr creates nothing
    redis_cache.add("views", 0, timeout=None)

    def add_many() -> None:
        for _ in range(200):
            redis_cache.incr("views")

    threads = [threading.Thread(target=add_many) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert redis_cache.get("views") == 1000
    assert redis_cache.incr("views", 5) == 1005
    assert redis_cache.decr("views", 6) == 999


def test_incr_keeps_the_keys_expiry(redis_cache):
    redis_cache.add("minute", 0, timeout=60)
    redis_cache.incr("minute")
    client = redis_cache._cache.get_client()
    assert 0 < client.ttl(redis_cache.make_and_validate_key("minute")) <= 60


def test_one_client_serves_every_operation(redis_cache):
    assert redis_cache._cache.get_client("a") is redis_cache._cache.get_client("b", write=True)
