from django.contrib import admin

from .markup import render
from .models import Category, Post, PostRevision, Thread


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position", "members_only")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "description", "safety_notice", "position", "members_only")

    def save_model(self, request, obj, form, change):
        obj.safety_notice_html = render(obj.safety_notice)
        super().save_model(request, obj, form, change)


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "author", "status", "reply_count", "pinned", "locked", "last_activity_at")
    list_filter = ("status", "category", "pinned", "locked")
    search_fields = ("title",)
    raw_id_fields = ("author",)
    readonly_fields = ("reply_count", "created_at", "last_activity_at")


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
