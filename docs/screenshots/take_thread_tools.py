"""Screenshots of a thread page as a moderator signed in with two factors sees it, at a
phone's width (390 px) and a desktop's (1280 px): the moderator tools open with a reason
written, and the page after "Lock" with its result.

    .venv/bin/python docs/screenshots/take_thread_tools.py   # writes docs/screenshots/thread-tools-*.png

Like take.py: its own SQLite database in a temporary folder (the demo data), uvicorn on
127.0.0.1, Debian's Chromium through Playwright. The demo moderator's sign-in (password
and authenticator code) is recorded in a session made here, as tests/conftest.py does.
Nothing leaves the machine.
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

SETUP = """
import django
django.setup()
from types import SimpleNamespace
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import call_command
from django.test import Client
from accounts.models import User
from forum.models import Thread

call_command("migrate", verbosity=0)
call_command("seed_demo", verbosity=0)
moderator = User.objects.get(username="fern_guardian")
if not moderator.authenticator_set.exists():
    TOTP.activate(moderator, generate_totp_secret())
client = Client()
client.force_login(moderator)
session = client.session
record_authentication(SimpleNamespace(session=session), moderator, "mfa", type="totp")
session.save()
thread = Thread.objects.filter(status="published", locked=False).order_by("-reply_count").first()
print(session.session_key, thread.pk)
"""


def main() -> None:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="forum-tool-shots-"))
    env = {
        **os.environ,
        "DEBUG": "1",
        # One key for both processes, so the session made in SETUP is valid on the server.
        "SECRET_KEY": "screenshots-only-" + os.urandom(16).hex(),
        "DATABASE_URL": f"sqlite:///{folder / 'shots.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("REDIS_URL", None)
    setup = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env,  # noqa: S603 - our own script
                           capture_output=True, text=True)
    if setup.returncode:
        raise SystemExit(setup.stderr)
    session_key, thread_id = setup.stdout.split()[-2:]
    port = 8191
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
                shoot(browser, base, label, width, height, session_key, thread_id)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def shoot(browser, base, label, width, height, session_key, thread_id) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_cookies([{"name": "sessionid", "value": session_key, "url": base}])
    page = context.new_page()
    page.goto(f"{base}/t/{thread_id}/")
    if not page.locator("#thread-tools").count():
        raise SystemExit(f"no tools for this sign-in at {page.url}: {page.content()[:3000]}")
    page.click("#thread-tools summary")
    page.fill("#thread-tools-reason", "It got heated tonight; a pause until the morning.")
    page.locator("#thread-tools").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=OUT / f"thread-tools-{label}.png", full_page=False)
    if label == "phone":  # lock once, then show the result; unlock for the next width
        page.click("#thread-tools button:has-text('Lock')")
        page.wait_for_load_state()
        page.wait_for_timeout(300)
        page.screenshot(path=OUT / f"thread-tools-locked-{label}.png", full_page=False)
        page.click("#thread-tools summary")
        page.click("#thread-tools button:has-text('Unlock')")
        page.wait_for_load_state()
    context.close()


if __name__ == "__main__":
    main()
