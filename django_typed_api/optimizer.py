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
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, ClassVar

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.query import ModelIterable
from rest_framework import serializers, status
from rest_framework.fields import Field
from rest_framework.relations import ManyRelatedField, RelatedField, SlugRelatedField
from rest_framework.request import Request
from rest_framework.response import Response

__all__ = [
    "Hints",
    "OptimizedQuerysetMixin",
    "OptimizedWritesMixin",
    "QueryPlan",
    "optimize",
    "plan_for",
]

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


# -- compiled plans -----------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryPlan:
    """What a serializer needs, ready to apply to any queryset of its model.

    ``select_related`` and ``prefetch_related`` show the plan (handy in a shell or a test);
    :meth:`apply` is what merges it into a queryset without overriding the caller's choices.
    """

    model: type[models.Model] | None
    root: _Node | None
    extra_prefetches: tuple[Prefetch, ...] = ()

    @property
    def select_related(self) -> tuple[str, ...]:
        selects, _ = _flatten(self.root, frozenset(), None)
        return tuple(selects)

    @property
    def prefetch_related(self) -> tuple[str, ...]:
        _, prefetches = _flatten(self.root, frozenset(), None)
        return tuple(path for path, _ in prefetches)

    def apply(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.root is None or not _optimizable(queryset, self.model):
            return queryset
        if self.extra_prefetches:
            queryset = _add_user_prefetches(queryset, self.extra_prefetches)
        return _apply_node(queryset, self.root)


def _optimizable(queryset: Any, model: type[models.Model] | None) -> bool:
    return (
        isinstance(queryset, QuerySet)
        and model is not None
        and issubclass(queryset.model, model)
        and issubclass(queryset._iterable_class, ModelIterable)
        and not queryset.query.combinator
    )


def _prefetch_path(lookup: Prefetch | str) -> str:
    return lookup.prefetch_to if isinstance(lookup, Prefetch) else lookup


def _prefetch_through(lookup: Prefetch | str) -> str:
    return lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup


def _joinable(query: Any, attr_path: str) -> bool:
    """``only()``/``defer()`` and ``select_related`` of the same field raise: don't join those."""
    fields, defer = query.deferred_loading
    if not fields:
        return True
    if defer:
        return attr_path not in fields
    return any(f == attr_path or f.startswith(attr_path + LOOKUP_SEP) for f in fields)


def _flatten(
    root: _Node | None, user_through: frozenset[str], query: Any
) -> tuple[list[str], list[tuple[str, _Node | None]]]:
    """The select_related paths and (prefetch path, nested node) pairs of a tree.

    A join the caller prefetches (``prefetch_related("company")``, perhaps with an annotated
    queryset) becomes a prefetch instead, so the caller's queryset is the one that fills it.
    """
    selects: list[str] = []
    prefetches: list[tuple[str, _Node | None]] = []
    if root is None:
        return selects, prefetches
    stack: list[tuple[_Node, str, str]] = [(root, "", "")]
    while stack:
        node, select_prefix, attr_prefix = stack.pop()
        for edge in node.edges.values():
            attr_path = attr_prefix + edge.attr
            if (
                edge.kind == JOIN
                and attr_path not in user_through
                and (query is None or _joinable(query, attr_path))
            ):
                select_path = select_prefix + edge.query_name
                selects.append(select_path)
                if edge.node is not None:
                    stack.append((edge.node, select_path + LOOKUP_SEP, attr_path + LOOKUP_SEP))
            else:
                prefetches.append((attr_path, edge.node))
    selects.sort()
    prefetches.sort(key=lambda item: item[0])
    return selects, prefetches


def _apply_node(queryset: QuerySet[Any], node: _Node) -> QuerySet[Any]:
    lookups = queryset._prefetch_related_lookups  # type: ignore[attr-defined]
    query = queryset.query
    if not lookups and not query.deferred_loading[0]:
        # The common case (a plain ``Model.objects.all()``): flattened once, then reused.
        if node.flat is None:
            node.flat = _flatten(node, frozenset(), None)
        selects, prefetches = node.flat
    else:
        user_through = frozenset(_prefetch_through(lookup) for lookup in lookups)
        selects, prefetches = _flatten(node, user_through, query)
    if selects and query.select_related is not True:
        # ``select_related()`` with no arguments already follows every non-null FK; adding
        # names would narrow it.
        queryset = queryset.select_related(*selects)
    if prefetches:
        queryset = _merge_prefetches(queryset, prefetches)
    return queryset


def _our_lookup(path: str, node: _Node | None) -> Prefetch | str:
    if node is None or not node.edges:
        return path
    return Prefetch(path, queryset=_apply_node(node.model._default_manager.all(), node))


def _merge_prefetches(
    queryset: QuerySet[Any], wanted: list[tuple[str, _Node | None]]
) -> QuerySet[Any]:
    """Add our prefetches without duplicating or overriding the queryset's own.

    An existing lookup for the same path wins; when ours has nested needs they are merged
    into its queryset (so a filtered ``Prefetch`` still gets its joins). Ours go first, so a
    caller's ``"skills__category"`` finds ``skills`` already prefetched with our queryset
    instead of raising "lookup was already seen with a different queryset".
    """
    existing: list[Prefetch | str] = list(queryset._prefetch_related_lookups)  # type: ignore[attr-defined]
    if not existing:
        return queryset.prefetch_related(*(_our_lookup(path, node) for path, node in wanted))
    index = {_prefetch_path(lookup): i for i, lookup in enumerate(existing)}
    ours: list[Prefetch | str] = []
    changed = False
    for path, node in wanted:
        i = index.get(path)
        if i is None:
            ours.append(_our_lookup(path, node))
        elif node is not None and node.edges:
            theirs = existing[i]
            if isinstance(theirs, Prefetch) and theirs.queryset is not None:
                merged = copy.copy(theirs)
                merged.queryset = _apply_node(theirs.queryset, node)
                existing[i] = merged
            else:
                existing[i] = _our_lookup(path, node)
            changed = True
    if not ours and not changed:
        return queryset
    return queryset.prefetch_related(None).prefetch_related(*ours, *existing)


def _add_user_prefetches(queryset: QuerySet[Any], extra: Sequence[Prefetch]) -> QuerySet[Any]:
    """Hinted ``Prefetch`` objects, unless the queryset already prefetches that path."""
    present = {_prefetch_path(lookup) for lookup in queryset._prefetch_related_lookups}  # type: ignore[attr-defined]
    missing = [lookup for lookup in extra if lookup.prefetch_to not in present]
    return queryset.prefetch_related(*missing) if missing else queryset


# -- analysis cache -------------------------------------------------------------------------


_PLANS: dict[Any, QueryPlan] = {}


def _model_of(serializer_class: type[serializers.BaseSerializer]) -> type[models.Model] | None:
    meta = getattr(serializer_class, "Meta", None)
    model = getattr(meta, "model", None)
    return model if isinstance(model, type) and issubclass(model, models.Model) else None


def _freeze_hints(hints: Hints | None) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    if not hints:
        return ()
    return tuple(
        (name, (lookups,) if isinstance(lookups, str | Prefetch) else tuple(lookups))
        for name, lookups in hints.items()
    )


def plan_for(
    serializer_class: type[serializers.BaseSerializer],
    hints: Hints | None = None,
    *,
    model: type[models.Model] | None = None,
) -> QueryPlan:
    """The (cached) plan for a serializer class; computed on first use, then reused.

    ``hints`` are the viewset's: lookups relative to ``model`` (default: the serializer's
    ``Meta.model``) keyed by the field that needs them, strings or ``Prefetch`` objects.
    """
    frozen = _freeze_hints(hints)
    key = (serializer_class, frozen, model)
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS[key] = _build_plan(serializer_class, frozen, model)
    return plan


def _build_plan(
    serializer_class: type[serializers.BaseSerializer],
    hints: tuple[tuple[str, tuple[Any, ...]], ...],
    model: type[models.Model] | None,
) -> QueryPlan:
    model = model or _model_of(serializer_class)
    if model is None:
        return QueryPlan(model=None, root=None)
    root = _Node(model)
    try:
        serializer = serializer_class(context={})
        fields = serializer.fields if hasattr(serializer, "fields") else {}
    except Exception as exc:  # e.g. an __init__ that reads context["request"]
        warnings.warn(
            f"django_typed_api.optimizer cannot analyse {serializer_class.__qualname__} "
            f"without a request ({type(exc).__name__}: {exc}); its querysets are not "
            "optimized. Set optimize_queryset = False on the viewset to silence this, and "
            "write select_related/prefetch_related by hand.",
            RuntimeWarning,
            stacklevel=2,
        )
        return QueryPlan(model=model, root=None)
    _analyze_serializer(root, serializer, 0)
    extra: list[Prefetch] = []
    where = f"optimizer_hints for {serializer_class.__name__}"
    for name, lookups in hints:
        if name not in fields:
            raise ImproperlyConfigured(
                f"{where} names {name!r}, which is not a field of {serializer_class.__name__} "
                f"(fields: {', '.join(fields)}). Hints are keyed by the serializer field that "
                "needs the lookups; for per-action serializers put them in the serializer's "
                "Meta.optimizer_hints instead."
            )
        if fields[name].write_only:
            continue
        _hint_paths(root, [lk for lk in lookups if isinstance(lk, str)], where)
        extra.extend(lk for lk in lookups if isinstance(lk, Prefetch))
    return QueryPlan(model=model, root=root, extra_prefetches=tuple(extra))


def clear_cache() -> None:
    """Forget every computed plan (tests that redefine serializers at runtime use it)."""
    _PLANS.clear()
    _relations.cache_clear()


def optimize(
    queryset: QuerySet[Any],
    serializer_class: type[serializers.BaseSerializer],
    hints: Hints | None = None,
) -> QuerySet[Any]:
    """``queryset`` with the ``select_related``/``prefetch_related`` the serializer needs.

    Safe on any queryset: one of another model, a ``values()`` queryset or a union is
    returned unchanged.
    """
    return plan_for(serializer_class, hints, model=_model_of(serializer_class)).apply(queryset)


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
    object to change. :class:`OptimizedWritesMixin` renders their responses instead.
    """

    optimize_queryset: ClassVar[bool] = True
    optimizer_hints: ClassVar[Hints] = {}

    def get_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset()  # type: ignore[misc]
        if self.optimize_queryset and getattr(self, "action", None) not in WRITE_ACTIONS:
            queryset = self.get_optimized_queryset(queryset)
        return queryset

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


class OptimizedWritesMixin(OptimizedQuerysetMixin):
    """:class:`OptimizedQuerysetMixin` plus create/update responses from the re-read object.

    DRF's ``create``/``update`` with one step added: the saved object is re-read through
    the optimized queryset before it is serialized (DRF serializes the in-memory object, one
    query per relation it nests, and per row inside nested lists). Kept apart from the read
    mixin because defining ``create``/``update`` is what makes a router route POST/PUT.
    """

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)  # type: ignore[attr-defined]
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)  # type: ignore[attr-defined]
        serializer.instance = self.get_response_instance(serializer.instance)
        headers = self.get_success_headers(serializer.data)  # type: ignore[attr-defined]
        return Response(serializer.data, status=status.HTTP_201_CREATED, headers=headers)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        instance = self.get_object()  # type: ignore[attr-defined]
        serializer = self.get_serializer(instance, data=request.data, partial=partial)  # type: ignore[attr-defined]
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)  # type: ignore[attr-defined]
        serializer.instance = self.get_response_instance(serializer.instance)
        return Response(serializer.data)
