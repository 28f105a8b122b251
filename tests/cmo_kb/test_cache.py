"""The caches the host's processes share (cmo_kb.cache.HostCache): shared, bounded by bytes, private.

The rest of the suite caches in its own memory (tests/conftest.py), so these build the caches themselves.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches, close_caches
from django.core.exceptions import ImproperlyConfigured

from cmo_kb.cache import HostCache
from cmo_kb.checks import cache_directories

ROOT = Path(django_settings.BASE_DIR)


def in_another_process(code: str, **env: str) -> str:
    """Run ``code`` in a new Python process of this project; what it printed."""
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def files_under(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())


def test_the_site_keeps_responses_and_documents_in_the_hosts_shared_cache(tmp_path):
    printed = in_another_process(
        "import json, django; django.setup(); from django.core.cache import caches; "
        "print(json.dumps({alias: [type(caches[alias]).__name__, caches[alias].directory] "
        "for alias in ('default', 'documents')}))",
        DJANGO_SETTINGS_MODULE="cmo_kb.settings",
        KB_CACHE_DIR=str(tmp_path / "kb-cache"),
        REDIS_URL="",
    )
    configured = json.loads(printed)

    assert configured == {
        "default": ["HostCache", str(tmp_path / "kb-cache" / "responses")],
        "documents": ["HostCache", str(tmp_path / "kb-cache" / "documents")],
    }


def test_what_one_process_stores_another_reads(tmp_path):
    directory = tmp_path / "shared"
    in_another_process(f"from cmo_kb.cache import HostCache; HostCache({str(directory)!r}, {{}}).set('k', b'drawn')")

    assert HostCache(str(directory), {}).get("k") == b"drawn"


def test_the_directories_it_makes_are_private(tmp_path):
    HostCache(str(tmp_path / "kb" / "responses"), {})

    for made in (tmp_path / "kb", tmp_path / "kb" / "responses"):
        assert made.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("writable_by", [0o020, 0o002], ids=["group", "others"])
def test_a_directory_others_may_write_to_is_refused(tmp_path, writable_by):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o700)
    shared.chmod(0o755 | writable_by)

    with pytest.raises(ImproperlyConfigured, match="other users may write"):
        HostCache(str(shared / "responses"), {})
    with pytest.raises(ImproperlyConfigured, match="other users may write"):
        HostCache(str(shared), {})
    assert not (shared / "responses").exists()


def test_a_link_is_judged_by_where_it_leads(tmp_path):
    open_directory = tmp_path / "open"
    open_directory.mkdir()
    open_directory.chmod(0o777)
    (tmp_path / "private").mkdir(mode=0o700)
    link = tmp_path / "private" / "cache"
    link.symlink_to(open_directory)

    with pytest.raises(ImproperlyConfigured, match="other users may write"):
        HostCache(str(link), {})


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a directory to another user")
def test_a_directory_another_user_owns_is_refused(tmp_path):
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o755)
    os.chown(theirs, 65534, 65534)  # nobody

    with pytest.raises(ImproperlyConfigured, match="belongs to another user"):
        HostCache(str(theirs), {})


def test_past_its_bytes_the_least_recently_stored_go(tmp_path):
    cache = HostCache(str(tmp_path / "c"), {"SHARDS": 1, "OPTIONS": {"size_limit": 1_000_000}})
    value = os.urandom(50_000)
    for n in range(40):
        cache.set(f"k{n}", value)

    assert 0 < len(cache._cache) * 50_000 <= 1_000_000
    assert files_under(tmp_path / "c") < 2_000_000  # 40 values would be 2 MB
    assert cache.get("k0") is None
    assert cache.get("k39") == value


def test_responses_under_any_number_of_query_strings_stay_within_the_bytes(
    client, kb, settings, response_cache_on, tmp_path
):
    host_cache = {"BACKEND": "cmo_kb.cache.HostCache", "LOCATION": str(tmp_path / "responses"), "SHARDS": 1}
    settings.CACHES = {**settings.CACHES, "default": {**host_cache, "OPTIONS": {"size_limit": 100_000}}}
    body = len(client.get("/org-chart/").content)
    for n in range(40):
        assert client.get("/org-chart/", {"junk": n}).status_code == 200

    kept = len(caches["default"]._cache)
    assert 0 < kept < 40
    assert kept * body <= 100_000 + body  # the budget, and the response that went past it
    assert client.get("/org-chart/", {"junk": 39})["X-KB-Cache"] == "hit"
    caches["default"].clear()


def test_the_system_check_names_an_unsafe_cache_directory(settings, tmp_path):
    open_directory = tmp_path / "open"
    open_directory.mkdir()
    open_directory.chmod(0o777)
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "cmo_kb.cache.HostCache", "LOCATION": str(open_directory / "responses")},
    }

    errors = cache_directories(None)

    assert [error.id for error in errors] == ["cmo_kb.E003"]
    assert "other users may write" in errors[0].msg and "KB_CACHE_DIR" in errors[0].hint
    settings.CACHES["default"]["LOCATION"] = str(tmp_path / "private" / "responses")
    assert cache_directories(None) == []


def test_its_connections_outlive_each_request(tmp_path, monkeypatch, settings):
    """Django closes every cache when a request ends; opening the SQLite files again was most of a hit."""
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "cmo_kb.cache.HostCache", "LOCATION": str(tmp_path)}}
    cache = caches["default"]
    cache.set("page", b"drawn")
    opened = []
    real_connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *args, **kw: opened.append(args) or real_connect(*args, **kw))

    for _ in range(5):
        assert cache.get("page") == b"drawn"
        close_caches()  # what Django runs when each request ends (request_finished)

    assert opened == []


def test_each_directory_is_judged_once_a_process(tmp_path, monkeypatch):
    """Django builds a cache object per thread, under runserver per request: the chain of directories
    above it is not stat'ed again each time."""
    from cmo_kb import cache as host_cache

    judged = []
    real_judge = host_cache.ensure_private_directory
    monkeypatch.setattr(host_cache, "ensure_private_directory", lambda path: judged.append(path) or real_judge(path))
    location = str(tmp_path / "responses")

    for _ in range(3):
        HostCache(location, {})
    HostCache(str(tmp_path / "documents"), {})

    assert judged == [location, str(tmp_path / "documents")]


def test_the_system_check_judges_a_subclass_of_the_host_cache(settings, tmp_path):
    open_directory = tmp_path / "open"
    open_directory.mkdir()
    open_directory.chmod(0o777)
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": f"{__name__}.NamedHostCache", "LOCATION": str(open_directory / "responses")},
    }

    assert [error.id for error in cache_directories(None)] == ["cmo_kb.E003"]


class NamedHostCache(HostCache):
    """A deployment's own subclass, as a settings file might name it."""
