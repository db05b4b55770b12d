"""Viewsets whose schema names itself.

``TypedSchemaMixin`` is all it takes: it sets the schema class on the view, so a project keeps
its own ``DEFAULT_SCHEMA_CLASS`` and still gets ``listVacancies``. The ready-made classes
below combine it with DRF's viewsets.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import mixins, viewsets

from .concurrency import ConditionalUpdateMixin
from .fastpath import FastSerializationMixin
from .optimizer import OptimizedQuerysetMixin
from .relations import BulkRelatedLookupsMixin
from .strict.json_types import StrictJSONTypesMixin


class TypedSchema:
    """``TypedAutoSchema`` on first use: serving requests never imports the schema side
    (drf-spectacular and :mod:`django_typed_api.openapi`); generating a schema does."""

    def __get__(self, instance: Any, owner: Any) -> Any:
        from .openapi.schema import TypedAutoSchema

        schema = TypedAutoSchema()
        owner.schema = schema  # once per class, as a plain class attribute would be
        return schema.__get__(instance, owner)


class TypedSchemaMixin:
    """Names operations from the model: ``listVacancies``, ``retrieveVacancy``, ...

    Override points (class attributes): ``noun`` and ``plural_noun`` when the model name is
    not the resource name, e.g. ``noun = "Job"`` -> ``listJobs``.
    """

    schema: Any = TypedSchema()
    noun: ClassVar[str | None] = None
    plural_noun: ClassVar[str | None] = None


class TypedGenericViewSet(
    TypedSchemaMixin,
    BulkRelatedLookupsMixin,
    FastSerializationMixin,
    StrictJSONTypesMixin,
    viewsets.GenericViewSet,
):
    """A GenericViewSet to compose with DRF's mixins; the body is type-checked after
    authentication and permissions, related objects of a write are looked up in bulk."""


class TypedReadOnlyModelViewSet(
    TypedSchemaMixin,
    BulkRelatedLookupsMixin,
    FastSerializationMixin,
    StrictJSONTypesMixin,
    OptimizedQuerysetMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """``list`` and ``retrieve``, querysets optimized for the serializer."""


class TypedModelViewSet(
    TypedSchemaMixin,
    BulkRelatedLookupsMixin,
    FastSerializationMixin,
    StrictJSONTypesMixin,
    ConditionalUpdateMixin,
    OptimizedQuerysetMixin,
    viewsets.ModelViewSet,
):
    """All six standard actions, named and documented; ETag / If-Match on updates;
    querysets optimized for the serializer (``optimize_queryset = False`` to opt out); the
    body type-checked after permissions; related objects of a write looked up in bulk."""
