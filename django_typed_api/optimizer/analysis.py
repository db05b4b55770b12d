"""Reading a serializer: which relations the rows it renders need, as a tree of hops."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import Prefetch
from django.db.models.constants import LOOKUP_SEP
from rest_framework import serializers
from rest_framework.fields import Field
from rest_framework.relations import ManyRelatedField, RelatedField, SlugRelatedField

#: ``{"field_name": ["relation__path", ...]}``: what a field reads that introspection cannot see.
Hints = Mapping[str, Sequence["str | Prefetch"]]

#: Nested serializers deeper than this are not followed (a guard against recursive trees).
MAX_DEPTH = 12

JOIN = "join"
PREFETCH = "prefetch"
#: A generic foreign key: prefetchable, but neither joinable nor with a nested queryset.
GENERIC = "generic"


# -- the relation tree ------------------------------------------------------------------------


@dataclass
class _Edge:
    """One relation hop: how to traverse it and what the rows on the other side need."""

    attr: str  # attribute name on the instance; what prefetch_related follows
    query_name: str  # name in select_related (differs for reverse one-to-ones)
    kind: str
    node: _Node | None


@dataclass
class _Node:
    """The relations one model's rows need loaded with them."""

    model: type[models.Model]
    edges: dict[str, _Edge] = field(default_factory=dict)
    # _flatten() for a queryset without prefetches or deferred fields (filled on first use).
    flat: tuple[list[str], list[tuple[str, _Node | None]]] | None = field(
        default=None, compare=False, repr=False
    )
    # model -> (select_related, prefetch_related lookups) of ``flat`` (plans.py, on first use).
    applied: dict[type[models.Model], tuple[tuple[str, ...], tuple[Any, ...]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def add(self, edge: _Edge) -> _Node | None:
        existing = self.edges.get(edge.attr)
        if existing is None:
            self.edges[edge.attr] = existing = edge
        return existing.node


@dataclass(frozen=True)
class _Relation:
    attr: str
    query_name: str
    kind: str
    related_model: type[models.Model] | None
    concrete_fk: bool  # a forward FK/one-to-one whose id is on the row (``company_id``)


@cache
def _relations(model: type[models.Model]) -> dict[str, _Relation]:
    """A model's relations by the attribute name a serializer ``source`` uses.

    ``_meta.get_field`` knows reverse relations by their query name (``vacancy``), while
    instances expose them by accessor name (``vacancy_set``): index by the latter.
    """
    found: dict[str, _Relation] = {}
    for f in model._meta.get_fields(include_hidden=False):
        if not f.is_relation:
            continue
        related = f.related_model
        if f.auto_created and not f.concrete:  # reverse side of a FK / M2M / one-to-one
            attr = f.get_accessor_name()  # type: ignore[union-attr]
            if attr is None:
                continue
            kind = JOIN if f.one_to_one else PREFETCH
            query_name = f.field.related_query_name()  # type: ignore[union-attr]
            found[attr] = _Relation(attr, query_name, kind, related, False)
        elif related is None or isinstance(related, str):  # GenericForeignKey
            found[f.name] = _Relation(f.name, f.name, GENERIC, None, False)
        elif f.many_to_many or f.one_to_many:  # M2M, GenericRelation
            found[f.name] = _Relation(f.name, f.name, PREFETCH, related, False)
        else:  # forward FK / one-to-one
            found[f.name] = _Relation(f.name, f.name, JOIN, related, f.concrete)
    return found


def _is_model_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _step(node: _Node, relation: _Relation) -> _Node | None:
    """Record one hop from ``node`` and return the node of the rows on the other side."""
    child = _Node(relation.related_model) if relation.related_model is not None else None
    return node.add(_Edge(relation.attr, relation.query_name, relation.kind, child))


def _walk(node: _Node, path: Sequence[str]) -> tuple[_Node | None, _Relation | None]:
    """Follow ``path`` through relations, recording every hop but the last.

    Returns the node reached before the last name and the last name's relation (``None``
    when the last name is a plain column, a property or an annotation). Stops, recording
    what it has, at the first name that is not a relation: what a property reads cannot be
    known (that is what hints are for).
    """
    current: _Node | None = node
    for name in path[:-1]:
        if current is None:
            return None, None
        relation = _relations(current.model).get(name)
        if relation is None:
            return None, None
        current = _step(current, relation)
    if current is None or not path:
        return current, None
    return current, _relations(current.model).get(path[-1])


def _hint_paths(node: _Node, lookups: Iterable[Any], where: str) -> None:
    for lookup in lookups:
        if not isinstance(lookup, str):
            raise ImproperlyConfigured(
                f"{where}: hint {lookup!r} must be a lookup string like 'company__owner' "
                "(Prefetch objects belong in get_queryset() or the viewset's optimizer_hints)."
            )
        parts = lookup.split(LOOKUP_SEP)
        parent, last = _walk(node, parts)
        if parent is None or (last is None and not _is_model_field(parent.model, parts[-1])):
            raise ImproperlyConfigured(
                f"{where}: hint {lookup!r} is not a path of relations from "
                f"{node.model.__name__}. Use model field names joined by '__', e.g. "
                "'company__owner'."
            )
        if last is not None:
            _step(parent, last)


def _needs_object(field_obj: Field) -> bool:
    """Whether a related field reads the related object (not just the id on the row)."""
    if isinstance(field_obj, RelatedField):
        return not field_obj.use_pk_only_optimization()
    return True


def _analyze_field(node: _Node, field_obj: Field, depth: int) -> None:
    source = field_obj.source
    if source == "*":
        if isinstance(field_obj, serializers.BaseSerializer):
            _analyze_serializer(node, field_obj, depth + 1)
        return
    path = list(getattr(field_obj, "source_attrs", None) or (source or "").split("."))
    parent, relation = _walk(node, path)
    if parent is None or relation is None:
        return
    nested: serializers.BaseSerializer | None = None
    if isinstance(field_obj, serializers.ListSerializer):
        if _renders_on_its_own(field_obj):
            return
        child = field_obj.child
        nested = child if isinstance(child, serializers.BaseSerializer) else None
    elif isinstance(field_obj, serializers.BaseSerializer):
        nested = field_obj
    elif isinstance(field_obj, ManyRelatedField):
        child_node = _step(parent, relation)
        _analyze_related(child_node, field_obj.child_relation)
        return
    elif (
        isinstance(field_obj, RelatedField)
        and relation.concrete_fk
        and not _needs_object(field_obj)
    ):
        return  # PrimaryKeyRelatedField / pk-hyperlinks read ``company_id`` from the row
    child_node = _step(parent, relation)
    if nested is not None and child_node is not None:
        _analyze_serializer(child_node, nested, depth + 1)
    elif child_node is not None:
        _analyze_related(child_node, field_obj)


def _renders_on_its_own(list_serializer: serializers.ListSerializer) -> bool:
    """A custom ``ListSerializer`` (``Meta.list_serializer_class``) with its own
    ``to_representation``: it may filter or order the relation (a query per row whatever is
    prefetched), so a prefetch could only add queries. Its relation is left alone; hints
    can still name what it reads."""
    return type(list_serializer).to_representation is not (
        serializers.ListSerializer.to_representation
    )


def _analyze_related(node: _Node | None, field_obj: Field) -> None:
    """A slug field may follow relations of the related object (``slug_field="owner__name"``)."""
    if node is None or not isinstance(field_obj, SlugRelatedField):
        return
    parts = field_obj.slug_field.split(LOOKUP_SEP)
    if len(parts) > 1:
        parent, last = _walk(node, parts)
        if parent is not None and last is not None:
            _step(parent, last)


def _analyze_serializer(node: _Node, serializer: serializers.BaseSerializer, depth: int) -> None:
    if depth > MAX_DEPTH or not hasattr(serializer, "fields"):
        return
    fields = serializer.fields
    for field_obj in fields.values():
        if not field_obj.write_only:
            _analyze_field(node, field_obj, depth)
    meta = getattr(type(serializer), "Meta", None)
    hints: Hints = getattr(meta, "optimizer_hints", None) or {}
    where = f"{type(serializer).__name__}.Meta.optimizer_hints"
    for name, lookups in hints.items():
        if name not in fields:
            raise ImproperlyConfigured(
                f"{where} names {name!r}, which is not a field of the serializer "
                f"(fields: {', '.join(fields)})."
            )
        if not fields[name].write_only:
            _hint_paths(node, [lookups] if isinstance(lookups, str) else lookups, where)
