"""Crisis lines in the reader's language: a French reader sees the Canadian lines' own
French names, the lines that answer in French first, and what each line answers in."""

from django.test import Client
from django.utils import translation

from safety import resources


def test_a_french_reader_in_canada_sees_the_lines_french_names_and_french_lines_first(db):
    page = Client(HTTP_ACCEPT_LANGUAGE="fr-CA").get("/help/").content.decode().replace("&#x27;", "'")
    assert "Ligne d'aide en cas de crise de suicide 9-8-8" in page and "Jeunesse, J'écoute" in page
    # The overdose line answers in English only (its sources say so): after the French ones.
    assert page.index("Ligne d'écoute d'espoir pour le mieux-être") < page.index(
        "Service national d'intervention en cas de surdose"
    )


def test_an_english_reader_keeps_the_order_the_moderators_set(db):
    with translation.override("en"):
        names = [line.display_name for line in resources.lines_for("CA")]
    assert names[0] == "9-8-8 Suicide Crisis Helpline" and names[-1] == "National Overdose Response Service"


def test_each_line_says_which_languages_it_answers_in_when_its_service_says(db):
    with translation.override("en"):
        lines = {line.name: line for line in resources.lines_for("CA")}
        assert lines["9-8-8 Suicide Crisis Helpline"].answers_in == "English and French"
        assert lines["National Overdose Response Service"].answers_in == "English"
        assert [line.answers_in for line in resources.lines_for("GB")] == ["", ""]  # unknown: nothing claimed
