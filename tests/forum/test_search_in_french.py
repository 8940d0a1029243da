"""Search in French: accents are ignored both ways ("eveil" finds "éveil", "sévrage"
typed with a stray accent finds "sevrage"), French and English posts are found alike,
and the matched words are marked on the text as written.

Every test runs on SQLite (the folding function registered on each connection) and on
PostgreSQL (unaccent and the `simple` configuration, with their GIN indexes)."""

import pytest
from django.db import connection
from django.test import Client

from forum import folding, services
from tests.forum.test_search import hit_count, plain, results
from tests.french import french_catalog_fixture  # noqa: F401 - the French test catalog

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL indexes only")


@pytest.fixture
def french_threads(member, other_member, category, other_category):
    taper = services.thread_create(
        author=member, category=other_category, title="Mon sevrage de la venlafaxine",
        body="Le sevrage se passe lentement. Les zaps ont diminué depuis que je réduis de 10 % par mois.",
    )
    awake = services.thread_create(
        author=other_member, category=category, title="Après la troisième perfusion",
        body="Un drôle d'éveil le lendemain : j'ai eu envie de marcher au soleil pour la première fois.",
    )
    english = services.thread_create(
        author=member, category=category, title="Waking up", body="A strange awakening after the third infusion.",
    )
    return taper, awake, english


def test_a_word_typed_without_its_accents_finds_it_with_them(reader, french_threads):
    html = results(reader, "eveil")
    assert hit_count(html) == 1
    assert "Un drôle d'éveil le lendemain" in plain(html).replace("&#x27;", "'")
    assert "<mark>éveil</mark>" in html  # marked as it was written


def test_a_word_typed_with_accents_finds_it_without_them(reader, french_threads):
    html = results(reader, "SÉVRAGE")
    assert hit_count(html) == 1
    assert "Mon <mark>sevrage</mark> de la venlafaxine" in html


def test_accents_in_a_title_are_ignored_too(reader, french_threads):
    html = results(reader, "apres perfusion")
    assert hit_count(html) == 1 and "Après la troisième perfusion" in plain(html)


def test_every_word_must_still_match_in_french(reader, french_threads):
    assert hit_count(results(reader, "sevrage lentement")) == 1
    assert hit_count(results(reader, "sevrage soleil")) == 0


def test_english_posts_are_found_as_before_beside_french_ones(reader, french_threads):
    html = results(reader, "infusion")
    assert hit_count(html) == 1 and "A strange awakening" in plain(html)


def test_folding_keeps_every_character_in_its_place():
    text = "Éveil, œuvre, naïveté, Noël, ça"
    assert folding.fold(text) == "Eveil, œuvre, naivete, Noel, ca"
    assert len(folding.fold(text)) == len(text)


def test_the_database_folds_as_python_does(db):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {folding.SQL_FUNCTION}(%s)", ["Déjà l'éveil, ÇA VA"])
        assert cursor.fetchone()[0] == "Deja l'eveil, CA VA"


@on_postgres
def test_postgres_reads_the_folded_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'forum_%_folded_search'")
        assert {row[0] for row in cursor.fetchall()} == {
            "forum_post_body_folded_search", "forum_thread_title_folded_search"
        }
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM forum_post WHERE to_tsvector('simple'::regconfig, "
            "COALESCE(forum_unaccent(body), '')) @@ websearch_to_tsquery('simple'::regconfig, forum_unaccent('éveil'))"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "forum_post_body_folded_search" in plan



@pytest.mark.usefixtures("french_catalog")
def test_a_listed_content_warning_reads_in_the_readers_language(member, category):
    services.thread_create(author=member, category=category, title="Rough week", body="The taper was hard.",
                           content_warning="withdrawal symptoms")
    french = Client(HTTP_ACCEPT_LANGUAGE="fr-CA").get("/search/", {"q": "taper"}).content.decode()
    assert "symptômes de sevrage" in french and "withdrawal symptoms" not in french
    english = Client(HTTP_ACCEPT_LANGUAGE="en-CA").get("/search/", {"q": "taper"}).content.decode()
    assert "withdrawal symptoms" in english
