"""Settings presets to spread into a project's settings.

    from django_typed_api import presets

    REST_FRAMEWORK = {**presets.REST_FRAMEWORK, "PAGE_SIZE": 20}
    SPECTACULAR_SETTINGS = {**presets.SPECTACULAR_SETTINGS, "TITLE": "Jobs API"}

Each key is one that a typed client depends on; everything else stays DRF's default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from . import conf

REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_SCHEMA_CLASS": "django_typed_api.openapi.TypedAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "django_typed_api.pagination.TypedPageNumberPagination",
    "PAGE_SIZE": 20,
    # JSON only: what is documented is what is accepted, and a generated client sees one
    # content type per body instead of three. Views that take uploads set parser_classes.
    # (TypedJSONParser: DRF's JSONParser that answers 413 past DATA_UPLOAD_MAX_MEMORY_SIZE.)
    "DEFAULT_PARSER_CLASSES": ["django_typed_api.parsers.TypedJSONParser"],
    # Every error, DRF's or Django's, answers {"error", "status_code", "message", "code"}
    # (with ErrorEnvelopeMiddleware for errors outside DRF views: system check E020).
    "EXCEPTION_HANDLER": "django_typed_api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_FILTER_BACKENDS": [
        "django_typed_api.filters.TypedDjangoFilterBackend",
        "django_typed_api.filters.TypedSearchFilter",
        "django_typed_api.filters.TypedOrderingFilter",
    ],
    # Bearer JWT only (access token in the Authorization header); the token checks the logout
    # denylist. No SessionAuthentication: a cookie that authenticates every endpoint would
    # need CSRF tokens on every unsafe call of the SPA.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "django_typed_api.auth.authentication.TypedJWTAuthentication",
    ],
    # Secure by default: reading is public, writing needs a signed-in user. Views open up
    # (AllowAny) or close down (IsAuthenticated) explicitly.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON; DRF's browsable API only with DEBUG on (TypedContentNegotiation drops it
    # otherwise). Errors are JSON whatever Accept says. TypedJSONRenderer: JSONRenderer's
    # bytes with one shared encoder.
    "DEFAULT_RENDERER_CLASSES": [
        "django_typed_api.renderers.TypedJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "django_typed_api.negotiation.TypedContentNegotiation",
}

SPECTACULAR_SETTINGS: dict[str, Any] = {
    # Separate Vacancy / VacancyRequest components: read-only fields (id, created_at) are
    # required in responses and absent from request bodies, so TypeScript gets both right.
    "COMPONENT_SPLIT_REQUEST": True,
    # Our enum naming replaces drf-spectacular's (see django_typed_api.openapi.enums).
    "POSTPROCESSING_HOOKS": ["django_typed_api.openapi.enums.postprocess_enums"],
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from drf-spectacular-sidecar's static files, not a CDN: the docs
    # work offline and behind a strict CSP. Needs "drf_spectacular_sidecar" in INSTALLED_APPS.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

#: simplejwt, tuned for a browser SPA. Needs "rest_framework_simplejwt.token_blacklist" in
#: INSTALLED_APPS (and ``migrate``): rotation and logout blacklist refresh tokens there.
SIMPLE_JWT: dict[str, Any] = {
    # Short: a leaked access token is worth minutes, and logout revokes it at once anyway.
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=5),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=7),
    # Every refresh answers a new refresh token and blacklists the one used, so a stolen
    # refresh token is good for one use, and its replay by the owner shows up as a 401.
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "AUTH_TOKEN_CLASSES": ("rest_framework_simplejwt.tokens.AccessToken",),
}


def cors(
    origins: Iterable[str],
    *,
    refresh_cookie: bool = False,
    api_paths: Iterable[str] = tuple(conf.DEFAULTS["API_PATHS"]),
) -> dict[str, Any]:
    """django-cors-headers settings for a front end served from other origins.

    ``CORS_ALLOWED_ORIGINS`` are exactly ``origins`` (never a wildcard), only for the API's
    paths (pass ``api_paths=TYPED_API["API_PATHS"]`` when the project changed them; system
    check W004 compares the two). The browser may send ``Authorization``, ``Content-Type``,
    ``If-Match`` (lost-update protection) and ``X-CSRFToken`` and may read ``ETag``, which
    the client sends back in If-Match. Credentials (cookies) are allowed only with
    ``refresh_cookie``: the refresh-cookie mode is the one thing that needs them; bearer
    tokens travel in a header::

        globals().update(
            presets.cors(
                ["http://127.0.0.1:5173"],
                refresh_cookie=TYPED_API.get("AUTH_REFRESH_COOKIE", False),
            )
        )
    """
    return {
        "CORS_ALLOWED_ORIGINS": list(origins),
        "CORS_URLS_REGEX": api_paths_regex(api_paths),
        "CORS_ALLOW_HEADERS": [
            "accept",
            "authorization",
            "content-type",
            "if-match",
            "x-csrftoken",
        ],
        "CORS_EXPOSE_HEADERS": ["ETag"],
        "CORS_ALLOW_CREDENTIALS": bool(refresh_cookie),
        "CORS_PREFLIGHT_MAX_AGE": 600,
    }


def api_paths_regex(api_paths: Iterable[str]) -> str:
    """A regular expression matching every path under ``api_paths``."""
    return "^(?:" + "|".join(re.escape(prefix) for prefix in api_paths) + ")"
