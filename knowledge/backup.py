"""Whole-knowledge-base backups: every content row, its full history, and the accounts history points to.

A backup is a gzip-compressed Django fixture (JSON). ``restore_kb`` loads it back through the
write layer (``knowledge.restore``), which checks every row; ``manage.py loaddata`` would skip
those checks. It holds:

* the content apps (``knowledge``, ``roles``, ``responsibilities``) with primary keys kept, so
  links between rows, API ids and history all line up after a restore;
* their history tables, complete — history is never pruned, by a backup or otherwise;
* users and groups (with permissions by natural key), because history rows name
  the user who made each change. Passwords are stored as Django hashes.

Not included, on purpose: sessions and sign-in lockouts (transient), and API tokens
(secrets stored in clear; issue new ones with ``drf_create_token`` after a restore).
For a byte-for-byte copy of the whole database use ``pg_dump`` (docs/deployment.md).
"""

import datetime
import gzip
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from . import contents

ACCOUNT_MODELS = ("auth.group", "auth.user")


class NotEmpty(Exception):
    """The target database already holds content; restoring would mix two knowledge bases."""


def content_apps() -> list:
    """The apps that hold content (sources, roles, duties, …), in the order they are installed."""
    labels = {model._meta.app_label for model in contents.content_models()}
    return [config for config in apps.get_app_configs() if config.label in labels]


def content_models() -> list:
    """Every model of the content apps, history tables included."""
    # KnowledgeBaseState and ScopeVersion (cache versions) are infrastructure, not content: restores bump them.
    return [
        model
        for config in content_apps()
        for model in config.get_models()
        if not getattr(model, "history_exempt", False)
    ]


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in content_models()}


class _FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder rounds times to milliseconds; history order needs every microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _backup_models() -> list:
    # Content and its history; not the infrastructure beside it (the version rows, the change feed).
    content = set(content_models())
    selected = [(config, [model for model in config.get_models() if model in content]) for config in content_apps()]
    selected += [(apps.get_app_config(label.split(".")[0]), [apps.get_model(label)]) for label in ACCOUNT_MODELS]
    # Models with natural keys after the models those keys point to, as dumpdata orders them.
    return serializers.sort_dependencies(selected, allow_cycles=True)


def _rows():
    for model in _backup_models():
        yield from model._base_manager.order_by(model._meta.pk.name).iterator()


def backup(path: Path) -> dict[str, int]:
    """Write the backup to ``path`` (gzip JSON) and return the number of rows per model."""
    temporary = path.with_name(path.name + ".partial")
    # One transaction, so content and history come from the same instant.
    with transaction.atomic(), gzip.open(temporary, "wt", encoding="utf-8") as file:
        serializers.serialize(
            "json",
            _rows(),
            stream=file,
            cls=_FullPrecisionEncoder,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
        counts = row_counts()
    # Renamed only once complete, so a crash never leaves a truncated file under the real name.
    temporary.replace(path)
    sign(path)
    return counts


# Signatures ------------------------------------------------------------------------------------
# A backup restores user accounts, superusers included; a file anyone could edit would let them
# name their own. Each backup is signed with a key only the servers hold (KB_BACKUP_KEY, else
# SECRET_KEY), in a file beside it; restore_kb refuses a file whose signature is missing or wrong.


def signature_path(path: Path) -> Path:
    return path.with_name(path.name + ".sig")


def signature(path: Path) -> str:
    secret = settings.KB_BACKUP_KEY or settings.SECRET_KEY
    return salted_hmac("medical-roles-kb.backup", path.read_bytes(), secret=secret, algorithm="sha256").hexdigest()


def sign(path: Path) -> None:
    """Write ``path``'s signature beside it."""
    signature_path(path).write_text(signature(path) + "\n", encoding="ascii")


def is_signed(path: Path) -> bool:
    """True when ``path`` has a signature beside it that this server's key made for exactly these bytes."""
    stored = signature_path(path)
    return stored.is_file() and constant_time_compare(stored.read_text(encoding="ascii").strip(), signature(path))


def _delete_content() -> None:
    """Delete every content and history row: one DELETE per table, children before what they cite.

    Only a forced restore does this, which puts the backup's own history in place of the deleted one.
    The statements are raw on purpose: a row-by-row delete would send a signal per row and write a
    history entry for each deleted row, only to delete those entries too.
    """
    for model in reversed(content_models()):
        rows = model._base_manager.all()
        rows._raw_delete(rows.db)


def _is_history(model) -> bool:
    return hasattr(model, "instance_type")  # set by django-simple-history on its historical models
