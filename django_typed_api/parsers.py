"""A JSON parser that refuses, cheaply and with a 4xx, what DRF's would choke on.

- A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``: Django enforces the limit only when
  ``request.body`` or ``request.POST`` is read; DRF's ``JSONParser`` reads the raw stream, so a
  10 MB (or 1 GB) JSON body would be read and parsed in full. Here it is a 413
  ``request_too_large`` envelope.
- JSON nested deeper than Python's recursion limit (``[[[[...]]]]``, a few kilobytes): the
  decoder raises ``RecursionError``, which DRF lets through as a 500. Here it is a 400
  ``parse_error``.
- A lone UTF-16 surrogate escape (``"\\ud800"``): valid JSON syntax but not Unicode, so the
  string cannot be encoded again; echoed in an error, logged or hashed it crashes the renderer,
  the logger or a throttle. Here it is a 400 ``parse_error``.

Then it checks the values' JSON types and list lengths against what the schema documents (see
:mod:`django_typed_api.strict`): in views with :class:`~django_typed_api.strict.json_types.
StrictJSONTypesMixin` (every Typed viewset) after authentication and permissions, in other
views when the body is parsed.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.parsers import JSONParser

from .errors.exceptions import RequestTooLarge
from .strict.json_types import StrictJSONTypesMixin, check_json_types

#: A ``\uD800``-``\uDFFF`` escape: only then can the parsed data hold a lone surrogate.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")

#: Set on the DRF request once its body was parsed as JSON by this parser.
JSON_BODY_FLAG = "_typed_api_json_body"


class TypedJSONParser(JSONParser):
    """``JSONParser`` that reads at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes (None: no
    limit, as in Django) and answers deep nesting and lone surrogates with a 400."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        context = parser_context or {}
        request = context.get("request")
        body = self.read_body(stream, request)
        encoding = context.get("encoding") or settings.DEFAULT_CHARSET
        if not is_text_encoding(encoding):
            raise UnsupportedMediaType(media_type or "", _("Unsupported charset in Content-Type."))
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error - the document is nested too deeply.")) from None
        if SURROGATE_ESCAPE.search(body) and has_lone_surrogate(data):
            raise ParseError(
                _("JSON parse error - a string holds a lone surrogate, which is not Unicode.")
            )
        if request is not None:
            setattr(request, JSON_BODY_FLAG, True)
        view = context.get("view")
        if view is not None and request is not None and not isinstance(view, StrictJSONTypesMixin):
            check_json_types(view, request, data)
        return data

    def read_body(self, stream: Any, request: Any) -> bytes:
        """The body's bytes; a 413 before reading past the limit."""
        if stream is None:
            return b""
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is None:
            return bytes(stream.read())
        meta = getattr(request, "META", {})
        try:
            declared = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise RequestTooLarge()
        body = bytes(stream.read(limit + 1))
        if len(body) > limit:
            raise RequestTooLarge()
        return body


def is_text_encoding(name: str | None) -> bool:
    """Whether ``name`` decodes bytes to text: ``charset=zlib`` or ``base64`` names a codec
    Python knows but one that decodes bytes to bytes, and ``bogus`` none at all."""
    if not name:
        return True
    try:
        return bool(getattr(codecs.lookup(name), "_is_text_encoding", True))
    except LookupError:
        return False


def has_lone_surrogate(data: Any) -> bool:
    """Whether a string anywhere in ``data`` cannot be encoded as UTF-8."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    except RecursionError:  # deeper than the encoder goes: refused as well
        return True
    return False
