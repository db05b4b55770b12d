"""Related objects of a write looked up in one query, not one per item.

DRF resolves ``SlugRelatedField(many=True)`` and ``PrimaryKeyRelatedField(many=True)`` item by
item (``queryset.get()`` each), so a body with 1,000 skill slugs costs 1,000 queries and one
with 240,000 copies of a slug kept a worker busy until it was killed.
:class:`BulkManyRelatedField` resolves the whole list with one ``__in`` query and answers the
same values and the same errors; :class:`BulkRelatedLookupsMixin` (part of the Typed
viewsets) gives every such field of the view's serializer that behaviour on writes.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import relations, serializers

from .strict.json_types import BODY_METHODS


class BulkManyRelatedField(relations.ManyRelatedField):
    """``ManyRelatedField`` over a slug or primary-key relation, resolved in one query."""

    def to_internal_value(self, data: Any) -> list[Any]:
        if isinstance(data, str) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        items = list(data)
        if not self.allow_empty and not items:
            self.fail("empty")
        child = self.child_relation
        lookup, keys = lookup_keys(child, items)
        if lookup is None:  # values the database cannot compare: DRF's way, item by item
            return [child.to_internal_value(item) for item in items]
        queryset: Any = child.get_queryset()
        found = {_key(obj, lookup): obj for obj in queryset.filter(**{f"{lookup}__in": set(keys)})}
        # A missing item is looked up again by DRF, which raises its usual error for it.
        return [
            found[key] if key in found else child.to_internal_value(item)
            for item, key in zip(items, keys, strict=True)
        ]


def lookup_keys(child: Any, items: list[Any]) -> tuple[str | None, list[Any]]:
    """The field to look ``items`` up by and each item's key, or ``(None, [])``."""
    if type(child).to_internal_value is relations.SlugRelatedField.to_internal_value:
        if "__" in child.slug_field or not all(isinstance(item, str) for item in items):
            return None, []
        return child.slug_field, items
    if type(child).to_internal_value is relations.PrimaryKeyRelatedField.to_internal_value:
        if child.pk_field is not None:
            return None, []
        pk = child.get_queryset().model._meta.pk
        try:
            keys = [pk.to_python(item) for item in items if not isinstance(item, bool)]
        except (DjangoValidationError, TypeError, ValueError):
            return None, []
        return ("pk", keys) if len(keys) == len(items) else (None, [])
    return None, []


def _key(obj: Any, lookup: str) -> Any:
    return obj.pk if lookup == "pk" else getattr(obj, lookup)


def bulk_lookups(serializer: Any) -> Any:
    """``serializer`` with its slug / primary-key ``many=True`` fields (nested ones too)
    resolving in one query each."""
    if isinstance(serializer, serializers.ListSerializer):
        bulk_lookups(serializer.child)
    elif isinstance(serializer, serializers.Serializer):
        for field in serializer.fields.values():
            if type(field) is relations.ManyRelatedField and not field.read_only:
                field.__class__ = BulkManyRelatedField
            elif isinstance(field, serializers.BaseSerializer) and not field.read_only:
                bulk_lookups(field)
    return serializer


class BulkRelatedLookupsMixin:
    """On writes, the view's serializer looks its related objects up in bulk.

    Only a serializer given ``data`` (one that will validate input) is changed: building its
    fields for nothing would cost schema generation, which asks for serializers without data.
    List it before :class:`~django_typed_api.fastpath.FastSerializationMixin` (as the Typed
    viewsets do): it reads the serializer's fields, and fields read before the fast path
    installs its copies are built the slow way.
    """

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)  # type: ignore[misc]
        request = getattr(self, "request", None)
        if (
            "data" in kwargs
            and request is not None
            and (request.method or "").upper() in BODY_METHODS
        ):
            bulk_lookups(serializer)
        return serializer
