from django.urls import path

from . import member_views, views

app_name = "accounts"

urlpatterns = [
    path("settings/", views.settings_view, name="settings"),
    path("language/", views.language_choose, name="language"),
    path("settings/comfort-mode/", views.comfort_mode_switch, name="comfort"),
    path("settings/my-data/", member_views.data_download, name="data_download"),
    path("settings/delete-account/", member_views.account_delete, name="delete"),
]
