"""``to_representation`` compiled per serializer: DRF's output with less work per row.

``Serializer.to_representation`` does, for every row and field: walk ``_readable_fields`` (a
generator over the field dict), ``field.get_attribute()`` (a loop over ``source_attrs`` with a
``Mapping`` ABC check and a callable check per step), a ``PKOnlyObject`` check, then
``field.to_representation()``. :class:`FastRepresentation` does that walk once per serializer
(not per row) into a list of steps; per row a field with DRF's plain ``get_attribute`` and a
one-part ``source`` is read with ``getattr`` and converted with the builtin DRF's method
amounts to (``str`` for ``CharField``, ``int`` for ``IntegerField``, ...), or else with the
field's own bound method. Nested serializers and ``many=True`` lists use their own compiled
representation.

Whatever is not plain keeps DRF's exact code path: a field with its own ``get_attribute``
(relations, ``SerializerMethodField``, ``source="*"``, dotted sources), a value that is a
simple callable, a missing attribute (defaults, ``SkipField``, DRF's error), a ``Mapping``
instance, a serializer class with its own ``to_representation``. The steps are rebuilt when
the serializer's field dict changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.manager import BaseManager
from rest_framework import fields, serializers
from rest_framework.fields import SkipField, empty
from rest_framework.relations import PKOnlyObject

from .converters import Convert, simple_callable, value_converter
from .plans import render_with_plan
from .timezones import rendered

#: (field name, attribute to read or None for DRF's get_attribute, convert, field)
Step = tuple[str, "str | None", Convert, fields.Field]


class FastRepresentation:
    """Stands in for ``serializer.to_representation`` (an instance attribute, so the class
    and every override point stay DRF's); same input, same output."""

    __slots__ = ("fields_seen", "serializer", "steps")

    def __init__(self, serializer: serializers.Serializer) -> None:
        self.serializer = serializer
        self.steps: list[Step] = []
        self.fields_seen: Any = None

    def __call__(self, instance: Any) -> dict[str, Any]:
        return rendered(self.render, instance)

    def render(self, instance: Any) -> dict[str, Any]:
        if isinstance(instance, Mapping):
            return serializers.Serializer.to_representation(self.serializer, instance)
        planned = render_with_plan(self.serializer, instance)
        if planned is not empty:
            return planned
        current = self.serializer.fields.fields  # BindingDict's dict
        if self.fields_seen != list(current.items()):
            self.compile(current)
        ret: dict[str, Any] = {}
        for name, attr, convert, field in self.steps:
            if attr is not None:
                try:
                    value = getattr(instance, attr)
                except ObjectDoesNotExist:
                    value = None  # as DRF's get_attribute
                except (AttributeError, KeyError):
                    try:
                        value = field.get_attribute(instance)  # defaults, SkipField, errors
                    except SkipField:
                        continue
                else:
                    if callable(value) and simple_callable(value):
                        value = field.get_attribute(instance)  # DRF calls it (or says why not)
            else:
                try:
                    value = field.get_attribute(instance)
                except SkipField:
                    continue
                if isinstance(value, PKOnlyObject) and value.pk is None:
                    ret[name] = None
                    continue
            ret[name] = None if value is None else convert(value)
        return ret

    def compile(self, current: dict[str, fields.Field]) -> None:
        self.steps = [
            (str(field.field_name), _plain_attribute(field), converter(field), field)
            for field in current.values()
            if not field.write_only
        ]
        self.fields_seen = list(current.items())


def _plain_attribute(field: fields.Field) -> str | None:
    """The attribute DRF's ``get_attribute`` would read in one step, else None."""
    if type(field).get_attribute is not fields.Field.get_attribute:
        return None
    attrs = field.source_attrs
    return attrs[0] if len(attrs) == 1 else None


def converter(field: fields.Field) -> Convert:
    """The fastest callable that returns what ``field.to_representation`` returns."""
    plain = value_converter(field)
    if plain is not None:
        return plain
    if type(field).to_representation is serializers.ListSerializer.to_representation:
        child = field.child  # type: ignore[attr-defined]
        item = child.to_representation  # the child's compiled one, if it has one
        return lambda data: [
            item(row) for row in (data.all() if isinstance(data, BaseManager) else data)
        ]
    return field.to_representation
