"""django-filter and ordering integration: typed in the schema, strict at runtime.

An invalid filter value is a 400, never silently ignored: ``remote=maybe`` would otherwise
mean "no filter" and ``ordering=nonsense`` "default order", and the client would show wrong
results without knowing.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

from .conf import typed_api_settings


class StrictNullBooleanField(forms.NullBooleanField):
    """Accepts ``true/false/1/0`` (any case) or an absent value; anything else is an error."""

    widget = forms.TextInput  # NullBooleanSelect maps unknown strings to None, silently

    TRUE = frozenset({"true", "1"})
    FALSE = frozenset({"false", "0"})

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(_("Must be true or false."), code="invalid")

    def validate(self, value: Any) -> None:
        return None


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictNullBooleanField


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """Comma-separated values, ``skills=python,django``; an array in the schema."""


class TypedFilterSet(django_filters.FilterSet):
    """FilterSet whose generated boolean filters reject values they do not understand."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
    }


class TypedDjangoFilterBackend(DjangoFilterBackend):
    """django-filter's backend, strict or lenient per ``TYPED_API["STRICT_QUERY_PARAMS"]``:
    strict answers an invalid filter value with a 400, lenient ignores that filter (and only
    that one) as django-filter does with ``raise_exception = False``."""

    @property
    def raise_exception(self) -> bool:
        return bool(typed_api_settings.STRICT_QUERY_PARAMS)


class TypedOrderingFilter(OrderingFilter):
    """``?ordering=-created_at,title`` validated against the view's ``ordering_fields`` and
    documented as an array of an enum of the allowed values."""

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        if not typed_api_settings.STRICT_QUERY_PARAMS:
            return super().get_ordering(request, queryset, view)  # DRF: drop unknown fields
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",") if param.strip()]
            allowed = self._allowed(queryset, view, request)
            invalid = [f for f in fields if f.lstrip("-") not in allowed]
            if invalid:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            _("Unknown ordering field(s): %(fields)s. Allowed: %(allowed)s.")
                            % {"fields": ", ".join(invalid), "allowed": ", ".join(sorted(allowed))}
                        ]
                    },
                    code="invalid",
                )
            return fields
        return self.get_default_ordering(view)

    def _allowed(self, queryset: QuerySet[Any], view: Any, request: Request) -> set[str]:
        return {
            name for name, _label in self.get_valid_fields(queryset, view, {"request": request})
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        try:
            queryset = view.get_queryset()
        except Exception:  # schema generation must not depend on a request
            queryset = getattr(view, "queryset", None)
        fields = sorted(
            name for name, _label in self.get_valid_fields(queryset, view, {"request": None})
        )
        values = [v for name in fields for v in (name, f"-{name}")]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": str(self.ordering_description),
                "schema": {"type": "array", "items": {"type": "string", "enum": values}},
                "style": "form",
                "explode": False,
            }
        ]
