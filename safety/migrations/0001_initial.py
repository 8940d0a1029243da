"""CrisisResource moves from moderation to safety: the table and its rows stay; only
Django's idea of which app owns them changes here (0002 renames the table)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("moderation", "0006_starting_watched_words")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CrisisResource",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("region", models.CharField(help_text='ISO country code (CA, US, GB, IE, AU) or "international".', max_length=20)),
                        ("name", models.CharField(max_length=120)),
                        ("description", models.CharField(blank=True, help_text="Who it is for, in a few words.", max_length=200)),
                        ("call_number", models.CharField(blank=True, max_length=40)),
                        ("text_number", models.CharField(blank=True, max_length=40)),
                        ("text_keyword", models.CharField(blank=True, max_length=40)),
                        ("chat_url", models.URLField(blank=True)),
                        ("web_url", models.URLField(blank=True)),
                        ("hours", models.CharField(blank=True, max_length=60)),
                        ("languages", models.CharField(blank=True, max_length=120)),
                        ("is_primary", models.BooleanField(default=False)),
                        ("emergency_number", models.CharField(blank=True, help_text="The region's emergency number, on its primary line.", max_length=20)),
                        ("position", models.PositiveSmallIntegerField(default=0)),
                        ("source", models.CharField(blank=True, help_text="Where this was checked, and when.", max_length=200)),
                    ],
                    options={"ordering": ["region", "position", "name"], "db_table": "moderation_crisisresource"},
                ),
            ],
            database_operations=[],
        ),
    ]
