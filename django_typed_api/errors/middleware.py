"""The error envelope for failures that never reach a DRF view.

Django answers an unknown URL, a CSRF failure, a refused ``Host`` header, an oversize form
body or a crash in a plain Django view with an HTML page. Under the API's path prefixes
(``TYPED_API["API_PATHS"]``, default ``["/api/"]``) this middleware replaces those
pages with the same JSON envelope the DRF exception handler produces. One line installs it,
first in the list so it sees every response::

    MIDDLEWARE = ["django_typed_api.errors.ErrorEnvelopeMiddleware", *MIDDLEWARE]

It rewrites responses instead of replacing Django's ``handler404``/``handler500`` because
those are not called for CSRF failures or with ``DEBUG`` on, and a project keeps its own HTML
error pages outside the API. Responses made by DRF (already enveloped) and JSON responses
pass through untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response

from ..conf import is_api_path, typed_api_settings
from .coverage import warn_if_hand_built
from .exceptions import BadRequest, HttpError, RequestTooLarge, ServerError, ServiceUnavailable
from .handler import envelope_response
from .outages import is_outage

#: Headers of Django's error response that stay on the envelope.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")

CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"


class ErrorEnvelopeMiddleware:
    """Replaces Django's HTML error pages with the JSON envelope under the API prefixes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        charset = getattr(request, "unsupported_charset", None)
        if charset and is_api_path(request.path_info):
            # Set by django_typed_api.wsgi: Django could not have decoded this request.
            return envelope_response(
                exceptions.UnsupportedMediaType(
                    request.content_type or "",
                    _("Unsupported charset in Content-Type: use utf-8."),
                )
            )
        response = self.get_response(request)
        if settings.DEBUG and isinstance(response, Response) and is_api_path(request.path_info):
            warn_if_hand_built(request.path_info, response)
        if not self.applies(request, response):
            return response
        exc = self.exception_for(request, response)
        if exc is None:
            return response
        envelope = envelope_response(exc)
        for header in KEPT_HEADERS:
            if header in response and header not in envelope:
                envelope[header] = response[header]
        # Django logged the original (with its traceback for a 500); don't log it twice.
        envelope._has_been_logged = getattr(response, "_has_been_logged", False)  # type: ignore[attr-defined]
        # Not response.close(): that would fire request_finished before the request ends.
        closers = getattr(envelope, "_resource_closers", None)
        if closers is not None:
            closers.extend(getattr(response, "_resource_closers", []))
        return envelope

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        # Runs before CsrfViewMiddleware.process_view (this middleware comes first), so a
        # later 403 can be told apart: CSRF refused it, or the view did.
        request._typed_api_csrf_exempt = getattr(view_func, "csrf_exempt", False)  # type: ignore[attr-defined]

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        request._typed_api_exception = exception  # type: ignore[attr-defined]

    # -- decisions -----------------------------------------------------------------------------

    def applies(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        if response.status_code < 400 or isinstance(response, Response):
            return False
        if response.get("Content-Type", "").startswith("application/json"):
            return False
        if (
            response.status_code >= 500
            and settings.DEBUG
            and typed_api_settings.SERVER_ERROR_DEBUG_PAGE
        ):
            return False
        return is_api_path(request.path_info)

    def exception_for(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> exceptions.APIException | None:
        """The ``APIException`` that describes Django's error response."""
        status_code = response.status_code
        if status_code == 400:
            if self._body_too_large(request):
                return RequestTooLarge()
            try:
                request.get_host()
            except DisallowedHost:
                return BadRequest(_("The Host header of this request is not allowed."))
            return BadRequest()
        if status_code == 403:
            if self._refused_by_csrf(request):
                return exceptions.PermissionDenied(
                    _("CSRF verification failed. Send the CSRF cookie and X-CSRFToken header.")
                )
            return exceptions.PermissionDenied()
        if status_code == 404:
            return exceptions.NotFound()
        if status_code == 405:
            return exceptions.MethodNotAllowed(request.method or "")
        if status_code == 413:
            return RequestTooLarge()
        if status_code >= 500:
            crash = getattr(request, "_typed_api_exception", None)
            if crash is not None and is_outage(crash):
                return ServiceUnavailable()  # the database or the cache is down: retry
            if settings.DEBUG and crash is not None:
                return ServerError(f"{type(crash).__name__}: {crash}")
            exc = ServerError()
            exc.status_code = status_code  # type: ignore[assignment]  # 502, 503, ...
            return exc
        if isinstance(response, HttpResponse):
            return HttpError(status_code, response.reason_phrase)
        return None

    def _body_too_large(self, request: HttpRequest) -> bool:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        return limit is not None and declared > limit

    def _refused_by_csrf(self, request: HttpRequest) -> bool:
        return (
            CSRF_MIDDLEWARE in settings.MIDDLEWARE
            and request.method not in ("GET", "HEAD", "OPTIONS", "TRACE")
            and not getattr(request, "csrf_processing_done", False)
            and hasattr(request, "_typed_api_csrf_exempt")
            and not request._typed_api_csrf_exempt
        )
