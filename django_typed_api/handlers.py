"""Django's WSGI and ASGI handlers, with requests that cannot crash before error handling runs.

Django reads the ``charset`` of ``Content-Type`` while it builds the request, before any
middleware: ``charset=zlib`` (a codec Python knows that decodes bytes to bytes) with a
percent-encoded non-ASCII query string raises ``LookupError`` there, and the server answers
its own HTML 500. The requests here drop such a charset (it is reported as
``request.unsupported_charset``) and ``ErrorEnvelopeMiddleware`` answers a 415 envelope under
the API's paths. ``django_typed_api.wsgi`` and ``django_typed_api.asgi`` are the entry points.
"""

from __future__ import annotations

from typing import Any

from django.core.handlers.asgi import ASGIHandler, ASGIRequest
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.utils.http import parse_header_parameters

from .parsers import is_text_encoding


class TextCharsetRequestMixin:
    """Ignores a ``Content-Type`` ``charset`` that is not a text encoding."""

    #: The charset of Content-Type that was refused, if any.
    unsupported_charset: str | None = None

    def _set_content_type_params(self, meta: Any) -> None:
        content_type = meta.get("CONTENT_TYPE", "")
        _, params = parse_header_parameters(content_type)
        charset = params.get("charset")
        if charset and not is_text_encoding(charset):
            self.unsupported_charset = charset
            kept = [
                p for p in content_type.split(";") if not p.strip().lower().startswith("charset")
            ]
            meta = {"CONTENT_TYPE": ";".join(kept)}
        super()._set_content_type_params(meta)  # type: ignore[misc]


class TypedWSGIRequest(TextCharsetRequestMixin, WSGIRequest):
    """``WSGIRequest`` that ignores a ``charset`` that is not a text encoding."""


class TypedWSGIHandler(WSGIHandler):
    request_class = TypedWSGIRequest


class TypedASGIRequest(TextCharsetRequestMixin, ASGIRequest):
    """``ASGIRequest`` that ignores a ``charset`` that is not a text encoding."""


class TypedASGIHandler(ASGIHandler):
    request_class = TypedASGIRequest
