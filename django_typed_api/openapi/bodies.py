"""Request bodies: required where the view refuses a missing one."""

from __future__ import annotations

from typing import Any

from ..strict.json_types import REQUIRED_BODY_METHODS, StrictJSONTypesMixin


class RequiredBodySchemaMixin:
    """Marks POST and PUT request bodies ``required`` on views that refuse a missing body.

    drf-spectacular makes a body optional when none of its fields is required (a search form
    whose filters are all optional). A client then gets ``requestBody?`` and
    ``paths[...]["post"]["requestBody"]["content"]`` does not type-check. Views with
    :class:`~django_typed_api.strict.json_types.StrictJSONTypesMixin` (every Typed viewset)
    answer a POST or PUT without a body with 400 ``parse_error``, so there the body is
    required; elsewhere (``@api_view`` functions, which DRF lets read a missing body as ``{}``)
    drf-spectacular's rule stands. PATCH stays optional.
    Override point: :attr:`required_body_methods` (``frozenset()`` keeps drf-spectacular's
    rule in a schema subclass).
    """

    method: str
    required_body_methods: frozenset[str] = REQUIRED_BODY_METHODS
    view: Any

    def _get_request_body(self, direction: str = "request") -> dict[str, Any] | None:
        body: dict[str, Any] | None = super()._get_request_body(direction)  # type: ignore[misc]
        if (
            body is not None
            and self.method in self.required_body_methods
            and isinstance(self.view, StrictJSONTypesMixin)
        ):
            body["required"] = True
        return body
