"""A role's history as people read it: who changed what, when, field by field.

The role's own history and that of its titles, facts, duties, qualifications and
reporting lines live in separate tables; rows are matched to the role by its id
(not through the live rows), so deleted rows still show. One page costs a fixed
number of queries, whatever its length: one to count, one to pick the page's
entries across the tables, then per table one for the records (with the earlier
versions they are compared against) and one for the rows as they are now, and
one per related model whose names the diffs show.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import ForeignKey, IntegerField, Value
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, gettext_lazy as _

from .history import SEED_CHANGE_REASON, HistoryTrack
from .languages import LANGUAGE_NAMES, localized, split_language, translated_fields

PER_PAGE = 25
# Columns every history table has but no reader needs to see change.
# (A row's role is the page's role; its history shows the other ends of reporting lines instead.)
HIDDEN_FIELDS = {"id", "version", "seed_key", "seed_digest", "role", "stale_translation"}
# The citation closes each diff, after the content it backs.
CITATION_FIELDS = ("source", "excerpt", "editorial")
CHANGE_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass
class FieldChange:
    label: str
    language: str | None  # "en"/"nb" for one language of a translated field
    language_name: str | None
    old: str
    new: str


@dataclass
class Entry:
    track: HistoryTrack
    record: object
    what: str
    who: str
    change_type: str
    changes: list[FieldChange] = field(default_factory=list)
    exists: bool = False
    current_version: int | None = None

    @property
    def kind_label(self) -> str:
        return str(self.track.model._meta.verbose_name).capitalize()

    @property
    def type_class(self) -> str:
        return {"+": "created", "~": "changed", "-": "deleted"}[self.record.history_type]

    @property
    def is_current(self) -> bool:
        return self.exists and self.record.version == self.current_version

    @property
    def can_be_reverted(self) -> bool:
        return self.exists and self.record.history_type != "-" and not self.is_current

    @property
    def can_be_restored(self) -> bool:
        return not self.exists and self.record.history_type == "-"


def history_page(tracks: list[HistoryTrack], owner_id, page_number) -> tuple[Page, list[Entry]]:
    """One page of the merged history of an owner (a role) across ``tracks``, newest first."""
    index = None
    for i, track in enumerate(tracks):
        part = (
            track.model.history.filter(track.owner_filter(owner_id))
            .annotate(track_no=Value(i, output_field=IntegerField()))
            .values_list("history_date", "history_id", "id", "track_no")
            .order_by()
        )
        index = part if index is None else index.union(part, all=True)
    index = index.order_by("-history_date", "-history_id")
    page = Paginator(index, PER_PAGE).get_page(page_number)
    return page, _entries(tracks, list(page.object_list))


def revert_preview(track: HistoryTrack, record) -> tuple[Entry, list[FieldChange]]:
    """The chosen version as a history entry, and what reverting to it would change (now → then)."""
    model = track.model
    latest = model.history.filter(id=record.id).order_by("-history_date", "-history_id").first()
    labels = _related_labels([track], [record] + ([latest] if latest is not None else []))
    current = model._default_manager.filter(pk=record.id).values_list("version", flat=True).first()
    entry = Entry(
        track=track,
        record=record,
        what=_describe(track, record, labels),
        who=_who(record),
        change_type=CHANGE_TYPES[record.history_type],
        exists=current is not None,
        current_version=current,
    )
    return entry, (_changes(model, record, latest, labels) if latest is not None else [])


def _entries(tracks, rows) -> list[Entry]:
    if not rows:
        return []
    wanted = defaultdict(set)
    objects = defaultdict(set)
    for _date, history_id, object_id, track_no in rows:
        wanted[track_no].add(history_id)
        objects[track_no].add(object_id)
    newest = max(row[0] for row in rows)

    records, previous, current = {}, {}, {}
    for track_no, object_ids in objects.items():
        model = tracks[track_no].model
        # Every version of the page's rows up to the newest entry shown: the entries and what they changed from.
        versions = (
            model.history.filter(id__in=object_ids, history_date__lte=newest)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        last_by_object = {}
        for record in versions:
            if record.history_id in wanted[track_no]:
                records[(track_no, record.history_id)] = record
                previous[(track_no, record.history_id)] = last_by_object.get(record.id)
            last_by_object[record.id] = record
        current[track_no] = dict(model._default_manager.filter(pk__in=object_ids).values_list("pk", "version"))

    labels = _related_labels(tracks, list(records.values()) + [p for p in previous.values() if p is not None])
    entries = []
    for _date, history_id, object_id, track_no in rows:
        track = tracks[track_no]
        record = records[(track_no, history_id)]
        versions = current[track_no]
        entries.append(
            Entry(
                track=track,
                record=record,
                what=_describe(track, record, labels),
                who=_who(record),
                change_type=CHANGE_TYPES[record.history_type],
                changes=_changes(track.model, record, previous[(track_no, history_id)], labels),
                exists=object_id in versions,
                current_version=versions.get(object_id),
            )
        )
    return entries


def _who(record) -> str:
    if record.history_user is not None:
        return record.history_user.get_username()
    if record.history_change_reason == SEED_CHANGE_REASON:
        return "load_kb"
    return gettext("system")


def _describe(track: HistoryTrack, record, labels) -> str:
    if track.describe is not None:
        return track.describe(record, labels)
    translated = translated_fields(track.model)
    for name in ("title", "text"):
        if name in translated:
            return localized(record, name, get_language())
        if hasattr(record, name):
            return getattr(record, name)
    return str(record.id)


def _tracked_fields(model, record) -> list:
    """History columns worth showing, in the model's order; a translated field's plain column only mirrors one
    language, so it is left out for its _en/_nb columns."""
    mirrored = translated_fields(model)
    own = {mf.name for mf in model._meta.fields}
    fields = [
        f
        for f in record._meta.fields
        if f.name not in HIDDEN_FIELDS
        and f.name not in mirrored
        and not f.name.startswith("history_")
        and f.name in own
    ]
    return sorted(fields, key=lambda f: f.name in CITATION_FIELDS)


def _changes(model, record, before, labels) -> list[FieldChange]:
    fields = _tracked_fields(model, record)
    if record.history_type == "-":
        return []
    if before is None:
        names = [f.name for f in fields if getattr(record, f.attname) not in (None, "", False)]
    else:
        # Compared field by field: simple-history's diff_against skips fields that are not editable
        # in forms (a role's published_at), and then fails on them.
        names = [f.name for f in fields if getattr(record, f.attname) != getattr(before, f.attname)]
    by_name = {f.name: f for f in fields}
    changes = []
    for name in names:
        model_field = by_name[name]
        base, language = split_language(name, model)
        changes.append(
            FieldChange(
                label=str(model._meta.get_field(base).verbose_name).capitalize(),
                language=language,
                language_name=str(LANGUAGE_NAMES[language]) if language else None,
                old=_display(model_field, getattr(before, model_field.attname) if before else None, labels),
                new=_display(model_field, getattr(record, model_field.attname), labels),
            )
        )
    return changes


def choice_label(model_field, value) -> str:
    return str(dict(model_field.flatchoices).get(value, value))


def _display(model_field, value, labels) -> str:
    if value is None or value == "":
        return ""
    if isinstance(model_field, ForeignKey):
        return labels.get((model_field.related_model, value), gettext("#%(id)s (deleted)") % {"id": value})
    if model_field.choices:
        return choice_label(model_field, value)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    # Dates read as everywhere else on the site, in the page's language and local time.
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def _related_labels(tracks, records) -> dict:
    """Names of the rows the diffs point at (sources, roles, categories), one query per model."""
    ids = defaultdict(set)
    for record in records:
        for f in record._meta.fields:
            if isinstance(f, ForeignKey) and not f.name.startswith("history_"):
                value = getattr(record, f.attname)
                if value is not None:
                    ids[f.related_model].add(value)
    labels = {}
    for model, pks in ids.items():
        for obj in model._default_manager.filter(pk__in=pks):
            labels[(model, obj.pk)] = str(obj)
    return labels
