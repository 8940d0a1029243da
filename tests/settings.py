"""Settings for the test suite (pyproject.toml names this module): development mode, set
here and never in production. The key is made for this run and passed through the
environment, so the servers the tests start (uvicorn subprocesses) share it."""

import os
import secrets

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "tests-" + secrets.token_urlsafe(40))

from config.settings import *  # noqa: E402, F403
