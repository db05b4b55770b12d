"""A JSON parser that honours ``DATA_UPLOAD_MAX_MEMORY_SIZE``.

Django enforces the limit only when ``request.body`` or ``request.POST`` is read; DRF's
``JSONParser`` reads the raw stream, so a 10 MB (or 1 GB) JSON body is read and parsed in full.
This parser refuses it with a 413 ``request_too_large`` envelope instead.

It also refuses JSON values of a type the schema does not document for the field (``0`` for a
boolean, ``7`` for a string) instead of letting DRF coerce them: see
:mod:`django_typed_api.validation`.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from rest_framework.parsers import JSONParser

from .exceptions import RequestTooLarge
from .validation import check_json_types


class TypedJSONParser(JSONParser):
    """``JSONParser`` that reads at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes (None: no
    limit, as in Django)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and stream is not None:
            request = (parser_context or {}).get("request")
            meta = getattr(request, "META", {})
            try:
                declared = int(meta.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            if declared > limit:
                raise RequestTooLarge()
            body = stream.read(limit + 1)
            if len(body) > limit:
                raise RequestTooLarge()
            stream = io.BytesIO(body)
        data = super().parse(stream, media_type, parser_context)
        context = parser_context or {}
        if context.get("view") is not None and context.get("request") is not None:
            check_json_types(context["view"], context["request"], data)
        return data
