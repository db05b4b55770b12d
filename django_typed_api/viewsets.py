"""Viewsets whose schema names itself.

``TypedSchemaMixin`` is all it takes: it sets the schema class on the view, so a project keeps
its own ``DEFAULT_SCHEMA_CLASS`` and still gets ``listVacancies``. The ready-made classes
below combine it with DRF's viewsets.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import mixins, viewsets

from .concurrency import ConditionalUpdateMixin
from .optimizer import OptimizedQuerysetMixin, OptimizedWritesMixin
from .schema import TypedAutoSchema


class TypedSchemaMixin:
    """Names operations from the model: ``listVacancies``, ``retrieveVacancy``, ...

    Override points (class attributes): ``noun`` and ``plural_noun`` when the model name is
    not the resource name, e.g. ``noun = "Job"`` -> ``listJobs``.
    """

    schema: Any = TypedAutoSchema()
    noun: ClassVar[str | None] = None
    plural_noun: ClassVar[str | None] = None


class TypedGenericViewSet(TypedSchemaMixin, viewsets.GenericViewSet):
    """A GenericViewSet to compose with DRF's mixins."""


class TypedReadOnlyModelViewSet(
    TypedSchemaMixin,
    OptimizedQuerysetMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """``list`` and ``retrieve``, querysets optimized for the serializer."""


class TypedModelViewSet(
    TypedSchemaMixin, ConditionalUpdateMixin, OptimizedWritesMixin, viewsets.ModelViewSet
):
    """All six standard actions, named and documented; ETag / If-Match on updates;
    querysets optimized for the serializer (``optimize_queryset = False`` to opt out)."""
