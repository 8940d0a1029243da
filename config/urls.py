from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from moderation.urls import member_urlpatterns

# The admin signs in through allauth's login, with its limit on failed attempts and its
# two-factor step; the admin's own form signs nobody in.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    # The page scripts' own strings, in the reader's language.
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["accounts", "forum", "safety", "moderation"]),
        name="javascript-catalog",
    ),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("modmail.urls")),  # /messages/ and /moderation/messages/
    path("moderation/", include("moderation.urls")),
    path("", include((member_urlpatterns, "member_moderation"))),
    path("", include("safety.urls")),
    path("", include("accounts.urls")),
    path("", include("forum.urls")),
]

# Every error page shows the crisis lines, whatever else is down (safety/errors.py).
handler400 = "safety.errors.bad_request"
handler403 = "safety.errors.permission_denied"
handler404 = "safety.errors.page_not_found"
handler500 = "safety.errors.server_error"
