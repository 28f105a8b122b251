"""backup_kb / restore_kb: a backup restored into an empty database gives back every row, history included."""

import gzip
import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from knowledge import backup, services
from responsibilities.models import Duty
from roles.models import Role


def snapshot():
    """Every content and history row, with users named instead of numbered (their ids may change)."""
    usernames = dict(User.objects.values_list("pk", "username"))
    rows = {}
    for model in backup.content_models():
        values = list(model._default_manager.order_by("pk").values())
        for row in values:
            if "history_user_id" in row:
                row["history_user_id"] = usernames.get(row["history_user_id"])
        rows[model._meta.label] = values
    rows["auth.User"] = list(
        User.objects.order_by("username").values("username", "password", "email", "is_staff", "is_superuser")
    )
    rows["auth.Group"] = [
        (group.name, sorted(group.permissions.values_list("codename", flat=True)))
        for group in Group.objects.order_by("name")
    ]
    rows["memberships"] = sorted(User.groups.through.objects.values_list("user__username", "group__name"))
    return rows


@pytest.fixture
def edited_kb(kb, editor):
    """The shipped knowledge base plus an edit, a deletion and their history."""
    duty = Duty.objects.order_by("pk").first()
    duty = services.content_update(
        instance=duty,
        data={"title_en": "Chairs the <b>medical</b> board", "title_nb": "Leder det medisinske styret"},
        user=editor,
        expected_version=duty.version,
        reason="Clearer wording",
    )
    doomed = Duty.objects.order_by("-pk").first()
    services.content_delete(instance=doomed, user=editor, expected_version=doomed.version, reason="Duplicate")
    return duty


def test_restore_into_an_empty_database_gives_back_every_row(edited_kb, tmp_path):
    before = snapshot()
    path = tmp_path / "kb.json.gz"
    call_command("backup_kb", output=path)
    backup._delete_content()
    User.objects.all().delete()
    assert Role.objects.count() == 0

    call_command("restore_kb", str(path))

    after = snapshot()
    assert after == before
    assert all(before[label] for label in ("roles.Role", "roles.HistoricalRole", "responsibilities.HistoricalDuty"))


def test_restored_rows_keep_their_versions_and_history_authors(edited_kb, tmp_path):
    path = tmp_path / "kb.json.gz"
    call_command("backup_kb", output=path)
    backup._delete_content()

    call_command("restore_kb", str(path))

    duty = Duty.objects.get(pk=edited_kb.pk)
    assert (duty.title_en, duty.version) == ("Chairs the <b>medical</b> board", 2)
    latest = duty.history.latest()
    assert (latest.history_user.username, latest.history_change_reason) == ("editor", "Clearer wording")
    assert Duty.history.filter(history_type="-", history_change_reason="Duplicate").count() == 1


def test_backup_is_a_gzip_json_fixture_with_content_history_and_accounts(edited_kb, tmp_path):
    path = tmp_path / "kb.json.gz"
    call_command("backup_kb", output=path)

    with gzip.open(path, "rt", encoding="utf-8") as file:
        labels = {entry["model"] for entry in json.load(file)}

    assert {"roles.role", "roles.historicalrole", "responsibilities.duty", "responsibilities.historicalduty"} <= labels
    assert {"auth.user", "auth.group"} <= labels
    assert not labels & {"sessions.session", "authtoken.token", "axes.accessattempt"}


def test_restore_refuses_a_database_that_holds_content(edited_kb, tmp_path):
    path = tmp_path / "kb.json.gz"
    call_command("backup_kb", output=path)
    before = snapshot()

    with pytest.raises(CommandError, match="already holds content .*pass --force"):
        call_command("restore_kb", str(path))

    assert snapshot() == before


def test_restore_with_force_replaces_the_content(edited_kb, tmp_path):
    path = tmp_path / "kb.json.gz"
    call_command("backup_kb", output=path)
    before = snapshot()
    Role.objects.filter(slug="physician").update(title_en="Changed after the backup")

    call_command("restore_kb", str(path), force=True)

    assert snapshot() == before


def test_a_broken_backup_changes_nothing(edited_kb, tmp_path):
    path = tmp_path / "kb.json.gz"
    call_command("backup_kb", output=path)
    with gzip.open(path, "rt", encoding="utf-8") as file:
        entries = json.load(file)
    entries.append(
        {"model": "roles.role", "pk": 999999, "fields": {"slug": "x", "level": "nonsense", "source": 424242}}
    )
    with gzip.open(path, "wt", encoding="utf-8") as file:
        json.dump(entries, file)
    backup.sign(path)  # broken by someone holding the key: the database still refuses it
    before = snapshot()

    with pytest.raises(CommandError, match="Restore failed, nothing was changed"):
        call_command("restore_kb", str(path), force=True)

    assert snapshot() == before


def test_backup_names_its_file_with_a_timestamp_and_never_overwrites(kb, tmp_path, capsys):
    call_command("backup_kb", directory=tmp_path)

    (written,) = tmp_path.glob("kb-backup-*.json.gz")
    assert written.name.endswith("Z.json.gz") and len(written.name) == len("kb-backup-20260101T000000Z.json.gz")
    assert f"Wrote {written}" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup_kb", output=written)


def test_restore_of_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No backup file at"):
        call_command("restore_kb", str(tmp_path / "nope.json.gz"))


def test_deleting_content_never_prunes_its_history(edited_kb, editor):
    role = Role.objects.get(slug="physician")
    history_before = Role.history.filter(id=role.pk).count()

    services.content_delete(instance=role, user=editor, expected_version=role.version)

    assert Role.history.filter(id=role.pk).count() == history_before + 1
