"""The error envelope in the schema: documented on every operation, only where it can occur.

``TypedAutoSchema`` mixes in :class:`ErrorSchemaMixin`. Each operation gains the error
responses it can really return, chosen from what the view is made of:

========  =====================================================================================
status    documented when
========  =====================================================================================
400       the operation takes a body or query parameters (validation, parse errors)
401       an authenticator reads credentials (a bad token) or a permission needs a user
403       a permission class can refuse a signed-in user (or CSRF can: session auth + writes)
404       the path has parameters (an object route), or the list is paginated (bad page)
406       always: any request can send an ``Accept`` header the API cannot satisfy
409       the body writes a model field covered by a unique constraint
413, 415  the operation takes a body
429       the view has throttles
500       always, once, as a shared response component
========  =====================================================================================

When a view authenticates without a ``WWW-Authenticate`` challenge (session auth first), DRF
answers authentication failures with 403, and so does the schema. A status the operation
already documents (``@extend_schema(responses={404: ...})``) is left alone.

Components (all names stable, independent of the order views are generated in):

* ``ErrorResponse``: the envelope; ``error`` is ``{detail?: string, [key]: unknown}``;
* ``<Body>ValidationError``, one per request body, e.g. ``VacancyValidationError`` for
  ``VacancyRequest`` / ``PatchedVacancyRequest``: the envelope whose ``error`` lists the body's
  field names, each ``string[]`` (nested objects and lists: ``unknown[] | {...}``), plus
  ``non_field_errors`` and ``detail`` (parse errors, query parameters);
* response components ``BadRequest``, ``Unauthorized``, ``Forbidden``, ``NotFound``,
  ``NotAcceptable``, ``Conflict``, ``RequestTooLarge``, ``UnsupportedMediaType``,
  ``Throttled`` and ``ServerError``, each an ``ErrorResponse`` with a description.

The envelope's shape comes from the configured formatter's ``envelope_schema``, so a custom
formatter is reflected here.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from drf_spectacular.drainage import warn
from drf_spectacular.plumbing import ResolvedComponent, force_instance
from drf_spectacular.settings import spectacular_settings
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import (
    SAFE_METHODS,
    AllowAny,
    BasePermission,
    IsAuthenticated,
    IsAuthenticatedOrReadOnly,
)
from rest_framework.settings import api_settings

from . import naming
from .formatters import get_formatter
from .generation import memo

ERROR_RESPONSE = "ErrorResponse"
VALIDATION_ERROR_SUFFIX = "ValidationError"

#: status -> (response component name, description). 400 with a body is per operation.
ERROR_RESPONSES: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "Invalid query parameters or request (code `invalid`, `parse_error`)."),
    401: (
        "Unauthorized",
        "Missing, invalid or expired credentials (code `not_authenticated`, "
        "`authentication_failed`, `token_not_valid`, ...).",
    ),
    403: (
        "Forbidden",
        "Not allowed (code `permission_denied`), or not authenticated where the API sends "
        "no authentication challenge.",
    ),
    404: ("NotFound", "No such object or page (code `not_found`)."),
    406: ("NotAcceptable", "The Accept header cannot be satisfied (code `not_acceptable`)."),
    409: ("Conflict", "A unique value is already taken (code `conflict`)."),
    412: (
        "PreconditionFailed",
        "The If-Match header does not match the current version (code `precondition_failed`).",
    ),
    413: ("RequestTooLarge", "The request body is too large (code `request_too_large`)."),
    415: (
        "UnsupportedMediaType",
        "The body's Content-Type is not accepted (code `unsupported_media_type`).",
    ),
    428: (
        "PreconditionRequired",
        "This request must send an If-Match header (code `precondition_required`).",
    ),
    429: (
        "Throttled",
        "Too many requests; retry after the Retry-After header's seconds (code `throttled`).",
    ),
    500: ("ServerError", "Unexpected server error (code `server_error`); details are logged."),
}

_STRINGS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
#: A list of scalars: ``["Expected a list."]`` or per item ``{"0": ["Not a valid slug."]}``.
_LIST_OF_STRINGS: dict[str, Any] = {
    "anyOf": [_STRINGS, {"type": "object", "additionalProperties": _STRINGS}]
}
#: A nested object or list of objects: DRF's errors mirror its structure.
_NESTED: dict[str, Any] = {
    "anyOf": [{"type": "array", "items": {}}, {"type": "object", "additionalProperties": {}}]
}
_SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean"})


class ErrorSchemaMixin:
    """AutoSchema mixin: documents the error envelope. Override :meth:`get_error_statuses`
    to add or drop statuses for one view (e.g. ``return super().get_error_statuses(op) |
    {412}``)."""

    registry: Any
    view: Any
    method: str

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)  # type: ignore[misc]
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for status_code in sorted(self.get_error_statuses(operation)):
            if str(status_code) not in responses:
                responses[str(status_code)] = self.get_error_response(status_code, operation)
        return operation

    # -- which errors ------------------------------------------------------------------------

    def get_error_statuses(self, operation: dict[str, Any]) -> set[int]:
        """Statuses to document. Mixins later in the MRO may contribute their own by
        defining ``get_error_statuses`` too (e.g. 412 for conditional updates), and a view
        may list extra ones in ``extra_error_statuses``."""
        contributed = getattr(super(), "get_error_statuses", None)
        statuses = set(contributed(operation)) if contributed else set()
        statuses |= set(getattr(self.view, "extra_error_statuses", ()))
        statuses |= {406, 500}
        has_body = "requestBody" in operation
        parameters = operation.get("parameters", [])
        if has_body:
            statuses |= {400, 413, 415}
        if any(p.get("in") == "query" for p in parameters):
            statuses.add(400)
        auth_failure = self._authentication_failure_status()
        if self._can_fail_authentication():
            statuses.add(auth_failure)
        if self._can_refuse_permission():
            statuses.add(403)
        if any(p.get("in") == "path" for p in parameters) or self._is_paginated():
            statuses.add(404)
        if has_body and self._writes_unique_fields():
            statuses.add(409)
        if self._is_throttled():
            statuses.add(429)
        return statuses

    def _authenticators(self) -> list[Any]:
        return list(self.view.get_authenticators())

    def _permissions(self) -> list[Any]:
        return list(self.view.get_permissions())

    def _authentication_failure_status(self) -> int:
        """401 when the first authenticator sends a challenge (JWT, Basic), else 403: DRF's
        rule for NotAuthenticated and AuthenticationFailed."""
        authenticators = self._authenticators()
        request = getattr(self.view, "request", None)
        if authenticators and authenticators[0].authenticate_header(request):
            return 401
        return 403

    def _refuses_anonymous(self, permission: Any) -> bool:
        if isinstance(permission, AllowAny):
            return False
        if isinstance(permission, IsAuthenticatedOrReadOnly):
            return self.method not in SAFE_METHODS
        return True

    def _can_fail_authentication(self) -> bool:
        """Credentials that can be refused (a bad or expired token), or a permission that
        turns an anonymous request away."""
        header_auth = any(not isinstance(a, SessionAuthentication) for a in self._authenticators())
        if header_auth:
            return True
        allows_anonymous = getattr(self, "allows_anonymous", None)  # SecuritySchemaMixin's
        if allows_anonymous is not None:
            return not allows_anonymous()
        return any(self._refuses_anonymous(p) for p in self._permissions())

    def _can_refuse_permission(self) -> bool:
        """A permission that may say no to a signed-in user; session auth's CSRF check on
        writes too. ``IsAuthenticated`` alone only refuses anonymous requests (401)."""
        if any(self._may_refuse_user(p) for p in self._permissions()):
            return True
        return self.method not in SAFE_METHODS and any(
            isinstance(a, SessionAuthentication) for a in self._authenticators()
        )

    def _may_refuse_user(self, permission: Any) -> bool:
        """Whether ``permission`` can refuse a signed-in user on this operation. A class that
        only overrides ``has_object_permission`` refuses nothing where there is no object
        (lists, creates); composed permissions (``A & B``) are assumed to refuse."""
        if isinstance(permission, (AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly)):
            return False
        if not isinstance(permission, BasePermission):
            return True
        cls = type(permission)
        if cls.has_permission is not BasePermission.has_permission:
            return True
        object_route = "{" in getattr(self, "path", "")
        return (
            object_route and cls.has_object_permission is not BasePermission.has_object_permission
        )

    def _is_paginated(self) -> bool:
        return bool(self._get_paginator() and self._is_list_view())  # type: ignore[attr-defined]

    def _is_throttled(self) -> bool:
        try:
            return bool(self.view.get_throttles())
        except Exception:  # a throttle whose rate is missing from settings still throttles
            return bool(getattr(self.view, "throttle_classes", None))

    def _writes_unique_fields(self) -> bool:
        serializer = force_instance(self.get_request_serializer())  # type: ignore[attr-defined]
        if not isinstance(serializer, serializers.ModelSerializer):
            return False

        def compute() -> bool:
            model = serializer.Meta.model
            written = {f.source for f in serializer.fields.values() if not f.read_only}
            return any(written & set(group) for group in unique_field_groups(model))

        return memo(self.registry, ("writes_unique", type(serializer)), compute)

    # -- how they look -----------------------------------------------------------------------

    def get_error_response(self, status_code: int, operation: dict[str, Any]) -> dict[str, Any]:
        """A shared response component; a 400 on a body gets the body's validation envelope,
        whose ``error`` lists the body's field names."""
        if status_code == 400 and "requestBody" in operation:
            return {
                "description": "Validation failed: `error` maps each field of the body to its "
                "messages (code `invalid`), or the body could not be parsed (`parse_error`).",
                "content": {
                    "application/json": {
                        "schema": self._discriminated(self._validation_component(operation), 400)
                    }
                },
            }
        return self._response_component(status_code).ref

    def _discriminated(self, envelope: ResolvedComponent, status_code: int) -> dict[str, Any]:
        """``status_code: 404`` instead of ``number``, so the error type openapi-fetch derives
        for an operation is a union TypeScript narrows with ``error.status_code === 400``.
        (Inline, not in the component: the component stays reusable for every status.)"""
        if "status_code" not in envelope.schema.get("properties", {}):
            return envelope.ref  # a custom formatter without status_code
        return {"allOf": [envelope.ref, _status_literal(status_code)]}

    def _envelope_component(self) -> ResolvedComponent:
        return memo(self.registry, "envelope_component", self._build_envelope_component)

    def _build_envelope_component(self) -> ResolvedComponent:
        error_schema = {
            "type": "object",
            "description": (
                "DRF's detail: `{detail}` for most errors, field or query parameter names "
                "mapped to messages for validation errors."
            ),
            "properties": {"detail": {"type": "string"}},
            "additionalProperties": {},
        }
        component = ResolvedComponent(
            name=ERROR_RESPONSE,
            type=ResolvedComponent.SCHEMA,
            schema=get_formatter().envelope_schema(error_schema),
            object=ERROR_RESPONSE,
        )
        self.registry.register_on_missing(component)
        return component

    def _response_component(self, status_code: int) -> ResolvedComponent:
        return memo(
            self.registry,
            ("response_component", status_code),
            lambda: self._build_response_component(status_code),
        )

    def _build_response_component(self, status_code: int) -> ResolvedComponent:
        name, description = ERROR_RESPONSES.get(
            status_code, (f"Error{status_code}", f"Error {status_code}.")
        )
        response: dict[str, Any] = {
            "description": description,
            "content": {
                "application/json": {
                    "schema": self._discriminated(self._envelope_component(), status_code)
                }
            },
        }
        if status_code == 429:
            response["headers"] = {
                "Retry-After": {
                    "schema": {"type": "integer"},
                    "description": "Seconds to wait before the next request.",
                }
            }
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.RESPONSE, schema=response, object=name
        )
        self.registry.register_on_missing(component)
        return component

    def _validation_component(self, operation: dict[str, Any]) -> ResolvedComponent:
        body_name, properties = self._request_body_properties(operation)
        name = validation_component_name(body_name)
        errors = {field: field_error_schema(schema) for field, schema in properties.items()}
        errors.setdefault(api_settings.NON_FIELD_ERRORS_KEY, _STRINGS)
        errors.setdefault(
            "detail",
            {"type": "string", "description": "Set instead of field errors by parse errors."},
        )
        error_schema = {
            "type": "object",
            "description": "Each field of the request body mapped to its messages.",
            "properties": errors,
            "additionalProperties": {},
        }
        component = ResolvedComponent(
            name=name,
            type=ResolvedComponent.SCHEMA,
            schema=get_formatter().envelope_schema(error_schema),
            object=name,
        )
        key = (name, ResolvedComponent.SCHEMA)
        existing = self.registry._components.get(key)
        if existing is not None and existing.schema != component.schema:
            warn(
                f'Two request bodies share the validation error component "{name}" with '
                f"different fields. Give one of their serializers another name."
            )
        self.registry.register_on_missing(component)
        return component

    def _request_body_properties(self, operation: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """(component name, properties) of the operation's request body."""
        contents: dict[str, Any] = operation["requestBody"].get("content", {})
        first: dict[str, Any] = next(iter(contents.values()), {})
        schema: dict[str, Any] = first.get("schema", {})
        ref = schema.get("$ref", "")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            component = self.registry._components.get((name, ResolvedComponent.SCHEMA))
            body = component.schema if component is not None else {}
            return name, dict(body.get("properties", {}))
        return naming.pascal(operation["operationId"]), dict(schema.get("properties", {}))


def _status_literal(status_code: int) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"status_code": {"type": "integer", "enum": [status_code]}},
        "required": ["status_code"],
    }


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
    return schema.get("type") in _SCALAR_TYPES or "enum" in schema


def field_error_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """How DRF reports errors of a field with this (request) schema: a list of messages for
    a scalar, per item for a list of scalars, mirrored structure for nested objects."""
    if is_scalar(schema):
        return _STRINGS
    if schema.get("type") == "array" and is_scalar(schema.get("items", {})):
        return _LIST_OF_STRINGS
    return _NESTED


def unique_field_groups(model: type[models.Model]) -> list[tuple[str, ...]]:
    """Field names under each unique constraint of ``model`` (the primary key excluded)."""
    groups: list[tuple[str, ...]] = [
        (field.name,)
        for field in model._meta.concrete_fields
        if field.unique and not field.primary_key
    ]
    groups.extend(tuple(group) for group in model._meta.unique_together)
    groups.extend(tuple(c.fields) for c in model._meta.total_unique_constraints)
    return groups
