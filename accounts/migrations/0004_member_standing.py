"""Suspension moves from moderation to accounts: every layer asks whether a member may
post, so the record lives with the member. The table and rows stay (0005 renames it)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_notification_email"), ("moderation", "0007_crisisresource_moves_to_safety")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Suspension",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("reason", models.TextField()),
                        ("starts_at", models.DateTimeField(auto_now_add=True)),
                        ("ends_at", models.DateTimeField()),
                        ("created_by_name", models.CharField(max_length=150)),
                        ("lifted_at", models.DateTimeField(blank=True, null=True)),
                        ("lifted_by_name", models.CharField(blank=True, max_length=150)),
                        ("created_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("lifted_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("member", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="suspensions", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "ordering": ["-starts_at", "-pk"],
                        "db_table": "moderation_suspension",
                        "indexes": [models.Index(fields=["member", "lifted_at", "ends_at"], name="suspension_active")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
