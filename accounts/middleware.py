from django.utils import translation


class MemberLanguageMiddleware:
    """A member's own language setting wins over the footer's cookie and the browser's
    Accept-Language (which django.middleware.locale.LocaleMiddleware reads first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = getattr(request.user, "language", "") if request.user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
