"""Strings: the schema says what DRF's trimming accepts and what a blank column returns."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.validators import (
    EmailValidator,
    FileExtensionValidator,
    RegexValidator,
    URLValidator,
)
from django.db import models
from drf_spectacular.settings import spectacular_settings
from rest_framework import fields

#: Validators from which drf-spectacular writes a ``pattern`` or ``format`` of the field's own
#: (after ``_map_serializer_field``); the not-blank pattern must not take their place.
OWN_PATTERN_VALIDATORS = (RegexValidator, FileExtensionValidator, EmailValidator, URLValidator)

#: At least one character that Python's ``str.strip()`` keeps. Spelled out instead of ``\S``:
#: ECMAScript's ``\s`` (the dialect of JSON Schema patterns) lacks U+001C-U+001F and U+0085,
#: which Python strips, and has U+FEFF, which Python keeps.
NOT_BLANK = (
    "[^\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029"
    "\\u202f\\u205f\\u3000]"
)


class TrimmedStringSchemaMixin:
    """Documents that a required text field needs a non-blank value.

    DRF trims request strings (``trim_whitespace``) before it checks ``allow_blank``, so a
    ``"\\f"`` or ``"   "`` is refused as blank although the schema's ``minLength: 1`` allows it.
    Request bodies' plain string fields that are trimmed and may not be blank get a pattern
    (:data:`NOT_BLANK`: a character that is not whitespace), so the schema says what is
    accepted; TypeScript types are unchanged, validators generated from the schema check it.

    Only with ``COMPONENT_SPLIT_REQUEST``: without it one component serves requests and
    responses, and a response may well hold a blank string. A field with a pattern or format
    of its own (a ``RegexValidator``, ``FileExtensionValidator``, email or URL) keeps it.
    """

    #: True while a serializer is exploded into query parameters
    #: (``@extend_schema(parameters=[FilterSerializer])``): they are not trimmed bodies.
    _mapping_parameters = False

    def _process_override_parameters(self, direction: str = "request") -> Any:
        self._mapping_parameters = True
        try:
            return super()._process_override_parameters(direction)  # type: ignore[misc]
        finally:
            self._mapping_parameters = False

    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> Any:
        result = super()._map_serializer_field(field, direction, bypass_extensions)  # type: ignore[misc]
        if (
            direction == "request"
            and not self._mapping_parameters
            and spectacular_settings.COMPONENT_SPLIT_REQUEST
            and isinstance(field, fields.CharField)
            and field.trim_whitespace
            and not field.allow_blank
            and isinstance(result, dict)
            and result.get("type") == "string"
            and not {"pattern", "format", "enum"} & result.keys()
            and not any(isinstance(v, OWN_PATTERN_VALIDATORS) for v in field.validators)
        ):
            result = {**result, "pattern": NOT_BLANK}
        if isinstance(result, dict) and returns_blank(field):
            result = _with_blank(result)
        return result


def returns_blank(field: Any) -> bool:
    """A read-only field over a ``blank=True`` text column (``User.email``): DRF drops
    ``allow_blank`` from read-only fields, but the response still holds ``""``. (Writable
    blank-able fields have ``allow_blank``, which drf-spectacular documents itself.)"""
    if not field.read_only or getattr(field, "allow_blank", False):
        return False
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    source = getattr(field, "source", "") or ""
    if model is None or not source or "." in source or source == "*":
        return False
    try:
        model_field = model._meta.get_field(source)
    except FieldDoesNotExist:
        return False
    return bool(isinstance(model_field, (models.CharField, models.TextField)) and model_field.blank)


def _with_blank(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` that also accepts ``""``: the blank value joins an enum (the enum hook makes
    it ``BlankEnum``); a string with a format or pattern becomes drf-spectacular's own
    ``oneOf`` with ``maxLength: 0``, which openapi-typescript renders as ``string``."""
    if isinstance(schema.get("enum"), list):
        return schema if "" in schema["enum"] else {**schema, "enum": [*schema["enum"], ""]}
    if schema.get("type") != "string" or not {"format", "pattern", "minLength"} & schema.keys():
        return schema
    outer = {"readOnly", "writeOnly", "nullable", "deprecated", "description", "title"}
    inner = {k: v for k, v in schema.items() if k not in outer}
    return {
        **{k: v for k, v in schema.items() if k in outer},
        "oneOf": [inner, {"type": "string", "maxLength": 0}],
    }
