"""What each name looks like (accounts/names.py), so signup can refuse lookalikes of any
member's name. Former members' earlier names were erased before this existed, so they
have no keys; from now on a former member keeps the keys of the name they had."""

from django.db import migrations, models

from accounts import names


def fill_keys(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(is_former=False).only("pk", "username").iterator():
        key, folded = names.name_keys(user.username)
        User.objects.filter(pk=user.pk).update(name_key=key, name_key_folded=folded)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_comfort_mode")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="name_key",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="user",
            name="name_key_folded",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=False),
    ]
