"""Demo data for a newcomer's machine: members, a moderator and a few threads whose
replies nest like the blog comment thread this forum grew from, some in English and some
in Canadian French (written by members whose language is French). Safe to run again."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from forum import services
from forum.models import Category, Thread
from moderation import services as moderation_services
from accounts.roles import MODERATORS_GROUP
from moderation.models import Report

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - demo accounts on a newcomer's own machine
MEMBERS = ["river_stone", "quiet_harbour", "lantern_jo", "marigold77", "north_wind"]
MODERATOR = "fern_guardian"
# Members who read and write in French, in Canada: their pages and emails are in French.
FRENCH_MEMBERS = ["fleur_de_sel", "boreale_22", "petit_matin"]

# Each thread: category slug, title, author, opening post, then replies as
# (key, parent key or None, author, body). Written fresh for this forum.
THREADS = [
    (
        "ketamine-esketamine",
        "Six weeks into esketamine: what the first sessions felt like",
        "river_stone",
        "I started esketamine nasal spray at a clinic six weeks ago after four antidepressants "
        "that didn't shift much. The first two sessions were strange: a floaty, far-away feeling "
        "for about an hour, and the clinic kept me for two hours afterwards, which I was glad of.\n\n"
        "What I didn't expect was how tired I'd be the rest of the day. Around week four I noticed "
        "I was answering messages again. Small, but real. Anyone else have the tiredness?",
        [
            ("a", None, "quiet_harbour",
             "Yes, the tiredness was the biggest thing for me too. I stopped planning anything for "
             "treatment days and it made a difference. Glad the messages are coming back."),
            ("b", "a", "river_stone",
             "That's a good idea. I've been trying to work in the afternoon and it hasn't gone well."),
            ("c", "b", "lantern_jo",
             "Same here. My care team said the sleepiness usually eases over the first month or two, "
             "but worth telling them if it doesn't."),
            ("d", None, "marigold77",
             "Thank you for writing this. I have my assessment next month and I've been nervous about "
             "the dissociation part. Knowing the clinic keeps you there helps."),
            ("e", "d", "north_wind",
             "I was nervous too. Bring headphones and a playlist you know well, it helped me feel "
             "less unmoored."),
            ("f", None, "lantern_jo",
             "Week four is when it started for me as well. Hoping it keeps building for you."),
        ],
    ),
    (
        "medication-withdrawal-tapering",
        "Slow taper off a benzodiazepine: checking in at month three",
        "lantern_jo",
        "Three months into a slow taper that my prescriber and I planned together. We're going in "
        "small steps with a hold whenever symptoms flare.\n\n"
        "The hardest part has been the sleep and the jumpy, buzzing feeling in the evenings. The "
        "best part: I feel more like myself in the mornings than I have in years. Posting partly "
        "so I keep a record, partly for anyone starting out.",
        [
            ("a", None, "north_wind",
             "Holding when it flares is so important. I tried to rush mine years ago and learned the "
             "hard way. You're doing it the careful way."),
            ("b", "a", "lantern_jo",
             "Thank you. It's slow, but slow is the point."),
            ("c", "b", "quiet_harbour",
             "Saving this thread. I'm about to talk to my GP about starting one."),
            ("d", None, "marigold77",
             "The evening buzzing: warm showers and very boring audiobooks got me through that phase."),
        ],
    ),
    (
        "introductions-general",
        "Hello from someone who found this through the blog comments",
        "marigold77",
        "I've been reading the comment thread on the blog for a year and finally made an account. "
        "Treatment-resistant depression for about a decade, currently between treatments. Mostly "
        "here to listen for now.",
        [
            ("a", None, "river_stone", "Welcome! Listening is a perfectly good way to be here."),
            ("b", "a", "marigold77", "Thank you, that's kind."),
            ("c", None, "fern_guardian",
             "Welcome in. The guidelines are linked under every reply box, and if things get heavy, "
             "the crisis lines are at the top of every page."),
        ],
    ),
    # In French, as members in Quebec and elsewhere in Canada write it. Peer support only:
    # the tapering is planned with a doctor, nothing here is dosing advice.
    (
        "medication-withdrawal-tapering",
        "Sevrage de la venlafaxine\u00a0: où j'en suis après quatre mois",
        "fleur_de_sel",
        "Bonjour tout le monde. Ça fait quatre mois que je diminue la venlafaxine avec mon médecin, "
        "très lentement, avec des pauses quand les symptômes reviennent.\n\n"
        "Les «\u00a0zaps\u00a0» dans la tête étaient pires le premier mois. Là, c'est surtout l'humeur qui "
        "joue au yoyo en fin de journée. Je garde un petit journal et ça m'aide à voir que, semaine "
        "après semaine, ça s'améliore quand même. Est-ce que d'autres ont vécu la même chose?",
        [
            ("a", None, "boreale_22",
             "Oh oui, les zaps… je connais. Le journal, c'est une super bonne idée\u00a0: moi, ça m'a permis "
             "de montrer à ma médecin que les pauses faisaient une vraie différence. Lâche pas!"),
            ("b", "a", "fleur_de_sel",
             "Merci, ça fait du bien de lire ça. Je vais apporter mon journal à mon prochain rendez-vous."),
            ("c", None, "petit_matin",
             "Ce qui m'aide en fin de journée\u00a0: une marche après le souper, même courte, et pas "
             "d'écran la dernière heure avant de me coucher. Rien de magique, mais ça adoucit."),
            ("d", "c", "boreale_22",
             "La marche après le souper, je confirme. Même dix minutes autour du bloc, ça change l'air."),
        ],
    ),
    (
        "ketamine-esketamine",
        "Première perfusion de kétamine demain, je suis nerveuse",
        "petit_matin",
        "Demain matin, j'ai ma première perfusion de kétamine à la clinique. Après des années de "
        "traitements qui n'ont pas donné grand-chose, j'ai de l'espoir, mais j'ai surtout peur de la "
        "sensation de dissociation.\n\n"
        "Comment ça s'est passé pour vous, la première fois? Qu'est-ce que vous aviez apporté?",
        [
            ("a", None, "fleur_de_sel",
             "J'avais peur aussi. C'était étrange, comme flotter un peu à côté de moi-même, mais "
             "l'équipe est restée là tout le long et ça s'est estompé en moins d'une heure. Apporte des "
             "écouteurs et une musique que tu connais par cœur."),
            ("b", "a", "petit_matin",
             "Bonne idée, la musique! Je prépare une liste de chansons que j'aime."),
            ("c", None, "boreale_22",
             "Prévois quelqu'un pour te ramener et garde le reste de ta journée tranquille. Je t'envoie "
             "plein de courage pour demain."),
            ("d", "c", "petit_matin",
             "Mon chum vient me chercher. Je vous donne des nouvelles après!"),
        ],
    ),
    (
        "introductions-general",
        "Bonjour de Montréal",
        "boreale_22",
        "Salut! Je lis le forum depuis quelques semaines sans écrire. Dépression résistante depuis une "
        "dizaine d'années, présentement entre deux traitements. Ça me rassure de voir qu'on peut écrire "
        "ici en français aussi. Je vais surtout lire pour commencer.",
        [
            ("a", None, "fleur_de_sel",
             "Bienvenue! Prends ton temps\u00a0: lire, c'est déjà une belle façon d'être ici."),
            ("b", None, "fern_guardian",
             "Bienvenue parmi nous. Les lignes directrices sont en lien sous chaque zone de réponse, et "
             "si ça devient lourd, les lignes de crise sont en haut de chaque page, en français aussi."),
        ],
    ),
]


class Command(BaseCommand):
    help = "Create demo members, a moderator and a few threads. Safe to run more than once."

    # Demo content is written by the site, not by new members: no pre-moderation or
    # posting limits while seeding (the demo queue items below are made on purpose).
    @override_settings(MODERATION_PREMODERATE_FIRST_POSTS=0, MODERATION_RATE_LIMITS_ENABLED=False)
    @transaction.atomic
    def handle(self, *args, **options):
        members = {name: self._member(name) for name in MEMBERS}
        members.update({name: self._member(name, language="fr", region="CA") for name in FRENCH_MEMBERS})
        moderator = self._member(MODERATOR)
        moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
        members[MODERATOR] = moderator

        created = 0
        for slug, title, author, opening, replies in THREADS:
            if Thread.objects.filter(title=title).exists():
                continue
            category = Category.objects.get(slug=slug)
            thread = services.thread_create(author=members[author], category=category, title=title, body=opening)
            posts = {}
            for key, parent_key, reply_author, body in replies:
                posts[key] = services.post_create(
                    author=members[reply_author], thread=thread, body=body, parent=posts.get(parent_key)
                )
            created += 1

        self._demo_queue(members)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new threads)."))
        self.stdout.write(f"Members: {', '.join(MEMBERS)}; reading in French: {', '.join(FRENCH_MEMBERS)}")
        self.stdout.write(
            f"Moderator: {MODERATOR} (sets up two-factor sign-in with an authenticator app on opening the queue)"
        )
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")

    def _demo_queue(self, members) -> None:
        """Something for the demo moderator's queue: a reply reported by three members
        (so it is hidden pending review, as the report threshold does) and a newcomer's
        held post. The dangerous advice is never left on show, even in demo data."""
        taper_thread = Thread.objects.filter(title=THREADS[1][1]).first()
        thread = Thread.objects.filter(title=THREADS[0][1]).first()
        if thread is None or taper_thread is None or Report.objects.exists():
            return
        post = services.post_create(
            author=members["north_wind"],
            thread=taper_thread,
            body="Honestly, just stop them all at once. That's what I did and I was fine.",
        )
        # Reports weigh toward hiding only from established members (moderation/services/
        # reports.py): the demo's reporters joined long ago, and the demo asks for one post each.
        reporters = ("lantern_jo", "quiet_harbour", "marigold77")
        User.objects.filter(username__in=reporters).update(date_joined=timezone.now() - timedelta(days=400))
        with override_settings(MODERATION_REPORT_MIN_POSTS=1):
            for reporter in reporters:
                member = User.objects.get(username=reporter)
                moderation_services.report_create(reporter=member, post=post, reason="dangerous_advice")
        newcomer = self._member("new_sprout")
        with override_settings(MODERATION_PREMODERATE_FIRST_POSTS=2):
            services.post_create(
                author=newcomer, thread=thread, body="Hi all, I start esketamine next week. Any tips for day one?"
            )

    def _member(self, username: str, **settings) -> User:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org", **settings}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        return user
