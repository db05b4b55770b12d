"""``TypedJSONRenderer``: DRF's ``JSONRenderer``, byte for byte, with less work per response.

``JSONRenderer.render`` builds a new encoder for every response (``json.dumps(cls=...)``
validates and copies its options each time) and scans the output twice for U+2028/U+2029.
This renderer keeps one encoder per option set (encoding keeps no state in the encoder, so
threads share it) and skips the scans when ``ensure_ascii`` already escaped every non-ASCII
character. Indented output (``Accept: application/json; indent=4``, the browsable API) and a
subclass with its own ``encoder_class`` keep DRF's own path, so the bytes are DRF's in every
case; ``UNICODE_JSON``, ``COMPACT_JSON`` and ``STRICT_JSON`` are read as DRF reads them (the
``ensure_ascii``/``compact``/``strict`` class attributes).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Any

from rest_framework.compat import LONG_SEPARATORS, SHORT_SEPARATORS
from rest_framework.renderers import JSONRenderer

_ENCODERS: dict[tuple[Any, ...], json.JSONEncoder] = {}
_LOCK = threading.Lock()


class TypedJSONRenderer(JSONRenderer):
    """The same bytes as ``JSONRenderer``; one shared encoder per option set."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        if self._indented(accepted_media_type or "", renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        ensure_ascii = bool(self.ensure_ascii)
        text = self.encoder(ensure_ascii).encode(data)
        if not ensure_ascii:
            # A strict JavaScript subset, as DRF makes it.
            text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        return text.encode()

    def _indented(self, accepted_media_type: str, renderer_context: Mapping[str, Any]) -> bool:
        if ";" not in accepted_media_type and type(self).get_indent is JSONRenderer.get_indent:
            # DRF's get_indent reads only an ``indent`` parameter, so no parameter, no parsing
            return renderer_context.get("indent") is not None
        return self.get_indent(accepted_media_type, renderer_context) is not None

    def encoder(self, ensure_ascii: bool) -> json.JSONEncoder:
        """The encoder ``json.dumps`` would build for these options, built once."""
        key = (self.encoder_class, ensure_ascii, bool(self.compact), bool(self.strict))
        encoder = _ENCODERS.get(key)
        if encoder is None:
            separators = SHORT_SEPARATORS if self.compact else LONG_SEPARATORS
            built = self.encoder_class(
                ensure_ascii=ensure_ascii, allow_nan=not self.strict, separators=separators
            )
            with _LOCK:
                encoder = _ENCODERS.setdefault(key, built)
        return encoder
