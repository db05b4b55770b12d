"""Content negotiation that serves the browsable API only with ``DEBUG`` on.

The REST_FRAMEWORK preset lists ``JSONRenderer`` and ``BrowsableAPIRenderer`` and names this
class: in development a browser gets DRF's HTML pages, in production only JSON (a browser's
``Accept: text/html, */*`` gets JSON; ``Accept: text/html`` alone a 406 envelope). Listing the
renderers statically keeps the schema the same whatever ``DEBUG`` is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer


class TypedContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation without the HTML renderers unless ``DEBUG`` is on."""

    #: Renderers offered only with DEBUG on (override to add e.g. AdminRenderer).
    debug_only_renderers: tuple[type, ...] = (BrowsableAPIRenderer,)

    def select_renderer(
        self, request: Any, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> Any:
        offered = list(renderers)
        if not settings.DEBUG:
            served = [r for r in offered if not isinstance(r, self.debug_only_renderers)]
            offered = served or offered
        return super().select_renderer(request, offered, format_suffix)
