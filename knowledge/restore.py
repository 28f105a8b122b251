"""Restoring a backup through the write layer: rows exactly as backed up, then every rule over all of them.

A backup (``knowledge.backup``) holds the content rows with their ids and row versions, their
complete history, and the users and groups that history names. A restore writes those rows as they
are — no row version bumped, no history entry added, since the backup's history already tells it —
and then holds every content row to the rules any other write obeys (``full_clean``: each excerpt
occurs in its source, no reporting cycle, valid codes …), in the same transaction. One row breaking
a rule refuses the whole restore and names the row; nothing changes. A file holding anything but
those models (API tokens, permissions, sessions …) is refused before a row is written.

Like every write, a restore moves the knowledge base's version forward (never back to a number a
cache may still hold pages for), first thing in its transaction.
"""

import gzip
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connections, router, transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from . import backup, feed, version
from .contents import content_models, references
from .models import KnowledgeBaseState, ScopeVersion, Seeded

# Cache versions are no content: backups made before they were left out hold them; a restore never
# moves them back (it bumps them).
_SKIPPED = {KnowledgeBaseState._meta.label_lower, ScopeVersion._meta.label_lower}


class RestoreRefused(Exception):
    """The backup cannot be restored; ``problems`` names each reason (nothing was changed)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def restorable_models() -> set[str]:
    """The models a backup may hold (``app_label.model_name``): content, its history, users and groups."""
    return {model._meta.label_lower for model in backup.content_models()} | set(backup.ACCOUNT_MODELS)


_GZIP_MAGIC = b"\x1f\x8b"


def read_backup(path: Path) -> list[dict]:
    """The rows of a backup file: gzip JSON whatever its name (``backup_kb --output`` takes any name)."""
    with path.open("rb") as file:
        compressed = file.read(2) == _GZIP_MAGIC
    opener = gzip.open if compressed else open
    try:
        with opener(path, "rt", encoding="utf-8") as file:
            entries = json.load(file)
    except (OSError, EOFError, UnicodeDecodeError, ValueError, RecursionError) as error:
        # Not gzip, cut short, not UTF-8, not JSON or nested beyond reason: say so in one line.
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise RestoreRefused(
            [
                _("This is not a complete backup made by backup_kb (%(reason)s). Was the file cut short or changed?")
                % {"reason": reason}
            ]
        ) from None
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise RestoreRefused([_("This is not a backup made by backup_kb (expected a list of rows).")])
    return [entry for entry in entries if entry.get("model") not in _SKIPPED]


def _check_models(entries: list[dict]) -> None:
    allowed = restorable_models()
    unexpected = Counter(str(entry.get("model")) for entry in entries if entry.get("model") not in allowed)
    if unexpected:
        raise RestoreRefused(
            [
                _(
                    "A backup holds only content, its history, users and groups; this file also holds %(model)s "
                    "(%(count)s rows)."
                )
                % {"model": label, "count": count}
                for label, count in sorted(unexpected.items())
            ]
        )


@transaction.atomic
def restore(path: Path, *, force: bool = False, trust_unsigned: bool = False) -> dict[str, int]:
    """Restore the backup at ``path`` in one transaction: all of it, checked, or nothing.

    Refuses a database that already holds content unless ``force``, which first deletes the current
    content and history (inside the same transaction), and a file without this server's signature
    unless ``trust_unsigned`` — which restores its accounts only as the names history shows, unable
    to sign in. Raises ``RestoreRefused`` listing what is wrong.
    """
    signed = backup.is_signed(path)
    if not signed and not trust_unsigned:
        raise RestoreRefused(
            [
                _(
                    "The backup's signature is missing or does not match: the file was changed after backup_kb "
                    "wrote it, or was signed with another key (KB_BACKUP_KEY or SECRET_KEY). Restore a signed "
                    "backup, or pass --trust-unsigned to restore it with every account unable to sign in."
                )
            ]
        )
    entries = read_backup(path)
    _check_models(entries)
    if not signed:
        # The server's own groups stay as they are; the file's accounts become names for the history.
        entries = [_without_access(entry) for entry in entries if entry.get("model") != "auth.group"]
    version.bump()
    present = {label: count for label, count in backup.row_counts().items() if count}
    if present and not force:
        raise backup.NotEmpty(present)
    if present:
        backup._delete_content()
    _write_as_backed_up(entries)
    problems = rule_breaches()
    if problems:
        raise RestoreRefused(problems)
    counts = backup.row_counts()
    feed.record_event(feed.KB_RESTORED, data={"rows": sum(counts.values())})
    return counts


def _without_access(entry: dict) -> dict:
    """An account from an unsigned file: kept for the history that names it, with no way to sign in or act."""
    if entry.get("model") == "auth.user":
        fields = {
            **entry["fields"],
            "password": "!" + get_random_string(40),  # unusable, as set_unusable_password() makes it
            "is_active": False,
            "is_staff": False,
            "is_superuser": False,
            "groups": [],
            "user_permissions": [],
        }
        return {**entry, "fields": fields}
    return entry


def _write_as_backed_up(entries: list[dict]) -> None:
    """Save every row raw (ids, row versions and history as in the file), as ``loaddata`` would.

    The tables are empty (checked or emptied first), so rows go in with batched INSERTs, in the
    file's order; a row with many-to-many data (an account's groups) or a forward reference is saved
    on its own, which is what ``loaddata`` does for every row. Raw saves, like ``bulk_create``, send
    no history signal: the file's history is the history.
    """
    connection = connections[router.db_for_write(KnowledgeBaseState)]
    written = set()
    batch: list = []

    def flush() -> None:
        if batch:
            type(batch[0])._base_manager.using(connection.alias).bulk_create(batch, batch_size=500)
            batch.clear()

    with connection.constraint_checks_disabled():
        deferred = []
        for row in serializers.deserialize("python", entries, handle_forward_references=True):
            model = type(row.object)
            written.add(model)
            if row.m2m_data or row.deferred_fields:
                flush()
                row.save()
                if row.deferred_fields:
                    deferred.append(row)
                continue
            if batch and type(batch[0]) is not model:
                flush()
            batch.append(row.object)
        flush()
        for row in deferred:
            row.save_deferred_fields()
    connection.check_constraints(table_names=[model._meta.db_table for model in written])
    # Rows came with their ids: the next row added must not reuse one (PostgreSQL's sequences).
    statements = connection.ops.sequence_reset_sql(no_style(), list(written))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def rule_breaches() -> list[str]:
    """Every content row that breaks a rule of its model, with what it breaks.

    Each row gets the model's own ``full_clean`` (its fields and ``clean``: the citation rule, the
    reporting-cycle rule …). Foreign keys, uniqueness and database constraints are left to the
    database, which checked them as the rows were written. A model whose rule reads its other rows
    (the cycle rule) may define ``prepare_clean(rows)`` to read them once for all of its rows.
    """
    problems = []
    for model in content_models():
        foreign = list(references(model))
        queryset = model._default_manager.select_related(*foreign).order_by("pk")
        rows: Iterable[Seeded]
        if hasattr(model, "prepare_clean"):
            rows = list(queryset)
            model.prepare_clean(rows)
        else:
            rows = queryset.iterator(chunk_size=1000)
        for row in rows:
            try:
                row.full_clean(exclude=foreign, validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                problems.append(
                    _("%(model)s %(id)s “%(row)s”: %(errors)s")
                    % {
                        "model": str(model._meta.verbose_name).capitalize(),
                        "id": row.pk,
                        "row": row,
                        "errors": " ".join(_messages(error)),
                    }
                )
    return problems


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)
