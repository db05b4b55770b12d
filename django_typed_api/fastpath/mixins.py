"""The fast path applied to the serializers a view creates."""

from __future__ import annotations

from typing import Any

from django.db.models.manager import BaseManager
from rest_framework import serializers

from .fields import install_fields
from .plans import NeedsBoundFields, plan_of
from .representation import FastRepresentation
from .timezones import rendered


def accelerate(serializer: Any) -> Any:
    """Install the reused field set and the compiled representation on ``serializer`` and,
    when their fields are copied, on the serializers nested in it, where their classes keep
    DRF's own methods; return it."""
    if isinstance(serializer, serializers.ListSerializer):
        accelerate(serializer.child)
        if type(serializer).to_representation is serializers.ListSerializer.to_representation:
            serializer.to_representation = _OneRender(serializer)  # type: ignore[method-assign]
        return serializer
    if (
        isinstance(serializer, serializers.Serializer)
        and install_fields(serializer, on_copy=_accelerate_nested)
        and _renders_like_drf(type(serializer))
    ):
        serializer.to_representation = FastRepresentation(serializer)  # type: ignore[method-assign]
    return serializer


class _OneRender:
    """A ``ListSerializer``'s DRF ``to_representation`` as one render (its rows share one
    read of the active timezone, :mod:`.timezones`)."""

    __slots__ = ("serializer",)

    def __init__(self, serializer: serializers.ListSerializer) -> None:
        self.serializer = serializer

    def __call__(self, data: Any) -> Any:
        return rendered(self.render, data)

    def render(self, data: Any) -> Any:
        child: Any = self.serializer.child
        if not isinstance(child.__dict__.get("to_representation"), FastRepresentation):
            return serializers.ListSerializer.to_representation(self.serializer, data)
        # DRF's loop, with the child's plan looked up once instead of per row
        rows = data.all() if isinstance(data, BaseManager) else data
        plan = plan_of(child)
        if plan is None:
            return [child.to_representation(row) for row in rows]
        fields, context = child.__dict__["fields"], child.context
        out = []
        for row in rows:
            if not fields.copied:  # a row off the plain path copies them for the rest
                try:
                    out.append(plan.render(row, lambda: child, context))
                    continue
                except NeedsBoundFields:
                    pass
            out.append(child.to_representation(row))
        return out


def _renders_like_drf(cls: type) -> bool:
    """The class renders with DRF's own ``to_representation`` over DRF's readable fields."""
    return (
        cls.to_representation is serializers.Serializer.to_representation  # type: ignore[attr-defined]
        and cls._readable_fields is serializers.Serializer._readable_fields  # type: ignore[attr-defined]
    )


def _accelerate_nested(field: Any) -> None:
    if isinstance(field, serializers.BaseSerializer):
        accelerate(field)


class FastSerializationMixin:
    """Serializers from ``get_serializer`` get the fast path (:func:`accelerate`): their
    field set copied from a per-class prototype, their representation compiled. Output and
    override points are DRF's; ``fast_serialization = False`` turns it off for a view.

    Schema generation (drf-spectacular marks the view ``swagger_fake_view``) gets DRF's
    serializers: it builds each one once and renders nothing, so copying field sets and
    compiling representations would only add to its time."""

    fast_serialization: bool = True

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)  # type: ignore[misc]
        if self.fast_serialization and not getattr(self, "swagger_fake_view", False):
            accelerate(serializer)
        return serializer
