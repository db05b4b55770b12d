"""``TypedAutoSchema``: drf-spectacular's AutoSchema, composed from one mixin per concern.

Each mixin extends AutoSchema's own override points and calls ``super()``; the order below is
the order they apply in (the first one sees the operation last):

========================  ============================================  ==================
mixin                     what it adds                                  module
========================  ============================================  ==================
ErrorSchemaMixin          the error envelope, per status it can occur   ``openapi.errors``
SecuritySchemaMixin       ``{}`` beside bearerAuth on public operations ``openapi.security``
ConditionalSchemaMixin    ``If-Match`` / ``ETag`` on conditional writes ``openapi.conditional``
TrimmedStringSchemaMixin  the not-blank pattern on trimmed strings,     ``openapi.strings``
                          ``""`` where a blank column is returned
RequiredBodySchemaMixin   POST/PUT bodies ``required``                  ``openapi.bodies``
OperationNamingMixin      operationId, summary, description             ``openapi.operations``
ListBoundsSchemaMixin     ``maxItems`` on request lists                 ``openapi.bounds``
========================  ============================================  ==================

This module adds what concerns components: required fields in responses, nullable nested
relations and enum names.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.settings import spectacular_settings
from rest_framework import serializers

from .bodies import RequiredBodySchemaMixin
from .bounds import ListBoundsSchemaMixin
from .conditional import ConditionalSchemaMixin
from .enums import ENUM_NAME_KEY, choices_index, enum_name_for_field
from .errors import ErrorSchemaMixin
from .generation import memo
from .operations import OperationNamingMixin
from .security import SecuritySchemaMixin
from .strings import TrimmedStringSchemaMixin


class TypedAutoSchema(  # type: ignore[misc]  # get_description takes no arguments here
    ErrorSchemaMixin,
    SecuritySchemaMixin,
    ConditionalSchemaMixin,
    TrimmedStringSchemaMixin,
    RequiredBodySchemaMixin,
    OperationNamingMixin,
    ListBoundsSchemaMixin,
    AutoSchema,
):
    """AutoSchema whose names, errors, security and components are made for typed clients."""

    # -- response components ---------------------------------------------------------------

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        """A model serializer always writes every readable field, so in responses they are
        all required: TypeScript gets ``salary_min: number | null``, not ``salary_min?:``."""
        schema: dict[str, Any] = super()._map_basic_serializer(serializer, direction)
        if (
            direction == "response"
            and spectacular_settings.COMPONENT_SPLIT_REQUEST
            and isinstance(serializer, serializers.ModelSerializer)
        ):
            readable = [
                name
                for name, prop in schema.get("properties", {}).items()
                if not (isinstance(prop, dict) and prop.get("writeOnly"))
            ]
            if readable:
                schema["required"] = sorted(set(schema.get("required", [])) | set(readable))
        return schema

    # -- enums -----------------------------------------------------------------------------

    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)
        if _is_nullable_nested_relation(field) and not schema.get("nullable"):
            # DRF writes null for an empty nullable FK even without allow_null=True.
            if "$ref" in schema:
                schema = {"allOf": [{"$ref": schema.pop("$ref")}], **schema}
            schema["nullable"] = True
        if isinstance(field, serializers.ChoiceField) and _enum_hook_installed():
            name = enum_name_for_field(field, memo(self.registry, "choices", choices_index))
            target = schema.get("items", schema) if schema.get("type") == "array" else schema
            if name and "enum" in target:
                target[ENUM_NAME_KEY] = name
        return schema


def _is_nullable_nested_relation(field: Any) -> bool:
    """A nested (non-list) serializer whose source is a nullable forward relation."""
    if not isinstance(field, serializers.BaseSerializer) or isinstance(
        field, serializers.ListSerializer
    ):
        return False
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    source = getattr(field, "source", "")
    if model is None or not source or "." in source or source == "*":
        return False
    try:
        model_field = model._meta.get_field(source)
    except Exception:  # not a model field (a property, an annotation)
        return False
    return bool(getattr(model_field, "null", False) and model_field.is_relation)


def _enum_hook_installed() -> bool:
    from .enums import postprocess_enums

    return postprocess_enums in spectacular_settings.POSTPROCESSING_HOOKS
