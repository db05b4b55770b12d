"""Lost-update protection: ETag on reads, ``If-Match`` on writes.

Two people edit the same vacancy; without this the second save silently overwrites the first.
With it, every retrieve and update answers with a strong ``ETag``; a PUT/PATCH/DELETE that
sends ``If-Match`` with a stale tag gets a 412 ``precondition_failed`` and changes nothing.
``TYPED_API["REQUIRE_IF_MATCH"] = True`` makes the header mandatory (428).

The check and the write happen in one transaction with the row locked (``SELECT ... FOR
UPDATE`` where the database has it), so two requests carrying the same tag cannot both pass.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import connections, models, router, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from .conf import typed_api_settings

#: Viewset actions that change an object and so honour ``If-Match``.
CONDITIONAL_ACTIONS = frozenset({"update", "partial_update", "destroy"})
#: Viewset actions whose responses carry the object's ``ETag``.
TAGGED_ACTIONS = frozenset({"retrieve", "update", "partial_update"})


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The resource was changed by someone else. Reload it and try again.")
    default_code = "precondition_failed"


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _("This request must send an If-Match header with the resource's ETag.")
    default_code = "precondition_required"


def etag_for(instance: models.Model, field: str = "updated_at") -> str:
    """A strong ETag from the primary key and the version field (``updated_at``)."""
    version = getattr(instance, field)
    version = version.isoformat() if hasattr(version, "isoformat") else str(version)
    digest = hashlib.sha256(f"{instance.pk}:{version}".encode()).hexdigest()[:32]
    return f'"{digest}"'


def _if_match_tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


class ConditionalUpdateMixin:
    """Viewset mixin: ETag on retrieve/update responses, ``If-Match`` on update/destroy.

    Override points: ``etag_field`` (the attribute that changes on every save) or
    :meth:`get_etag` for anything else (a version counter, a hash of several fields).
    """

    etag_field = "updated_at"

    def get_etag(self, instance: models.Model) -> str:
        return etag_for(instance, self.etag_field)

    def _conditional(self) -> bool:
        return getattr(self, "action", None) in CONDITIONAL_ACTIONS

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()  # type: ignore[misc]
        if self._conditional():
            connection = connections[router.db_for_write(queryset.model)]
            if connection.features.has_select_for_update:
                of = ("self",) if connection.features.has_select_for_update_of else ()
                queryset = queryset.select_for_update(of=of)
        return queryset

    def get_object(self) -> Any:
        instance = super().get_object()  # type: ignore[misc]
        if self._conditional():
            self.check_if_match(self.request, instance)  # type: ignore[attr-defined]
        return instance

    def check_if_match(self, request: Request, instance: models.Model) -> None:
        header = request.headers.get("If-Match")
        if header is None:
            if typed_api_settings.REQUIRE_IF_MATCH:
                raise PreconditionRequired()
            return
        tags = _if_match_tags(header)
        current = self.get_etag(instance)
        # Weak tags (W/"...") never match under the strong comparison RFC 9110 requires here.
        if "*" not in tags and current not in tags:
            raise PreconditionFailed()

    def _locked(self, handler: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        model = super().get_queryset().model  # type: ignore[misc]
        with transaction.atomic(using=router.db_for_write(model)):
            return handler(request, *args, **kwargs)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._locked(super().update, request, *args, **kwargs)  # type: ignore[misc]

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._locked(super().destroy, request, *args, **kwargs)  # type: ignore[misc]

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if (
            getattr(self, "action", None) in TAGGED_ACTIONS
            and 200 <= response.status_code < 300
            and getattr(response, "data", None) is not None
        ):
            instance = getattr(self, "_etag_instance", None)
            if instance is not None:
                response["ETag"] = self.get_etag(instance)
        return response

    def perform_update(self, serializer: Any) -> None:
        super().perform_update(serializer)  # type: ignore[misc]
        self._etag_instance = serializer.instance

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        self._etag_instance = instance
        serializer = self.get_serializer(instance)  # type: ignore[attr-defined]
        return Response(serializer.data)


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
