"""The optimizer in viewsets: reads optimized, and write responses re-read the saved object."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import QuerySet

from .analysis import Hints
from .plans import plan_for

# -- the viewset mixin ----------------------------------------------------------------------

#: Actions whose queryset only finds the object to write; their response re-reads it.
WRITE_ACTIONS = frozenset({"create", "update", "partial_update", "destroy"})


class OptimizedQuerysetMixin:
    """Viewset mixin: ``get_queryset()`` optimized for ``get_serializer_class()``.

    Override points:

    - ``optimize_queryset = False`` switches it off for a viewset (hand-written querysets).
    - ``optimizer_hints = {"field": ["relation__path", Prefetch(...)]}`` for fields the
      serializer cannot describe (``SerializerMethodField``), relative to the queryset's model.
    - :meth:`get_optimized_queryset` to change how a queryset is optimized,
      :meth:`get_response_instance` to change how a saved object is re-read.

    Write actions (create, update, destroy) are not optimized: their queryset only finds the
    object to change. Their responses are: DRF's ``perform_create``/``perform_update`` hooks
    re-read the saved object through the optimized queryset before DRF serializes it (a view
    that overrides one of them and saves without ``super()`` keeps DRF's plain response).
    """

    optimize_queryset: ClassVar[bool] = True
    optimizer_hints: ClassVar[Hints] = {}

    def get_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset()  # type: ignore[misc]
        if self._reads_rows():
            queryset = self.get_optimized_queryset(queryset)
        return queryset

    def _reads_rows(self) -> bool:
        """Schema generation (drf-spectacular's ``swagger_fake_view``) asks for the queryset
        only to learn its model and never runs it: planning there cost a fifth of a second
        per 200 viewsets."""
        return (
            self.optimize_queryset
            and getattr(self, "action", None) not in WRITE_ACTIONS
            and not getattr(self, "swagger_fake_view", False)
        )

    def get_optimized_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        serializer_class = self.get_serializer_class()  # type: ignore[attr-defined]
        plan = plan_for(serializer_class, self.optimizer_hints or None, model=queryset.model)
        return plan.apply(queryset)

    def get_response_instance(self, instance: models.Model) -> models.Model:
        """The saved ``instance`` re-read with everything its response needs."""
        if not self.optimize_queryset or instance.pk is None:
            return instance
        # Through the view's own get_queryset(), so its annotations are there too.
        queryset = self.get_optimized_queryset(self.get_queryset())
        fresh = queryset.filter(pk=instance.pk).first()
        if fresh is None and isinstance(queryset, QuerySet):
            # The caller's get_queryset() filters it out (e.g. drafts): still answer with it.
            base = type(instance)._default_manager.filter(pk=instance.pk)
            fresh = self.get_optimized_queryset(base).first()
        return fresh if fresh is not None else instance

    def perform_create(self, serializer: Any) -> None:
        super().perform_create(serializer)  # type: ignore[misc]
        serializer.instance = self.get_response_instance(serializer.instance)

    def perform_update(self, serializer: Any) -> None:
        super().perform_update(serializer)  # type: ignore[misc]
        serializer.instance = self.get_response_instance(serializer.instance)


#: The 0.1 name, when reads and writes needed two mixins.
OptimizedWritesMixin = OptimizedQuerysetMixin
