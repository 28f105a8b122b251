"""Read replicas: reads spread over replicas, writes and post-write reads go to the primary."""

import pytest
from django.db import transaction

from cmo_kb import db_router
from cmo_kb.db_router import PrimaryPinMiddleware, PrimaryReplicaRouter, _pinned_to_primary, _request_replica
from roles.models import Role


@pytest.fixture
def router(monkeypatch):
    monkeypatch.setattr(db_router, "replica_aliases", lambda: ["replica_0", "replica_1"])
    pin, replica = _pinned_to_primary.set(False), _request_replica.set(None)
    yield PrimaryReplicaRouter()
    _request_replica.reset(replica)
    _pinned_to_primary.reset(pin)


def test_without_replicas_everything_uses_the_primary(settings):
    router = PrimaryReplicaRouter()

    assert router.db_for_read(Role) == "default"
    assert router.db_for_write(Role) == "default"


def test_requests_are_spread_over_the_replicas(router):
    used = []
    middleware = PrimaryPinMiddleware(lambda request: used.append(router.db_for_read(Role)))

    for _ in range(200):
        middleware(None)

    assert set(used) == {"replica_0", "replica_1"}


def test_one_request_reads_from_one_replica_only(router):
    """The knowledge-base version a response is cached under comes from the database its content came from."""
    seen = []

    def view(request):
        seen.append({router.db_for_read(Role) for _ in range(50)})

    middleware = PrimaryPinMiddleware(view)
    for _ in range(20):
        middleware(None)

    assert all(len(replicas) == 1 for replicas in seen)


def test_writes_go_to_the_primary(router):
    assert router.db_for_write(Role) == "default"


def test_after_a_write_the_request_reads_from_the_primary(router):
    router.db_for_write(Role)

    assert {router.db_for_read(Role) for _ in range(50)} == {"default"}


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_reads_use_the_primary(router):
    assert router.db_for_read(Role).startswith("replica_")
    with transaction.atomic():
        assert router.db_for_read(Role) == "default"


def test_each_request_starts_unpinned(router):
    seen = []

    def view(request):
        seen.append(router.db_for_read(Role))
        router.db_for_write(Role)
        seen.append(router.db_for_read(Role))
        return "response"

    middleware = PrimaryPinMiddleware(view)
    middleware(None)
    middleware(None)

    assert seen[0].startswith("replica_") and seen[1] == "default"
    assert seen[2].startswith("replica_") and seen[3] == "default"


def test_only_the_primary_is_migrated(router):
    assert router.allow_migrate("default", "roles") is True
    assert router.allow_migrate("replica_0", "roles") is False


def test_objects_from_primary_and_replicas_may_be_related(router):
    assert router.allow_relation(Role(), Role()) is True


def test_replica_urls_become_mirrored_database_aliases():
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps([{k: v for k, v in settings.DATABASES[a].items() if k in ('NAME', 'HOST', 'TEST')} "
        "for a in settings.DATABASES] + [settings.DATABASE_ROUTERS, "
        "'cmo_kb.db_router.PrimaryPinMiddleware' in settings.MIDDLEWARE]))"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": "postgres://kb@primary.internal:5432/kb",
        "DATABASE_REPLICA_URLS": "postgres://kb@replica1.internal:5432/kb,postgres://kb@replica2.internal:5432/kb",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    result = subprocess.run(  # noqa: S603 - fixed argv
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='cmo_kb.settings'; django.setup(); {code}",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    import json

    primary, replica1, replica2, routers, pin = json.loads(result.stdout.strip().splitlines()[-1])
    assert (primary["HOST"], replica1["HOST"], replica2["HOST"]) == (
        "primary.internal",
        "replica1.internal",
        "replica2.internal",
    )
    assert replica1["TEST"]["MIRROR"] == replica2["TEST"]["MIRROR"] == "default"
    assert routers == ["cmo_kb.db_router.PrimaryReplicaRouter"]
    assert pin is True
