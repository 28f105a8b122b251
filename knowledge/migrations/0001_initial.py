"""Sources and the knowledge-base version move here from the roles app, rows and history included.

The tables keep their names (``roles_source``, ``roles_historicalsource``,
``roles_knowledgebasestate``), so this changes only Django's state: no row is copied and
every history entry, id and foreign key stays as it was. Content types and the
permissions that hang off them (the Editors group's rights on sources) are relabelled.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED = ("source", "historicalsource", "knowledgebasestate")


def relabel_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if ContentType.objects.filter(app_label="knowledge", model=model).exists():
            continue
        ContentType.objects.filter(app_label="roles", model=model).update(app_label="knowledge")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="knowledge", model__in=MOVED).update(app_label="roles")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("roles", "0002_knowledgebasestate"),
        # The Editors group's rights on sources are created there, under the roles app; relabelled here.
        ("responsibilities", "0002_editors_group"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Source",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="version")),
                        (
                            "seed_key",
                            models.CharField(blank=True, editable=False, max_length=120, null=True, unique=True),
                        ),
                        ("seed_digest", models.CharField(blank=True, editable=False, max_length=64)),
                        ("slug", models.SlugField(max_length=80, unique=True, verbose_name="slug")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        (
                            "language",
                            models.CharField(
                                choices=[("en", "English"), ("nb", "Norwegian Bokmål")],
                                max_length=2,
                                verbose_name="language",
                            ),
                        ),
                        ("text", models.TextField(verbose_name="full text")),
                    ],
                    options={
                        "verbose_name": "source",
                        "verbose_name_plural": "sources",
                        "db_table": "roles_source",
                        "ordering": ["slug"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalSource",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                        ),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="version")),
                        (
                            "seed_key",
                            models.CharField(blank=True, db_index=True, editable=False, max_length=120, null=True),
                        ),
                        ("slug", models.SlugField(max_length=80, verbose_name="slug")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        (
                            "language",
                            models.CharField(
                                choices=[("en", "English"), ("nb", "Norwegian Bokmål")],
                                max_length=2,
                                verbose_name="language",
                            ),
                        ),
                        ("text", models.TextField(verbose_name="full text")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical source",
                        "verbose_name_plural": "historical sources",
                        "db_table": "roles_historicalsource",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="KnowledgeBaseState",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("version", models.PositiveBigIntegerField(default=1, verbose_name="version")),
                        ("changed_at", models.DateTimeField(auto_now=True, verbose_name="changed at")),
                    ],
                    options={
                        "verbose_name": "knowledge base state",
                        "verbose_name_plural": "knowledge base state",
                        "db_table": "roles_knowledgebasestate",
                    },
                ),
            ],
        ),
        migrations.RunPython(relabel_content_types, restore_content_types),
    ]
