from django.contrib import admin

from .models import Category, Post, PostRevision, Thread


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Staff make categories here. Their notices are the moderators' to write, at
    /moderation/rules/notices/ (logged, and the threads' cached pages made stale), so the
    notice is read-only here."""

    list_display = ("name", "slug", "position", "members_only")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "name_fr", "slug", "description", "description_fr", "safety_notice", "safety_notice_fr",
              "position", "members_only")
    readonly_fields = ("safety_notice", "safety_notice_fr")


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    """Read-only here: threads are locked, pinned, moved, renamed and hidden from their
    own page by moderators, through the moderation services (logged, the author told,
    the cached pages made stale and readers updated live). An edit here would do none of that."""

    list_display = ("title", "category", "author", "status", "reply_count", "pinned", "locked", "last_activity_at")
    list_filter = ("status", "category", "pinned", "locked")
    search_fields = ("title",)
    readonly_fields = [f.name for f in Thread._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # staff can still read it (view permission)

    def has_delete_permission(self, request, obj=None):
        return False


class PostRevisionInline(admin.TabularInline):
    model = PostRevision
    extra = 0
    can_delete = False
    readonly_fields = ("body", "written_at", "replaced_at", "editor_name", "reason")
    fields = readonly_fields


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """Read-only here: posts change through the forum and moderation services."""

    list_display = ("pk", "thread", "author", "status", "created_at", "edited_at")
    list_filter = ("status",)
    search_fields = ("body",)
    inlines = [PostRevisionInline]
    readonly_fields = [f.name for f in Post._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
