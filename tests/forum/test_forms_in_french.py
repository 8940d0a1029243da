"""Form labels, help and choices that Python builds read in French for a French reader,
looked up when the page is shown (not when the module was imported), and dates follow
the reader's locale (issue 17)."""

import re
from datetime import datetime, timezone

from django.test import Client
from django.utils import translation

from ..conftest import client_for


def page(client, path: str) -> str:
    return client.get(path).content.decode().replace("&#x27;", "'").replace("\xa0", " ")


def french(user) -> Client:
    user.language = "fr"
    user.save(update_fields=["language"])
    return client_for(user)


def test_the_new_thread_form_reads_in_french(member, category, settings):
    html = page(french(member), f"/c/{category.slug}/new/")
    assert re.search(r'<label for="id_title">\s*Titre\s*</label>', html)
    assert f"{settings.FORUM_TITLE_MAX_LENGTH} caractères au maximum." in html
    assert (f"Écrire @nom avertit ce membre (jusqu'à {settings.FORUM_MENTIONS_PER_POST} personnes par message)."
            in html)
    assert 'placeholder="Pour « autre » : quelques mots, par exemple deuil"' in html
    # The same page in English, in the same process: nothing was fixed at import time.
    member.language = "en"
    member.save(update_fields=["language"])
    html = page(client_for(member), f"/c/{category.slug}/new/")
    assert f"Up to {settings.FORUM_TITLE_MAX_LENGTH} characters." in html and "Writing @name" in html


def test_each_language_is_named_in_its_own_language_on_the_settings_page(member):
    html = page(french(member), "/settings/")
    assert '<option value="en" lang="en" translate="no">English</option>' in html
    assert '<option value="fr" selected lang="fr" translate="no">Français</option>' in html


def test_times_follow_the_readers_locale():
    from forum.templatetags.forum_tags import when

    stamp = datetime(2026, 5, 30, 9, 52, tzinfo=timezone.utc)
    with translation.override("fr"):
        html = str(when(stamp)).replace("\xa0", " ")
    assert 'title="30 mai 2026 à 09 h 52 UTC"' in html and ">30 mai 2026, 09 h 52 UTC</time>" in html
    with translation.override("en"):
        html = str(when(stamp))
    assert 'title="30 May 2026, 09:52 UTC"' in html and ">30 May 2026, 09:52 UTC</time>" in html


def test_the_moderators_move_lists_name_categories_in_the_readers_language(moderator, thread, other_category):
    assert other_category.name_fr
    html = page(french(moderator), thread.get_absolute_url())  # the thread tools
    assert f'<option value="{other_category.pk}">{other_category.name_fr}</option>' in html
    move = page(client_for(moderator), f"/moderation/thread/{thread.pk}/move/")
    assert f">{other_category.name_fr}</option>" in move
