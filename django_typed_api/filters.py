"""django-filter and ordering integration: typed in the schema, strict at runtime.

An invalid filter value is a 400, never silently ignored: ``remote=maybe`` would otherwise
mean "no filter" and ``ordering=nonsense`` "default order", and the client would show wrong
results without knowing.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field
from drf_spectacular.drainage import warn
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.request import Request

from .conf import typed_api_settings
from .strict import query_value


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
    that one) as django-filter does with ``raise_exception = False``.

    A view's ``filterset_fields`` get a :class:`TypedFilterSet` built for them
    (``filterset_base``), so ``?remote=maybe`` is refused there too, as with a
    ``filterset_class``.
    """

    filterset_base = TypedFilterSet

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

    def filter_queryset(self, request: Request, queryset: Any, view: Any) -> Any:
        """django-filter's, except that a request with no filter's parameter (every retrieve,
        every unfiltered page) skips building a FilterSet and its form when that FilterSet is
        known to return the queryset unchanged then (:func:`filters_nothing_unfiltered`). A
        parameter counts as a filter's when it starts with a filter's name (range widgets
        add suffixes: ``price_min``)."""
        # Only a view's own filterset_class: filterset_fields build a new class per request.
        if getattr(view, "filterset_class", None) is not None:
            filterset_class = self.get_filterset_class(view, queryset)  # its model check
            names = tuple(filterset_class.base_filters)
            if not any(key.startswith(names) for key in request.query_params) and (
                filters_nothing_unfiltered(filterset_class)
            ):
                return queryset
        return super().filter_queryset(request, queryset, view)


#: The FilterSet methods that decide what an unfiltered request returns.
_FILTERSET_METHODS = ("__init__", "filter_queryset", "qs", "is_valid", "errors", "form")
_UNFILTERED_IDENTITY: dict[type, bool] = {}


def filters_nothing_unfiltered(filterset_class: type[django_filters.FilterSet]) -> bool:
    """True when ``filterset_class`` with no data returns its queryset as it is: its methods
    are django-filter's (or :class:`TypedFilterSet`'s) and every filter is one of
    django-filter's, none required (each of those returns the queryset for an empty value).
    Anything of the project's own is built and run as django-filter does it."""
    known = _UNFILTERED_IDENTITY.get(filterset_class)
    if known is None:
        known = all(_ours(filterset_class, name) for name in _FILTERSET_METHODS) and all(
            _ours(type(filter_), "filter") and not filter_.extra.get("required")
            for filter_ in filterset_class.base_filters.values()
        )
        _UNFILTERED_IDENTITY[filterset_class] = known
    return known


def _ours(cls: type, name: str) -> bool:
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__module__.split(".")[0] in ("django_filters", "django_typed_api")
    return False


def _is_text(filter_: django_filters.Filter) -> bool:
    """Filters whose empty value is a real value: free text and comma-separated text."""
    return issubclass(filter_.field_class, forms.CharField) and not isinstance(
        filter_, django_filters.ChoiceFilter
    )


class TypedSearchFilter(SearchFilter):
    """DRF's ``SearchFilter``, documented only on views that have ``search_fields``: without
    them ``?search=`` does nothing, and a typed ``search`` parameter would promise a filter."""

    def get_search_terms(self, request: Request) -> list[str]:
        # DRF builds and runs a CharField for every request; without the parameter its
        # answer is always [] (every retrieve, every unsearched page).
        if self.search_param not in request.query_params:
            return []
        terms: list[str] = super().get_search_terms(request)
        return terms

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        if not self.get_search_fields(view, None):  # type: ignore[arg-type]  # no request
            return []
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        return parameters


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
        queryset = _schema_queryset(view)
        try:
            fields = sorted(
                name for name, _label in self.get_valid_fields(queryset, view, {"request": None})
            )
        except (AttributeError, ImproperlyConfigured):  # no queryset to read model fields from
            warn(
                f"{type(view).__name__}: the ordering fields cannot be listed without a "
                "queryset (get_queryset() returned None at schema generation); `ordering` is "
                "documented as free text. Set ordering_fields = [...] on the view."
            )
            return [self._parameter({"type": "string"})]
        values = [v for name in fields for v in (name, f"-{name}")]
        return [self._parameter({"type": "string", "enum": values})]

    def _parameter(self, item: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": self.ordering_param,
            "required": False,
            "in": "query",
            "description": str(self.ordering_description),
            "schema": {
                "type": "array",
                "items": item,
                "minItems": 1,  # ``ordering=`` orders by nothing: a 400, not the default
            },
            "style": "form",
            "explode": False,
        }


def _schema_queryset(view: Any) -> Any:
    """The view's queryset at schema generation, where ``get_queryset()`` may need a real
    request or return ``None`` (DRF's OrderingFilter only warns then): the ``queryset``
    attribute, else an empty one of the serializer's model."""
    try:
        queryset = view.get_queryset()
    except Exception:  # schema generation must not depend on a request
        queryset = None
    if queryset is None:
        queryset = getattr(view, "queryset", None)
    if queryset is None:
        serializer_class = getattr(view, "serializer_class", None)
        model = getattr(getattr(serializer_class, "Meta", None), "model", None)
        if model is not None:
            queryset = model._default_manager.none()
    return queryset
