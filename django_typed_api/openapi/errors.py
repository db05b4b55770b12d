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
503       always: every operation reads the database (and the auth cache); outages answer it
========  =====================================================================================

Only where our handler answers: when ``REST_FRAMEWORK["EXCEPTION_HANDLER"]`` is another one
(not ours, a subclass's or a wrapper of ours), no error responses are added (system check
``django_typed_api.W011`` says so), as stock drf-spectacular does: the schema claims nothing
it cannot know. A declared status or range (``"4XX"``) is never shadowed.

When a view authenticates without a ``WWW-Authenticate`` challenge (session auth first), DRF
answers authentication failures with 403, and so does the schema. A status the operation
already documents (``@extend_schema(responses={404: ...})``) is left alone.

Components (all names stable, independent of the order views are generated in):

* ``ErrorResponse``: the envelope; ``error`` is ``{detail?: string, [key]: unknown}``;
* ``<Body>ValidationError``, one per request body, e.g. ``VacancyValidationError`` for
  ``VacancyRequest`` / ``PatchedVacancyRequest``: the envelope whose ``error`` lists the body's
  field names, each ``string[]`` (nested objects and lists: ``unknown[] | {...}``), plus
  ``non_field_errors`` and ``detail`` (parse errors, query parameters);
* one response component per status (``BadRequest``, ``Unauthorized``, ``Forbidden``,
  ``NotFound``, ...), named and described by the error catalogue
  (:mod:`django_typed_api.errors.catalogue`), each an ``ErrorResponse``.

The envelope's shape comes from the configured formatter's ``envelope_schema``, so a custom
formatter is reflected here.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from drf_spectacular.drainage import warn
from drf_spectacular.plumbing import ResolvedComponent, force_instance
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

from .. import naming
from ..errors.catalogue import for_status
from ..errors.coverage import handler_answers_envelope
from ..errors.formatter import get_formatter
from .field_errors import STRINGS, field_error_schema, validation_component_name
from .generation import memo

ERROR_RESPONSE = "ErrorResponse"
#: Statuses whose response carries ``Retry-After``.
RETRY_AFTER_STATUSES = frozenset({429, 503})


class ErrorSchemaMixin:
    """AutoSchema mixin: documents the error envelope. Override :meth:`get_error_statuses`
    to add or drop statuses for one view (e.g. ``return super().get_error_statuses(op) |
    {412}``)."""

    registry: Any
    view: Any
    method: str

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)  # type: ignore[misc]
        if operation is None or not memo(self.registry, "envelope", handler_answers_envelope):
            return operation  # another EXCEPTION_HANDLER answers: its bodies are unknown
        responses = operation.setdefault("responses", {})
        for status_code in sorted(self.get_error_statuses(operation)):
            # A declared status or range (``"4XX"`` in @extend_schema(responses=...)) wins.
            declared = {str(status_code), f"{str(status_code)[0]}XX", f"{str(status_code)[0]}xx"}
            if not declared & responses.keys():
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
        statuses |= {406, 500, 503}
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
            written = self._written_sources(serializer)
            return any(written & set(group) for group in unique_field_groups(serializer.Meta.model))

        return memo(self.registry, ("writes_unique", type(serializer)), compute)

    def _written_sources(self, serializer: Any) -> frozenset[str]:
        def compute() -> frozenset[str]:
            return frozenset(f.source for f in serializer.fields.values() if not f.read_only)

        return memo(self.registry, ("written_sources", type(serializer)), compute)

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        # The request body's fields are built here anyway: note the written ones now, or
        # _writes_unique_fields builds a second field set per serializer class.
        if direction == "request" and isinstance(serializer, serializers.ModelSerializer):
            self._written_sources(serializer)
        return super()._map_basic_serializer(serializer, direction)  # type: ignore[misc]

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
        description = (
            "DRF's detail: `{detail}` for most errors, field or query parameter names "
            "mapped to messages for validation errors."
        )
        component = _envelope(ERROR_RESPONSE, description, {"detail": {"type": "string"}})
        self.registry.register_on_missing(component)
        return component

    def _response_component(self, status_code: int) -> ResolvedComponent:
        return memo(
            self.registry,
            ("response_component", status_code),
            lambda: self._build_response_component(status_code),
        )

    def _build_response_component(self, status_code: int) -> ResolvedComponent:
        entry = for_status(status_code)
        name, description = entry.component, entry.description
        response: dict[str, Any] = {
            "description": description,
            "content": {
                "application/json": {
                    "schema": self._discriminated(self._envelope_component(), status_code)
                }
            },
        }
        if status_code in RETRY_AFTER_STATUSES:
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
        errors.setdefault(api_settings.NON_FIELD_ERRORS_KEY, STRINGS)
        errors.setdefault(
            "detail",
            {"type": "string", "description": "Set instead of field errors by parse errors."},
        )
        component = _envelope(
            name, "Each field of the request body mapped to its messages.", errors
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


def _envelope(name: str, description: str, properties: dict[str, Any]) -> ResolvedComponent:
    """A schema component: the configured formatter's envelope around this ``error``."""
    error_schema = {
        "type": "object",
        "description": description,
        "properties": properties,
        "additionalProperties": {},
    }
    return ResolvedComponent(
        name=name,
        type=ResolvedComponent.SCHEMA,
        schema=get_formatter().envelope_schema(error_schema),
        object=name,
    )


def _status_literal(status_code: int) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"status_code": {"type": "integer", "enum": [status_code]}},
        "required": ["status_code"],
    }


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
