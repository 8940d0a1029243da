from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_member_standing"), ("moderation", "0008_notice_points_to_notification")]

    operations = [migrations.AlterModelTable(name="Suspension", table=None)]
