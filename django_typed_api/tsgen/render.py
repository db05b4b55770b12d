"""Render one resource module: the reads and the writes of one tag, composed.

A module imports the copied templates (``../client``, ``../errors``, ``../query-keys``,
``../versioned``, ``../resource``) and the types openapi-typescript wrote next to it
(``../backend-api-schema``), so it compiles wherever the templates do.
"""

from __future__ import annotations

from .reads import ReadsMixin
from .text import HEADER, check_unique, render_enums, render_index
from .writes import WritesMixin

__all__ = ["HEADER", "ResourceRenderer", "check_unique", "render_enums", "render_index"]


class ResourceRenderer(ReadsMixin, WritesMixin):
    """One resource module. Override a ``render_<kind>`` method to change what a kind emits
    (``list``, ``retrieve``, ``read``, ``search``, ``create``, ``update``, ``partialUpdate``,
    ``destroy``, ``action``)."""
