"""The servers' entry points tune the garbage collector before the first request (see cmo_kb/collector.py)."""

import json
import subprocess
import sys

import pytest
from django.conf import settings

from cmo_kb.collector import THRESHOLDS


@pytest.mark.parametrize("entry_point", ["cmo_kb.wsgi", "cmo_kb.asgi"])
def test_a_server_process_collects_young_objects_less_often(entry_point):
    probe = f"import gc, json, {entry_point}; print(json.dumps(gc.get_threshold()))"
    result = subprocess.run(  # noqa: S603 - fixed argv: this interpreter and our own probe
        [sys.executable, "-c", probe], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120, check=True
    )

    assert tuple(json.loads(result.stdout.strip().splitlines()[-1])) == THRESHOLDS
