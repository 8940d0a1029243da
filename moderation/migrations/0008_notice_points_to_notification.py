"""The inbox item now carries a moderation message itself, and the Notice points to it
(forum no longer points up at moderation). Suspension now belongs to accounts
(accounts/migrations/0004); its table stays."""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Notification = apps.get_model("forum", "Notification")
    Notice = apps.get_model("moderation", "Notice")
    for notification in Notification.objects.filter(notice__isnull=False).select_related("notice"):
        notice = notification.notice
        notification.message = notice.message
        notification.reason = notice.reason
        if notification.read_at is None and notice.read_at is not None:
            notification.read_at = notice.read_at
        notification.save(update_fields=["message", "reason", "read_at"])
        Notice.objects.filter(pk=notice.pk).update(notification=notification)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0007_crisisresource_moves_to_safety"),
        ("forum", "0008_notification_message"),
        ("accounts", "0004_member_standing"),
    ]

    operations = [
        migrations.AddField(
            model_name="notice",
            name="notification",
            field=models.OneToOneField(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                to="forum.notification",
            ),
        ),
        migrations.RunPython(copy_links, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Suspension")], database_operations=[]
        ),
        migrations.RemoveIndex(model_name="notice", name="notice_unread"),
        migrations.RemoveField(model_name="notice", name="read_at"),
    ]
