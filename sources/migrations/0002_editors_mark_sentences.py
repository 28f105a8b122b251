from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["sentencemark"]


def grant_editors(apps, schema_editor):
    # Permissions are normally created after all migrations; editors need them now.
    app_config = apps.get_app_config("sources")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    codenames = [f"{action}_{model}" for action in ("add", "change", "delete", "view") for model in MODELS]
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="sources", codename__in=codenames)
    )


def revoke_editors(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.remove(
            *Permission.objects.filter(content_type__app_label="sources", content_type__model__in=MODELS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0001_sentence_marks"),
        ("responsibilities", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant_editors, revoke_editors)]
