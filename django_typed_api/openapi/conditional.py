"""Lost-update protection in the schema: ``If-Match`` on conditional writes (and 412/428 among
their errors), ``ETag`` on the responses that carry a version. The behaviour is in
:mod:`django_typed_api.concurrency`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter

from ..concurrency import CONDITIONAL_ACTIONS, TAGGED_ACTIONS, ConditionalUpdateMixin
from ..conf import typed_api_settings


class ConditionalSchemaMixin:
    """Documents ``If-Match`` on conditional operations and ``ETag`` on tagged responses."""

    def _is_conditional_view(self) -> bool:
        view = self.view  # type: ignore[attr-defined]
        return isinstance(view, ConditionalUpdateMixin)

    def get_error_statuses(self, operation: dict[str, Any]) -> set[int]:
        """412 where If-Match is checked, and 428 too when the header is required."""
        contributed = getattr(super(), "get_error_statuses", None)
        statuses: set[int] = set(contributed(operation)) if contributed else set()
        action = getattr(self.view, "action", None)  # type: ignore[attr-defined]
        if self._is_conditional_view() and action in CONDITIONAL_ACTIONS:
            statuses.add(412)
            if typed_api_settings.REQUIRE_IF_MATCH:
                statuses.add(428)
        return statuses

    def get_override_parameters(self) -> list[Any]:
        parameters: list[Any] = list(super().get_override_parameters())  # type: ignore[misc]
        action = getattr(self.view, "action", None)  # type: ignore[attr-defined]
        if self._is_conditional_view() and action in CONDITIONAL_ACTIONS:
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    required=bool(typed_api_settings.REQUIRE_IF_MATCH),
                    description=(
                        "The ETag from the last read of this resource. A stale tag is "
                        "refused with 412 precondition_failed."
                    ),
                )
            )
        return parameters

    def _get_response_headers_for_code(self, status_code: Any, direction: str = "response") -> Any:
        headers = super()._get_response_headers_for_code(status_code, direction)  # type: ignore[misc]
        action = getattr(self.view, "action", None)  # type: ignore[attr-defined]
        if (
            self._is_conditional_view()
            and action in TAGGED_ACTIONS
            and str(status_code).startswith("2")
        ):
            headers = dict(headers or {})
            headers["ETag"] = {
                "schema": {"type": "string"},
                "description": "Send it back in If-Match to update or delete this version.",
            }
        return headers
