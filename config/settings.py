"""Settings for the forum, read from the environment.

Production is the default: DEBUG is off and SECRET_KEY must be set, so a server started
without its environment refuses to run rather than run insecurely. Development says so
itself: `make run` sets DEBUG=1 (with a key of its own, kept in .venv), and the tests use
tests/settings.py. Other defaults suit one machine: SQLite, the in-memory channel layer,
local-memory cache, email on the console. Production also sets ALLOWED_HOSTS,
DATABASE_URL and REDIS_URL (see docs/deploy.md).
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY when DEBUG is off (production is the default). For development, "
            "set DEBUG=1 as `make run` does."
        )
    # Development without a key: one made for this process alone (sessions end with it).
    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
    "forum",
    "safety",
    "moderation",
    "modmail",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's language: the footer's switch (a cookie), else their browser's.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A member's own language setting wins over both.
    "accounts.middleware.MemberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "safety.middleware.CrisisRegionVaryMiddleware",
    # A database that cannot answer in time: 503 with the text kept, not a 500.
    "safety.middleware.DatabaseBusyMiddleware",
    "accounts.middleware.TwoFactorForModeratorsMiddleware",
    "accounts.middleware.AccountPagesNeverCachedMiddleware",
    "forum.privacy.NoIndexMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forum.context_processors.site",
                "safety.context_processors.crisis_lines",
                "moderation.context_processors.moderation",
                "modmail.context_processors.modmail",
            ],
        },
    },
]

ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

# Threads per worker process that serve pages (config/http.py); a request holds one for
# its whole life. As many as the database pool: fewer queue a reconnect storm's catch-ups
# past the page's patience (with 4, 453 of 1,000 readers were not live after 60 s), more only
# wait on each other, the views being Python (docs/performance.md). 0: Django's own ASGI
# handler, a thread per request.
HTTP_THREADS = envint("HTTP_THREADS", 8)

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
# PostgreSQL connections, bounded: each worker process keeps one psycopg pool of at most
# DB_POOL_SIZE connections (docs/deploy.md has the arithmetic). A request borrows one for
# its life and gives it back at the end; a request that finds the pool empty waits up to
# DB_POOL_TIMEOUT seconds, then fails as "the database is not answering" instead of
# asking the server for one more connection than it allows. DB_POOL_SIZE=0 turns the pool
# off (behind PgBouncer in transaction mode), and DB_CONN_MAX_AGE applies again.
DB_POOL_SIZE = envint("DB_POOL_SIZE", 8)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DB_POOL_SIZE > 0:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them instead; Django requires 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(envint("DB_POOL_MIN_SIZE", 2), DB_POOL_SIZE),
        "max_size": DB_POOL_SIZE,
        "timeout": envint("DB_POOL_TIMEOUT", 10),
        "max_idle": 300,  # an idle connection above min_size is closed after 5 minutes
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Pages run in a few long-lived threads (config/http.py), so each keeps its connection
    # instead of opening one per request.
    DATABASES["default"]["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", 60 if HTTP_THREADS else 0)
    # WAL lets readers go on while a reply is written; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # channels_redis with a blocking pool and a receive loop that outlives a Redis
            # restart (config/channel_layer.py).
            "BACKEND": "config.channel_layer.ResilientRedisChannelLayer",
            "CONFIG": {
                # redis-py 8 reads with a 5 s socket timeout by default, no longer than
                # channels_redis's 5 s blocking pop: give the pop room (redis-py #4091).
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15, "socket_connect_timeout": 2}],
                # Connections per process: a burst of readers arriving or leaving at once
                # waits for one instead of raising "Too many connections".
                "pool_size": envint("CHANNELS_REDIS_POOL", 50),
                "prefix": os.environ.get("CHANNELS_PREFIX", "forum"),
            },
        }
    }
    CACHES = {
        "default": {
            # Django's RedisCache, for which Redis being away means misses, not errors
            # (config/cache.py): pages, the crisis lines and logging in go on without it.
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_PREFIX", "forum"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Live sockets re-join their channel-layer groups, refresh their presence and send the
# page a heartbeat every LIVE_HEARTBEAT seconds (forum/live.py): a Redis restart costs at
# most this long of live updates (the page then catches up), and a page that hears
# nothing for three heartbeats reconnects.
LIVE_HEARTBEAT = envint("LIVE_HEARTBEAT", 15)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: log in with username or email, once the email address is confirmed.
# Whether an address belongs to a member is health information here, so no page may
# tell: signup, login, password reset and adding an address answer alike either way.
# allauth can keep that promise at signup only with mandatory verification (a signup
# with a registered address creates nothing; its owner gets an email instead).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Adds the required "I have read the community guidelines" box; its date is stored.
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS_ENABLED = True  # allauth's defaults; they use the cache above.
# allauth's own default lets one address open 20 accounts a minute: throwaway accounts
# to report a post into hiding, or to spam. A household or a clinic's shared connection
# still gets a few a day. Only "signup" changes; allauth keeps its other defaults.
ACCOUNT_RATE_LIMITS = {"signup": os.environ.get("ACCOUNT_SIGNUP_RATE_LIMIT", "3/h/ip,6/d/ip")}
# Two-factor sign-in: an authenticator app's codes, with recovery codes. Any member may
# turn it on; moderators and staff must (accounts/two_factor.py).
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("SITE_NAME", "Common Ground")
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

LANGUAGE_CODE = "en"
# English, and Canadian French: the forum grew out of a Canadian blog, and Canada's crisis
# services answer in both. URLs are the same in both languages.
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "forum_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "UTC"
USE_I18N = True
# Our date formats per language (config/formats/<lang>/formats.py), over Django's.
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Without a collected manifest (tests, a fresh checkout) fall back to plain names.
WHITENOISE_MANIFEST_STRICT = False
WHITENOISE_USE_FINDERS = envbool("WHITENOISE_USE_FINDERS", DEBUG)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Email: the console in development; SMTP configured from the environment in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
if os.environ.get("EMAIL_FILE_PATH"):  # with EMAIL_BACKEND=...filebased.EmailBackend: one file per email
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
SITE_NAME = os.environ.get("SITE_NAME", "Common Ground")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: production values whenever DEBUG is off.
SESSION_COOKIE_HTTPONLY = True
# Page scripts read the token from the form they send (static/js), never the cookie.
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts, styles and everything else from the site
# itself; no inline script or style anywhere (templates and static/js keep to that, and
# tests/config/test_headers.py checks them); never inside a frame. Report-only while
# developing and in the tests, enforced in production (CSP_REPORT_ONLY overrides).
_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # allauth draws the two-factor setup code as a data: image.
        "img-src": [SELF, "data:"],
        # fetch() and the live sockets: 'self' covers ws:/wss: on the same host (CSP 3).
        "connect-src": [SELF],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
if envbool("CSP_REPORT_ONLY", DEBUG):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CONTENT_SECURITY_POLICY
else:
    CONTENT_SECURITY_POLICY = _CONTENT_SECURITY_POLICY

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- The forum's own settings ---
# SITE_NAME (above, with the email settings) names the site in pages and in every email's
# subject ("Common Ground: New reply in a thread you follow"); set it to something more
# discreet if members would rather their mailbox did not say what the site is.
# allauth's emails start their subjects with it too, and say nothing of the host (the
# account adapter writes "%(site)s: %(subject)s" in the recipient's language; this prefix
# is what allauth would use without it).
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{SITE_NAME}: "
# After confirming their email address, a new member lands on a short welcome.
ACCOUNT_EMAIL_CONFIRMATION_AUTHENTICATED_REDIRECT_URL = "/welcome/"
ACCOUNT_EMAIL_CONFIRMATION_ANONYMOUS_REDIRECT_URL = "/welcome/"
# With verification mandatory, signing up ends when the link is followed: there too.
ACCOUNT_SIGNUP_REDIRECT_URL = "/welcome/"
# Private by default (forum/privacy.py): robots.txt and noindex keep search engines out
# of everything members write unless this is set.
FORUM_ALLOW_SEARCH_ENGINES = envbool("FORUM_ALLOW_SEARCH_ENGINES", False)
# Where the quick-exit button (and Esc pressed three times) goes: a neutral page.
FORUM_QUICK_EXIT_URL = os.environ.get("FORUM_QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")
# Links in emails (notifications, digests, crisis escalations) and live alerts start with
# this. Production must set it to the site's https:// address (forum/checks.py says so).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")
FORUM_THREADS_PER_PAGE = envint("FORUM_THREADS_PER_PAGE", 25)
# Top-level replies per page of a thread, each with all its answers: 10 gives pages of
# about 35 posts on a busy thread, a phone's worth of reading and under 60 KB for a member
# (docs/performance.md, "Page weight").
FORUM_REPLIES_PER_PAGE = envint("FORUM_REPLIES_PER_PAGE", 10)
FORUM_MAX_DISPLAY_DEPTH = 3
FORUM_TITLE_MAX_LENGTH = 150
FORUM_BODY_MAX_LENGTH = 20_000
CSRF_FAILURE_VIEW = "safety.errors.csrf_failure"
# Where `manage.py build_static_help` writes the copy of /help/ and the 503 page that the
# proxy serves when no worker answers (docs/deploy.md).
OFFLINE_PAGES_ROOT = Path(os.environ.get("OFFLINE_PAGES_ROOT", BASE_DIR / "offline"))
# @mentions notify at most this many members per post, and per author per day (the
# names beyond still link to profiles): one account cannot page a whole community.
FORUM_MENTIONS_PER_POST = envint("FORUM_MENTIONS_PER_POST", 10)
FORUM_MENTIONS_PER_DAY = envint("FORUM_MENTIONS_PER_DAY", 30)
# Per member: (times, seconds). Each reaction and edit makes the thread's cached pages
# stale and is broadcast to its readers; each crisis check runs the patterns over a draft.
FORUM_RATE_LIMITS_ENABLED = envbool("FORUM_RATE_LIMITS_ENABLED", True)
FORUM_RATE_LIMITS = {
    "react": (30, 60),
    "edit": (10, 10 * 60),
    "crisis_check": (30, 60),
}

# Moderation (issue 4). Limits modelled on Discourse's defaults for new users.
MODERATION_PREMODERATE_FIRST_POSTS = envint("MODERATION_PREMODERATE_FIRST_POSTS", 2)
# Reports hide a post before a moderator looks when their weights add up to this.
# A report weighs 0 unless its author has a verified address, is not suspended, is past
# MODERATION_NEW_MEMBER_PERIOD and has MODERATION_REPORT_MIN_POSTS published posts; then
# 1, plus a quarter per earlier upheld report (at most 2 more), minus a half per
# rejected one (moderation/services/reports.py, reporter_weight). Moderators' posts are
# never hidden this way. Every report reaches the queue whatever it weighs.
MODERATION_REPORT_THRESHOLD = envint("MODERATION_REPORT_THRESHOLD", 3)
MODERATION_REPORT_MIN_POSTS = envint("MODERATION_REPORT_MIN_POSTS", 3)
# A claim on a queue item lapses when its holder has not acted on it for this long (seconds).
MODERATION_CLAIM_IDLE = envint("MODERATION_CLAIM_IDLE", 30 * 60)
# How long review usually takes, told to an author whose post is held, when there are
# too few recent reviews to measure it (seconds).
MODERATION_TYPICAL_REVIEW = envint("MODERATION_TYPICAL_REVIEW", 12 * 60 * 60)
# Distressing items (crisis and reported posts) a moderator opens in a shift before the
# queue suggests a break; a shift ends after MODERATION_SHIFT_GAP seconds away.
MODERATION_BREAK_AFTER = envint("MODERATION_BREAK_AFTER", 8)
MODERATION_SHIFT_GAP = envint("MODERATION_SHIFT_GAP", 4 * 60 * 60)
MODERATION_RATE_LIMITS_ENABLED = envbool("MODERATION_RATE_LIMITS_ENABLED", True)
MODERATION_NEW_MEMBER_PERIOD = envint("MODERATION_NEW_MEMBER_PERIOD", 24 * 60 * 60)  # seconds
MODERATION_NEW_MEMBER_POST_INTERVAL = envint("MODERATION_NEW_MEMBER_POST_INTERVAL", 30)
MODERATION_POST_INTERVAL = envint("MODERATION_POST_INTERVAL", 5)
MODERATION_NEW_MEMBER_MAX_THREADS = envint("MODERATION_NEW_MEMBER_MAX_THREADS", 3)
MODERATION_NEW_MEMBER_MAX_REPLIES = envint("MODERATION_NEW_MEMBER_MAX_REPLIES", 10)
MODERATION_DUPLICATE_WINDOW = envint("MODERATION_DUPLICATE_WINDOW", 5 * 60)
# Urgent crisis items: email whoever is on call (then every moderator) when nobody has
# pressed "I'm on it" after this long, and again between escalations (seconds) ...
MODERATION_CRISIS_ESCALATE_AFTER = envint("MODERATION_CRISIS_ESCALATE_AFTER", 15 * 60)
# ... and when someone is on it but no outcome has been recorded after this long.
MODERATION_CRISIS_REESCALATE_AFTER = envint("MODERATION_CRISIS_REESCALATE_AFTER", 2 * 60 * 60)
