"""Settings of the vacancies project that every test, benchmark and demo runs against.

Embedded SQLite by default; PostgreSQL (or anything else) when ``DATABASE_URL`` is set.
"""

import os
from pathlib import Path

import dj_database_url

from django_typed_api import defaults

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "testproject-insecure-key-do-not-use-in-production"
)
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_typed_api",
    "vacancies",
]

MIDDLEWARE = [
    # Outermost: nosniff, Referrer-Policy, frame-ancestors on every API response (the error
    # envelopes below included) and Cache-Control: no-store on private ones.
    "django_typed_api.security.APISecurityHeadersMiddleware",
    # Then, so it sees every response: Django's HTML error pages under /api/ become the
    # JSON error envelope (unknown URL, CSRF failure, bad Host header, crash outside DRF).
    "django_typed_api.middleware.ErrorEnvelopeMiddleware",
    # Answers CORS preflights before anything else looks at them.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "testproject.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "testproject.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / os.environ.get('SQLITE_NAME', 'db.sqlite3')}",
        conn_max_age=60,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# The JWT denylist (logout) and the login throttle counters live in the cache. LocMemCache
# is per process: fine for tests and `make demo` (one process), wrong for several workers,
# where REDIS_URL (e.g. redis://127.0.0.1:6379/1) makes every process share one Redis.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "testproject"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SIMPLE_JWT = {**defaults.SIMPLE_JWT}
REST_FRAMEWORK = {**defaults.REST_FRAMEWORK, "PAGE_SIZE": 20}
SPECTACULAR_SETTINGS = {
    **defaults.SPECTACULAR_SETTINGS,
    "TITLE": "Vacancies API",
    "DESCRIPTION": "The django-typed-api test project: job vacancies.",
    "VERSION": "1.0.0",
}
TYPED_API = {
    "MAX_PAGE_SIZE": 100,
    # `manage.py sync_types` writes the reviewed golden schema and the frontend's types.
    "SCHEMA_PATH": "schema.yaml",
    "TYPES_PATH": "frontend/src/lib/api/backend-api-schema.d.ts",
    # Pinned, so the committed types only change when we upgrade on purpose.
    "TYPESCRIPT_COMMAND": [
        "npx",
        "--yes",
        "openapi-typescript@7.13.0",
        "{schema}",
        "--output",
        "{output}",
        "--default-non-nullable=false",
    ],
}

# A front end on a second origin (the SvelteKit dev server, `npm run dev`) may call the API:
# CORS_ALLOWED_ORIGINS is a comma-separated list, by default the dev server's origin when DEBUG
# is on and none otherwise. Credentials (cookies) only in the refresh-cookie mode.
CORS_ORIGINS = os.environ.get(
    "CORS_ALLOWED_ORIGINS", "http://127.0.0.1:5173,http://localhost:5173" if DEBUG else ""
)
globals().update(
    defaults.cors(
        [origin for origin in CORS_ORIGINS.split(",") if origin],
        refresh_cookie=TYPED_API.get("AUTH_REFRESH_COOKIE", False),
    )
)

# The browser end-to-end suite (make test-frontend) runs its server with a few-seconds access
# token, to watch the client refresh it transparently, and a loose login throttle, because
# every test signs in from a fresh browser context.
if os.environ.get("E2E_ACCESS_TOKEN_SECONDS"):
    from datetime import timedelta

    SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] = timedelta(
        seconds=int(os.environ["E2E_ACCESS_TOKEN_SECONDS"])
    )
if os.environ.get("E2E_LOGIN_THROTTLE_RATE"):
    TYPED_API["AUTH_LOGIN_THROTTLE_RATES"] = {
        "address": os.environ["E2E_LOGIN_THROTTLE_RATE"],
        "username": os.environ["E2E_LOGIN_THROTTLE_RATE"],
    }
