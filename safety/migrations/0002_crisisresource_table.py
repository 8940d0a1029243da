from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("safety", "0001_initial"), ("moderation", "0007_crisisresource_moves_to_safety")]

    operations = [migrations.AlterModelTable(name="CrisisResource", table=None)]
