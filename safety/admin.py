"""Crisis lines in the admin: read-only. Moderators add, change and take off lines at
/moderation/rules/crisis-lines/, through moderation.services.rules, which requires a
source, logs every change and clears the cache every page reads the lines from. The
admin cannot do that from here (safety sits below moderation), so it only shows them."""

from django.contrib import admin

from .models import CrisisResource


@admin.register(CrisisResource)
class CrisisResourceAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "is_primary", "call_number", "text_number", "text_keyword", "hours", "position")
    list_filter = ("region", "is_primary")
    search_fields = ("name", "description", "region")
    ordering = ("region", "position", "name")
    fieldsets = (
        (None, {"fields": ("region", "name", "name_fr", "description", "description_fr", "is_primary",
                           "emergency_number", "position")}),
        ("How to reach it", {"fields": ("call_number", "text_number", "text_keyword", "chat_url", "web_url")}),
        ("Details", {"fields": ("hours", "languages", "source")}),
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # staff can still read it (view permission); lines change in /moderation/

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in CrisisResource._meta.fields]
