from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("forum.urls")),
]

handler403 = "forum.views.permission_denied"
handler404 = "forum.views.page_not_found"
