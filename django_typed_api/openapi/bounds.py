"""``maxItems`` on request lists: the bound :mod:`django_typed_api.strict` enforces.

A list in a request body longer than its field's ``max_length`` or, without one,
``TYPED_API["MAX_LIST_ITEMS"]`` is refused (see :class:`~django_typed_api.strict.json_types.
BodyCheck`); the schema says so, so a client can check before sending.

Only where the schema is a request body's own: with ``COMPONENT_SPLIT_REQUEST`` (without it
one component serves requests and responses, and a response list is not bounded), never on
read-only fields, and never on query parameters exploded from a serializer (the bound is a
body check).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.settings import spectacular_settings
from rest_framework import fields, relations, serializers

from ..conf import typed_api_settings
from ..strict.json_types import checked

LIST_FIELDS = (
    serializers.ListSerializer,
    relations.ManyRelatedField,
    fields.MultipleChoiceField,
    fields.ListField,
)


class ListBoundsSchemaMixin:
    """Documents the bound of every list of a request body as ``maxItems``."""

    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> Any:
        # A nested serializer with no field in this direction maps to None: nothing to bound.
        schema: Any = super()._map_serializer_field(  # type: ignore[misc]
            field, direction, bypass_extensions
        )
        if (
            direction != "request"
            or not isinstance(schema, dict)
            or not spectacular_settings.COMPONENT_SPLIT_REQUEST
            # set by TrimmedStringSchemaMixin while a serializer becomes query parameters
            or getattr(self, "_mapping_parameters", False)
            or field.read_only
            or not isinstance(field, LIST_FIELDS)
            or not checked(field)
        ):
            return schema
        limit = getattr(field, "max_length", None) or typed_api_settings.MAX_LIST_ITEMS
        if limit is not None and schema.get("type") == "array" and "maxItems" not in schema:
            schema["maxItems"] = limit
        return schema
