"""Django's Redis cache with one client per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache call (about
0.1 ms of Python here: the client sets up its response callbacks each time), on top of the
round trip itself. A dashboard request makes ten or so calls (its generations, its computed
part, the session's stamp), so a request spent about a millisecond building clients. A client
is thread-safe and holds nothing of its own but the pool, so one per pool is kept and reused.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
