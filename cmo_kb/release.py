"""Which release of the code a process runs, for keys of caches that outlive a deploy."""

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# What a response is made of: code, templates, static files, translations, the shipped knowledge base.
SERVED_SUFFIXES = {".py", ".html", ".css", ".js", ".svg", ".po", ".toml", ".txt"}
NOT_SERVED = {"tests", "docs", "scripts", "staticfiles", "media", "node_modules", "__pycache__"}


def code_digest(base_dir: Path) -> str:
    """A short digest of every file that shapes a response; it changes with any change a deploy ships."""
    digest = hashlib.sha256()
    for path in sorted(_served_files(base_dir)):
        digest.update(str(path.relative_to(base_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _served_files(base_dir: Path):
    for path in base_dir.iterdir():
        if path.name.startswith(".") or path.name in NOT_SERVED:
            continue
        if path.is_dir():
            yield from (
                p
                for p in path.rglob("*")
                if p.suffix in SERVED_SUFFIXES and p.is_file() and not NOT_SERVED.intersection(p.parts)
            )


def database_digest(database: Mapping[str, Any]) -> str:
    """A short digest naming one database (engine, host, port, name): what per-host caches are kept apart by."""
    parts = [str(database.get(key, "")) for key in ("ENGINE", "HOST", "PORT", "NAME")]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]
