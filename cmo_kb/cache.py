"""The caches every process on this host shares: diskcache (SQLite and files) in a private directory.

Cached responses and PDFs are keyed by versions kept in the database (``knowledge.response_cache``),
so one copy serves every worker: a page drawn by one worker is a hit for the others, and a write
invalidates it for all of them at once. In each process's own memory, 2 workers browsing 10,000
roles mostly missed (each drew every page itself and kept only what fit in its memory). The cache
is bounded by bytes (``size_limit``; the least recently stored go first), not by the memory of a
worker, and survives a restart of the server (its keys carry the code's release).

diskcache unpickles what it reads, like every Django cache: whoever can write into the directory
could run code as this server. ``HostCache`` therefore refuses a directory, or any directory above
it, that another user owns or may write to (except a sticky one owned by root, such as /tmp).
"""

import os
import stat
from pathlib import Path

from diskcache import DjangoCache
from django.core.exceptions import ImproperlyConfigured


def ensure_private_directory(path: str | os.PathLike) -> Path:
    """Create ``path`` (mode 0700) if missing; refuse it when a user other than this one could write there."""
    directory = Path(path).absolute()
    missing = [place for place in (directory, *directory.parents) if not place.exists()]
    # Nothing is made inside a place that is unsafe already.
    _refuse_unsafe((directory.parents[len(missing) - 1] if missing else directory).resolve(), directory.resolve())
    for place in reversed(missing):
        place.mkdir(mode=0o700, exist_ok=True)  # not mkdir(parents=True): that makes parents by the umask
    resolved = directory.resolve()  # a link is judged by where it leads
    _refuse_unsafe(resolved, resolved)  # again: someone may have made one of them meanwhile
    return resolved


def _refuse_unsafe(start: Path, directory: Path) -> None:
    """Refuse ``directory`` (resolved) if ``start`` or any directory above it is unsafe."""
    me = os.geteuid()
    for place in (start, *start.parents):
        info = place.stat()
        if info.st_uid not in (me, 0):
            raise ImproperlyConfigured(f"The cache directory {directory} is unsafe: {place} belongs to another user.")
        # A sticky directory of root's (such as /tmp) above it: others may add, not replace what is ours.
        guarded = info.st_uid == 0 and info.st_mode & stat.S_ISVTX and place != directory
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not guarded:
            raise ImproperlyConfigured(
                f"The cache directory {directory} is unsafe: other users may write to {place}. "
                "Choose another with KB_CACHE_DIR."
            )


# The directories this process has judged safe. Django builds a cache object per thread (under
# runserver, per request); their directory chain is judged once, not at every request.
_judged: dict[str, Path] = {}


class HostCache(DjangoCache):
    """diskcache's Django cache, in a directory only this user can write to."""

    def __init__(self, directory, params):
        key = str(directory)
        if key not in _judged:
            _judged[key] = ensure_private_directory(directory)
        super().__init__(str(_judged[key]), params)

    def close(self, **kwargs):
        """Keep this thread's connections: Django closes every cache after each request, and opening
        diskcache's eight SQLite files again (with their pragmas) cost a hit ~0.6 ms, most of it."""
