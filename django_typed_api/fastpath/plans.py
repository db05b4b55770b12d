"""A serializer class's representation plan: rendering without copying its fields.

:class:`~.fields.LazyBindingDict` copies a serializer's fields only when something uses them.
A serializer that is only rendered (a retrieve, a list's rows) can do without them when every
readable field of its class is one of DRF's own whose output depends on the value alone: a
one-part ``source`` read with ``getattr``, converted by the builtin or DRF method it amounts
to, read from the class's prototype field (never changed, never bound to a serializer).
Nested serializers use their own class's plan. The plan is built once per class and
prototype; a class with any other field (``SerializerMethodField``, a relation with its own
``get_attribute`` other than a ``many=True`` slug or primary key, a custom field, a dotted
source) has none, and its serializers copy their fields as before.

Whatever is out of the ordinary at run time (a missing attribute, a callable, a ``Mapping``
instance) is handed to the serializer's bound fields, which are copied for it: DRF's code
then runs, with DRF's messages and defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models.manager import BaseManager
from rest_framework import fields, relations, serializers
from rest_framework.fields import empty
from rest_framework.settings import api_settings

from .compiled import MANY, NESTED_LIST, Step, compile_plan
from .converters import value_converter
from .fields import LazyBindingDict, prototype_of, reusable_field_set

#: DRF methods whose result depends on the value alone (and on the field's own options).
CONTEXT_FREE = frozenset(
    {
        fields.BooleanField.to_representation,
        fields.DecimalField.to_representation,
        fields.DateTimeField.to_representation,
        fields.DateField.to_representation,
        fields.TimeField.to_representation,
        fields.DurationField.to_representation,
        fields.ChoiceField.to_representation,
        fields.JSONField.to_representation,
        fields.ReadOnlyField.to_representation,
        fields.UUIDField.to_representation,
    }
)
_FILE_METHODS = frozenset({fields.FileField.to_representation, fields.ImageField.to_representation})

_PLANS: dict[type, tuple[dict[str, fields.Field], ClassPlan | None]] = {}


class ClassPlan:
    """The steps that render one row of a serializer class, compiled (:mod:`.compiled`).

    ``render(instance, serializer, context)`` is ``serializer.to_representation(instance)``;
    ``serializer`` returns the bound serializer this row belongs to, asked for its fields
    only off the plain path."""

    __slots__ = ("render", "steps")

    def __init__(self, steps: list[Step]) -> None:
        self.steps = steps
        self.render = compile_plan(steps)


def class_plan(serializer_class: type, prototype: dict[str, fields.Field]) -> ClassPlan | None:
    """The plan of ``serializer_class`` for this prototype, None when it cannot have one."""
    known = _PLANS.get(serializer_class)
    if known is not None and known[0] is prototype:
        return known[1]
    plan = _build(prototype)
    _PLANS[serializer_class] = (prototype, plan)
    return plan


def _build(prototype: dict[str, fields.Field]) -> ClassPlan | None:
    steps: list[Step] = []
    for name, field in prototype.items():
        if field.write_only:
            continue
        attr = _attribute(name, field)
        if attr is None:
            return None
        many = isinstance(field, relations.ManyRelatedField)
        if many and field.default is not empty:
            return None  # a default may need the serializer's context
        own = relations.ManyRelatedField if many else fields.Field
        if type(field).get_attribute is not own.get_attribute:
            return None  # a subclass that reads its value its own way
        convert = _converter(field)
        if convert is None:
            return None
        nested_list = isinstance(field, serializers.ListSerializer)
        read = MANY if many else NESTED_LIST if nested_list else ""
        steps.append((name, attr, convert[0], convert[1], read))
    return ClassPlan(steps)


def _attribute(name: str, field: fields.Field) -> str | None:
    """The one attribute DRF reads for ``field`` (bound or not), else None."""
    source = field.source or name
    return source if source != "*" and "." not in source else None


def _converter(field: fields.Field) -> tuple[Callable[..., Any], bool] | None:
    """(convert, takes the context) equal to ``field.to_representation``, else None."""
    plain = value_converter(field)
    if plain is not None:
        return plain, False
    method = type(field).to_representation
    if method in CONTEXT_FREE:
        return field.to_representation, False
    if method in _FILE_METHODS:
        return _file_url(field), True
    if method is serializers.ListSerializer.to_representation:
        nested = _nested(field.child)  # type: ignore[attr-defined]
        if nested is None:
            return None
        return (
            lambda data, context: [
                nested(row, context)
                for row in (data.all() if isinstance(data, BaseManager) else data)
            ]
        ), True
    if isinstance(field, serializers.Serializer):
        one = _nested(field)
        return (one, True) if one is not None else None
    return None


def _nested(serializer: Any) -> Callable[[Any, Any], Any] | None:
    """A nested serializer's plan as a converter; its bound copy is never needed on the
    plain path, so none is made (off it, the row is rendered by DRF's code)."""
    cls = type(serializer)
    if (
        cls.to_representation is not serializers.Serializer.to_representation
        or cls._readable_fields is not serializers.Serializer._readable_fields
    ):
        return None
    if "fields" in serializer.__dict__ or not reusable_field_set(cls):
        return None
    prototype = prototype_of(serializer)
    plan = class_plan(cls, prototype) if prototype is not None else None
    if plan is None:
        return None
    return lambda row, context: plan.render(row, _no_bound_serializer, context)


def _no_bound_serializer() -> Any:
    raise NeedsBoundFields


class NeedsBoundFields(Exception):
    """A nested row off the plain path: the outer serializer renders it with DRF's code."""


def _file_url(field: fields.Field) -> Callable[[Any, Any], Any]:
    """``FileField.to_representation``: the URL, absolute with the request in the context."""

    def convert(value: Any, context: Any) -> Any:
        if not value:
            return None
        if getattr(field, "use_url", api_settings.UPLOADED_FILES_USE_URL):
            try:
                url = value.url
            except AttributeError:
                return None
            request = context.get("request", None)
            if request is not None:
                return request.build_absolute_uri(url)
            return url
        return value.name

    return convert


def plan_of(serializer: Any) -> ClassPlan | None:
    """The plan ``serializer`` renders its rows with, while its fields are not copied."""
    bound = serializer.__dict__.get("fields")
    if not isinstance(bound, LazyBindingDict) or bound.copied:
        return None
    return class_plan(type(serializer), bound.prototype)


def render_with_plan(serializer: Any, instance: Any) -> Any:
    """The serializer's row from its class's plan, or ``empty`` when its fields must be used."""
    plan = plan_of(serializer)
    if plan is None:
        return empty
    try:
        return plan.render(instance, lambda: serializer, serializer.context)
    except NeedsBoundFields:
        return empty
