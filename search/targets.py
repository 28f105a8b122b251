"""What is searched: each kind of row, the fields of its two full-text documents, and what a result shows.

The documents themselves are the database's: generated columns on PostgreSQL (migrations 0002 and
0007), FTS5 indexes on SQLite (``search.sqlite_schema``); the fields here are what a result loads.
"""

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from django.db.models import Model, QuerySet

from knowledge.compiled import CompiledQuery
from responsibilities.models import Duty, DutyCategory
from roles.models import Qualification, ReportingLine, Role, RoleFact, RoleTitle

# What citing a source, and a name equal to the query, add to a match's rank (see Target.prior).
CITED = 0.4
EXACT_NAME = 1.0


@dataclass(frozen=True)
class Target:
    kind: str
    model: type[Model]
    english: tuple[str, ...]  # fields of the english full-text document
    norwegian: tuple[str, ...]  # fields of the norwegian full-text document
    names: tuple[str, ...]  # short fields whose similarity to the query adds to the rank
    related: tuple[str, ...] = ()
    shown: tuple[str, ...] = ()  # every other field a result needs (the rest is not loaded)

    def prior(self, table: str, wanted: list[str]) -> tuple[str, list[str]]:
        """SQL adding to a matching row's rank what its words alone do not say, and its parameters.

        A row citing a source outranks an editorial one matching as well (``CITED``), and a row one
        of whose names is the query itself (or the query with its typos fixed, ``wanted``) ranks
        first (``EXACT_NAME``). ``table`` is the quoted table name or alias the SQL refers to.
        """
        parts, params = [], []
        if self.prior_fields:
            parts.append(f'CASE WHEN {table}."source_id" IS NOT NULL THEN {CITED} ELSE 0 END')
        if wanted:
            holders = ", ".join("%s" for _ in wanted)
            tests = " OR ".join(f'lower({table}."{name}") IN ({holders})' for name in self.names)
            parts.append(f"CASE WHEN {tests} THEN {EXACT_NAME} ELSE 0 END")
            params += wanted * len(self.names)
        return (" + ".join(parts) or "0"), params

    @cached_property
    def prior_fields(self) -> tuple[str, ...]:
        """The fields ``prior`` reads besides the names."""
        return ("source",) if "source" in {field.name for field in self.model._meta.concrete_fields} else ()

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.english, *self.norwegian, *self.names)))

    @cached_property
    def rows(self) -> QuerySet:
        """The model's rows with their related rows, loading only the fields a result shows, unordered.

        Built once per process and never read itself: each load's SQL is compiled from it once per
        number of rows (``_compiled_load``). Unordered, because the ranking gives the order.
        """
        return (
            self.model._default_manager.select_related(*self.related)
            .only(*self.fields, *self.related, *self.shown)
            .order_by()
        )

    def load(self, scored: list[tuple[int, float]]) -> list[tuple[Any, float]]:
        """The rows of the ranked primary keys, with their scores, in the same order. One query.

        The query runs even when nothing matched (no row has the key 0), so that every search costs the same.
        """
        keys = [pk for pk, _score in scored] or [0]
        rows = {row.pk: row for row in _compiled_load(self, len(keys)).rows(*keys)}
        return [(rows[pk], score) for pk, score in scored if pk in rows]


@lru_cache(maxsize=1024)  # seven kinds, a page of 1 to 100 rows each
def _compiled_load(target: Target, size: int) -> CompiledQuery:
    """The kind's rows by primary key, ``size`` of them, compiled once per process (``knowledge.compiled``)."""
    placeholders = list(range(-1, -size - 1, -1))  # distinct: an IN list loses its repeats
    return CompiledQuery(target.rows.filter(pk__in=placeholders), *placeholders)


# What a result shows of its role: the search page, the API and ordering by position.
_ROLE_SHOWN = ("slug", "title_en", "title_nb", "abbreviation_en", "abbreviation_nb", "level", "position")


def _of_role(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}{name}" for name in _ROLE_SHOWN)


TARGETS = (
    Target(
        "role",
        Role,
        ("title_en", "abbreviation_en", "excerpt"),
        ("title_nb", "abbreviation_nb", "excerpt"),
        ("title_en", "title_nb", "abbreviation_en", "abbreviation_nb"),
        ("source",),
        (*_ROLE_SHOWN, "source__title"),
    ),
    Target(
        "title",
        RoleTitle,
        ("title", "excerpt"),
        ("title", "excerpt"),
        ("title",),
        ("role", "source"),
        ("language", "source__title", *_of_role("role__")),
    ),
    Target(
        "duty",
        Duty,
        ("title_en", "description_en", "excerpt"),
        ("title_nb", "description_nb", "excerpt"),
        ("title_en", "title_nb"),
        ("role", "category", "source"),
        ("category__name_en", "category__name_nb", "source__title", *_of_role("role__")),
    ),
    Target(
        "qualification",
        Qualification,
        ("text_en", "excerpt"),
        ("text_nb", "excerpt"),
        ("text_en", "text_nb"),
        ("role", "source"),
        ("requirement", "kind", "source__title", *_of_role("role__")),
    ),
    Target(
        "fact",
        RoleFact,
        ("text_en", "excerpt"),
        ("text_nb", "excerpt"),
        ("text_en", "text_nb"),
        ("role", "source"),
        ("kind", "source__title", *_of_role("role__")),
    ),
    Target(
        "line",
        ReportingLine,
        ("note_en", "excerpt"),
        ("note_nb", "excerpt"),
        ("note_en", "note_nb"),
        ("subordinate", "superior", "source"),
        ("kind", "source__title", *_of_role("subordinate__"), *_of_role("superior__")),
    ),
    Target(
        "category",
        DutyCategory,
        ("name_en",),
        ("name_nb",),
        ("name_en", "name_nb"),
        shown=("slug", "description_en", "description_nb", "position"),
    ),
)

KINDS = tuple(target.kind for target in TARGETS)
