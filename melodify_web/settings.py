"""Settings from the environment, with defaults that run on one machine with nothing else installed.

Embedded mode (default): SQLite + local files in MELODIFY_DATA_DIR, job processes the server starts.
Scale-out mode: REDIS_URL switches jobs to Celery; DATABASE_URL (Postgres) and MELODIFY_STORAGE
(gcs|s3) put the state and the files where every machine can reach them.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
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


# Production (MELODIFY_PRODUCTION=1, e.g. Cloud Run behind its HTTPS front end): the secret key must come
# from the environment, and the site is HTTPS only; each setting below can still be set on its own.
PRODUCTION = env_bool("MELODIFY_PRODUCTION")
if PRODUCTION and not env("SECRET_KEY"):
    raise ImproperlyConfigured("MELODIFY_PRODUCTION=1 needs SECRET_KEY in the environment (50 or more random "
                               "characters, e.g. from your secret manager); it is never read from a file there")
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
    "melodify_web.security.ContentSecurityPolicyMiddleware",
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
# Buckets stay private: every file is reached through a signed URL that expires.
MELODIFY_SIGNED_URL_SECONDS = env_int("MELODIFY_SIGNED_URL_SECONDS", 900)
GS_BUCKET_NAME = env("GS_BUCKET_NAME") or None
GS_QUERYSTRING_AUTH = True
GS_EXPIRATION = timedelta(seconds=MELODIFY_SIGNED_URL_SECONDS)
GS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = True
AWS_QUERYSTRING_EXPIRE = MELODIFY_SIGNED_URL_SECONDS
AWS_DEFAULT_ACL = None
AWS_S3_SIGNATURE_VERSION = "s3v4"   # SigV4: the signing every region takes (SigV2 is retired)
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME") or None
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME") or None
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL") or None
if MELODIFY_STORAGE == "gcs" and not GS_BUCKET_NAME:
    raise ImproperlyConfigured("MELODIFY_STORAGE=gcs needs GS_BUCKET_NAME (and Google credentials)")
if MELODIFY_STORAGE == "s3" and not AWS_STORAGE_BUCKET_NAME:
    raise ImproperlyConfigured("MELODIFY_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME (and AWS credentials)")

# Uploads: refuse big bodies before reading them (UploadLimitMiddleware), spill files > 5 MB to disk.
MELODIFY_MAX_UPLOAD_MB = env_int("MELODIFY_MAX_UPLOAD_MB", 64)   # a 200 MP phone JPEG is 40-60 MB
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
MELODIFY_TIME_LIMIT = env_int("MELODIFY_TIME_LIMIT", 300)   # soft limit, seconds: the track fails saying so
# Hard limit: the job's process is killed (a hang in native code never hears the soft one). Celery's
# threads pool (model engines, `--pool=threads`) has neither: a thread cannot be stopped from outside.
MELODIFY_HARD_TIME_LIMIT = env_int("MELODIFY_HARD_TIME_LIMIT", MELODIFY_TIME_LIMIT + 30)
MELODIFY_RETRY_DELAY = env_int("MELODIFY_RETRY_DELAY", 2)          # seconds before the 2nd attempt; doubles
MELODIFY_RETRY_MAX_DELAY = env_int("MELODIFY_RETRY_MAX_DELAY", 120)
# Lost runners: a running job beats its row every HEARTBEAT seconds; a row silent for STALE seconds has
# lost its runner (a killed worker), and a sweep every SWEEP seconds (in each Celery worker) sends it again.
MELODIFY_HEARTBEAT_SECONDS = env_int("MELODIFY_HEARTBEAT_SECONDS", 5)
MELODIFY_STALE_SECONDS = env_int("MELODIFY_STALE_SECONDS", 30)
MELODIFY_SWEEP_SECONDS = env_int("MELODIFY_SWEEP_SECONDS", 10)

# Load: the embedded server runs this many jobs at once; over MAX_QUEUE queued tracks, or over
# UPLOADS_PER_MINUTE from one owner, the API answers 429 with Retry-After (0: no limit).
MELODIFY_EMBEDDED_JOBS = env_int("MELODIFY_EMBEDDED_JOBS", os.cpu_count() or 1)
MELODIFY_MAX_QUEUE = env_int("MELODIFY_MAX_QUEUE", 1000)
MELODIFY_UPLOADS_PER_MINUTE = env_int("MELODIFY_UPLOADS_PER_MINUTE", 60)

# Jobs: Celery over Redis when REDIS_URL is set (scale-out), else the server's own job processes.
REDIS_URL = env("REDIS_URL")
MELODIFY_SCALE_OUT = bool(REDIS_URL)
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ACKS_LATE = True                 # a job lost with its worker is delivered again...
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1        # ...and a busy worker does not hoard queued jobs
CELERY_TASK_SOFT_TIME_LIMIT = MELODIFY_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = MELODIFY_HARD_TIME_LIMIT
# Redis re-delivers unacked jobs after visibility_timeout: it must outlast the longest job.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 300}
CELERY_TASK_IGNORE_RESULT = True             # state lives on the Track row, not in a result backend
CELERY_TASK_DEFAULT_QUEUE = "melodify"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The API sends jobs while a person waits: with Redis down it answers 503 in about a second, not minutes.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}

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

# Logs: plain lines for a person (default), JSON lines with the track id for a log service (the images).
MELODIFY_LOG_FORMAT = env("MELODIFY_LOG_FORMAT", "plain").strip().lower()
if MELODIFY_LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"MELODIFY_LOG_FORMAT={MELODIFY_LOG_FORMAT!r} is unknown; use plain or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"track": {"()": "melodify_web.logs.TrackFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
                   "json": {"()": "melodify_web.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": MELODIFY_LOG_FORMAT,
                             "filters": ["track"]}},
    "loggers": {
        "melodify_web": {"handlers": ["console"], "level": env("MELODIFY_LOG_LEVEL", "INFO"), "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]   # the platform's own probes may come over plain HTTP
# The front end terminates TLS and says so in X-Forwarded-Proto (only trust it behind such a proxy).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("MELODIFY_BEHIND_PROXY", PRODUCTION) else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
