"""Django's local-memory cache, bounded by bytes as well as by entries (the default cache of each process).

``MAX_ENTRIES`` alone let a worker's cache grow with the size of what it held: at 10,000 roles the
org-chart API is a 4 MB response, and the response cache keeps one per query string asked for, so a
client asking for it under 2,000 made-up query strings could take 8 GB of one worker. ``MAX_BYTES``
(OPTIONS) bounds the pickled values kept: past it the least recently used go, and a value larger than
a tenth of it is not kept at all (any older value under its key goes with it).
"""

from collections import OrderedDict
from threading import Lock

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

DEFAULT_MAX_BYTES = 48 * 2**20

# Like LocMemCache's own tables: one per cache location, shared by the per-thread cache objects.
_sizes: dict[str, dict[str, int]] = {}
_totals: dict[str, list[int]] = {}


class SizedLocMemCache(LocMemCache):
    # LocMemCache's own tables and the methods below are private to it (Django 5.x), so not in its stubs.
    _cache: OrderedDict[str, bytes]
    _expire_info: dict[str, float | None]
    _lock: Lock

    def __init__(self, name, params):
        super().__init__(name, params)
        self._max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", DEFAULT_MAX_BYTES))
        self._sizes = _sizes.setdefault(name, {})
        self._total = _totals.setdefault(name, [0])

    @property
    def size_in_bytes(self) -> int:
        """The pickled bytes of every value kept (a value replaced or gone no longer counts)."""
        return self._total[0]

    # Called with the lock held, as LocMemCache calls them.
    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        self._delete(key)
        size = len(value)
        if size > self._max_bytes // 10:
            return
        super()._set(key, value, timeout)  # type: ignore[misc]
        self._sizes[key] = size
        self._total[0] += size
        while self._total[0] > self._max_bytes and self._cache:
            oldest, _ = self._cache.popitem()  # LocMemCache keeps the most recently used first
            del self._expire_info[oldest]
            self._total[0] -= self._sizes.pop(oldest, 0)

    def _cull(self):
        super()._cull()  # type: ignore[misc]
        for key in [key for key in self._sizes if key not in self._cache]:
            self._total[0] -= self._sizes.pop(key)

    def _delete(self, key):
        self._total[0] -= self._sizes.pop(key, 0)
        return super()._delete(key)  # type: ignore[misc]

    def clear(self):
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._sizes.clear()
            self._total[0] = 0
