from django.urls import path

from . import feeds, follow_views, search_views, views

app_name = "forum"

urlpatterns = [
    path("", views.home, name="home"),
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
