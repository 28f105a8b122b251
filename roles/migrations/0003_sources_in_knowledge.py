"""Sources and the knowledge-base version now live in the knowledge app: state only.

Every ``source`` column keeps pointing at the same table (``roles_source``); see
``knowledge/migrations/0001_initial.py``.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0001_initial"),
        ("responsibilities", "0003_sources_in_knowledge"),
        ("roles", "0002_knowledgebasestate"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="role",
                    name="source",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="knowledge.source",
                        verbose_name="source",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalrole",
                    name="source",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="knowledge.source",
                        verbose_name="source",
                    ),
                ),
                migrations.AlterField(
                    model_name="roletitle",
                    name="source",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="knowledge.source",
                        verbose_name="source",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalroletitle",
                    name="source",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="knowledge.source",
                        verbose_name="source",
                    ),
                ),
                migrations.AlterField(
                    model_name="rolefact",
                    name="source",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="knowledge.source",
                        verbose_name="source",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalrolefact",
                    name="source",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="knowledge.source",
                        verbose_name="source",
                    ),
                ),
                migrations.AlterField(
                    model_name="qualification",
                    name="source",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="knowledge.source",
                        verbose_name="source",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalqualification",
                    name="source",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="knowledge.source",
                        verbose_name="source",
                    ),
                ),
                migrations.AlterField(
                    model_name="reportingline",
                    name="source",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="knowledge.source",
                        verbose_name="source",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalreportingline",
                    name="source",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="knowledge.source",
                        verbose_name="source",
                    ),
                ),
                migrations.DeleteModel(name="HistoricalSource"),
                migrations.DeleteModel(name="Source"),
                migrations.DeleteModel(name="KnowledgeBaseState"),
            ],
        ),
    ]
