"""restore_kb goes through the write layer: only what a backup holds, every rule checked, the version moved forward."""

import gzip
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from knowledge import backup, exchange, restore, services, version as kb_version
from responsibilities.models import Duty
from roles.models import ReportingLine, Role


def snapshot() -> dict:
    """Every content and history row, and the accounts."""
    rows = {
        model._meta.label: list(model._default_manager.order_by("pk").values()) for model in backup.content_models()
    }
    rows["auth.User"] = list(User.objects.order_by("username").values("username", "password"))
    return rows


@pytest.fixture
def backup_entries(kb, tmp_path):
    """A backup of the shipped knowledge base, as the list of rows it holds; ``write(entries)`` makes a file of it."""
    path = tmp_path / "kb.json.gz"
    call_command("backup_kb", output=path)
    with gzip.open(path, "rt", encoding="utf-8") as file:
        return json.load(file)


def write(tmp_path, entries) -> str:
    path = tmp_path / "tampered.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as file:
        json.dump(entries, file)
    backup.sign(path)  # changed by someone holding the key: the rules still stop it
    return str(path)


def rows_of(entries, label):
    return [entry for entry in entries if entry["model"] == label]


def test_a_restored_excerpt_that_is_not_in_its_source_refuses_the_whole_restore(backup_entries, tmp_path):
    duty = next(entry for entry in rows_of(backup_entries, "responsibilities.duty") if entry["fields"]["source"])
    duty["fields"]["excerpt"] = "A sentence no source ever said."
    path = write(tmp_path, backup_entries)
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        call_command("restore_kb", path, force=True)

    message = str(refused.value)
    assert message.startswith("Restore refused, nothing was changed:")
    assert f"Duty {duty['pk']} “{duty['fields']['title_en']}”" in message
    assert "does not occur in" in message
    assert snapshot() == before


def test_a_restored_reporting_cycle_refuses_the_whole_restore(backup_entries, tmp_path):
    solid = [
        entry for entry in rows_of(backup_entries, "roles.reportingline") if entry["fields"]["kind"] == "reports_to"
    ]
    line = solid[0]["fields"]
    # The reverse of an existing solid line closes a cycle of two.
    reverse = {
        "model": "roles.reportingline",
        "pk": 1 + max(entry["pk"] for entry in rows_of(backup_entries, "roles.reportingline")),
        "fields": {**line, "subordinate": line["superior"], "superior": line["subordinate"], "seed_key": None},
    }
    path = write(tmp_path, [*backup_entries, reverse])
    before = snapshot()

    with pytest.raises(CommandError, match="would close a reporting cycle") as refused:
        call_command("restore_kb", path, force=True)

    assert f"Reporting line {reverse['pk']} " in str(refused.value)
    assert snapshot() == before


def test_a_backup_holding_api_tokens_or_permissions_is_refused_before_anything_is_written(
    backup_entries, tmp_path, django_user_model
):
    token = {
        "model": "authtoken.token",
        "pk": "0" * 40,
        "fields": {"user": ["edith"], "created": "2026-01-01T00:00:00Z"},
    }
    permission = {
        "model": "auth.permission",
        "fields": {"name": "Can do anything", "content_type": ["roles", "role"], "codename": "do_anything"},
    }
    path = write(tmp_path, [*backup_entries, token, permission])
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        call_command("restore_kb", path, force=True)

    message = str(refused.value)
    assert "this file also holds authtoken.token (1 rows)" in message
    assert "this file also holds auth.permission (1 rows)" in message
    assert snapshot() == before


def test_a_restore_moves_the_knowledge_base_version_forward(backup_entries, tmp_path):
    path = write(tmp_path, backup_entries)
    for n in range(3):
        role = Role.objects.get(slug="physician")
        services.content_update(instance=role, data={"summary_en": f"Edit {n}"}, user=None, expected_version=None)
    before = kb_version.current()

    call_command("restore_kb", path, force=True)

    assert kb_version.current() > before
    assert Role.objects.get(slug="physician").summary_en != "Edit 2"


def test_a_restore_keeps_ids_row_versions_and_history_as_backed_up(backup_entries, tmp_path):
    duty = Duty.objects.order_by("pk").first()
    services.content_update(instance=duty, data={"title_en": "Renamed"}, user=None, expected_version=duty.version)
    path = tmp_path / "edited.json.gz"
    call_command("backup_kb", output=path)
    before = snapshot()

    counts = restore.restore(path, force=True)

    assert snapshot() == before
    assert counts["responsibilities.Duty"] == Duty.objects.count()


def test_import_with_replace_deletes_through_the_write_layer_keeping_history(kb):
    document = exchange.export_data()
    role = Role.objects.get(slug="physician")
    line = ReportingLine.objects.filter(subordinate=role).first()
    history_before = Role.history.filter(id=role.pk).count()

    exchange.import_data(document, replace=True)

    deleted = Role.history.filter(id=role.pk).latest()
    assert deleted.history_type == "-"
    assert deleted.history_change_reason == exchange.REPLACE_REASON
    assert Role.history.filter(id=role.pk).count() == history_before + 1
    assert ReportingLine.history.filter(id=line.pk, history_type="-").exists()
    assert Role.objects.filter(slug="physician").exists()  # imported again, as a new row
