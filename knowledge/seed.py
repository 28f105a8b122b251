"""Load the shipped knowledge base (``kb/knowledge.toml`` and the source documents) into the database.

Rows are matched by their seed key. A row whose values no longer match the
fingerprint taken when it was loaded has been changed by an editor and is left
alone, as is a seed row an editor deleted — unless ``reset`` is given, which
restores every seed row to the shipped values. Rows editors added themselves are
never touched. Every row is written through the write layer (``knowledge.services``),
so the seed obeys the same rules as an editor: citations, no cycles, history.

The file has one table per content model (its ``Exchange.seed_section``). An entry names
its row's values by field; a foreign key names the other row by its key in the file; a
translated field is given per language (``title_en``, ``title_nb``); ``position`` is counted
in file order.
"""

import hashlib
import json
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction

from . import services, version
from .contents import content_models, exchange, references
from .history import SEED_CHANGE_REASON
from .languages import per_language, translated_fields
from .models import Source

KB_DIR = Path(__file__).resolve().parent / "kb"
CHANGE_REASON = SEED_CHANGE_REASON

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
KEPT_EDITED, KEPT_DELETED = "kept editor's change", "kept deleted by an editor"
SKIPPED = "skipped: its role or category was deleted by an editor"
# Columns a seed entry never sets: the row's identity and bookkeeping.
_NOT_SEEDED = {"id", "version", "seed_key", "seed_digest", "checksum"}


@dataclass
class LoadReport:
    counts: Counter = field(default_factory=Counter)

    def add(self, model, outcome: str) -> None:
        self.counts[(model._meta.verbose_name_plural, outcome)] += 1

    def total(self, outcome: str) -> int:
        return sum(n for (_, o), n in self.counts.items() if o == outcome)

    def lines(self) -> list[str]:
        return [f"{name}: {outcome} {n}" for (name, outcome), n in sorted(self.counts.items(), key=str)]


def read_knowledge(kb_dir: Path = KB_DIR) -> dict:
    with open(kb_dir / "knowledge.toml", "rb") as fh:
        data = tomllib.load(fh)
    for source in data[exchange(Source).seed_section]:
        source["text"] = (kb_dir / source.pop("file")).read_text(encoding="utf-8")
    return data


def fingerprint(values: dict) -> str:
    plain = {name: (value.pk if isinstance(value, models.Model) else value) for name, value in values.items()}
    return hashlib.sha256(json.dumps(plain, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def seeded_columns(model) -> list[models.Field]:
    """The fields a seed entry gives values for; a translated field counts once per language."""
    translated = set(translated_fields(model))
    return [f for f in model._meta.concrete_fields if f.name not in _NOT_SEEDED and f.name not in translated]


def _values(model, entry: dict, position: int, loaded: dict) -> dict | None:
    """The row's values from its entry, or None when a row it points to was deleted by an editor."""
    refs = references(model)
    values: dict[str, object] = {}
    for f in seeded_columns(model):
        name = f.name
        if name in refs:
            key = entry.get(name)
            if key is None:
                values[name] = None
                continue
            target = loaded[refs[name]].get(key)
            if target is None:
                return None
            values[name] = target
        elif name == "position":
            values[name] = position
        elif name in entry:
            values[name] = entry[name]
        else:
            values[name] = f.get_default()
    for name in translated_fields(model):
        for column in per_language(name):
            values[column] = entry.get(column, "")
    return values


def _positions(entries: list[dict], within: str | None):
    seen: Counter = Counter()
    for entry in entries:
        group = entry.get(within) if within else None
        seen[group] += 1
        yield entry, seen[group]


def _was_deleted_by_editor(model, seed_key: str) -> bool:
    return model.history.filter(seed_key=seed_key, history_type="-").exists()


def _upsert(model, key: str, values: dict, *, reset: bool, report: LoadReport):
    """Create or update one seed row; return the row (or None when an editor deleted it)."""
    seed_digest = fingerprint(values)
    row = model.objects.filter(seed_key=key).first()
    if row is None:
        if not reset and _was_deleted_by_editor(model, key):
            report.add(model, KEPT_DELETED)
            return None
        row = services.content_create(
            model=model, data={"seed_key": key, "seed_digest": seed_digest, **values}, user=None, reason=CHANGE_REASON
        )
        report.add(model, CREATED)
        return row
    current = fingerprint({name: getattr(row, name) for name in values})
    if current == seed_digest:
        if row.seed_digest != seed_digest:
            # Bookkeeping only: the row already holds the shipped values (no history, no row version),
            # but exports show the fingerprint, so cached ones must go.
            model.objects.filter(pk=row.pk).update(seed_digest=seed_digest)
            version.bump()
        report.add(model, UNCHANGED)
        return row
    if current != row.seed_digest and not reset:
        report.add(model, KEPT_EDITED)
        return row
    row = services.content_update(
        instance=row,
        data={**values, "seed_digest": seed_digest},
        user=None,
        expected_version=row.version,
        reason=CHANGE_REASON,
    )
    report.add(model, UPDATED)
    return row


@transaction.atomic
def load_knowledge_base(*, reset: bool = False, kb_dir: Path = KB_DIR) -> LoadReport:
    data = read_knowledge(kb_dir)
    report = LoadReport()
    loaded: dict = {}
    for model in content_models():
        spec = exchange(model)
        rows = loaded[model] = {}
        for entry, position in _positions(data.get(spec.seed_section, []), spec.numbered_within):
            values = _values(model, entry, position, loaded)
            if values is None:
                report.add(model, SKIPPED)
                continue
            rows[entry["key"]] = _upsert(model, f"{spec.seed_key}:{entry['key']}", values, reset=reset, report=report)
    return report
