"""The admin for watched words, reports, suspensions, the queue and the log (read-only).
Changes made here go through the moderation services or write a log row, so the
moderation log stays complete."""

from django.contrib import admin, messages

from . import services
from .services import rules
from .models import LogEntry, Report, ReviewItem, Suspension, WatchedWord


@admin.register(WatchedWord)
class WatchedWordAdmin(admin.ModelAdmin):
    """For staff. Moderators edit rules at /moderation/rules/; both go through
    moderation.services.rules, which checks the pattern and logs the change."""

    list_display = ("name", "action", "match_type", "enabled", "updated_at")
    list_filter = ("action", "match_type", "enabled")
    search_fields = ("name", "pattern")
    fields = rules.WATCHED_WORD_FIELDS

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in rules.WATCHED_WORD_FIELDS if name in form.cleaned_data}
        if change:
            saved = rules.watched_word_update(actor=request.user, rule=obj, **values)
        else:
            saved = rules.watched_word_create(actor=request.user, **values)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        rules.watched_word_delete(actor=request.user, rule=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("post", "reason", "reporter", "created_at", "item")
    list_filter = ("reason",)
    readonly_fields = ("post", "reporter", "reason", "note", "created_at", "item")
    actions = ["dismiss_reports"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Dismiss the open review items of the selected reports")
    def dismiss_reports(self, request, queryset):
        items = ReviewItem.objects.filter(reports__in=queryset, status=ReviewItem.Status.OPEN).distinct()
        for item in items:
            services.report_dismiss(actor=request.user, item=item, reason="Dismissed in the admin.")
        self.message_user(request, f"Dismissed {len(items)} item(s).", messages.SUCCESS)


@admin.register(Suspension)
class SuspensionAdmin(admin.ModelAdmin):
    list_display = ("member", "ends_at", "created_by_name", "lifted_at", "reason")
    list_filter = ("lifted_at",)
    raw_id_fields = ("member",)
    fields = ("member", "reason", "ends_at")
    actions = ["lift"]

    def get_readonly_fields(self, request, obj=None):
        return ("member", "reason", "ends_at") if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            return  # suspensions are changed by lifting them, never edited
        from django.utils import timezone

        suspension = services.member_suspend(
            actor=request.user, member=obj.member, reason=obj.reason, duration=obj.ends_at - timezone.now()
        )
        obj.pk = suspension.pk

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Lift the selected suspensions")
    def lift(self, request, queryset):
        for suspension in queryset.filter(lifted_at__isnull=True):
            services.member_unsuspend(actor=request.user, member=suspension.member, reason="Lifted in the admin.")


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "priority", "status", "post", "claimed_by_name", "created_at")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in ReviewItem._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """Append-only: nobody edits or deletes history, not even here."""

    list_display = ("created_at", "actor_name", "action", "target_type", "target_id", "target_user", "reason")
    list_filter = ("action", "target_type")
    search_fields = ("actor_name", "reason")
    readonly_fields = [f.name for f in LogEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD")

    def has_delete_permission(self, request, obj=None):
        return False
