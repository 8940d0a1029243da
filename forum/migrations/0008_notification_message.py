from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("forum", "0007_post_changed_at")]

    operations = [
        migrations.AddField(model_name="notification", name="message", field=models.TextField(blank=True)),
        migrations.AddField(model_name="notification", name="reason", field=models.TextField(blank=True)),
        migrations.AlterField(model_name="postrevision", name="reason", field=models.TextField(blank=True)),
    ]
