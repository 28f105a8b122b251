"""Playwright wiring for the browser tests in this folder.

The tests drive Debian's Chromium (``apt-get install chromium``) rather than a
browser downloaded by ``playwright install``. Where no Chromium is found the
browser tests are skipped with a visible reason, except when ``CI=true``: there a
missing browser fails the run, so CI always exercises them.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM
# calls from a thread with a running loop unless told this is safe (it is: the
# loop belongs to Playwright, not to Django).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BROWSER_DIR = Path(__file__).resolve().parent

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
]


def find_chromium() -> str | None:
    """Path of the system Chromium, or None when none is installed."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


CHROMIUM = find_chromium()
MISSING_CHROMIUM = "Chromium not found (install Debian's 'chromium' package to run the browser tests)"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if CHROMIUM is None and not running_in_ci():
                item.add_marker(pytest.mark.skip(reason=MISSING_CHROMIUM))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if CHROMIUM is None:
        if running_in_ci():
            pytest.fail(f"CI=true but {MISSING_CHROMIUM}", pytrace=False)
        pytest.skip(MISSING_CHROMIUM)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }
