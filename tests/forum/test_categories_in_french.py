"""Categories in the reader's language: a French reader sees each category's French name,
description and safety notice (seeded by forum/migrations/0013); an English reader the
English; a category with no French yet shows its English to everyone."""

import re

from django.test import Client

from forum.models import Category


def french_page(path: str) -> str:
    return Client(HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9").get(path).content.decode().replace("&#x27;", "'")


def english_page(path: str) -> str:
    return Client(HTTP_ACCEPT_LANGUAGE="en-CA").get(path).content.decode().replace("&#x27;", "'")


def test_a_french_reader_sees_the_categories_in_french_on_the_home_page(db):
    html = french_page("/")
    assert 'lang="fr"' in html
    assert "Sevrage et diminution des médicaments" in html and "Kétamine et eskétamine" in html
    assert "Vivre avec une dépression qui persiste malgré plusieurs traitements." in html
    assert "Medication withdrawal &amp; tapering" not in html
    # Marked as text localized from the database, for the check that finds untranslated text.
    assert re.search(r'<a data-localized class="category-name" href="[^"]+">Sevrage et diminution des médicaments</a>', html)


def test_an_english_reader_sees_them_in_english(db):
    html = english_page("/")
    assert "Medication withdrawal &amp; tapering" in html and "Sevrage et diminution" not in html


def test_a_french_reader_gets_the_safety_notice_in_french(db):
    html = french_page("/c/medication-withdrawal-tapering/")
    assert "<strong>N'arrêtez pas un médicament et n'en changez pas la dose sans en parler à votre prescripteur.</strong>" in html
    assert "mise en garde encadrée de la FDA, 2020" in html
    assert "Do not stop or change a medication" not in html
    assert "Do not stop or change a medication" in english_page("/c/medication-withdrawal-tapering/")


def test_a_category_without_french_shows_its_english_to_a_french_reader(db):
    Category.objects.create(name="Creative corner", slug="creative-corner", description="Art, music, writing.")
    html = french_page("/")
    assert "Creative corner" in html and "Art, music, writing." in html


def test_the_category_feed_is_in_the_readers_language(db):
    feed = french_page("/c/ketamine-esketamine/feed/")
    assert "<title>Kétamine et eskétamine · " in feed
