"""What the moderators' actions write to a member, and the crisis escalation emails, are
in the RECIPIENT's language, whatever language the moderator (or the job) works in
(issue 17)."""

from datetime import timedelta
from types import SimpleNamespace

from django.core import mail
from django.utils import timezone, translation

from forum import services as forum_services
from moderation import services
from forum.models import Category
from moderation.models import LogEntry, Notice

from ..conftest import client_for, make_member


def plain(text: str) -> str:
    """French typography puts non-breaking spaces inside « » and before a colon."""
    return text.replace("\xa0", " ")


def urgent():
    return SimpleNamespace(level="urgent", reasons=["urgent: plan for tonight"])


def test_a_french_member_reads_in_french_what_an_english_moderator_did(thread, moderator, member, other_member):
    other_member.language = "fr"
    other_member.save(update_fields=["language"])
    french_reply = forum_services.post_create(author=other_member, thread=thread, body="Une réponse")
    english_reply = forum_services.post_create(author=member, thread=thread, body="A reply")
    with translation.override("en"):  # the moderator works in English
        services.post_hide(actor=moderator, post=french_reply, reason="Détails de méthode")
        services.post_hide(actor=moderator, post=english_reply, reason="Method details")
    french = Notice.objects.get(recipient=other_member)
    english = Notice.objects.get(recipient=member)
    assert plain(french.message) == (
        "L'équipe de modération a masqué votre message dans « First week of esketamine ». "
        "Vous pouvez encore le lire; les autres voient une note à la place."
    )
    assert english.message.startswith("A moderator hid your post in “First week of esketamine”.")
    # On the notices page, in French around it too.
    html = plain(client_for(other_member).get("/notices/").content.decode().replace("&#x27;", "'"))
    assert "L'équipe de modération a masqué votre message" in html
    assert '<html lang="fr"' in html


def test_a_french_peer_supporter_reads_in_french_that_they_joined(moderator, member):
    member.language = "fr"
    member.save(update_fields=["language"])
    with translation.override("en"):
        services.peer_supporter_appoint(actor=moderator, member=member)
    assert Notice.objects.get(recipient=member).message.startswith("Merci de vous joindre aux pairs aidants.")


def test_escalation_emails_go_out_in_each_moderators_language(thread, other_member, moderator,
                                                              django_capture_on_commit_callbacks):
    francophone = make_member("claire_veille", language="fr")
    francophone.groups.add(*moderator.groups.all())
    reply = forum_services.post_create(author=other_member, thread=thread, body="a reply")
    item = services.crisis_item_open(post=reply, assessment=urgent())
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        assert services.crisis_items_escalate(now=timezone.now() + timedelta(minutes=16)) == 1
    by_address = {tuple(message.to): message for message in mail.outbox}
    assert set(by_address) == {("claire_veille@example.org",), ("mona_keeper@example.org",)}
    french = by_address[("claire_veille@example.org",)]
    french.subject, french.body = plain(french.subject), plain(french.body)
    english = by_address[("mona_keeper@example.org",)]
    assert "Urgent : un membre est peut-être en danger" in french.subject
    assert "Un dossier de crise urgent a besoin de quelqu'un maintenant." in french.body
    assert "personne n'a dit s'en occuper" in french.body
    assert "toute l'équipe de modération" in french.body
    assert f"/moderation/items/{item.pk}/" in french.body
    assert "Urgent: a member may be at risk" in english.subject
    assert "nobody has said they are on it" in english.body and "emailed every moderator" in english.body
    # The log keeps the site's language, whoever reads it.
    entry = LogEntry.objects.get(action="crisis_escalate", target_id=item.pk)
    assert "nobody has said they are on it" in entry.reason and "Escalation 1: emailed every moderator" in entry.reason


def test_a_french_author_reads_in_french_that_their_thread_was_locked_and_moved(thread, moderator):
    author = thread.author
    author.language = "fr"
    author.save(update_fields=["language"])
    other_category = Category.objects.exclude(pk=thread.category_id).exclude(name_fr="").first()
    with translation.override("en"):
        services.thread_lock(actor=moderator, thread=thread, reason="A pause")
        services.thread_move(actor=moderator, thread=thread, category=other_category)
    lock, move = Notice.objects.filter(recipient=author).order_by("pk")
    assert plain(lock.message).startswith("L'équipe de modération a verrouillé votre fil « First week of esketamine »")
    assert other_category.name_fr in move.message and other_category.name not in move.message
