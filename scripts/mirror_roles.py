#!/usr/bin/env python3
"""Mirror the knowledge base's roles into a local JSON file, kept current from the change feed.

Standard library only. The file holds every role as `GET /api/v1/roles/<slug>/` returns it (with its
duties, qualifications, titles, facts and reporting lines), keyed by role id, and the feed cursor:

    {"cursor": "123-456", "roles": {"7": {"id": 7, "slug": "physician", ...}, ...}}

The first run takes the feed's end (`?since=latest`), then downloads every role, then applies the
changes made meanwhile; each later run (or each `--interval` seconds) applies the changes since the
stored cursor, re-reading each role a page of changes touches. The file and the cursor are written
together, atomically, after each page: stop it at any point and the next run goes on from there,
missing and repeating nothing.

    python scripts/mirror_roles.py --base-url http://127.0.0.1:8000 --file roles.json
    python scripts/mirror_roles.py --base-url https://kb.example.org --file roles.json --interval 30
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

RESYNC_TYPES = {"knowledge_base.restored", "knowledge_base.bulk_loaded"}


class Api:
    def __init__(self, base_url: str, token: str | None = None, language: str = "en"):
        self.base = base_url.rstrip("/") + "/api/v1/"
        self.headers = {"Accept": "application/json", "Accept-Language": language}
        if token:
            self.headers["Authorization"] = f"Token {token}"

    def get(self, path_or_url: str, params: dict | None = None):
        """The JSON body of a GET; None for 404. Retries throttling (429) and brief outages (503)."""
        url = path_or_url if path_or_url.startswith("http") else self.base + path_or_url
        if params:
            url += "?" + urllib.parse.urlencode(params)
        for attempt in range(5):
            request = urllib.request.Request(url, headers=self.headers)  # noqa: S310 - http(s) base URL
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - http(s) base URL
                    return json.load(response)
            except urllib.error.HTTPError as error:
                if error.code == 404:
                    return None
                if error.code in (429, 503) and attempt < 4:
                    time.sleep(float(error.headers.get("Retry-After", 2)))
                    continue
                raise


def load(path: Path) -> dict:
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"cursor": None, "roles": {}}


def save(path: Path, mirror: dict) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(mirror, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)  # the file and its cursor change together, or not at all


def refresh_role(api: Api, mirror: dict, slug: str) -> None:
    """Store the role as it is now; a role that is gone (or renamed: a later event names it) is skipped."""
    role = api.get(f"roles/{urllib.parse.quote(slug)}/")
    if role is not None:
        mirror["roles"][str(role["id"])] = role


def full_copy(api: Api, mirror: dict) -> None:
    roles = {}
    page = api.get("roles/", {"fields": "id,slug", "page_size": 200})
    while page:
        for row in page["results"]:
            role = api.get(f"roles/{urllib.parse.quote(row['slug'])}/")
            if role is not None:
                roles[str(role["id"])] = role
        page = api.get(page["next"]) if page["next"] else None
    mirror["roles"] = roles


def apply(api: Api, mirror: dict, changes: list[dict]) -> None:
    touched: dict[str, None] = {}
    for change in changes:
        if change["type"] in RESYNC_TYPES:
            full_copy(api, mirror)
            touched.clear()
        elif change["type"] == "role.deleted":
            mirror["roles"].pop(change["id"], None)
            touched.pop(change["role"], None)
        elif change["role"]:
            touched[change["role"]] = None
    for slug in touched:  # each role once per page, as it is now
        refresh_role(api, mirror, slug)


def sync(api: Api, path: Path) -> int:
    """Bring the file up to date; the number of changes applied."""
    mirror = load(path)
    if mirror["cursor"] is None:
        mirror["cursor"] = api.get("changes/", {"since": "latest"})["next_cursor"]
        full_copy(api, mirror)
        save(path, mirror)
    applied = 0
    while True:
        page = api.get("changes/", {"since": mirror["cursor"], "limit": 500})
        apply(api, mirror, page["changes"])
        mirror["cursor"] = page["next_cursor"]
        save(path, mirror)
        applied += len(page["changes"])
        if not page["has_more"]:
            return applied


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="The knowledge base's address.")
    parser.add_argument("--file", default="roles.json", type=Path, help="The mirror file (created if missing).")
    parser.add_argument("--token", default=os.environ.get("KB_API_TOKEN"), help="API token, if reading needs one.")
    parser.add_argument("--language", default="en", choices=["en", "nb"], help="Language of the plain fields.")
    parser.add_argument("--interval", type=float, default=0, help="Keep polling every N seconds (0: once).")
    args = parser.parse_args(argv)
    api = Api(args.base_url, args.token, args.language)
    while True:
        applied = sync(api, args.file)
        print(f"{args.file}: {len(load(args.file)['roles'])} roles, {applied} changes applied", flush=True)
        if not args.interval:
            return 0
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
