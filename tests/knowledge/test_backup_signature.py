"""A backup restores accounts, so only a file this server's key signed is trusted as it is."""

import gzip
import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from knowledge import backup


@pytest.fixture
def admin_account(db):
    user = User.objects.create_user("admin", password="an-admins-long-passphrase", is_staff=True, is_superuser=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def backup_file(kb, admin_account, tmp_path):
    path = tmp_path / "kb.json.gz"
    call_command("backup_kb", output=path)
    return path


def add_superuser(path):
    """What an attacker who can write the backup file would do: slip in an account of their own."""
    with gzip.open(path, "rt", encoding="utf-8") as file:
        entries = json.load(file)
    admin = next(entry for entry in entries if entry["model"] == "auth.user")
    entries.append({**admin, "fields": {**admin["fields"], "username": "intruder", "password": "pbkdf2_sha256$x$y$z"}})
    with gzip.open(path, "wt", encoding="utf-8") as file:
        json.dump(entries, file)


def test_backup_kb_writes_a_signature_beside_the_file(backup_file):
    assert backup.signature_path(backup_file).is_file()
    assert backup.is_signed(backup_file)


def test_a_signed_backup_restores_its_accounts_as_they_were(backup_file, admin_account):
    call_command("restore_kb", str(backup_file), force=True)

    restored = User.objects.get(username="admin")
    assert (restored.is_superuser, restored.is_staff, restored.is_active) == (True, True, True)
    assert restored.check_password("an-admins-long-passphrase")


def test_a_changed_backup_is_refused_and_nothing_is_restored(backup_file):
    add_superuser(backup_file)

    with pytest.raises(CommandError, match="signature is missing or does not match"):
        call_command("restore_kb", str(backup_file), force=True)

    assert not User.objects.filter(username="intruder").exists()


def test_a_backup_without_its_signature_is_refused(backup_file):
    backup.signature_path(backup_file).unlink()

    with pytest.raises(CommandError, match="signature is missing or does not match"):
        call_command("restore_kb", str(backup_file), force=True)


def test_a_backup_signed_with_another_key_is_refused(backup_file, settings):
    settings.KB_BACKUP_KEY = "another-servers-backup-key"

    with pytest.raises(CommandError, match="signature is missing or does not match"):
        call_command("restore_kb", str(backup_file), force=True)


def test_trusting_an_unsigned_backup_restores_accounts_that_cannot_sign_in(backup_file):
    add_superuser(backup_file)

    call_command("restore_kb", str(backup_file), "--trust-unsigned", force=True)

    for name in ("admin", "intruder"):
        account = User.objects.get(username=name)
        assert (account.is_superuser, account.is_staff, account.is_active) == (False, False, False)
        assert not account.has_usable_password()
        assert not account.groups.exists()
    assert Group.objects.get(name="Editors").permissions.filter(codename="change_role").exists()


def test_a_backup_written_under_any_name_restores(kb, admin_account, tmp_path):
    path = tmp_path / "nightly.kb"  # backup_kb --output takes any name; the file is gzip all the same
    call_command("backup_kb", output=path)

    call_command("restore_kb", str(path), force=True)

    assert User.objects.filter(username="admin").exists()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(lambda whole: whole[: len(whole) // 2], id="cut-short"),
        pytest.param(lambda whole: b"plain text, not a backup", id="not-gzip"),
        pytest.param(lambda whole: gzip.compress(b"\xff\xfe not utf-8"), id="not-utf-8"),
        pytest.param(lambda whole: gzip.compress(b"[" * 100_000 + b"]" * 100_000), id="nested-deeply"),
    ],
)
def test_a_broken_backup_is_refused_in_one_clear_line(backup_file, content):
    backup_file.write_bytes(content(backup_file.read_bytes()))
    backup.sign(backup_file)  # even a file this server signed may be damaged on disk
    before = backup.row_counts()

    with pytest.raises(CommandError) as error:
        call_command("restore_kb", str(backup_file), force=True)

    assert "This is not a complete backup made by backup_kb" in str(error.value)
    assert backup.row_counts() == before
