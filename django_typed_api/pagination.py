"""Page-number pagination with a bounded, validated ``page_size``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.request import Request

from .conf import typed_api_settings
from .strict import query_value


class TypedPageNumberPagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (1..``TYPED_API["MAX_PAGE_SIZE"]``).

    DRF silently falls back to the default size for ``page_size=abc`` or clamps ``10000``;
    a client then gets a page it did not ask for. Here both are a 400, and so is ``page=abc``
    (DRF: a 404 as if the page were past the end, which stays a 404).
    """

    page_size_query_param = "page_size"

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        return int(typed_api_settings.MAX_PAGE_SIZE)

    def get_page_size(self, request: Request) -> int | None:
        if not typed_api_settings.STRICT_QUERY_PARAMS:
            return super().get_page_size(request)  # DRF: fall back to default, clamp to max
        raw = query_value(request, self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Ensure this value is an integer between 1 and %(max)d.")
                        % {"max": self.max_page_size}
                    ]
                },
                code="invalid",
            )
        return size

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        if not typed_api_settings.STRICT_QUERY_PARAMS:
            return super().get_page_number(request, paginator)
        raw = query_value(request, self.page_query_param)
        if raw is None or raw == "":
            return 1
        if not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            # The schema says an integer >= 1; a page past the last one stays a 404.
            raise ValidationError(
                {self.page_query_param: [_("A valid integer of at least 1 is required.")]},
                code="invalid",
            )
        return raw

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters


V = TypeVar("V", bound=Callable[..., Any])


def paginated(
    pagination_class: type[BasePagination] = TypedPageNumberPagination,
) -> Callable[[V], V]:
    """Document an ``@api_view`` that returns ``paginator.get_paginated_response(...)`` as a
    paginated list (``PaginatedVacancyList``). Put it above ``@api_view``::

        @extend_schema(request=JobSearchSerializer, responses=VacancySerializer(many=True))
        @paginated()
        @api_view(["POST"])
        def search_jobs(request): ...
    """

    def decorator(view: V) -> V:
        view.cls.pagination_class = pagination_class  # type: ignore[attr-defined]
        return view

    return decorator
