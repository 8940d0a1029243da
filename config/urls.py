from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from moderation.urls import member_urlpatterns

# The admin signs in through allauth's login, with its limit on failed attempts and its
# two-factor step; the admin's own form signs nobody in.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
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
