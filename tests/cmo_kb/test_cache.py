"""The default cache of each process is bounded by bytes as well as by entries (cmo_kb.cache)."""

import pickle
import uuid

from django.core.cache import caches

from cmo_kb.cache import SizedLocMemCache

VALUE = b"x" * 1000
PICKLED = len(pickle.dumps(VALUE, pickle.HIGHEST_PROTOCOL))


def sized(max_bytes: int, max_entries: int = 1000) -> SizedLocMemCache:
    options = {"MAX_BYTES": max_bytes, "MAX_ENTRIES": max_entries}
    return SizedLocMemCache(f"test-{uuid.uuid4()}", {"OPTIONS": options})


def test_past_its_bytes_the_least_recently_used_go():
    cache = sized(max_bytes=PICKLED * 10 + 9)  # room for ten values, none over a tenth
    for n in range(10):
        cache.set(f"k{n}", VALUE)
    cache.get("k0")  # used again: the least recently used is now k1

    cache.set("k10", VALUE)

    assert cache.get("k1") is None
    assert all(cache.get(f"k{n}") == VALUE for n in (0, *range(2, 11)))
    assert cache.size_in_bytes == PICKLED * 10


def test_a_value_over_a_tenth_of_the_bytes_is_not_kept_and_takes_the_older_one_with_it():
    cache = sized(max_bytes=PICKLED * 10 + 5)
    cache.set("big", b"small")

    cache.set("big", b"y" * (PICKLED + 10))

    assert cache.get("big") is None
    assert cache.size_in_bytes == 0


def test_replacing_deleting_culling_and_clearing_keep_the_count_of_bytes_true():
    cache = sized(max_bytes=10**6, max_entries=4)
    cache.set("a", VALUE)
    cache.set("a", VALUE)
    assert cache.size_in_bytes == PICKLED
    cache.delete("a")
    assert cache.size_in_bytes == 0

    for n in range(10):  # past MAX_ENTRIES: LocMemCache culls a third at a time
        cache.set(f"k{n}", VALUE)
    kept = sum(cache.get(f"k{n}") is not None for n in range(10))
    assert cache.size_in_bytes == PICKLED * kept

    cache.clear()
    assert cache.size_in_bytes == 0 and cache.get("k9") is None


def test_the_default_cache_is_bounded_by_bytes():
    assert isinstance(caches["default"], SizedLocMemCache)
    assert caches["default"]._max_bytes == 48 * 2**20


def test_responses_under_any_number_of_query_strings_stay_within_the_bytes(client, kb, settings, response_cache_on):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "cmo_kb.cache.SizedLocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
            "OPTIONS": {"MAX_BYTES": 200_000},
        },
    }
    for n in range(40):
        assert client.get("/org-chart/", {"junk": n}).status_code == 200

    kept = caches["default"]._cache.values()  # the pickled responses themselves
    assert 0 < sum(len(value) for value in kept) == caches["default"].size_in_bytes <= 200_000
    assert len(kept) < 40
