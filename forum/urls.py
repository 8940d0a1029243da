from django.urls import path

from . import block_views, compose_views, feeds, follow_views, search_views, views

app_name = "forum"

urlpatterns = [
    path("", views.home, name="home"),
    # Forum-wide lists and starting a thread from anywhere (issue 16).
    path("latest/", views.thread_list, {"kind": "latest"}, name="latest"),
    path("new/", views.thread_list, {"kind": "new"}, name="new"),
    path("unread/", views.thread_list, {"kind": "unread"}, name="unread"),
    path("start/", views.start_thread, name="start_thread"),
    # The composer: drafts kept on the server, preview, @mention suggestions.
    path("drafts/", compose_views.draft_show, name="draft_show"),
    path("drafts/save/", compose_views.draft_save, name="draft_save"),
    path("drafts/discard/", compose_views.draft_discard, name="draft_discard"),
    path("preview/", compose_views.preview, name="preview"),
    path("mentions/suggest/", compose_views.mention_suggestions, name="mention_suggestions"),
    path("members/<str:username>/block/", block_views.member_block, name="member_block"),
    path("members/<str:username>/unblock/", block_views.member_unblock, name="member_unblock"),
    path("c/<slug:slug>/", views.category_detail, name="category"),
    path("c/<slug:slug>/new/", views.thread_create, name="thread_create"),
    path("c/<slug:slug>/feed/", feeds.CategoryFeed(), name="category_feed"),
    path("t/<int:pk>/", views.thread_detail, name="thread"),
    path("t/<int:pk>/reply/", views.reply_create, name="reply"),
    path("t/<int:pk>/posts/", views.thread_posts_after, name="thread_posts_after"),
    path("t/<int:pk>/feed/", feeds.ThreadFeed(), name="thread_feed"),
    path("search/", search_views.search_view, name="search"),
    path("members/<str:username>/", views.member_profile, name="profile"),
    path("p/<int:pk>/", views.post_permalink, name="post"),
    path("p/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("p/<int:pk>/safe/", views.post_safe, name="post_safe"),
    # Following, notifications and reactions (issue 6).
    path("t/<int:pk>/follow/", follow_views.thread_follow, name="thread_follow"),
    path("c/<slug:slug>/watch/", follow_views.category_watch, name="category_watch"),
    path("p/<int:pk>/react/", follow_views.post_react, name="post_react"),
    path("inbox/", follow_views.inbox, name="inbox"),
    path("inbox/read/", follow_views.inbox_mark_read, name="inbox_mark_read"),
    path("inbox/<int:pk>/open/", follow_views.inbox_open, name="inbox_open"),
]
