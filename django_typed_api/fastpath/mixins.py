"""The fast path applied to the serializers a view creates."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from .fields import install_fields
from .representation import FastRepresentation


def accelerate(serializer: Any) -> Any:
    """Install the reused field set and the compiled representation on ``serializer`` and
    the serializers nested in it, where their classes keep DRF's own methods; return it."""
    if isinstance(serializer, serializers.ListSerializer):
        accelerate(serializer.child)
        return serializer
    if isinstance(serializer, serializers.Serializer) and install_fields(serializer):
        _compile_tree(serializer)
    return serializer


def _compile_tree(serializer: serializers.Serializer) -> None:
    for field in serializer.fields.values():
        if isinstance(field, serializers.ListSerializer):
            child = field.child
            if isinstance(child, serializers.Serializer) and "fields" in child.__dict__:
                _compile_tree(child)
        elif isinstance(field, serializers.Serializer) and "fields" in field.__dict__:
            _compile_tree(field)
    if type(serializer).to_representation is serializers.Serializer.to_representation:
        serializer.to_representation = FastRepresentation(serializer)  # type: ignore[method-assign]


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
