"""Settings of the vacancies project that every test, benchmark and demo runs against.

Embedded SQLite by default; PostgreSQL (or anything else) when ``DATABASE_URL`` is set.
With DEBUG off (the default) ``DJANGO_SECRET_KEY`` must be set: there is no fallback key, since
a published one lets anyone sign a token for any user (the Makefile and the test suite pass a
random one). ``DJANGO_HTTPS=1`` adds what a deployment behind TLS needs (``check --deploy``).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from django_typed_api import presets

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DEBUG off the testproject refuses to start "
            "without a secret key of its own: set DJANGO_SECRET_KEY (e.g. to the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), or DJANGO_DEBUG=1 "
            "for development."
        )
    SECRET_KEY = "testproject-development-only-key-used-with-debug-on"
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
    "django_typed_api.security_headers.APISecurityHeadersMiddleware",
    # Then, so it sees every response: Django's HTML error pages under /api/ become the
    # JSON error envelope (unknown URL, CSRF failure, bad Host header, crash outside DRF).
    "django_typed_api.errors.ErrorEnvelopeMiddleware",
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
        # A persistent connection is pinged before reuse, so after a database outage each
        # worker's first request reconnects instead of failing on the dead connection.
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploads (company logos, application CVs), under names the upload fields generate. Logos are
# served at MEDIA_URL (testproject/urls.py); CVs never are.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Every 500 is logged with its traceback on stderr (gunicorn's log), also with DEBUG off,
# where Django's default configuration only mails ADMINS (none here) and prints nothing.

# Behind TLS (DJANGO_HTTPS=1): HTTPS only, HSTS, secure cookies; `manage.py check --deploy`
# is clean then (tests/test_hardening.py). The proxy must set X-Forwarded-Proto.
if os.environ.get("DJANGO_HTTPS") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h] or [
        "localhost"
    ]

# The JWT denylist (logout) and the login throttle counters live in the cache. LocMemCache
# is per process: fine for tests and `make demo` (one process), wrong for several workers,
# where REDIS_URL (e.g. redis://127.0.0.1:6379/1) makes every process share one Redis.
# The database stays the source of truth for revoked tokens; short socket timeouts make a
# Redis outage cost a request milliseconds, not a hang.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "testproject"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SIMPLE_JWT = {**presets.SIMPLE_JWT}

# Warnings and errors on stderr, 5xx with their traceback, DEBUG on or off (Django's default
# logs django.request only with DEBUG on, or mails ADMINS): every 500 and 503 is recorded.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # With DEBUG on, Django's own console handler prints them already.
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["require_debug_false"],
        }
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    # 4xx answers are the client's business; 5xx are ours.
    "loggers": {"django.request": {"level": "ERROR"}},
}
REST_FRAMEWORK = {
    **presets.REST_FRAMEWORK,
    "PAGE_SIZE": 20,
    # Proxies in front of the app; the login throttle reads the client's address from
    # X-Forwarded-For only when this says so (0: clients connect directly, REMOTE_ADDR).
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    **presets.SPECTACULAR_SETTINGS,
    "TITLE": "Vacancies API",
    "DESCRIPTION": "The django-typed-api test project: job vacancies.",
    "VERSION": "1.0.0",
}
TYPED_API = {
    "MAX_PAGE_SIZE": 100,
    # `manage.py sync_types` writes the reviewed golden schema and the frontend's types.
    "SCHEMA_PATH": "schema.yaml",
    "TYPES_PATH": "frontend/src/lib/api/backend-api-schema.d.ts",
    # TYPESCRIPT_COMMAND unset: the types come from frontend/'s own openapi-typescript (7.13.0,
    # pinned in its package-lock.json), or the same version pinned by the package when
    # frontend/node_modules is not installed, so the committed types change only on purpose.
    # `manage.py runserver` keeps them in sync while it runs (DJANGO_SYNC_TYPES=0 turns it off).
    "SYNC_TYPES_ON_RUNSERVER": DEBUG and os.environ.get("DJANGO_SYNC_TYPES", "1") == "1",
}

# SSR mode (`make demo MODE=ssr`, the SSR browser tests): the SvelteKit server is in front and
# passes /api/ on, so Django reads the browser's host from X-Forwarded-Host (its CSRF origin
# check compares the two); the refresh token lives in an httpOnly cookie on every path of the
# site, so the SvelteKit server sees it on page requests and signs the user in while rendering.
if os.environ.get("TESTPROJECT_SSR") == "1":
    USE_X_FORWARDED_HOST = True
    TYPED_API["AUTH_REFRESH_COOKIE"] = True
    TYPED_API["AUTH_COOKIE_PATH"] = "/"

# A front end on a second origin (the SvelteKit dev server, `npm run dev`) may call the API:
# CORS_ALLOWED_ORIGINS is a comma-separated list, by default the dev server's origin when DEBUG
# is on and none otherwise. Credentials (cookies) only in the refresh-cookie mode.
CORS_ORIGINS = os.environ.get(
    "CORS_ALLOWED_ORIGINS", "http://127.0.0.1:5173,http://localhost:5173" if DEBUG else ""
)
globals().update(
    presets.cors(
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
