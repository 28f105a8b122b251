"""The whole knowledge base in and out as deterministic JSON (export/import).

The JSON names rows by natural keys — slugs for sources, categories, roles and
activities, which the other rows point to — never database ids (a row without a slug,
such as a duty a matrix cell links to, is named by its place in its section:
``duties[12]``), and lists every row in a
stable order with sorted keys, so exporting twice (or exporting, importing into
an empty database and exporting again) gives the same bytes. History is not
included. Import validates every row with the model's own rules through the
shared write service, in one transaction: a bad file changes nothing.
"""

import datetime
import hashlib
import json

from django.db import transaction
from django.utils.translation import gettext as _

from . import services
from .contents import content_models, exchange, references
from .languages import translated_fields

FORMAT = "medical-roles-kb"
FORMAT_VERSION = 1
IMPORT_REASON = "Imported from a knowledge-base export"
REPLACE_REASON = "Replaced by an import of a knowledge-base export"


def sections() -> list[tuple[str, type, tuple[str, ...]]]:
    """(section name, model, the fields that order its rows) for every content model, in dependency order."""
    return [(exchange(model).section, model, exchange(model).order) for model in content_models()]


class ImportFailed(Exception):
    """The file cannot be imported; ``problems`` lists each, with where it is in the file."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


def exported_fields(model) -> list[str]:
    """The model's stored fields as they appear in the export: ids left out, each language separately."""
    skip = set(translated_fields(model)) | {"id"}
    return sorted(field.name for field in model._meta.concrete_fields if field.name not in skip)


def _reference(section: str, index: int) -> str:
    """How the export names a row that has no slug: its place in its section."""
    return f"{section}[{index}]"


def _row(instance, fields, foreign, places: dict) -> dict:
    row = {}
    for name in fields:
        if name in foreign:
            related = getattr(instance, name)
            if related is None:
                row[name] = None
            else:
                row[name] = related.slug if hasattr(related, "slug") else places[foreign[name]][related.pk]
        else:
            value = getattr(instance, name)
            row[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return row


def _sort_key(order):
    def key(row):
        # Numbers sort as numbers, everything else as text; the whole row breaks ties.
        prefix = tuple((0, row[name], "") if isinstance(row[name], int) else (1, 0, str(row[name])) for name in order)
        return prefix, json.dumps(row, sort_keys=True, ensure_ascii=False)

    return key


def export_data() -> dict:
    document = {"format": FORMAT, "format_version": FORMAT_VERSION}
    places: dict = {}  # model without a slug → {pk: its reference}
    for section, model, order in sections():
        fields = exported_fields(model)
        foreign = references(model)
        rows = [(_row(obj, fields, foreign, places), obj.pk) for obj in model.objects.select_related(*foreign)]
        key = _sort_key(order)
        rows.sort(key=lambda pair: key(pair[0]))
        document[section] = [row for row, _pk in rows]
        if "slug" not in fields:
            places[model] = {pk: _reference(section, index) for index, (_data, pk) in enumerate(rows)}
    return document


def export_json() -> str:
    return json.dumps(export_data(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def is_empty() -> bool:
    return not any(model.objects.exists() for _, model, _ in sections())


def _check_shape(document) -> list[str]:
    if not isinstance(document, dict):
        return [_("The file must hold a JSON object.")]
    problems = []
    if document.get("format") != FORMAT or document.get("format_version") != FORMAT_VERSION:
        problems.append(
            _("Not a knowledge-base export (expected format %(format)s version %(version)s).")
            % {"format": FORMAT, "version": FORMAT_VERSION}
        )
    expected = {"format", "format_version", *(section for section, _model, _order in sections())}
    for name in sorted(set(document) - expected):
        problems.append(_("Unknown section “%(name)s”.") % {"name": name})
    for section, model, _order in sections():
        # A section added since the file was made (e.g. sentence_marks) is empty in it.
        rows = document.setdefault(section, [])
        if not isinstance(rows, list):
            problems.append(_("“%(section)s” must be a list.") % {"section": section})
            continue
        fields = set(exported_fields(model))
        for index, row in enumerate(rows):
            where = f"{section}[{index}]"
            if not isinstance(row, dict):
                problems.append(_("%(where)s must be an object.") % {"where": where})
                continue
            for name in sorted(name for name in fields - set(row) if not _optional(model._meta.get_field(name))):
                problems.append(_("%(where)s lacks “%(name)s”.") % {"where": where, "name": name})
            for name in sorted(set(row) - fields):
                problems.append(_("%(where)s has an unknown field “%(name)s”.") % {"where": where, "name": name})
            for name in sorted(fields & set(row)):
                expected = _expected_type(model._meta.get_field(name), row[name])
                if expected is not None:
                    problems.append(
                        _("%(where)s: %(name)s must be %(expected)s.")
                        % {"where": where, "name": name, "expected": expected}
                    )
    return problems


def _expected_type(field, value) -> str | None:
    """What a field's value should have been in the JSON, if ``value`` is not that; else None.

    Checked before any row is written, so a number where text belongs (or an object, or true
    where a number belongs) is refused by name instead of being quietly turned into text.
    """
    if value is None:
        return None  # the model's own validation names a missing value
    if field.is_relation:
        return None if isinstance(value, str) else _("a slug (text)")
    internal = field.get_internal_type()
    if internal == "BooleanField":
        return None if isinstance(value, bool) else _("true or false")
    if internal.endswith("IntegerField"):
        return None if isinstance(value, int) and not isinstance(value, bool) else _("a whole number")
    if internal in ("CharField", "TextField", "SlugField"):
        return None if isinstance(value, str) else _("text")
    if internal == "DateField":
        return None if isinstance(value, str) else _("a date (YYYY-MM-DD)")
    return None


def _optional(field) -> bool:
    """A field an export may leave out (one made before the field existed): it has a default or may be empty."""
    return field.has_default() or field.null or field.blank


def _message_list(error) -> list[str]:
    if hasattr(error, "message_dict"):
        return [f"{field}: {message}" for field, messages in error.message_dict.items() for message in messages]
    return list(getattr(error, "messages", [str(error)]))


def _delete_everything() -> None:
    """Delete every content row through the write layer, rows before the rows they point to; history stays."""
    for _section, model, _order in reversed(sections()):
        for row in model.objects.order_by("pk"):
            services.content_delete(instance=row, user=None, expected_version=row.version, reason=REPLACE_REASON)


@transaction.atomic
def import_data(document, *, replace: bool = False) -> dict[str, int]:
    """Load an export into the database; refuses a non-empty database unless ``replace``.

    ``replace`` first deletes the current content through the write layer: each row's history stays,
    ending in its deletion, and a file that fails to import restores nothing of it (one transaction).

    Returns the number of rows created per section. Raises ``ImportFailed`` (changing nothing).
    """
    problems = _check_shape(document)
    if problems:
        raise ImportFailed(problems)
    if not is_empty():
        if not replace:
            raise ImportFailed([_("The database already holds knowledge-base content; use --replace to overwrite it.")])
        _delete_everything()

    by_slug: dict = {model: {} for _section, model, _order in sections()}
    counts = {}
    for section, model, _order in sections():
        foreign = references(model)
        for index, row in enumerate(document[section]):
            where = f"{section}[{index}]"
            data = dict(row)
            for name, related in foreign.items():
                slug = data[name]
                if slug is None:
                    continue
                target = by_slug[related].get(slug) if isinstance(slug, str) else None
                if target is None:
                    problems.append(
                        _("%(where)s: %(name)s “%(slug)s” is not in the file.")
                        % {"where": where, "name": name, "slug": slug}
                    )
                    break
                data[name] = target
            else:
                try:
                    instance = services.content_create(model=model, data=data, user=None, reason=IMPORT_REASON)
                except (services.ValidationError, TypeError, ValueError) as error:
                    problems.extend(f"{where}: {message}" for message in _message_list(error))
                    continue
                by_slug[model][getattr(instance, "slug", None) or _reference(section, index)] = instance
        counts[section] = len(document[section])
    if problems:
        raise ImportFailed(problems)
    return counts
