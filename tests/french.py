"""A small French catalog for tests, built at test time: the full locale/fr catalog comes
later from the translators, and these tests must not wait for it (nor pass only because a
string happens to be untranslated). Each entry is a string the code marks; the fixture
compiles them to a .mo in a temporary LOCALE_PATHS, so pages, messages and emails are
French exactly as they will be with the real catalog.
"""

import polib
import pytest

NBSP = "\u00a0"

ENTRIES = {
    # forum/views.py
    "Latest threads": "Derniers fils",
    # forum/validators.py
    "Please give your thread a title.": "Donnez un titre à votre fil, s’il vous plaît.",
    # accounts/views.py, accounts/forms.py
    "Your settings are saved.": "Vos paramètres sont enregistrés.",
    "Language": "Langue",
    # safety/resources.py (the banner)
    "Thinking about suicide or in crisis?": "Vous pensez au suicide ou vous êtes en crise?",
    # forum/notifications.py
    "%(site)s: %(subject)s": f"%(site)s{NBSP}: %(subject)s",
    "New reply to your post": "Nouvelle réponse à votre message",
    "%(actor)s replied to one of your posts.": "%(actor)s a répondu à l’un de vos messages.",
    "Here is what is new for you since your last digest.": "Voici ce qui est nouveau depuis votre dernier résumé.",
    (
        "You are getting this because you asked for notification emails. You can turn them "
        "off in your settings: {settings_url}\n\n{site} is peer support, not a crisis service. If you need "
        "help now, the crisis lines are at {help_url}"
    ): (
        f"Vous recevez ce courriel parce que vous avez demandé les courriels de notification. Vous pouvez "
        f"les désactiver dans vos paramètres{NBSP}: {{settings_url}}\n\n{{site}} est un lieu de soutien entre "
        f"pairs, pas un service de crise. Si vous avez besoin d’aide maintenant, les lignes de crise sont "
        f"ici{NBSP}: {{help_url}}"
    ),
    # modmail/services.py
    "[%(site)s] A new message for you": "[%(site)s] Un nouveau message pour vous",
    "The team sent you a private message.": "L’équipe vous a envoyé un message privé.",
    # templates/account/email/*
    "Hello,": "Bonjour,",
    "Please confirm your email address": "Veuillez confirmer votre adresse courriel",
    "Resetting your password": "Réinitialisation de votre mot de passe",
}
CONTEXTS = {
    # forum/content_warnings.py: a listed warning as readers see it
    ("content warning shown to readers", "withdrawal symptoms"): "symptômes de sevrage",
}
PLURALS = {
    ("%(count)d new notification", "%(count)d new notifications"): (
        "%(count)d nouvelle notification", "%(count)d nouvelles notifications"
    ),
}


@pytest.fixture(name="french_catalog")
def french_catalog_fixture(tmp_path, settings):
    """Serve ENTRIES in French for the length of a test (Django's own French stays too)."""
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "fr",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    for msgid, msgstr in ENTRIES.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    for (context, msgid), msgstr in CONTEXTS.items():
        po.append(polib.POEntry(msgctxt=context, msgid=msgid, msgstr=msgstr))
    for (singular, plural), (one, many) in PLURALS.items():
        po.append(polib.POEntry(msgid=singular, msgid_plural=plural, msgstr_plural={0: one, 1: many}))
    directory = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    directory.mkdir(parents=True)
    po.save_as_mofile(str(directory / "django.mo"))
    # Changing LOCALE_PATHS clears Django's loaded catalogs (django.test.signals), now and after.
    settings.LOCALE_PATHS = [tmp_path / "locale", *settings.LOCALE_PATHS]
    return ENTRIES
