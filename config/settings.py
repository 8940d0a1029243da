"""Settings for the forum, read from the environment.

Defaults run a newcomer's machine: SQLite, the in-memory channel layer, local-memory
cache, email on the console. Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL and REDIS_URL (see docs/deploy.md).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

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


DEBUG = envbool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-not-secret-change-me-in-production-0123456789abcdefghijklmnop"  # noqa: S105 - DEBUG only
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY

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
    "accounts",
    "forum",
    "safety",
    "moderation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forum.context_processors.site",
                "safety.context_processors.crisis_lines",
                "moderation.context_processors.moderation",
            ],
        },
    },
]

ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
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
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 reads with a 5 s socket timeout by default, no longer than
                # channels_redis's 5 s blocking pop: give the pop room (redis-py #4091).
                # and redis-py 8 caps a pool at 100 connections, raising past that: a burst
                # of readers arriving at once needs more (each join borrows one).
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15, "max_connections": 1000}],
                "prefix": os.environ.get("CHANNELS_PREFIX", "forum"),
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_PREFIX", "forum"),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

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

# django-allauth: log in with username or email; verification is required to post
# (enforced by forum.permissions.can_post), not to log in or read.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Adds the required "I have read the community guidelines" box; its date is stored.
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS_ENABLED = True  # allauth's defaults; they use the cache above.
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
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
SITE_NAME = os.environ.get("SITE_NAME", "Common Ground")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: production values whenever DEBUG is off.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
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
# allauth's emails start their subjects with it too, and say nothing of the host.
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{SITE_NAME}: "
# After confirming their email address, a new member lands on a short welcome.
ACCOUNT_EMAIL_CONFIRMATION_AUTHENTICATED_REDIRECT_URL = "/welcome/"
ACCOUNT_EMAIL_CONFIRMATION_ANONYMOUS_REDIRECT_URL = "/welcome/"
# Private by default (forum/privacy.py): robots.txt and noindex keep search engines out
# of everything members write unless this is set.
FORUM_ALLOW_SEARCH_ENGINES = envbool("FORUM_ALLOW_SEARCH_ENGINES", False)
# Where the quick-exit button (and Esc pressed three times) goes: a neutral page.
FORUM_QUICK_EXIT_URL = os.environ.get("FORUM_QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")
# Links in emails (notifications, digests) start with this.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The crisis banner's region for readers who have not chosen one (safety.resources).
CRISIS_DEFAULT_REGION = os.environ.get("CRISIS_DEFAULT_REGION", "CA")
FORUM_THREADS_PER_PAGE = envint("FORUM_THREADS_PER_PAGE", 25)
FORUM_REPLIES_PER_PAGE = envint("FORUM_REPLIES_PER_PAGE", 20)
FORUM_MAX_DISPLAY_DEPTH = 3
FORUM_TITLE_MAX_LENGTH = 150
FORUM_BODY_MAX_LENGTH = 20_000
CSRF_FAILURE_VIEW = "forum.views.csrf_failure"

# Moderation (issue 4). Limits modelled on Discourse's defaults for new users.
MODERATION_PREMODERATE_FIRST_POSTS = envint("MODERATION_PREMODERATE_FIRST_POSTS", 2)
MODERATION_REPORT_THRESHOLD = envint("MODERATION_REPORT_THRESHOLD", 3)
MODERATION_RATE_LIMITS_ENABLED = envbool("MODERATION_RATE_LIMITS_ENABLED", True)
MODERATION_NEW_MEMBER_PERIOD = envint("MODERATION_NEW_MEMBER_PERIOD", 24 * 60 * 60)  # seconds
MODERATION_NEW_MEMBER_POST_INTERVAL = envint("MODERATION_NEW_MEMBER_POST_INTERVAL", 30)
MODERATION_POST_INTERVAL = envint("MODERATION_POST_INTERVAL", 5)
MODERATION_NEW_MEMBER_MAX_THREADS = envint("MODERATION_NEW_MEMBER_MAX_THREADS", 3)
MODERATION_NEW_MEMBER_MAX_REPLIES = envint("MODERATION_NEW_MEMBER_MAX_REPLIES", 10)
MODERATION_DUPLICATE_WINDOW = envint("MODERATION_DUPLICATE_WINDOW", 5 * 60)
MODERATION_CRISIS_ESCALATE_AFTER = envint("MODERATION_CRISIS_ESCALATE_AFTER", 15 * 60)  # seconds
