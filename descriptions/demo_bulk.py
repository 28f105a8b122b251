"""Fast inserts for the demo organisation: its rows as plain tuples, their history copied by the database.

Why not ``bulk_create_with_history``: at 10,000 roles the demo writes ~200,000 rows and as many
history records. Through the ORM each of them is a model instance (two, with its history record)
whose every field is prepared one by one, sent in multi-row INSERTs of 500 — about a minute of
Python before the database did any work. Here a row is a dict of the fields the demo sets, turned
into one tuple per row; PostgreSQL receives each table in one ``COPY``, SQLite one prepared INSERT
executed for every row; and each history record is copied from its new row by the database itself
(``INSERT … SELECT``), so the history holds exactly what was stored.

What stays as the ORM did it:

* every column gets the value ``bulk_create`` would have written: a field the row does not set
  takes its default, and the plain column of a translated field (``title`` beside ``title_en`` and
  ``title_nb``) holds what modeltranslation would read in the active language, falling back as it does;
* rows get their ids from the table's sequence in the order given, so the ids are the ones
  ``bulk_create`` would have given;
* one "created" history record per row (``+``, the given change reason, no user) with every tracked
  column, ids in the order of the rows;
* the database's own triggers see every row: on PostgreSQL ``COPY FROM`` fires the statement-level
  INSERT triggers with their transition tables (the search word list), on SQLite the per-row
  triggers fill the full-text indexes and the word list.

Like ``bulk_create``, nothing here validates a row, sends a signal or bumps a version: this is for
a bulk writer that builds rows known to be valid and bumps the knowledge base's version itself
(``descriptions.demo``).
"""

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import get_language
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import resolution_order


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def _translated(model: type[models.Model]) -> dict[str, list[str]]:
    """Plain field name -> its language columns, in the order modeltranslation reads them now."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return {}
    result = {}
    for name in options.all_fields:
        descriptor = model.__dict__[name]
        order = resolution_order(get_language(), descriptor.fallback_languages)
        result[name] = [f"{name}_{language}" for language in order]
    return result


def _tuples(model: type[models.Model], rows: list[dict]) -> tuple[list[str], list[tuple]]:
    """The columns of ``model`` (its id aside) and each row's values for them, as ``bulk_create`` writes them."""
    fields = _fields(model)
    translated = _translated(model)
    getters = []
    for field in fields:
        default = field.get_default()
        if field.name in translated:
            # modeltranslation's descriptor: the first language value that is neither None nor the default
            getters.append(
                lambda row, names=translated[field.name], default=default: next(
                    (value for name in names if (value := row.get(name)) is not None and value != default), default
                )
            )
        else:
            getters.append(lambda row, name=field.attname, default=default: row.get(name, default))
    known = {field.attname for field in fields}
    for row in rows:
        unknown = row.keys() - known
        if unknown:
            raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
        break
    return [field.attname if field.column is None else field.column for field in fields], [
        tuple(get(row) for get in getters) for row in rows
    ]


def _insert(table: str, columns: list[str], values: list[tuple]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders})", values)  # noqa: S608 - identifiers from the model's metadata


def create_with_history(model: type[models.Model], rows: list[dict], *, seed_prefix: str, change_reason: str) -> int:
    """Insert ``rows`` (dicts of field attnames) into ``model``'s table with one history record each.

    ``seed_prefix`` starts the seed key of every row given (and of no other row written since this
    call began): the new rows are those past the table's highest id with that prefix. Returns the
    number of rows inserted.
    """
    if not rows:
        return 0
    if "%" in seed_prefix or "_" in seed_prefix:
        raise ValueError("The seed prefix is matched with LIKE: no wildcards in it, please.")
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX({quote('id')}), 0) FROM {table}")  # noqa: S608 - identifiers from the model's metadata
        (highest,) = cursor.fetchone()
    columns, values = _tuples(model, rows)
    _insert(model._meta.db_table, columns, values)

    history = model.history.model  # type: ignore[attr-defined]  # registered at start-up (knowledge.history)
    tracked = ", ".join(quote(field.column) for field in history.tracked_fields)
    marks = ", ".join(
        quote(name) for name in ("history_date", "history_change_reason", "history_type", "history_user_id")
    )
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({tracked}, {marks}) "  # noqa: S608 - identifiers from the models' metadata
            f"SELECT {tracked}, %s, %s, '+', NULL FROM {table} "
            f"WHERE {quote('id')} > %s AND {quote('seed_key')} LIKE %s ORDER BY {quote('id')}",
            [when, change_reason, highest, f"{seed_prefix}%"],
        )
    return len(values)
