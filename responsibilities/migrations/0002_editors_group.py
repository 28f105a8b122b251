from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = {
    "roles": ["source", "role", "roletitle", "rolefact", "qualification", "reportingline"],
    "responsibilities": ["dutycategory", "duty"],
}


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; editors need them now.
    for app_label in CONTENT_MODELS:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    for app_label, models in CONTENT_MODELS.items():
        for action in ("add", "change", "delete", "view"):
            editors.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=[f"{action}_{m}" for m in models]
                )
            )


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("roles", "0001_initial"),
        ("responsibilities", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
