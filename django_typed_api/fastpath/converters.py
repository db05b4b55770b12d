"""What a DRF field's ``to_representation`` amounts to, for the compiled steps of
:mod:`.representation` and the class plans of :mod:`.plans` alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import fields, relations
from rest_framework.fields import BuiltinSignatureError, is_simple_callable

from .timezones import datetime_converter

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
    if method is fields.DateTimeField.to_representation:
        return datetime_converter(field)
    if method is fields.ChoiceField.to_representation:
        return _choice(field)
    if method is fields.BooleanField.to_representation:
        return _boolean(field)
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


def _choice(field: Any) -> Convert:
    """``ChoiceField.to_representation`` for a string value: its choice's value, else itself.
    The table is the field's own, so choices changed on a bound copy are seen."""
    slow = field.to_representation

    def convert(value: Any) -> Any:
        if value.__class__ is str and value:
            return field.choice_strings_to_values.get(value, value)
        return slow(value)

    return convert


def _boolean(field: Any) -> Convert | None:
    """``BooleanField.to_representation`` for ``True`` and ``False`` themselves."""
    if True not in field.TRUE_VALUES or False not in field.FALSE_VALUES:
        return None
    slow = field.to_representation
    return lambda value: value if value is True or value is False else slow(value)
