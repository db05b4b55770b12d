"""What a DRF field's ``to_representation`` amounts to, for the compiled steps of
:mod:`.representation` and the class plans of :mod:`.plans` alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import fields, relations
from rest_framework.fields import BuiltinSignatureError, is_simple_callable

Convert = Callable[[Any], Any]

#: DRF methods that amount to a builtin call.
BUILTIN_EQUIVALENTS: dict[Any, Convert] = {
    fields.CharField.to_representation: str,
    fields.IntegerField.to_representation: int,
    fields.FloatField.to_representation: float,
}


def value_converter(field: fields.Field) -> Convert | None:
    """A plain callable equal to ``field.to_representation`` that needs no field, else None."""
    method = type(field).to_representation
    builtin = BUILTIN_EQUIVALENTS.get(method)
    if builtin is not None:
        return builtin
    if method is fields.UUIDField.to_representation and field.uuid_format == "hex_verbose":  # type: ignore[attr-defined]
        return str
    if method is relations.ManyRelatedField.to_representation:
        child = field.child_relation  # type: ignore[attr-defined]
        child_method = type(child).to_representation
        if (
            child_method is relations.SlugRelatedField.to_representation
            and "__" not in child.slug_field
        ):
            slug = child.slug_field
            return lambda items: [getattr(item, slug) for item in items]
        if (
            child_method is relations.PrimaryKeyRelatedField.to_representation
            and child.pk_field is None
        ):
            return lambda items: [item.pk for item in items]
    return None


def simple_callable(value: Any) -> bool:
    """DRF's test; a builtin (which DRF refuses with its own message) counts too, so that
    ``field.get_attribute`` raises that message."""
    try:
        return bool(is_simple_callable(value))
    except BuiltinSignatureError:
        return True
