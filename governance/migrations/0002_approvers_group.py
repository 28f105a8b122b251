from django.db import migrations


def create_approvers_group(apps, schema_editor):
    # Approvers review and publish drafts; what they may edit comes from the Editors group if they are in it.
    apps.get_model("auth", "Group").objects.get_or_create(name="Approvers")


def remove_approvers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Approvers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("governance", "0001_drafts_and_publications"),
    ]

    operations = [migrations.RunPython(create_approvers_group, remove_approvers_group)]
