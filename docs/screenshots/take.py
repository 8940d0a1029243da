"""Screenshots of the pages a newcomer judges the forum by, at a phone's width (390 px)
and a desktop's (1280 px): home, a long thread, the composer and signup.

    .venv/bin/python docs/screenshots/take.py            # writes docs/screenshots/*.png

It builds its own SQLite database in a temporary folder (the demo data, plus a long
thread), serves it with uvicorn on 127.0.0.1 and drives Debian's Chromium with
Playwright. Nothing leaves the machine.
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
LONG_THREAD_TITLE = "Coming off venlafaxine: a long, slow taper, month by month"

SETUP = f"""
import django
django.setup()
from django.core.management import call_command
from django.test.utils import override_settings
from accounts.models import User
from forum import services
from forum.models import Category, Thread

call_command("migrate", verbosity=0)
call_command("seed_demo", verbosity=0)
if not Thread.objects.filter(title={LONG_THREAD_TITLE!r}).exists():
    names = ["river_stone", "quiet_harbour", "lantern_jo", "marigold77", "north_wind"]
    people = {{name: User.objects.get(username=name) for name in names}}
    with override_settings(MODERATION_PREMODERATE_FIRST_POSTS=0, MODERATION_RATE_LIMITS_ENABLED=False):
        thread = services.thread_create(
            author=people["quiet_harbour"],
            category=Category.objects.get(slug="medication-withdrawal-tapering"),
            title={LONG_THREAD_TITLE!r},
            body="I'm writing this as a diary of my venlafaxine taper, which my prescriber and I planned "
            "together: ten per cent of the current dose, then a hold of four weeks, longer when the "
            "brain zaps come back. Month one was mostly fine. I'll add to this as I go, partly for me "
            "and partly for anyone who finds it later.",
        )
        lines = [
            "Thank you for keeping a record. Slow and steady is what finally worked for me.",
            "Month two: the zaps came back for a week after the second step. We held for six weeks instead of four.",
            "Holding longer when it flares sounds wise. How is your sleep?",
            "Sleep is patchy but better than last winter. Magnesium and a dull podcast help.",
            "Bookmarking this. I start my own taper in spring.",
            "Same here. It helps to read someone's actual month-by-month.",
            "Month three: steady. Walking most days, which I couldn't have said a year ago.",
            "That's real progress. Sending you good thoughts for month four.",
        ]
        parent = None
        for index in range(24):
            author = people[names[index % len(names)]]
            parent = None if index % 3 == 0 else parent
            parent = services.post_create(author=author, thread=thread, body=lines[index % len(lines)], parent=parent)
print("ready")
"""


def main() -> None:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="forum-shots-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'shots.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True)  # noqa: S603 - our own script
    port = 8190
    server = subprocess.Popen(  # noqa: S603 - the forum itself, on localhost
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()  # noqa: S310 - http://127.0.0.1 only
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for label, (width, height) in WIDTHS.items():
                shoot(browser, base, label, width, height)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def shoot(browser, base: str, label: str, width: int, height: int) -> None:
    anonymous = browser.new_context(viewport={"width": width, "height": height})
    page = anonymous.new_page()
    page.goto(base + "/accounts/signup/")
    page.screenshot(path=OUT / f"signup-{label}.png", full_page=True)
    anonymous.close()

    member = browser.new_context(viewport={"width": width, "height": height})
    page = member.new_page()
    page.goto(base + "/accounts/login/")
    page.fill("#id_login", "lantern_jo")
    page.fill("#id_password", "demo-password-2026")
    page.click("form.account-form button[type=submit]")
    page.wait_for_load_state()
    page.goto(base + "/")
    page.screenshot(path=OUT / f"home-{label}.png", full_page=True)
    page.click(f"text={LONG_THREAD_TITLE}")
    page.wait_for_load_state()
    page.wait_for_timeout(300)
    page.screenshot(path=OUT / f"thread-{label}.png", full_page=False)
    page.screenshot(path=OUT / f"thread-full-{label}.png", full_page=True)
    # The composer: a reply under a post, with a quote, a mention being typed, and a preview.
    page.locator("article.post:not(.post-opening) a.reply-link").first.click()
    box = page.locator(".inline-reply textarea")
    box.fill("> Holding longer when it flares sounds wise.\n\nIt really is. **Six weeks** made all the difference. ")
    box.press("End")
    box.type("@quie")
    page.wait_for_timeout(600)
    box.evaluate("(el) => el.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(200)
    page.screenshot(path=OUT / f"composer-{label}.png", full_page=False)
    page.once("dialog", lambda dialog: dialog.accept())  # Cancel asks; the draft goes
    page.click(".inline-reply-head button")
    page.wait_for_timeout(300)
    member.close()


if __name__ == "__main__":
    main()
