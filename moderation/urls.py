from django.urls import path, re_path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/bulk/", views.bulk, name="bulk"),
    path("items/<int:pk>/opened/", views.item_opened, name="item_opened"),
    path("shift/restart/", views.shift_restart, name="shift_restart"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("log/", views.log, name="log"),
    path("guide/", views.guide, name="guide"),
    path("on-call/", views.on_call, name="on_call"),
    re_path(r"^(?P<target>post|thread|member|item)/(?P<pk>[0-9]+)/(?P<name>[a-z_]+)/$", views.action, name="action"),
]

# Pages for every member, outside /moderation/.
member_urlpatterns = [
    path("report/<int:pk>/", views.report, name="report"),
    path("notices/", views.notices, name="notices"),
]
