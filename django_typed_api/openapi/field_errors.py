"""How DRF reports the errors of one request field, as schema: the ``error`` member of a
``<Body>ValidationError`` component (:mod:`django_typed_api.openapi.errors`) lists each field
of the body with the shape its messages take."""

from __future__ import annotations

from typing import Any

from drf_spectacular.settings import spectacular_settings

VALIDATION_ERROR_SUFFIX = "ValidationError"

STRINGS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
#: A list of scalars: ``["Expected a list."]`` or per item ``{"0": ["Not a valid slug."]}``.
_LIST_OF_STRINGS: dict[str, Any] = {
    "anyOf": [STRINGS, {"type": "object", "additionalProperties": STRINGS}]
}
#: A nested object or list of objects: DRF's errors mirror its structure.
_NESTED: dict[str, Any] = {
    "anyOf": [{"type": "array", "items": {}}, {"type": "object", "additionalProperties": {}}]
}
_SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean"})


def validation_component_name(body_component: str) -> str:
    """``VacancyRequest`` / ``PatchedVacancyRequest`` -> ``VacancyValidationError``."""
    name = body_component
    if spectacular_settings.COMPONENT_SPLIT_PATCH and name.startswith("Patched"):
        name = name[len("Patched") :]
    if (
        spectacular_settings.COMPONENT_SPLIT_REQUEST
        and name.endswith("Request")
        and len(name) > len("Request")
    ):
        name = name[: -len("Request")]
    return f"{name}{VALIDATION_ERROR_SUFFIX}"


def is_scalar(schema: dict[str, Any]) -> bool:
    """A scalar type; OpenAPI 3.1 spells a nullable one as a list (``["string", "null"]``)."""
    kind = schema.get("type")
    kinds = set(kind) - {"null"} if isinstance(kind, list) else {kind}
    return (bool(kinds) and kinds <= _SCALAR_TYPES) or "enum" in schema


def field_error_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """How DRF reports errors of a field with this (request) schema: a list of messages for
    a scalar, per item for a list of scalars, mirrored structure for nested objects."""
    if is_scalar(schema):
        return STRINGS
    kind = schema.get("type")
    is_array = kind == "array" or (isinstance(kind, list) and "array" in kind)
    if is_array and is_scalar(schema.get("items", {})):
        return _LIST_OF_STRINGS
    return _NESTED
