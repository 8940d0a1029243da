from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "date_joined", "post_count", "is_staff", "is_former")
    list_filter = ("is_staff", "is_superuser", "is_active", "is_former", "groups")
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Forum"), {"fields": ("post_count", "region", "guidelines_accepted_at", "is_former")}),
    )
    readonly_fields = ("post_count",)
