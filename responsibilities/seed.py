"""Load the shipped knowledge base (``kb/knowledge.toml`` and the source documents) into the database.

Rows are matched by their seed key. A row whose values no longer match the
fingerprint taken when it was loaded has been changed by an editor and is left
alone, as is a seed row an editor deleted — unless ``reset`` is given, which
restores every seed row to the shipped values. Rows editors added themselves are
never touched.
"""

import hashlib
import json
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction

from roles.history import SEED_CHANGE_REASON
from roles.models import Qualification, ReportingLine, Role, RoleFact, RoleTitle, Source

from .models import Duty, DutyCategory

KB_DIR = Path(__file__).resolve().parent / "kb"
CHANGE_REASON = SEED_CHANGE_REASON

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
KEPT_EDITED, KEPT_DELETED = "kept editor's change", "kept deleted by an editor"
SKIPPED = "skipped: its role or category was deleted by an editor"


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
    for source in data["sources"]:
        source["text"] = (kb_dir / source.pop("file")).read_text(encoding="utf-8")
    return data


def fingerprint(values: dict) -> str:
    plain = {name: (value.pk if isinstance(value, models.Model) else value) for name, value in values.items()}
    return hashlib.sha256(json.dumps(plain, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _current_values(row, names) -> dict:
    return {name: getattr(row, name) for name in names}


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
        row = model(seed_key=key, seed_digest=seed_digest, **values)
        outcome = CREATED
    else:
        current = fingerprint(_current_values(row, values))
        if current == seed_digest:
            if row.seed_digest != seed_digest:
                model.objects.filter(pk=row.pk).update(seed_digest=seed_digest)
            report.add(model, UNCHANGED)
            return row
        if current != row.seed_digest and not reset:
            report.add(model, KEPT_EDITED)
            return row
        for name, value in values.items():
            setattr(row, name, value)
        row.seed_digest = seed_digest
        outcome = UPDATED
    row.full_clean(validate_unique=False)
    row._change_reason = CHANGE_REASON
    row.save()
    report.add(model, outcome)
    return row


def _citation(entry: dict, sources: dict) -> dict:
    return {
        "source": sources[entry["source"]] if "source" in entry else None,
        "excerpt": entry.get("excerpt", ""),
        "editorial": entry.get("editorial", False),
    }


def _translated(entry: dict, *names: str) -> dict:
    return {f"{name}_{lang}": entry.get(f"{name}_{lang}", "") for name in names for lang in ("en", "nb")}


def _positions(entries, group_by: str):
    seen = Counter()
    for entry in entries:
        seen[entry[group_by]] += 1
        yield entry, seen[entry[group_by]]


@transaction.atomic
def load_knowledge_base(*, reset: bool = False, kb_dir: Path = KB_DIR) -> LoadReport:
    data = read_knowledge(kb_dir)
    report = LoadReport()

    sources = {}
    for entry in data["sources"]:
        values = {name: entry[name] for name in ("slug", "title", "language", "text")}
        sources[entry["key"]] = _upsert(Source, f"source:{entry['key']}", values, reset=reset, report=report)

    categories = {}
    for position, entry in enumerate(data["categories"], start=1):
        values = {"slug": entry["slug"], "position": position, **_translated(entry, "name", "description")}
        categories[entry["key"]] = _upsert(DutyCategory, f"category:{entry['key']}", values, reset=reset, report=report)

    roles = {}
    for position, entry in enumerate(data["roles"], start=1):
        values = {
            "slug": entry["slug"],
            "level": entry["level"],
            "occupation_codes": entry.get("occupation_codes", ""),
            "position": position,
            **_translated(entry, "title", "abbreviation", "summary", "description"),
            **_citation(entry, sources),
        }
        roles[entry["key"]] = _upsert(Role, f"role:{entry['key']}", values, reset=reset, report=report)

    def rows(kind, model, entries, group_by, build):
        for entry, position in _positions(entries, group_by):
            owners = [roles.get(entry[name]) for name in ("role", "subordinate", "superior") if name in entry]
            if "category" in entry:
                owners.append(categories.get(entry["category"]))
            if any(owner is None for owner in owners):
                report.add(model, SKIPPED)
                continue
            values = {**build(entry, position), **_citation(entry, sources)}
            _upsert(model, f"{kind}:{entry['key']}", values, reset=reset, report=report)

    rows(
        "title",
        RoleTitle,
        data["titles"],
        "role",
        lambda e, _: {"role": roles[e["role"]], "language": e["language"], "kind": e["kind"], "title": e["title"]},
    )
    rows(
        "fact",
        RoleFact,
        data["facts"],
        "role",
        lambda e, pos: {"role": roles[e["role"]], "kind": e["kind"], "position": pos, **_translated(e, "text")},
    )
    rows(
        "qualification",
        Qualification,
        data["qualifications"],
        "role",
        lambda e, pos: {
            "role": roles[e["role"]],
            "kind": e["kind"],
            "requirement": e["requirement"],
            "minimum_years": e.get("minimum_years"),
            "position": pos,
            **_translated(e, "text"),
        },
    )
    rows(
        "line",
        ReportingLine,
        data["lines"],
        "subordinate",
        lambda e, _: {
            "subordinate": roles[e["subordinate"]],
            "superior": roles[e["superior"]],
            "kind": e["kind"],
            **_translated(e, "note"),
        },
    )
    rows(
        "duty",
        Duty,
        data["duties"],
        "role",
        lambda e, pos: {
            "role": roles[e["role"]],
            "category": categories[e["category"]],
            "involvement": e["involvement"],
            "position": pos,
            **_translated(e, "title", "description"),
        },
    )
    return report
