from django.db import migrations

MODERATION_PERMISSIONS = [("moderate", "Can moderate the forum")]


def create_moderators_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="moderation", model="logentry")
    group, _ = Group.objects.get_or_create(name="Moderators")
    for codename, name in MODERATION_PERMISSIONS:
        permission, _ = Permission.objects.get_or_create(
            codename=codename, content_type=content_type, defaults={"name": name}
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_moderators_group, migrations.RunPython.noop)]
