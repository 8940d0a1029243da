from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts.models import User
from forum import permissions
from forum.models import Post, Thread, Visibility
from moderation.models import Report


def counts():
    return (User.objects.count(), Thread.objects.count(), Post.objects.count(), Report.objects.count())


def test_seed_demo_is_idempotent_and_makes_what_a_newcomer_needs(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert counts() == first

    moderator = User.objects.get(username="fern_guardian")
    assert permissions.is_moderator(moderator)
    assert not EmailAddress.objects.filter(verified=False).exists()
    # Replies nest like the blog's comment thread: replies to replies, two levels deep.
    assert Post.objects.filter(depth=3, status=Visibility.PUBLISHED).exists()
    assert Post.objects.filter(depth=1, is_opening=False).count() >= 3
    # The demo's dangerous advice is reported by three members and so hidden, not on show.
    reported = Post.objects.get(body__startswith="Honestly, just stop them all at once")
    assert reported.status == Visibility.HIDDEN


def test_seed_demo_has_french_threads_by_members_who_read_in_french(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    french = Thread.objects.filter(author__language="fr")
    assert french.count() >= 3
    assert set(User.objects.filter(username__in=["fleur_de_sel", "boreale_22", "petit_matin"]).values_list(
        "language", "region")) == {("fr", "CA")}
    taper = Thread.objects.get(title__startswith="Sevrage de la venlafaxine")
    # Published like any thread, with replies nesting, and nothing read as a crisis.
    posts = Post.objects.filter(thread__in=french)
    assert not posts.exclude(status=Visibility.PUBLISHED).exists()
    assert not posts.exclude(crisis_level="none").exists()
    assert taper.posts.filter(depth=2).exists()
    assert "avec mon médecin" in taper.posts.get(is_opening=True).body
