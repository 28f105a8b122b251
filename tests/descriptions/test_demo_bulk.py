"""The demo's bulk path (COPY / executemany, history copied in SQL) writes what bulk_create_with_history wrote."""

import json

from django.db import connection
from simple_history.utils import bulk_create_with_history

from descriptions import demo_bulk
from descriptions.demo import generate_demo_org
from responsibilities.models import Activity, Assignment, Duty
from roles.models import Qualification, ReportingLine, Role, RoleFact, RoleTitle
from search.sqlite_schema import DOCUMENTS, fts_table, words_of

MODELS = (Role, RoleTitle, RoleFact, Qualification, ReportingLine, Duty, Activity, Assignment)
# Foreign keys to demo rows, whose ids differ from one build to the next: compared by the seed key they point at.
POINTERS = {"role_id": Role, "subordinate_id": Role, "superior_id": Role, "activity_id": Activity}
HISTORY_ONLY = {"history_id", "history_date"}


def orm_create_with_history(model, rows, *, seed_prefix, change_reason):
    """The demo's writes as they were: model instances through bulk_create_with_history."""
    bulk_create_with_history([model(**row) for row in rows], model, batch_size=500, default_change_reason=change_reason)
    return len(rows)


def demo_contents():
    """Every demo row and history record, field by field, with ids replaced by the seed keys they stand for."""
    keys = {model: dict(model.objects.values_list("pk", "seed_key")) for model in set(POINTERS.values())}

    def portable(values):
        for name, model in POINTERS.items():
            if name in values:
                values[name] = keys[model].get(values[name])
        values.pop("id")
        return tuple(sorted(values.items(), key=lambda item: item[0]))

    contents = {}
    for model in MODELS:
        rows = model.objects.filter(seed_key__startswith="demo:").values()
        history = model.history.filter(seed_key__startswith="demo:").values()
        contents[model.__name__] = sorted(portable(values) for values in rows)
        contents[f"history of {model.__name__}"] = sorted(
            portable({name: value for name, value in values.items() if name not in HISTORY_ONLY}) for values in history
        )
    return contents


def test_the_bulk_path_writes_the_rows_and_history_the_orm_wrote(kb, monkeypatch):
    generate_demo_org(45)
    bulk = demo_contents()
    generate_demo_org(0)

    monkeypatch.setattr(demo_bulk, "create_with_history", orm_create_with_history)
    generate_demo_org(45)
    orm = demo_contents()

    assert {name: len(rows) for name, rows in bulk.items()} == {name: len(rows) for name, rows in orm.items()}
    assert len(bulk["Role"]) == 45 and len(bulk["Duty"]) == 450 and bulk["Assignment"]
    for name in orm:
        assert bulk[name] == orm[name], name


def test_growing_the_bulk_built_org_matches_building_it_at_once(kb, monkeypatch):
    generate_demo_org(20)
    generate_demo_org(70)
    grown = demo_contents()
    generate_demo_org(0)

    monkeypatch.setattr(demo_bulk, "create_with_history", orm_create_with_history)
    generate_demo_org(70)

    assert grown == demo_contents()


def test_every_demo_row_has_one_created_record_with_its_values(kb):
    generate_demo_org(30)

    for model in MODELS:
        fields = [field.attname for field in model.history.model.tracked_fields]
        rows = set(model.objects.filter(seed_key__startswith="demo:").values_list(*fields))
        history = model.history.filter(seed_key__startswith="demo:")
        assert rows and set(history.values_list(*fields)) == rows
        assert history.count() == len(rows)
        assert set(history.values_list("history_type", "history_change_reason", "history_user")) == {
            ("+", "Generated demo organisation", None)
        }


def _listed_words() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute('SELECT "word" FROM "search_word"')
        return {word for (word,) in cursor.fetchall()}


def _missing_words_postgresql(table: str, columns: tuple[str, ...]) -> list[str]:
    text = "concat_ws(' ', " + ", ".join(f'"{column}"' for column in columns) + ")"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT found.word FROM "  # noqa: S608 - fixed identifiers
            f"\"{table}\", unnest(tsvector_to_array(to_tsvector('simple'::regconfig, {text}))) AS found(word) "
            "WHERE length(found.word) >= 3 AND \"seed_key\" LIKE 'demo:%%' "
            'AND NOT EXISTS (SELECT FROM "search_word" AS listed WHERE listed."word" = found.word)'
        )
        return [word for (word,) in cursor.fetchall()]


def test_the_search_indexes_hold_every_word_of_the_bulk_loaded_rows(kb):
    generate_demo_org(60)

    listed = _listed_words()
    assert {"fjordby", "kardiologi", "cardiology"} <= listed  # words only the demo has
    for table, columns in DOCUMENTS.items():
        if table in ("responsibilities_dutycategory", "roles_reportingline"):
            continue  # no demo rows, or none with words (demo lines have no note)
        if connection.vendor == "postgresql":
            assert _missing_words_postgresql(table, columns) == [], table
        else:
            with connection.cursor() as cursor:
                names = ", ".join(f'"{column}"' for column in columns)
                cursor.execute(f'SELECT {names} FROM "{table}" WHERE "seed_key" LIKE %s', ["demo:%"])  # noqa: S608
                words = {word for row in cursor.fetchall() for word in json.loads(words_of(*row))}
            assert words and words <= listed, table
    if connection.vendor == "sqlite":  # and the full-text index of every row
        fjordby = Role.objects.filter(seed_key__startswith="demo:", title_en__contains="Fjordby").count()
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT count(*) FROM "{fts_table("roles_role")}" WHERE "{fts_table("roles_role")}" MATCH %s',  # noqa: S608 - fixed identifiers
                ["fjordby"],
            )
            assert cursor.fetchone() == (fjordby,)
        assert fjordby > 10
