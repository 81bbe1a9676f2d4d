"""The Redis cache (unionportal/redis_cache.py) against the real Redis at 127.0.0.1:6379: one client
per pool, reused by every call, and the cache's calls work through it as through Django's."""

from __future__ import annotations

import uuid

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from unionportal.redis_cache import RedisCache

SERVER = "redis://127.0.0.1:6379/14"


def _cache(location=SERVER):
    return RedisCache(location, {"KEY_PREFIX": f"test-redis-cache-{uuid.uuid4().hex}"})


def test_every_call_reuses_the_pools_client():
    cache = _cache()
    client = cache._cache.get_client("a", write=True)
    assert cache._cache.get_client("b", write=True) is client
    assert cache._cache.get_client("a") is client  # one server: reads and writes share its pool
    # Django's own builds one per call, which is what this module saves.
    django = DjangoRedisCache(SERVER, {})
    assert django._cache.get_client("a") is not django._cache.get_client("a")


def test_a_client_per_pool_when_reads_go_to_replicas():
    cache = _cache([SERVER, SERVER.replace("/14", "/13")])
    writer = cache._cache.get_client(write=True)
    reader = cache._cache.get_client()
    assert reader is not writer
    assert reader.connection_pool is not writer.connection_pool
    assert cache._cache.get_client() is reader


def test_the_cache_reads_writes_and_counts_through_it():
    cache = _cache()
    cache.set("figures", {"members": 1149}, 30)
    assert cache.get("figures") == {"members": 1149}
    cache.set_many({"a": 1, "b": 2}, 30)
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert cache.incr("a", 5) == 6
    cache.delete_many(["a", "b", "figures"])
    assert cache.get_many(["a", "b", "figures"]) == {}
