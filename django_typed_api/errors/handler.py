"""One error envelope for every failure inside a DRF view.

``REST_FRAMEWORK["EXCEPTION_HANDLER"] = "django_typed_api.errors.exception_handler"`` (the
preset in :mod:`django_typed_api.presets` sets it). The handler works in two steps, each
overridable on :class:`ErrorHandler` (``TYPED_API["ERROR_HANDLER"]`` names the class):

1. :meth:`ErrorHandler.to_api_exception` turns what Django and the database raise into DRF
   ``APIException`` subclasses (``Http404`` -> 404, a unique violation -> 409 ``conflict``, a
   value PostgreSQL refuses -> 400, an oversize body -> 413, the database or the cache down
   -> 503 (:mod:`.outages`), anything else -> 500);
2. the configured formatter (:mod:`.formatter`, ``TYPED_API["ERROR_FORMATTER"]``) builds the body
   ``{"error", "status_code", "message", "code"}``.

Unhandled exceptions are logged with their traceback on the ``django.request`` logger (so
``ADMINS`` mail and Sentry's logging integration see them exactly as for a plain Django 500)
and answer ``{"code": "server_error"}`` without any exception text unless ``DEBUG`` is on.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core import exceptions as django_exceptions
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from ..conf import typed_api_settings
from .exceptions import (
    BadRequest,
    Conflict,
    InvalidValue,
    RequestTooLarge,
    ServerError,
    ServiceUnavailable,
)
from .formatter import get_formatter
from .outages import is_outage

logger = logging.getLogger("django.request")


def only_unique_errors(codes: Any) -> bool:
    """True when every code in a nested ``get_codes()`` structure is ``unique``."""
    if isinstance(codes, dict):
        return bool(codes) and all(only_unique_errors(value) for value in codes.values())
    if isinstance(codes, list):
        return bool(codes) and all(only_unique_errors(value) for value in codes)
    return codes == "unique"


class ErrorHandler:
    """The pipeline behind :func:`exception_handler`; subclass it to change one step."""

    def to_api_exception(self, exc: Exception) -> exceptions.APIException | None:
        """The ``APIException`` that stands for ``exc``, or None when ``exc`` is a bug."""
        if isinstance(exc, exceptions.ValidationError) and only_unique_errors(exc.get_codes()):
            # A value already taken is the same conflict whether the serializer's
            # UniqueValidator or the database's constraint noticed it: one status for both,
            # and the field errors stay in ``error`` for the form.
            return Conflict(exc.detail)
        if isinstance(exc, exceptions.APIException):
            return exc
        if isinstance(exc, Http404):
            return exceptions.NotFound(*exc.args)
        if isinstance(exc, django_exceptions.PermissionDenied):
            return exceptions.PermissionDenied(*exc.args)
        if isinstance(exc, django_exceptions.ValidationError):
            return exceptions.ValidationError(as_serializer_error(exc))
        if isinstance(exc, django_exceptions.RequestDataTooBig):
            return RequestTooLarge()
        if isinstance(exc, django_exceptions.SuspiciousOperation):
            return BadRequest()  # its text may echo headers or settings: keep it out
        if isinstance(exc, django_exceptions.BadRequest):
            return BadRequest(*exc.args)
        if is_outage(exc):
            return ServiceUnavailable()
        if isinstance(exc, IntegrityError):
            return Conflict()
        if isinstance(exc, DataError):
            return InvalidValue()
        return None

    def server_error(self, exc: Exception) -> exceptions.APIException:
        """The 500 for an unhandled exception: generic, with the exception's text only when
        ``DEBUG`` is on (and the envelope was chosen over the debug page)."""
        if settings.DEBUG:
            return ServerError(f"{type(exc).__name__}: {exc}")
        return ServerError()

    def handle(self, exc: Exception, context: dict[str, Any]) -> Response | None:
        api_exc = self.to_api_exception(exc)
        unhandled = api_exc is None
        if api_exc is None:
            if settings.DEBUG and typed_api_settings.SERVER_ERROR_DEBUG_PAGE:
                return None  # DRF re-raises; Django shows its debug page
            api_exc = self.server_error(exc)
        # Imported here: rest_framework.views loads DEFAULT_PARSER_CLASSES, which may name
        # django_typed_api.parsers, which imports this module.
        from rest_framework.views import exception_handler as drf_exception_handler

        response = drf_exception_handler(api_exc, context)  # headers + transaction rollback
        assert response is not None  # it handles every APIException
        response.data = get_formatter().format(api_exc, response.status_code)
        self.render_as_json(context)
        if (
            unhandled
            or isinstance(exc, (IntegrityError, DataError))
            or isinstance(api_exc, ServiceUnavailable)
        ):
            self.log(exc, context, response)
        return response

    def render_as_json(self, context: dict[str, Any]) -> None:
        """Errors are JSON whatever the Accept header asked for (the browsable API's HTML
        included): a client that asked for HTML still gets the envelope it can read."""
        # Imported here: rest_framework.renderers reads DRF's settings when imported.
        from rest_framework.renderers import JSONRenderer

        request = context.get("request")
        renderer = getattr(request, "accepted_renderer", None)
        if request is not None and not isinstance(renderer, JSONRenderer):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type

    def log(self, exc: Exception, context: dict[str, Any], response: Response) -> None:
        """Log with the traceback, once (Django would log the 5xx again without it)."""
        request = context.get("request")
        http_request: HttpRequest | None = getattr(request, "_request", request)
        path = http_request.path if http_request is not None else "?"
        level = logging.ERROR if response.status_code >= 500 else logging.WARNING
        logger.log(
            level,
            "%s: %s",
            response.reason_phrase,
            path,
            exc_info=(type(exc), exc, exc.__traceback__),
            extra={"status_code": response.status_code, "request": http_request},
        )
        response._has_been_logged = True  # type: ignore[attr-defined]


def get_handler() -> ErrorHandler:
    """The configured handler (``TYPED_API["ERROR_HANDLER"]``), instantiated."""
    handler = typed_api_settings.ERROR_HANDLER
    return handler() if isinstance(handler, type) else handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: every exception becomes the error envelope."""
    return get_handler().handle(exc, context)


def envelope_response(exc: exceptions.APIException) -> JsonResponse:
    """The envelope as a plain Django response, for errors outside DRF views (middleware)."""
    response = JsonResponse(
        get_formatter().format(exc),
        status=exc.status_code,
        json_dumps_params={"separators": (",", ":")},  # as DRF's JSONRenderer
    )
    if getattr(exc, "auth_header", None):
        response["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        response["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
    return response
