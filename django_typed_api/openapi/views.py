"""The schema endpoint and its docs UIs, made cheap to poll and usable offline.

drf-spectacular's ``SpectacularAPIView`` regenerates the whole schema on every GET (seconds on
a large API) and sends no validator, so a type-sync script or a docs page reload pays full
price each time. ``cache_page`` is no fix: a large schema (over 1 MiB) does not fit a
memcached item and is then silently never cached. Here the rendered bytes live in process
memory, built once per process and schema key, with a strong ETag over the exact bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.staticfiles import finders
from django.core.signals import setting_changed
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotModified,
)
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.cache import patch_vary_headers
from django.views import View
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView, SpectacularRedocView
from rest_framework.request import Request

from .generation import generate_schema, render_schema
from .strings import NOT_BLANK

#: Settings whose change can change the schema (tests use ``override_settings``).
SCHEMA_SETTINGS = {
    "SPECTACULAR_SETTINGS",
    "REST_FRAMEWORK",
    "TYPED_API",
    "ROOT_URLCONF",
    "INSTALLED_APPS",
    "LANGUAGE_CODE",
    "LANGUAGES",
}

_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
_ETAG = re.compile(r'(?:W/)?"[^"]*"')


@dataclass(frozen=True)
class RenderedSchema:
    """One representation of the schema: its bytes, gzipped bytes and their strong ETags."""

    body: bytes
    gzipped: bytes = field(repr=False)
    etag: str
    gzip_etag: str

    @classmethod
    def from_bytes(cls, body: bytes) -> RenderedSchema:
        digest = hashlib.sha256(body).hexdigest()[:32]
        # mtime=0: the same schema always compresses to the same bytes.
        return cls(body, gzip.compress(body, compresslevel=9, mtime=0), f'"{digest}"',
                   f'"{digest}-gz"')  # fmt: skip


class SchemaCache:
    """Rendered schemas per key, for the life of the process.

    Cleared when Django's autoreloader sees a changed file (``runserver`` then restarts the
    process anyway; clearing first means a request racing the restart never gets the old
    schema) and when a schema-related setting changes. Deliberately not a Django cache
    backend: schemas outgrow memcached's 1 MiB item limit, and a per-process copy costs
    one generation per worker, which is what a deploy costs anyway.
    """

    def __init__(self) -> None:
        self._entries: dict[Hashable, RenderedSchema] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], bytes]) -> RenderedSchema:
        entry = self._entries.get(key)
        if entry is not None:
            return entry
        with self._lock:  # concurrent first requests generate once, not once each
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = RenderedSchema.from_bytes(build())
            return entry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


schema_cache = SchemaCache()


def _clear_on_file_change(**kwargs: Any) -> None:
    schema_cache.clear()  # returns None: the autoreloader still restarts the server


def _clear_on_setting_change(*, setting: str, **kwargs: Any) -> None:
    if setting in SCHEMA_SETTINGS:
        schema_cache.clear()


file_changed.connect(_clear_on_file_change, dispatch_uid="django_typed_api.schema_cache")
setting_changed.connect(_clear_on_setting_change, dispatch_uid="django_typed_api.schema_cache")


def etag_matches(header: str, *etags: str) -> bool:
    """``If-None-Match`` uses weak comparison (RFC 9110 13.1.2): ``W/"x"`` matches ``"x"``,
    which matters because GZipMiddleware weakens the ETags of responses it compresses."""
    if header.strip() == "*":
        return True
    sent = {tag.removeprefix("W/") for tag in _ETAG.findall(header)}
    return any(etag in sent for etag in etags)


def _stable_key(value: Any) -> Hashable:
    """Import strings by value, anything else (pattern lists, modules) by identity."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(_stable_key(item) for item in value)
    return id(value)


class TypedSchemaView(SpectacularAPIView):
    """``SpectacularAPIView`` that renders once and then answers from memory.

    JSON or YAML by content negotiation (``Accept`` or ``?format=json``), exactly the bytes
    ``manage.py sync_types`` writes. Pre-compressed gzip when the client accepts it (so
    GZipMiddleware never recompresses megabytes per request), ``Cache-Control: no-cache``
    so clients revalidate, and 304 on a matching ``If-None-Match``.

    With ``SERVE_PUBLIC = False`` the schema depends on the user's permissions and can't be
    shared between requests: that case is served uncached, as drf-spectacular does.
    """

    cache: SchemaCache = schema_cache

    @extend_schema(**SCHEMA_KWARGS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # drf-spectacular swaps a list ``urlconf`` for a fresh wrapper on every request;
        # key the cache on what the view was configured with.
        self._urlconf_key = _stable_key(self.urlconf)
        return super().get(request, *args, **kwargs)

    def _get_schema_response(self, request: Request) -> HttpResponseBase:
        if not self.serve_public:
            return super()._get_schema_response(request)
        version = self.api_version or request.version or self._get_version_parameter(request)
        renderer = request.accepted_renderer
        fmt = "json" if renderer.format == "json" else "yaml"
        key = (
            self.__class__,
            getattr(self, "_urlconf_key", None),
            _stable_key(self.patterns),
            _stable_key(self.custom_settings),
            version,
            translation.get_language(),
            fmt,
        )

        def build() -> bytes:
            schema = generate_schema(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            return render_schema(schema, fmt)

        rendered = self.cache.get(key, build)
        media_type = request.accepted_media_type or renderer.media_type
        if renderer.charset:
            media_type = f"{media_type}; charset={renderer.charset}"
        return self.schema_response(request, rendered, media_type, version)

    def schema_response(
        self, request: HttpRequest, rendered: RenderedSchema, media_type: str, version: Any
    ) -> HttpResponseBase:
        use_gzip = bool(_ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
        etag = rendered.gzip_etag if use_gzip else rendered.etag
        response: HttpResponseBase
        if etag_matches(request.META.get("HTTP_IF_NONE_MATCH", ""), rendered.etag,
                        rendered.gzip_etag):  # fmt: skip
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(
                rendered.gzipped if use_gzip else rendered.body, content_type=media_type
            )
            if use_gzip:
                response["Content-Encoding"] = "gzip"
            response["Content-Length"] = str(len(response.content))
            response["Content-Disposition"] = (
                f'inline; filename="{self._get_filename(request, version)}"'
            )
        response["ETag"] = etag
        response["Cache-Control"] = "no-cache"
        patch_vary_headers(response, ("Accept", "Accept-Encoding"))
        return response


#: What the docs page says instead of showing :data:`~.strings.NOT_BLANK`'s character class.
NOT_BLANK_WORDS = "Must not be blank: at least one character that is not whitespace."


class TypedRedocView(SpectacularRedocView):
    """Redoc that needs nothing from outside the server: no Google Fonts stylesheet (which
    drf-spectacular's template loads), the bundle from :class:`RedocBundleView` (its logo
    local). The page reads the schema as JSON and shows the not-blank rule in words: the
    schema keeps its exact ``pattern`` for validators and fuzzers, people get a sentence."""

    template_name = "django_typed_api/redoc.html"

    @extend_schema(exclude=True)
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().get(request, *args, **kwargs)
        response.data["not_blank"] = {"pattern": NOT_BLANK, "words": NOT_BLANK_WORDS}
        return response

    @staticmethod
    def _redoc_standalone() -> str:
        return reverse("typed_api:redoc-bundle")


#: The one outside address in Redoc's bundle: the footer's logo, fetched on every page view.
REDOC_CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
REDOC_LOCAL_LOGO = "django_typed_api/redoc-logo.svg"


class RedocBundleView(View):
    """drf-spectacular-sidecar's ``redoc.standalone.js`` with the footer logo's CDN address
    replaced by a static file of this package, so the docs page loads nothing from outside
    (offline, behind a strict CSP). Built once per process, served with an ETag."""

    _cache: tuple[bytes, str] | None = None
    _lock = threading.Lock()

    @classmethod
    def bundle(cls) -> tuple[bytes, str]:
        with cls._lock:
            if cls._cache is None:
                source = finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
                if source is None:  # pragma: no cover - the sidecar is a dependency
                    raise Http404("drf-spectacular-sidecar is not installed")
                with open(source, "rb") as handle:
                    body = handle.read().replace(
                        REDOC_CDN_LOGO.encode(), static(REDOC_LOCAL_LOGO).encode()
                    )
                cls._cache = (body, f'"{hashlib.sha256(body).hexdigest()[:32]}"')
            return cls._cache

    def get(self, request: HttpRequest) -> HttpResponseBase:
        body, etag = self.bundle()
        if request.headers.get("If-None-Match") == etag:
            return HttpResponseNotModified(headers={"ETag": etag})
        response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
        response["ETag"] = etag
        response["Cache-Control"] = "no-cache"
        return response
