"""CrisisResource now belongs to the safety app (safety/migrations/0001); the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("moderation", "0006_starting_watched_words"), ("safety", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CrisisResource")], database_operations=[]
        )
    ]
