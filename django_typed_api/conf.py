"""The package's own settings, read from ``settings.TYPED_API``.

Follows DRF's ``api_settings`` pattern: one object, defaults in one dict, dotted import
strings resolved on access, and a reload on ``setting_changed`` so ``override_settings``
works in tests.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

DEFAULTS: dict[str, Any] = {
    # -- Naming, schema and pagination --
    # operationId verb for each standard action; override e.g. {"destroy": "delete"}.
    "OPERATION_VERBS": {
        "list": "list",
        "create": "create",
        "retrieve": "retrieve",
        "update": "update",
        "partial_update": "partialUpdate",
        "destroy": "destroy",
    },
    # Summary templates: ``{noun}`` is "vacancy", ``{nouns}`` "vacancies", ``{a_noun}``
    # "a vacancy" (humanized from the model name, so ``JobApplication`` is "job application").
    "SUMMARIES": {
        "list": "List {nouns}",
        "create": "Create {a_noun}",
        "retrieve": "Retrieve {a_noun}",
        "update": "Update {a_noun}",
        "partial_update": "Partially update {a_noun}",
        "destroy": "Delete {a_noun}",
    },
    # Extra words that make a custom action or function view name a verb phrase, added to
    # django_typed_api.naming.VERBS: ``["reindex"]`` names the action ``reindex`` on a
    # vacancy ``reindexVacancy`` instead of ``createReindexVacancy``.
    "ACTION_VERBS": [],
    # operationIds of well-known views, by dotted class path (subclasses inherit them); a
    # value is one id, or ``{"get": ..., "post": ...}`` per HTTP method. Entries here are
    # merged over these defaults; ``@extend_schema(operation_id=...)`` still wins.
    "OPERATION_IDS": {
        "rest_framework_simplejwt.views.TokenObtainPairView": "obtainTokenPair",
        "rest_framework_simplejwt.views.TokenRefreshView": "refreshTokenPair",
        "rest_framework_simplejwt.views.TokenVerifyView": "verifyToken",
        "rest_framework_simplejwt.views.TokenBlacklistView": "blacklistToken",
        "rest_framework_simplejwt.views.TokenObtainSlidingView": "obtainSlidingToken",
        "rest_framework_simplejwt.views.TokenRefreshSlidingView": "refreshSlidingToken",
        "rest_framework.authtoken.views.ObtainAuthToken": "obtainAuthToken",
        "dj_rest_auth.views.LoginView": "login",
        "dj_rest_auth.views.LogoutView": {"post": "logout", "get": "logoutWithGet"},
        "dj_rest_auth.views.PasswordResetView": "resetPassword",
        "dj_rest_auth.views.PasswordResetConfirmView": "confirmPasswordReset",
        "dj_rest_auth.views.PasswordChangeView": "changePassword",
        "dj_rest_auth.views.UserDetailsView": {
            "get": "retrieveUser",
            "put": "updateUser",
            "patch": "partialUpdateUser",
        },
        "dj_rest_auth.registration.views.RegisterView": "register",
        "dj_rest_auth.registration.views.VerifyEmailView": "verifyEmail",
        "dj_rest_auth.registration.views.ResendEmailVerificationView": "resendEmailVerification",
        "drf_spectacular.views.SpectacularAPIView": "retrieveSchema",
        "drf_spectacular.views.SpectacularJSONAPIView": "retrieveSchemaJson",
        "drf_spectacular.views.SpectacularYAMLAPIView": "retrieveSchemaYaml",
    },
    # Callable ``(singular: str) -> str`` that pluralises a CamelCase noun.
    "PLURALIZER": "django_typed_api.naming.pluralize",
    # Warn (a drf-spectacular warning, so ``--fail-on-warn`` fails) when a custom action
    # has no request/response annotation and would be documented with the viewset's serializer.
    "REQUIRE_ACTION_ANNOTATIONS": True,
    # Upper bound for ``?page_size=``.
    "MAX_PAGE_SIZE": 100,
    # -- The API --
    # Path prefixes of the API. Under them ErrorEnvelopeMiddleware turns Django's HTML error
    # pages (unknown URL, CSRF failure, bad Host header, crash outside DRF) into the envelope,
    # APISecurityHeadersMiddleware sets its headers, and ``presets.cors()`` allows CORS.
    "API_PATHS": ["/api/"],
    # -- Errors (django_typed_api.errors) --
    # Class (dotted path) that turns any exception into an ``APIException`` and answers it
    # with the envelope; subclass ErrorHandler to change one step.
    "ERROR_HANDLER": "django_typed_api.errors.handler.ErrorHandler",
    # Class (dotted path) that builds the error envelope's ``error``, ``message`` and
    # ``code`` and describes the envelope in the schema; subclass ErrorFormatter to change it.
    "ERROR_FORMATTER": "django_typed_api.errors.formatter.ErrorFormatter",
    # With DEBUG on, an unhandled exception shows Django's debug page (True) or the
    # ``server_error`` envelope with the exception's type and text (False). With DEBUG off it
    # is always the envelope, without exception text.
    "SERVER_ERROR_DEBUG_PAGE": True,
    # -- Strictness (django_typed_api.strict): what the schema documents is what is accepted --
    # Invalid query parameters (unknown filter choice, ``remote=maybe``, ``page_size=abc``,
    # unknown ordering field) are a 400. False restores DRF's lenient parsing: invalid
    # filters are ignored, page_size falls back to the default or is clamped to the maximum,
    # unknown ordering fields are dropped.
    "STRICT_QUERY_PARAMS": True,
    # JSON request bodies must have the JSON types the schema documents: ``0`` for a boolean,
    # ``7`` for a string, ``"7"`` for an integer or ``""`` for a UUID relation is a 400
    # instead of being coerced by DRF (django_typed_api.strict). False restores coercion.
    "STRICT_JSON_TYPES": True,
    # Work per request bounded by the request's size: a JSON list in a body (``ListField``,
    # ``many=True`` relations and serializers) longer than its field's ``max_length``, or this
    # when it has none, is refused at once with one error instead of being validated item by
    # item; the schema documents the bound as ``maxItems``. None: no package bound.
    "MAX_LIST_ITEMS": 1000,
    # At most this many item errors of one list are reported; the rest are summed up under
    # the key ``"..."`` (``["and 999990 more errors"]``), so an error body stays small.
    "MAX_ITEM_ERRORS": 10,
    # Lost-update protection (django_typed_api.concurrency): when True, PUT/PATCH/DELETE on
    # a TypedModelViewSet without an If-Match header is refused with 428; when False, the
    # header is checked only if sent.
    "REQUIRE_IF_MATCH": False,
    # -- JWT auth (django_typed_api.auth) --
    # Refresh-cookie mode: login and refresh put the refresh token in an httpOnly cookie
    # instead of the response body; refresh and logout read it (and then require the CSRF
    # header). Off by default: the body mode works for any client, the cookie mode is for a
    # browser SPA served from the same site as the API.
    "AUTH_REFRESH_COOKIE": False,
    # Name of the refresh-token cookie in refresh-cookie mode.
    "AUTH_COOKIE_NAME": "refresh_token",
    # None: the folder of the auth endpoints (``/api/auth/``), so the cookie travels only to
    # refresh and logout. Set it when the auth views are routed under different prefixes.
    "AUTH_COOKIE_PATH": None,
    # The cookie's Domain; None: only the host that served login (the safest choice).
    "AUTH_COOKIE_DOMAIN": None,
    # Browsers accept Secure cookies from http://localhost and http://127.0.0.1 too.
    "AUTH_COOKIE_SECURE": True,
    # "Strict", "Lax" or "None" (the last needs Secure and a cross-site setup; avoid it).
    "AUTH_COOKIE_SAMESITE": "Strict",
    # Login throttling, rates as in DRF ("5/min", "100/hour"); None disables one of them.
    # "address" counts attempts per client address, "username" per attempted username.
    # The counters live in AUTH_CACHE, so they hold across processes only on a shared cache.
    "AUTH_LOGIN_THROTTLE_RATES": {"address": "20/min", "username": "5/min"},
    # Cache alias for the access-token denylist (logout) and the login throttle counters.
    # LocMemCache is per process: use Redis/Memcached when running several workers.
    "AUTH_CACHE": "default",
    # -- Type sync (manage.py sync_types) --
    # ``manage.py sync_types``: where the schema goes (.yaml/.yml or .json picks the format)
    # and where openapi-typescript writes the types. Relative paths are relative to
    # ``settings.BASE_DIR`` when it is set, else to the working directory.
    "SCHEMA_PATH": "schema.yaml",
    "TYPES_PATH": "frontend/src/lib/api/backend-api-schema.d.ts",
    # None: openapi-typescript's JS API in one long-lived Node process (django_typed_api/
    # typesync/node/worker.mjs), from the front end's node_modules when it has openapi-typescript
    # (found from TYPES_PATH's folder upwards), else the version this package pins
    # (typesync/node/package-lock.json, installed once with ``npm ci`` into ~/.cache). Or a
    # command run per generation from the nearest existing folder of TYPES_PATH: ``{schema}``
    # and ``{output}`` are replaced by file paths, e.g. ``["npx", "openapi-typescript",
    # "{schema}", "--output", "{output}", "--default-non-nullable=false"]``.
    "TYPESCRIPT_COMMAND": None,
    # Options of openapi-typescript's JS API for the default generator (the CLI's flags in
    # camelCase). ``defaultNonNullable: False`` keeps request fields that have a server-side
    # default optional.
    "TYPESCRIPT_OPTIONS": {"defaultNonNullable": False},
    # Seconds the TypeScript generator may run (the first run may install the pinned one).
    "TYPESCRIPT_TIMEOUT": 300,
    # ``manage.py runserver`` also runs ``sync_types --watch`` (in its reloader's parent
    # process, so it survives the server's restarts): one command for a backend developer.
    "SYNC_TYPES_ON_RUNSERVER": False,
    # ``sync_types`` also writes the typed resource layer (query and mutation options, errors
    # per status, runtime enums) into ``generated/`` next to TYPES_PATH
    # (``django_typed_api.tsgen``). False (or ``sync_types --no-resources``): only the types.
    "RESOURCE_LAYER": True,
}

IMPORT_STRINGS = {"PLURALIZER", "ERROR_HANDLER", "ERROR_FORMATTER"}

#: Keys of earlier releases, still read (system check W003 names the new key).
RENAMED = {"ERROR_ENVELOPE_PATHS": "API_PATHS"}


class TypedAPISettings:
    """Lazy accessor for ``settings.TYPED_API`` merged over :data:`DEFAULTS`."""

    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}

    @property
    def user_settings(self) -> dict[str, Any]:
        value = getattr(settings, "TYPED_API", None)
        # A non-dict is reported by the E001 system check; meanwhile use the defaults.
        return dict(value) if isinstance(value, dict) else {}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in DEFAULTS:
            raise AttributeError(f"Invalid TYPED_API setting: {name!r}")
        if name in self._cache:
            return self._cache[name]
        user = self.user_settings
        for old, new in RENAMED.items():
            if new == name and old in user and name not in user:
                user[name] = user[old]
        value = user.get(name, DEFAULTS[name])
        if isinstance(DEFAULTS[name], dict) and isinstance(value, dict):
            value = {**DEFAULTS[name], **value}
        if name in IMPORT_STRINGS and isinstance(value, str):
            value = import_string(value)
        self._cache[name] = value
        return value

    def reload(self) -> None:
        self._cache.clear()


typed_api_settings = TypedAPISettings()


def _reload(*, setting: str, **kwargs: Any) -> None:
    if setting == "TYPED_API":
        typed_api_settings.reload()


setting_changed.connect(_reload)


def is_api_path(path: str) -> bool:
    """Whether ``path`` is under one of ``TYPED_API["API_PATHS"]``."""
    return any(path.startswith(prefix) for prefix in typed_api_settings.API_PATHS)
