"""Crisis lines in the admin. Every page shows them from the cache; saving clears it."""

from django.contrib import admin

from . import resources as crisis_resources
from .models import CrisisResource


@admin.register(CrisisResource)
class CrisisResourceAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "is_primary", "call_number", "text_number", "text_keyword", "hours", "position")
    list_filter = ("region", "is_primary")
    list_editable = ("position",)
    search_fields = ("name", "description", "region")
    ordering = ("region", "position", "name")
    fieldsets = (
        (None, {"fields": ("region", "name", "description", "is_primary", "emergency_number", "position")}),
        ("How to reach it", {"fields": ("call_number", "text_number", "text_keyword", "chat_url", "web_url")}),
        ("Details", {"fields": ("hours", "languages", "source")}),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        crisis_resources.resources_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        crisis_resources.resources_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        crisis_resources.resources_changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        crisis_resources.resources_changed()
