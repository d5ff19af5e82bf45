"""Beatbridge settings: one module, every deployment value read from the environment.

A bad value raises ImproperlyConfigured naming the variable. With nothing set,
the defaults serve the demo on one machine: SQLite and a file cache under
``var/``. Production sets ``DEBUG=0`` (the default), ``SECRET_KEY`` (or
``SECRET_KEY_FILE``), ``ALLOWED_HOSTS`` and ``DATABASE_URL``; see docs/operating.md.
"""

from __future__ import annotations

import os
import secrets
import zoneinfo
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}."
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _secret_key(data_dir: Path) -> str:
    """SECRET_KEY, SECRET_KEY_FILE, or else a random key generated once and kept under var/.

    The kept key suits one machine; several web servers must share SECRET_KEY.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    if key_file := os.environ.get("SECRET_KEY_FILE"):
        try:
            return Path(key_file).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"SECRET_KEY_FILE cannot be read: {error}.") from None
    key_path = data_dir / "secret_key"
    if not key_path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_path.write_text(secrets.token_urlsafe(50))
        key_path.chmod(0o600)
    return key_path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
DATA_DIR = Path(os.environ.get("BEATBRIDGE_DATA_DIR", BASE_DIR / "var"))
SECRET_KEY = _secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS is assumed in production; the demo on http://127.0.0.1 sets HTTPS=0.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "beatbridge.web",
    "beatbridge.places",
    "beatbridge.accounts",
    "beatbridge.audit",
    "beatbridge.notify",
    "beatbridge.reports",
    "beatbridge.open311",
    "beatbridge.voice",
    "beatbridge.watch",
    "beatbridge.partners",
    "beatbridge.crimedata",
    "beatbridge.problems",
    "beatbridge.policeuk",
    "beatbridge.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "beatbridge.accounts.middleware.preferred_language_middleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "beatbridge.urls"
WSGI_APPLICATION = "beatbridge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "beatbridge.web.context_processors.site",
            ],
        },
    },
]

_default_database = f"sqlite:///{DATA_DIR / 'beatbridge.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL", _default_database),
            conn_max_age=env_int("CONN_MAX_AGE", 600),
            conn_health_checks=True,
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a database URL we understand: {error}."
    ) from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and a writer share the file across gunicorn workers. A 64 MiB page
    # cache (SQLite's default is 2 MiB) keeps crime imports from re-reading their indexes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if DATABASES["default"]["NAME"] == ":memory:" else 600
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if redis_url := os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
else:
    # A file cache is shared by every gunicorn worker on the machine, with no server to run.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            # Cached pages number neighbourhoods times languages; the default 300 would churn.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Background tasks. The database backend needs no server beside the database itself;
# `beatbridge db_worker` runs what is queued (make run starts one). Enqueued inside a
# transaction, a task is queued only if that transaction commits.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# With REDIS_URL the same tasks go to Redis and RQ workers run them, on as many machines
# as a city needs (`beatbridge worker` on each). Tasks are enqueued after their
# transaction commits either way (transaction.on_commit), so Redis never runs ahead.
if redis_url:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 600}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "places:home"
# Failed sign-ins allowed per e-mail address (and per client) before a pause.
LOGIN_ATTEMPT_LIMIT = env_int("LOGIN_ATTEMPT_LIMIT", 5, minimum=1)
LOGIN_ATTEMPT_WINDOW_SECONDS = env_int("LOGIN_ATTEMPT_WINDOW_SECONDS", 900, minimum=1)

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
_language_codes = [code for code, _name in LANGUAGES]
if LANGUAGE_CODE not in _language_codes:
    raise ImproperlyConfigured(
        f"LANGUAGE_CODE must be one of {', '.join(_language_codes)}; got {LANGUAGE_CODE!r}."
    )
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Los_Angeles")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (ValueError, zoneinfo.ZoneInfoNotFoundError):
    raise ImproperlyConfigured(
        f"TIME_ZONE must be an IANA time zone such as 'Europe/London'; got {TIME_ZONE!r}."
    ) from None
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

if email_host := os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = email_host
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    # A mail server that hangs must not hold a worker for ever: give up and try again later.
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
else:
    # With no mail server, messages are written as files under var/mail for the operator.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Beatbridge <no-reply@beatbridge.invalid>"
)
# Where people reach the site: the links in e-mails, which have no request to take it from.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Reports: photos are checked by content and re-encoded within these limits.
REPORT_PHOTO_MAX_BYTES = env_int("REPORT_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
REPORT_PHOTO_MAX_PIXELS = env_int("REPORT_PHOTO_MAX_PIXELS", 40_000_000)
REPORT_PHOTO_MAX_EDGE = env_int("REPORT_PHOTO_MAX_EDGE", 2048)
# Duplicate suggestions: the same category within this distance and time of each other.
REPORT_DUPLICATE_DISTANCE_METRES = env_int("REPORT_DUPLICATE_DISTANCE_METRES", 200)
REPORT_DUPLICATE_WINDOW_DAYS = env_int("REPORT_DUPLICATE_WINDOW_DAYS", 14)
# New reports one client (an address, or an IPv6 /64) may send an hour through the pages and API.
REPORT_SUBMISSIONS_PER_HOUR = env_int("REPORT_SUBMISSIONS_PER_HOUR", 20, minimum=1)
# Every message (a reporter's e-mail, a reminder, an alert) is tried this many times, with
# growing pauses, before it is recorded as failed.
NOTIFY_ATTEMPTS = env_int("NOTIFY_ATTEMPTS", 5, minimum=1)

# Alerts. Text messages go through SMS_BACKEND (beatbridge.notify.sms: ConsoleBackend,
# FileBackend writing var/sms, LocmemBackend for tests, or a gateway adapter of your own).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "beatbridge.notify.sms.FileBackend")
SMS_FILE_PATH = DATA_DIR / "sms"
# The token an SMS gateway's delivery receipts must carry (receipts are refused without one).
SMS_RECEIPT_TOKEN = os.environ.get("SMS_RECEIPT_TOKEN", "")
# Webhooks and gateways that do not answer within this many seconds are tried again later.
NOTIFY_HTTP_TIMEOUT = env_int("NOTIFY_HTTP_TIMEOUT", 10, minimum=1)
# Webhooks go to public https addresses only, unless these allow plain http or a private
# network (a partner system inside the same network as the server).
NOTIFY_WEBHOOK_ALLOW_HTTP = env_bool("NOTIFY_WEBHOOK_ALLOW_HTTP", False)
NOTIFY_WEBHOOK_ALLOW_PRIVATE = env_bool("NOTIFY_WEBHOOK_ALLOW_PRIVATE", False)
# Alerts one author may send an hour; the hour of the day (site time) digests go out.
NOTIFY_ALERTS_PER_HOUR = env_int("NOTIFY_ALERTS_PER_HOUR", 10, minimum=1)
NOTIFY_DIGEST_HOUR = env_int("NOTIFY_DIGEST_HOUR", 7)
if not 0 <= NOTIFY_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured("NOTIFY_DIGEST_HOUR must be an hour from 0 to 23.")
# Rows written and sent per batch when an alert fans out.
NOTIFY_BATCH_SIZE = env_int("NOTIFY_BATCH_SIZE", 500, minimum=1)

# Map tiles are optional: with no tile server the boundary still draws on a blank map.
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "")
MAP_TILES_ATTRIBUTION = os.environ.get("MAP_TILES_ATTRIBUTION", "")

# Shown on every page: Beatbridge is not an emergency service.
EMERGENCY_NUMBER = os.environ.get("EMERGENCY_NUMBER", "911")

NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 1000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Request logs carry paths and client addresses; keep them out at INFO.
    "loggers": {"django.request": {"level": "ERROR"}, "django.server": {"level": "WARNING"}},
}
