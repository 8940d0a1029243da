from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Members")

    def ready(self):
        # allauth's account events are the one place this codebase uses signals.
        from allauth.mfa.models import Authenticator
        from allauth.mfa.signals import authenticator_added

        from . import two_factor

        def activated(sender, request, user, authenticator, **kwargs):
            if authenticator.type == Authenticator.Type.TOTP and request is not None:
                two_factor.record_activation(request, user)

        authenticator_added.connect(activated, dispatch_uid="accounts.two_factor.activated")
