"""N+1-free querysets, derived from the serializer that will render them.

A DRF serializer already says which relations a response touches: nested serializers, dotted
``source`` paths, related fields. :func:`optimize` reads that once per serializer class and
turns it into ``select_related`` (foreign keys and one-to-ones, joined) and
``prefetch_related`` (many-to-many and reverse foreign keys, with ``Prefetch`` querysets that
are optimized the same way for what the nested serializer reads)::

    optimize(Vacancy.objects.all(), VacancySerializer)
    # == Vacancy.objects.select_related("company", "location")
    #                   .prefetch_related("skills", "requirements")

What a serializer cannot say (a ``SerializerMethodField``, a model property that follows a
relation) is declared as a hint: lookups relative to the serializer's model, keyed by field::

    class Meta:
        model = Vacancy
        optimizer_hints = {"company_summary": ["company__owner"]}

Whatever the queryset already has is respected: ``select_related()`` with no arguments is
left alone, an existing ``Prefetch`` for the same path keeps its queryset (the nested needs
are added to it) and a ``Prefetch(..., to_attr=...)`` is never touched.

:class:`OptimizedQuerysetMixin` applies this in a viewset's ``get_queryset`` and re-reads the
saved object through the optimized queryset for create and update responses.

Modules: :mod:`.analysis` reads a serializer into a tree of relations, :mod:`.plans` turns
the tree into ``select_related``/``prefetch_related`` and caches it per serializer class,
:mod:`.deferred_prefetch` prefetches plain many-to-many relations without building a
queryset per row until something asks, :mod:`.mixins` applies it in viewsets.
"""

from .analysis import Hints
from .mixins import OptimizedQuerysetMixin, OptimizedWritesMixin
from .plans import QueryPlan, optimize, plan_for

__all__ = [
    "Hints",
    "OptimizedQuerysetMixin",
    "OptimizedWritesMixin",
    "QueryPlan",
    "optimize",
    "plan_for",
]
