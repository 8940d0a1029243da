from django.contrib import admin
from django.urls import include, path

from forum.privacy import robots_txt
from moderation.urls import member_urlpatterns

urlpatterns = [
    path("robots.txt", robots_txt, name="robots_txt"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("moderation/", include("moderation.urls")),
    path("", include((member_urlpatterns, "member_moderation"))),
    path("", include("safety.urls")),
    path("", include("accounts.urls")),
    path("", include("forum.urls")),
]

handler403 = "forum.views.permission_denied"
handler404 = "forum.views.page_not_found"
