"""``DateTimeField.to_representation`` with the active timezone read once per render.

DRF's ``DateTimeField`` asks ``timezone.get_current_timezone()`` for every value: an
``asgiref.local.Local`` lookup that costs about two thirds of the conversion (two datetimes
per row make it a quarter of a 100-row list's rendering). Nothing a plain field does while a
serializer renders can activate another timezone, so a render (a serializer's or a list's
``to_representation``, see :func:`rendered`) reads it once, on its first datetime, and every
value of that render uses it. Outside a render, and for anything off the plain path (a naive
or non-``datetime`` value, no format, a subclass with its own timezone methods, an
overflow), the field's own method runs.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from rest_framework import ISO_8601, fields
from rest_framework.settings import api_settings

_UNSET: Any = object()
#: The open render's timezone cell: ``[_UNSET]`` until its first datetime.
_RENDER: ContextVar[list[Any] | None] = ContextVar("typed_api_render_timezone", default=None)


def rendered(render: Callable[[Any], Any], data: Any) -> Any:
    """``render(data)`` as one render: the datetimes it converts share one read of the active
    timezone. A render inside another (a nested serializer, a list's row) joins it."""
    if _RENDER.get() is not None:
        return render(data)
    token = _RENDER.set([_UNSET])
    try:
        return render(data)
    finally:
        _RENDER.reset(token)


def datetime_converter(field: fields.Field) -> Callable[[Any], Any] | None:
    """A callable equal to ``field.to_representation`` for a ``DateTimeField`` that keeps
    DRF's timezone methods, else None."""
    cls = type(field)
    base = fields.DateTimeField
    if not (
        cls.to_representation is base.to_representation
        and cls.enforce_timezone is base.enforce_timezone  # type: ignore[attr-defined]
        and cls.default_timezone is base.default_timezone  # type: ignore[attr-defined]
    ):
        return None
    fixed = getattr(field, "timezone", _UNSET)  # DateTimeField(default_timezone=...)
    slow = field.to_representation

    def convert(value: Any) -> Any:
        if value.__class__ is not datetime.datetime or value.utcoffset() is None:
            return slow(value)
        output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
        zone = fixed if fixed is not _UNSET else _active_timezone(field)
        if output_format is None or zone is None:
            return slow(value)
        try:
            local = value.astimezone(zone)
        except OverflowError:
            return slow(value)  # DRF's "out of range" error
        if output_format.lower() != ISO_8601:
            return local.strftime(output_format)
        text = local.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return convert


def _active_timezone(field: Any) -> Any:
    cell = _RENDER.get()
    if cell is None:
        return field.default_timezone()
    zone = cell[0]
    if zone is _UNSET:
        zone = cell[0] = field.default_timezone()
    return zone
