"""The example client of docs/api.md mirrors the roles into a file from the change feed, against a live server."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import services
from responsibilities.models import Duty
from roles.models import Role

CLIENT = Path(__file__).resolve().parents[2] / "scripts" / "mirror_roles.py"


@pytest.fixture
def mirror(live_server, tmp_path):
    path = tmp_path / "roles.json"

    def run():
        done = subprocess.run(  # noqa: S603 - this repository's own script
            [sys.executable, str(CLIENT), "--base-url", live_server.url, "--file", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(path.read_text(encoding="utf-8")), done.stdout

    return run


def _by_slug(data):
    return {role["slug"]: role for role in data["roles"].values()}


def test_the_client_copies_every_role_then_follows_the_feed(mirror):
    first, output = mirror()
    roles = _by_slug(first)
    assert set(roles) == set(Role.objects.values_list("slug", flat=True))
    assert len(roles["physician"]["duties"]) == Duty.objects.filter(role__slug="physician").count()
    assert "roles, 0 changes applied" in output

    physician = Role.objects.get(slug="physician")
    services.content_update(instance=physician, data={"summary_en": "Sees patients."}, user=None, expected_version=None)
    new = services.content_create(
        model=Role,
        data={"slug": "porter", "title_en": "Porter", "title_nb": "Portør", "level": "clinician", "editorial": True},
        user=None,
    )
    duty = Duty.objects.filter(role__slug="medical-director").first()
    services.content_delete(instance=duty, user=None, expected_version=None)
    services.content_delete(instance=Role.objects.get(slug="associate-chief-medical-officer"), user=None,
                            expected_version=None)  # fmt: skip

    second, output = mirror()
    roles = _by_slug(second)
    assert roles["physician"]["summary"] == "Sees patients."
    assert roles["porter"]["id"] == new.pk
    assert "associate-chief-medical-officer" not in roles
    assert duty.pk not in [d["id"] for d in roles["medical-director"]["duties"]]
    assert second["cursor"] != first["cursor"]

    third, output = mirror()  # nothing new: nothing applied, nothing repeated
    assert third == second
    assert "0 changes applied" in output
