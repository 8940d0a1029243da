from django.urls import path, re_path

from . import member_views, views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/bulk/", views.bulk, name="bulk"),
    path("items/<int:pk>/opened/", views.item_opened, name="item_opened"),
    path("shift/restart/", views.shift_restart, name="shift_restart"),
    path("members/<int:pk>/", member_views.member_detail, name="member"),
    path("log/", member_views.log, name="log"),
    path("guide/", views.guide, name="guide"),
    path("on-call/", views.on_call, name="on_call"),
    path("members/<int:pk>/notes/", member_views.member_note_add, name="member_note_add"),
    path("members/<int:pk>/silence/", member_views.member_silence, name="member_silence"),
    path("members/<int:pk>/suspend/", member_views.member_suspend, name="member_suspend"),
    path("members/<int:pk>/ban/", member_views.member_ban, name="member_ban"),
    path("members/<int:pk>/remove-spammer/", member_views.member_remove_spammer, name="member_remove_spammer"),
    path("members/<int:pk>/lift/", member_views.member_lift, name="member_lift"),
    re_path(r"^(?P<target>post|thread|member|item)/(?P<pk>[0-9]+)/(?P<name>[a-z_]+)/$", views.action, name="action"),
]

# Pages for every member, outside /moderation/.
member_urlpatterns = [
    path("report/<int:pk>/", views.report, name="report"),
    path("notices/", views.notices, name="notices"),
]

# The rules moderators manage without the admin (moderation/rules_views.py).
from . import rules_views  # noqa: E402

urlpatterns += [
    path("rules/", rules_views.watched_words, name="watched_words"),
    path("rules/words/new/", rules_views.watched_word_edit, name="watched_word_add"),
    path("rules/words/<int:pk>/", rules_views.watched_word_edit, name="watched_word"),
    path("rules/words/<int:pk>/enabled/", rules_views.watched_word_enabled, name="watched_word_enabled"),
    path("rules/crisis-lines/", rules_views.crisis_lines, name="crisis_lines"),
    path("rules/crisis-lines/new/", rules_views.crisis_line_edit, name="crisis_line_add"),
    path("rules/crisis-lines/<int:pk>/", rules_views.crisis_line_edit, name="crisis_line"),
    path("rules/crisis-lines/<int:pk>/delete/", rules_views.crisis_line_delete, name="crisis_line_delete"),
    path("rules/notices/", rules_views.category_notices, name="category_notices"),
    path("rules/notices/<int:pk>/", rules_views.category_notice_edit, name="category_notice"),
]
