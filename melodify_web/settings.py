"""Settings from the environment, with defaults that run on one machine with nothing else installed.

Embedded mode (default): SQLite + local files in MELODIFY_DATA_DIR, a worker thread inside the server.
Scale-out mode: REDIS_URL switches jobs to Celery; DATABASE_URL (Postgres) and MELODIFY_STORAGE
(gcs|s3) put the state and the files where every machine can reach them.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in ("1", "true", "yes", "on")


def env_int(name: str, default: int) -> int:
    value = env(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env("MELODIFY_DATA_DIR", "var")).expanduser().resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY, else one generated on first start and kept in the data dir (stable across restarts)."""
    if env("SECRET_KEY"):
        return env("SECRET_KEY")
    path = DATA_DIR / "secret_key"
    if not path.exists():
        tmp = path.with_name(f".secret_key.{os.getpid()}")
        tmp.write_text(secrets.token_urlsafe(50))
        tmp.replace(path)  # atomic: two processes starting at once agree on one key
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "melodify_web.tracks",
    "melodify_web.pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "melodify_web.tracks.owner.UploadLimitMiddleware",   # after Locale: its error page is in the page language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "melodify_web.tracks.owner.OwnerMiddleware",
]

ROOT_URLCONF = "melodify_web.urls"
WSGI_APPLICATION = "melodify_web.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.template.context_processors.static",
        "django.template.context_processors.csrf",
    ]},
}]

# Database: DATABASE_URL (e.g. postgres://user@host:5432/melodify), else SQLite in the data dir.
if env("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL"), conn_max_age=60)}
else:
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "db.sqlite3",
        # WAL lets the worker thread write while pages read; IMMEDIATE avoids lock-upgrade deadlocks.
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                    "transaction_mode": "IMMEDIATE", "timeout": 20},
        # Tests use a file too: an in-memory database locks whole tables against the worker thread.
        "TEST": {"NAME": str(DATA_DIR / "test_db.sqlite3")},
    }}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Internationalisation: browser language, switchable at /i18n/setlang/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ko", "한국어")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# Files. Static: whitenoise straight from the apps (no collectstatic needed for `make run`).
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"   # collectstatic target (optional: whitenoise also serves from the apps)
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

MELODIFY_STORAGE = env("MELODIFY_STORAGE", "local").strip().lower()
_STORAGE_BACKENDS = {
    "local": {"BACKEND": "django.core.files.storage.FileSystemStorage",
              "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": MEDIA_URL}},
    # django-storages reads its usual settings from the environment below (GS_*, AWS_*).
    "gcs": {"BACKEND": "storages.backends.gcloud.GoogleCloudStorage"},
    "s3": {"BACKEND": "storages.backends.s3.S3Storage"},
}
if MELODIFY_STORAGE not in _STORAGE_BACKENDS:
    raise ImproperlyConfigured(f"MELODIFY_STORAGE={MELODIFY_STORAGE!r} is unknown; use local, gcs or s3")
STORAGES = {
    "default": _STORAGE_BACKENDS[MELODIFY_STORAGE],
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
GS_BUCKET_NAME = env("GS_BUCKET_NAME") or None
GS_QUERYSTRING_AUTH = env_bool("GS_QUERYSTRING_AUTH", True)
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME") or None
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME") or None
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL") or None
if MELODIFY_STORAGE == "gcs" and not GS_BUCKET_NAME:
    raise ImproperlyConfigured("MELODIFY_STORAGE=gcs needs GS_BUCKET_NAME (and Google credentials)")
if MELODIFY_STORAGE == "s3" and not AWS_STORAGE_BUCKET_NAME:
    raise ImproperlyConfigured("MELODIFY_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME (and AWS credentials)")

# Uploads: refuse big bodies before reading them (UploadLimitMiddleware), spill files > 5 MB to disk.
MELODIFY_MAX_UPLOAD_MB = env_int("MELODIFY_MAX_UPLOAD_MB", 25)
MELODIFY_MAX_UPLOAD_BYTES = MELODIFY_MAX_UPLOAD_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440   # non-file form fields only

# A photo by URL: the server fetches it (http/https, public addresses only, capped in size and time).
# MELODIFY_FETCH_PRIVATE=1 lets it fetch from loopback and private networks (tests, an intranet).
MELODIFY_FETCH_PRIVATE = env_bool("MELODIFY_FETCH_PRIVATE")
MELODIFY_FETCH_TIMEOUT = env_int("MELODIFY_FETCH_TIMEOUT", 10)   # seconds for the whole fetch

# KakaoTalk sharing: the JavaScript key of a Kakao Developers app (its domain registered there).
MELODIFY_KAKAO_APP_KEY = env("MELODIFY_KAKAO_APP_KEY")
MELODIFY_KAKAO_SDK_URL = env("MELODIFY_KAKAO_SDK_URL", "https://t1.kakaocdn.net/kakao_js_sdk/2.7.2/kakao.min.js")

# Engines: one per stage, with its model (hub id or path) and device; `melodify engines` lists them.
# `melodify serve` and `melodify worker` refuse to start with one that is unknown or cannot run here.
MELODIFY_READER = env("MELODIFY_READER", "embedded")
MELODIFY_READER_MODEL = env("MELODIFY_READER_MODEL")
MELODIFY_READER_DEVICE = env("MELODIFY_READER_DEVICE")
MELODIFY_BRIEFER = env("MELODIFY_BRIEFER", "embedded")
MELODIFY_BRIEFER_MODEL = env("MELODIFY_BRIEFER_MODEL")
MELODIFY_BRIEFER_DEVICE = env("MELODIFY_BRIEFER_DEVICE")
MELODIFY_COMPOSER = env("MELODIFY_COMPOSER", "embedded")
MELODIFY_COMPOSER_MODEL = env("MELODIFY_COMPOSER_MODEL")
MELODIFY_COMPOSER_DEVICE = env("MELODIFY_COMPOSER_DEVICE")

# Jobs: attempts, time limits, and the backoff between retries of a passing fault or a crash.
MELODIFY_MAX_ATTEMPTS = env_int("MELODIFY_MAX_ATTEMPTS", 3)
MELODIFY_TIME_LIMIT = env_int("MELODIFY_TIME_LIMIT", 300)   # soft limit, seconds; hard = soft + 30
MELODIFY_RETRY_DELAY = env_int("MELODIFY_RETRY_DELAY", 2)          # seconds before the 2nd attempt; doubles
MELODIFY_RETRY_MAX_DELAY = env_int("MELODIFY_RETRY_MAX_DELAY", 120)

# Jobs: Celery over Redis when REDIS_URL is set (scale-out), else the embedded worker thread.
REDIS_URL = env("REDIS_URL")
MELODIFY_SCALE_OUT = bool(REDIS_URL)
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ACKS_LATE = True                 # a job lost with its worker is delivered again...
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1        # ...and a busy worker does not hoard queued jobs
CELERY_TASK_SOFT_TIME_LIMIT = MELODIFY_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = MELODIFY_TIME_LIMIT + 30
# Redis re-delivers unacked jobs after visibility_timeout: it must outlast the longest job.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 300}
CELERY_TASK_IGNORE_RESULT = True             # state lives on the Track row, not in a result backend
CELERY_TASK_DEFAULT_QUEUE = "melodify"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],    # the owner cookie/header is all there is: no CSRF for fetch()
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "melodify_web.tracks.http_errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Melodify API",
    "DESCRIPTION": "A photo becomes original music. Create a track from an image (202), poll it, download it.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No deep links: Swagger UI puts them as links inside each operation's button (nested controls).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "melodify_web.tracks.schema.form_examples"],
    "COMPONENT_SPLIT_REQUEST": True,   # request shapes apart: the photo is a binary file there, not a URL
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "melodify_web": {"handlers": ["console"], "level": env("MELODIFY_LOG_LEVEL", "INFO"), "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
