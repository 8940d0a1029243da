from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("forum", "0008_notification_message"), ("moderation", "0008_notice_points_to_notification")]

    operations = [migrations.RemoveField(model_name="notification", name="notice")]
