"""Seeds and measures django-spirit for bench/pages.py --compare-spirit.

Runs inside the throwaway Spirit venv (bench/.spirit-venv), never in ours, with
DJANGO_SETTINGS_MODULE=benchspirit.settings.bench written by bench/pages.py. Each command
prints one JSON line last.

    seed     migrate a fresh SQLite file; categories, users, topics and one long topic,
             written the way Spirit's own views write them (its forms, comment_posted)
    measure  query count and median render time of pages with Django's test client
             (--cold: the cache cleared before every request)
    post     a comment every --every seconds on the long topic until SIGTERM
"""

import argparse
import json
import random
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import body_for, measure_client  # noqa: E402  (stdlib-only at import time)


def seed(args) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from spirit.category.models import Category
    from spirit.comment.forms import CommentForm
    from spirit.comment.models import Comment
    from spirit.comment.utils import comment_posted
    from spirit.topic.forms import TopicForm
    from spirit.topic.models import Topic
    from spirit.user.models import UserProfile

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(7)
    User = get_user_model()
    users = []
    for i in range(1, args.members + 1):
        user = User.objects.create_user(username=f"member_{i:02d}", email=f"member_{i:02d}@example.org")
        UserProfile.objects.filter(user=user).update(is_verified=True)
        users.append(User.objects.get(pk=user.pk))
    categories = [
        Category.objects.create(title=f"Category {i + 1}", slug=f"category-{i + 1}", description="Talk.")
        for i in range(args.categories)
    ]

    def publish_topic(user, category, title, body):
        form = TopicForm(user=user, data={"title": title, "category": category.pk})
        cform = CommentForm(user=user, data={"comment": body})
        if not (form.is_valid() and cform.is_valid()):
            raise RuntimeError(f"Spirit's fixture did not validate: {form.errors} {cform.errors}")
        topic = form.save()
        cform.topic = topic
        comment_posted(comment=cform.save(), mentions=cform.mentions)
        return topic

    def publish_comment(user, topic, body):
        form = CommentForm(user=user, topic=topic, data={"comment": body})
        if not form.is_valid():
            raise RuntimeError(f"Spirit's fixture did not validate: {form.errors}")
        comment_posted(comment=form.save(), mentions=form.mentions)

    with transaction.atomic():
        for i in range(args.other_topics):
            topic = publish_topic(rng.choice(users), categories[i % len(categories)],
                                  f"Checking in, week {i + 1}: how the routine is going", body_for(rng))
            for _ in range(rng.randint(0, 4)):
                publish_comment(rng.choice(users), Topic.objects.get(pk=topic.pk), body_for(rng))
        category = categories[0]
        topic = publish_topic(users[1], category, "One year of treatment notes: the long thread", body_for(rng))
        for _ in range(args.replies):
            # Spirit's comments are flat: replies follow each other in time order.
            publish_comment(rng.choice(users), Topic.objects.get(pk=topic.pk), body_for(rng))

    topic = Topic.objects.get(pk=topic.pk)
    comments = Comment.objects.filter(topic=topic).count()
    client = Client()
    client.force_login(users[0])
    return {
        "topic_url": topic.get_absolute_url(),
        "category_url": category.get_absolute_url(),
        "comments": comments,
        "last_page": (comments - 1) // args.page_size + 1,
        "session_key": client.cookies["sessionid"].value,
        "username": users[0].username,
        "topic_id": topic.pk,
    }


def post(args) -> dict:
    """A comment every `--every` seconds on the long topic, through Spirit's own form and
    comment_posted, until SIGTERM (bench/pages.py runs this beside its load test)."""
    import signal
    import time

    from django.contrib.auth import get_user_model
    from spirit.comment.forms import CommentForm
    from spirit.comment.utils import comment_posted
    from spirit.topic.models import Topic

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    rng = random.Random(11)
    users = list(get_user_model().objects.order_by("pk"))
    posted, errors = 0, []
    while not stop:
        started = time.monotonic()
        try:
            topic = Topic.objects.get(pk=args.topic_id)
            form = CommentForm(user=rng.choice(users), topic=topic, data={"comment": body_for(rng)})
            if not form.is_valid():
                raise RuntimeError(str(form.errors))
            comment_posted(comment=form.save(), mentions=form.mentions)
            posted += 1
        except Exception as error:  # noqa: BLE001 - counted and reported
            errors.append(repr(error)[:200])
        while not stop and time.monotonic() - started < args.every:
            time.sleep(0.05)
    return {"posted": posted, "errors": errors}


def measure(args) -> dict:
    pages = [tuple(page) for page in json.loads(args.pages)]
    return measure_client(pages, session_key=args.session_key, runs=args.runs, warmup=args.warmup,
                          post_pattern=r'\bid="c\d+"', cold=args.cold)


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    seeding = commands.add_parser("seed")
    seeding.add_argument("--replies", type=int, default=1000)
    seeding.add_argument("--members", type=int, default=50)
    seeding.add_argument("--other-topics", type=int, default=40)
    seeding.add_argument("--categories", type=int, default=5)
    seeding.add_argument("--page-size", type=int, default=20)
    measuring = commands.add_parser("measure")
    measuring.add_argument("--pages", required=True, help='JSON list of ["label", "/url/"]')
    measuring.add_argument("--session-key")
    measuring.add_argument("--runs", type=int, default=30)
    measuring.add_argument("--warmup", type=int, default=3)
    measuring.add_argument("--cold", action="store_true", help="clear the cache before every request")
    posting = commands.add_parser("post")
    posting.add_argument("--topic-id", type=int, required=True)
    posting.add_argument("--every", type=float, default=2.0)
    args = parser.parse_args()
    django.setup()
    result = {"seed": seed, "measure": measure, "post": post}[args.command](args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
