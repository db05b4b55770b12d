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
from django_filters.utils import get_model_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

from .conf import typed_api_settings


def query_value(request: Request, name: str, *, typed: bool = True) -> str | None:
    """The one value of query parameter ``name``, or None when it is absent.

    Strict (``TYPED_API["STRICT_QUERY_PARAMS"]``): a parameter given twice (``?page=1&page=2``)
    is a 400, since the schema documents one value; so is an empty value of a ``typed`` one
    (integer, boolean, enum, array of enum), which matches no value of its type. Lenient: the
    last value, and empty means absent, as in DRF.
    """
    values = request.query_params.getlist(name)
    if not values:
        return None
    if not typed_api_settings.STRICT_QUERY_PARAMS:
        return values[-1] or None
    if len(values) > 1:
        raise ValidationError({name: [_("Give this parameter once.")]}, code="invalid")
    if typed and values[0] == "":
        raise ValidationError({name: [_("This value may not be empty.")]}, code="invalid")
    return values[0]


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
    """FilterSet whose generated boolean filters reject values they do not understand, and
    whose number filters on integer model fields take integers only.

    A ``NumberFilter`` parses decimals, but the schema documents the model field's type:
    ``integer`` for ``salary_min = NumberFilter(field_name="salary_max")``. ``?salary_min=0.5``
    is then a 400 instead of a filter the client could not have meant.
    """

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = self._meta.model
        for filter_ in self.filters.values():
            if type(filter_) is django_filters.NumberFilter and model is not None:
                field = get_model_field(model, filter_.field_name)
                if isinstance(field, models.IntegerField):
                    filter_.field_class = forms.IntegerField


class TypedDjangoFilterBackend(DjangoFilterBackend):
    """django-filter's backend, strict or lenient per ``TYPED_API["STRICT_QUERY_PARAMS"]``:
    strict answers an invalid filter value with a 400, lenient ignores that filter (and only
    that one) as django-filter does with ``raise_exception = False``."""

    @property
    def raise_exception(self) -> bool:
        return bool(typed_api_settings.STRICT_QUERY_PARAMS)

    def get_filterset_kwargs(self, request: Request, queryset: Any, view: Any) -> dict[str, Any]:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            for name, filter_ in filterset_class.base_filters.items():
                # Only free text may be empty; a number, choice or boolean cannot.
                query_value(request, name, typed=not _is_text(filter_))
        return super().get_filterset_kwargs(request, queryset, view)


def _is_text(filter_: django_filters.Filter) -> bool:
    """Filters whose empty value is a real value: free text and comma-separated text."""
    return issubclass(filter_.field_class, forms.CharField) and not isinstance(
        filter_, django_filters.ChoiceFilter
    )


class TypedOrderingFilter(OrderingFilter):
    """``?ordering=-created_at,title`` validated against the view's ``ordering_fields`` and
    documented as an array of an enum of the allowed values."""

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        if not typed_api_settings.STRICT_QUERY_PARAMS:
            return super().get_ordering(request, queryset, view)  # DRF: drop unknown fields
        params = query_value(request, self.ordering_param)
        if params is not None:
            # Exactly the documented values: an empty item (``ordering=`` or ``title,,``),
            # padding or ``--title`` is an error, not "default order".
            fields = params.split(",")
            allowed = self._allowed(queryset, view, request)
            values = allowed | {f"-{name}" for name in allowed}
            invalid = [repr(f) if not f.strip() else f for f in fields if f not in values]
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
                "schema": {
                    "type": "array",
                    "items": {"type": "string", "enum": values},
                    "minItems": 1,  # ``ordering=`` orders by nothing: a 400, not the default
                },
                "style": "form",
                "explode": False,
            }
        ]
