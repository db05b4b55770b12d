"""Content negotiation that serves the browsable API only with ``DEBUG`` on.

The REST_FRAMEWORK preset lists ``JSONRenderer`` and ``BrowsableAPIRenderer`` and names this
class: in development a browser gets DRF's HTML pages, in production only JSON (a browser's
``Accept: text/html, */*`` gets JSON; ``Accept: text/html`` alone a 406 envelope). Listing the
renderers statically keeps the schema the same whatever ``DEBUG`` is.

The choice depends only on the ``Accept`` header, the requested format and the renderers
offered, so it is remembered per combination (a bounded table: ``Accept`` is client input)
instead of parsing media types on every request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer

#: (Accept, format suffix, format parameter, renderers) -> (index of the renderer, media type)
_CHOICES: dict[tuple[Any, ...], tuple[int, str]] = {}
#: The table is emptied when full: distinct Accept headers cannot grow it without bound.
MAX_REMEMBERED_CHOICES = 256
_HOOKS = ("filter_renderers", "get_accept_list", "_get_parsed_accept_list", "settings")


_KEEPS_HOOKS: dict[type, bool] = {}


def _keeps_drfs_hooks(cls: type) -> bool:
    """Whether ``cls`` decides as TypedContentNegotiation does (asked once per class)."""
    keeps = _KEEPS_HOOKS.get(cls)
    if keeps is None:
        keeps = _KEEPS_HOOKS[cls] = all(
            getattr(cls, name, None) is getattr(TypedContentNegotiation, name, None)
            for name in _HOOKS
        )
    return keeps


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
        key = self._choice_key(request, offered, format_suffix)
        choice = _CHOICES.get(key) if key is not None else None
        if choice is not None:
            return offered[choice[0]], choice[1]
        renderer, media_type = super().select_renderer(request, offered, format_suffix)
        if key is not None:
            if len(_CHOICES) >= MAX_REMEMBERED_CHOICES:
                _CHOICES.clear()
            _CHOICES[key] = (offered.index(renderer), media_type)
        return renderer, media_type

    def _choice_key(
        self, request: Any, offered: list[BaseRenderer], format_suffix: str | None
    ) -> tuple[Any, ...] | None:
        """What DRF's choice depends on; None where a subclass decides in its own way."""
        if not _keeps_drfs_hooks(type(self)):
            return None
        meta = getattr(request, "_request", request).META
        format_param = self.settings.URL_FORMAT_OVERRIDE
        query_format = request.query_params.get(format_param) if format_param else None
        return (
            meta.get("HTTP_ACCEPT"),
            format_suffix,
            query_format,
            tuple((type(r), r.media_type, r.format) for r in offered),
        )
