from django.urls import path

from . import views

app_name = "forum"

urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:slug>/", views.category_detail, name="category"),
    path("c/<slug:slug>/new/", views.thread_create, name="thread_create"),
    path("t/<int:pk>/", views.thread_detail, name="thread"),
    path("t/<int:pk>/reply/", views.reply_create, name="reply"),
    path("t/<int:pk>/posts/", views.thread_posts_after, name="thread_posts_after"),
    path("p/<int:pk>/", views.post_permalink, name="post"),
    path("p/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:pk>/delete/", views.post_delete, name="post_delete"),
]
