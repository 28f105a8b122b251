"""What is searched: each kind of row, the fields of its two full-text documents, and what a result shows."""

from dataclasses import dataclass

from django.db.models import Model, QuerySet

from responsibilities.models import Duty
from roles.models import Qualification, Role, RoleTitle


@dataclass(frozen=True)
class Target:
    kind: str
    model: type[Model]
    english: tuple[str, ...]  # fields of the english full-text document
    norwegian: tuple[str, ...]  # fields of the norwegian full-text document
    names: tuple[str, ...]  # short fields whose similarity to the query adds to the rank
    related: tuple[str, ...] = ()
    shown: tuple[str, ...] = ()  # every other field a result needs (the rest is not loaded)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.english, *self.norwegian, *self.names)))

    def rows(self) -> QuerySet:
        """The model's rows with their related rows, loading only the fields a result shows."""
        return self.model._default_manager.select_related(*self.related).only(*self.fields, *self.related, *self.shown)


# What a result shows of its role: the search page, the API and ordering by position.
_ROLE_SHOWN = ("slug", "title_en", "title_nb", "abbreviation_en", "abbreviation_nb", "level", "position")


def _of_role(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}{name}" for name in _ROLE_SHOWN)


TARGETS = (
    Target(
        "role",
        Role,
        ("title_en", "abbreviation_en"),
        ("title_nb", "abbreviation_nb"),
        ("title_en", "title_nb", "abbreviation_en", "abbreviation_nb"),
        shown=_ROLE_SHOWN,
    ),
    Target("title", RoleTitle, ("title",), ("title",), ("title",), ("role",), ("language", *_of_role("role__"))),
    Target(
        "duty",
        Duty,
        ("title_en", "description_en"),
        ("title_nb", "description_nb"),
        ("title_en", "title_nb"),
        ("role", "category"),
        ("category__name_en", "category__name_nb", *_of_role("role__")),
    ),
    Target(
        "qualification",
        Qualification,
        ("text_en",),
        ("text_nb",),
        ("text_en", "text_nb"),
        ("role",),
        ("requirement", "kind", *_of_role("role__")),
    ),
)
