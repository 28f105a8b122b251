"""What every piece of the knowledge base shares: source documents, citations and row versions.

Every fact taken from a source document cites the ``Source`` and the verbatim excerpt it came
from (``Cited``); facts the team adds are marked editorial. Every content row carries a version
that each save bumps (``Versioned``), so a stale edit can be refused, and remembers the shipped
seed entry it was loaded from (``Seeded``).
"""

import hashlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from . import rules
from .languages import LANGUAGE_CODES, LANGUAGES, per_language, translated_fields

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


def bounded_text(verbose_name, max_length: int, **kwargs) -> models.TextField:
    """A text field whose length limit holds everywhere: model validation, forms and the API.

    Django only passes a TextField's ``max_length`` to the form widget; the validator enforces it.
    """
    return models.TextField(verbose_name, max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs)


def choices_constraint(field: str, choices, name: str) -> models.CheckConstraint:
    """A database check that ``field`` holds one of ``choices`` (a TextChoices class or (value, label) pairs)."""
    values = choices.values if hasattr(choices, "values") else [value for value, _label in choices]
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": list(values)}), name=name)


@dataclass(frozen=True)
class Exchange:
    """How a content model's rows are named in the seed file and in exports.

    ``section``: its list in an export; ``order``: the fields that order that list.
    ``seed_section``: its table in ``kb/knowledge.toml``; ``seed_key``: the prefix of its rows' seed keys.
    ``numbered_within``: rows get ``position`` 1, 2, … in file order, counted per value of this field
    (``None``: across the whole table).
    """

    section: str
    order: tuple[str, ...]
    seed_section: str
    seed_key: str
    numbered_within: str | None = None


class Versioned(models.Model):
    """A row version for optimistic concurrency: every save bumps it, so a stale edit can be refused."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # django-simple-history, registered for every content model at start-up (``knowledge.history``):
    # the model's history manager, and who made a change and why, set on a row before it is saved.
    history: ClassVar[Any]
    _history_user: "AbstractBaseUser | None"
    _change_reason: str

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)

    def _get_FIELD_display(self, field):  # noqa: N802 - Django's name: every get_<field>_display() calls it
        """The label of the field's value in the active language, from a mapping built once per field.

        Django's builds a mapping of every choice on each call and translates every label to hash
        it: ~25 µs for a field of four choices, and a search page or a role page shows dozens.
        """
        value = getattr(self, field.attname)
        return force_str(_choice_labels(field).get(value, value), strings_only=True)

    def clean_fields(self, exclude=None):
        """Field validation, plus: no text of the knowledge base holds an invisible control character."""
        errors: dict[str, list] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        fields = self._meta.concrete_fields
        names = {field.name for field in fields}
        for field in fields:
            if not isinstance(field, models.CharField | models.TextField) or field.name in (exclude or ()):
                continue
            if f"{field.name}_{LANGUAGE_CODES[0]}" in names:
                continue  # the plain name of a translated field mirrors one of its language columns
            value = getattr(self, field.attname)
            if isinstance(value, str) and field.name not in errors:
                try:
                    rules.validate_plain_text(value)
                except ValidationError as error:
                    errors[field.name] = error.error_list
        if errors:
            raise ValidationError(errors)


@cache
def _choice_labels(field: models.Field) -> dict:
    """Each choice's value → its label (a lazy translation, read in the active language when shown)."""
    return dict(field.flatchoices)


class TranslationTracked(models.Model):
    """Notes which language's text lags behind the other's, so readers and editors can tell.

    A save that changes a translated text in one language only, while the other language has a
    text, marks that other language's text as possibly out of date; a later save that changes
    the lagging language's text (or both) clears the mark. Works for every writer, because it
    compares with the row as it was read from the database.
    """

    stale_translation = models.CharField(
        _("translation to check"),
        max_length=2,
        blank=True,
        default="",
        editable=False,
        help_text=_("The language whose text may be out of date: the other language's text changed since."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        before = getattr(self, "_texts_as_loaded", None)
        if before is not None and not self._state.adding:
            self._note_lagging_language(before, self._translated_texts())
        super().save(*args, **kwargs)
        self._texts_as_loaded = self._translated_texts()

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._texts_as_loaded = instance._translated_texts()
        return instance

    def _translated_texts(self) -> dict:
        # Every loaded row runs this (from_db): the columns are worked out once per model.
        columns = type(self).__dict__.get("_translated_columns")
        if columns is None:
            columns = tuple(name for base in translated_fields(self) for name in per_language(base))
            type(self)._translated_columns = columns  # type: ignore[attr-defined]
        loaded = self.__dict__
        return {name: loaded[name] or "" for name in columns if name in loaded}

    def _note_lagging_language(self, before: dict, after: dict) -> None:
        changed = {name for name in after if name in before and after[name] != before[name]}
        languages = {name.rpartition("_")[2] for name in changed}
        if not languages:
            return
        if self.stale_translation in languages or len(languages) > 1:
            self.stale_translation = ""
            return
        (language,) = languages
        for name in changed:
            base = name.rpartition("_")[0]
            others = [other for other in after if other.rpartition("_")[0] == base and other != name]
            lagging = next((other for other in others if after[other]), None)
            if lagging is not None:
                self.stale_translation = lagging.rpartition("_")[2]
                return


class Seeded(Versioned):
    """Rows loaded from the shipped knowledge base remember which seed entry they came from.

    ``seed_digest`` is a fingerprint of the values as last loaded; when the row's
    current values no longer match it, an editor has changed the row and
    ``load_kb`` leaves it alone (unless ``--reset``).
    """

    seed_key = models.CharField(max_length=120, unique=True, null=True, blank=True, editable=False)
    seed_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True


class Source(Seeded):
    """A document the knowledge came from, kept whole so every excerpt can be checked against it."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    text = bounded_text(_("full text"), 200_000)
    origin = models.CharField(
        _("origin"),
        max_length=500,
        blank=True,
        help_text=_("Where the document came from: its web address or file name."),
    )
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("When the document was written or added."))
    # A fingerprint of the text as stored, so a copy of the document can be recognised.
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True, editable=False)

    exchange = Exchange(section="sources", order=("slug",), seed_section="sources", seed_key="source")

    class Meta:
        # The table kept its name when sources moved here from the roles app.
        db_table = "roles_source"
        ordering = ["slug"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.checksum = self.checksum_of(self.text)
        super().save(*args, **kwargs)

    @staticmethod
    def checksum_of(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()


class Cited(Seeded):
    """A fact with its provenance: a verbatim excerpt of a source, or marked editorial."""

    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    excerpt = bounded_text(_("source excerpt"), 2000, blank=True)
    editorial = models.BooleanField(
        _("editorial"),
        default=False,
        help_text=_("Written by the team rather than stated by the source."),
    )

    class Meta:
        abstract = True

    @classmethod
    def citation_constraint(cls, name):
        return models.CheckConstraint(
            condition=models.Q(editorial=True) | (models.Q(source__isnull=False) & ~models.Q(excerpt="")),
            name=name,
        )

    def clean(self):
        super().clean()
        rules.validate_citation(source=self.source, excerpt=self.excerpt, editorial=self.editorial)


class KnowledgeBaseState(models.Model):
    """One row holding the knowledge base's version: every write to any content model bumps it.

    Whole-response caches and list ETags are keyed by it (see ``knowledge.version``), so a write
    invalidates every cached page and API response at once, across all server processes.
    """

    history_exempt = True  # infrastructure, not content: no history, no version of its own

    version = models.PositiveBigIntegerField(_("version"), default=1)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        db_table = "roles_knowledgebasestate"
        verbose_name = _("knowledge base state")
        verbose_name_plural = _("knowledge base state")

    def __str__(self):
        return f"v{self.version}"


class FeedEvent(models.Model):
    """One committed change to the knowledge base: the change feed, and the webhooks' outbox.

    Written by the write layer in the writer's own transaction (``knowledge.feed``), so an event
    exists exactly when its change is committed. ``kb_version`` is the knowledge base's version the
    writer took under that row's lock, so ``(kb_version, id)`` is commit order (see ``knowledge.feed``).
    """

    history_exempt = True  # the log of changes, not content: no history of its own, not in backups

    kb_version = models.PositiveBigIntegerField(_("knowledge-base version"))
    event_type = models.CharField(_("event type"), max_length=60)
    resource = models.CharField(_("resource"), max_length=40, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    role = models.CharField(_("role"), max_length=80, blank=True, help_text=_("Slug of the role the change is about."))
    row_version = models.PositiveIntegerField(_("row version"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        ordering = ["kb_version", "id"]
        indexes = [models.Index(fields=["kb_version", "id"], name="feedevent_commit_order")]
        verbose_name = _("change-feed event")
        verbose_name_plural = _("change-feed events")

    def __str__(self):
        return f"{self.event_type} {self.resource} {self.object_id}"

    @property
    def cursor(self) -> str:
        return f"{self.kb_version}-{self.pk}"


class ScopeVersion(models.Model):
    """The version of one part of what the pages show ("role:<slug>", "structure", "directory").

    The write layer bumps the scopes a write changes (``knowledge.version.touch``), so a cached role
    page survives an edit of another role; everything else stays keyed by ``KnowledgeBaseState``.
    """

    history_exempt = True  # infrastructure, not content

    scope = models.CharField(_("scope"), max_length=300, primary_key=True)
    version = models.PositiveBigIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("scope version")
        verbose_name_plural = _("scope versions")

    def __str__(self):
        return f"{self.scope} v{self.version}"
