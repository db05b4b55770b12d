"""Compiled plans: a serializer's relation tree, flattened into ``select_related`` and
``prefetch_related`` and merged into any queryset without overriding the caller's choices;
computed once per serializer class."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.query import ModelIterable
from rest_framework import serializers

from .analysis import JOIN, Hints, _analyze_serializer, _hint_paths, _Node
from .deferred_prefetch import deferred_lookup, is_deferred, relation_path

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
    if isinstance(lookup, Prefetch):
        return relation_path(lookup) if is_deferred(lookup) else lookup.prefetch_to
    return lookup


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
        return _apply_fresh(queryset, node)
    else:
        user_through = frozenset(relation_path(lookup) for lookup in lookups)
        selects, prefetches = _flatten(node, user_through, query)
    queryset = _add_selects(queryset, selects)
    if prefetches:
        queryset = _merge_prefetches(queryset, prefetches)
    return queryset


def _apply_fresh(queryset: QuerySet[Any], node: _Node) -> QuerySet[Any]:
    """The plan on a queryset with no prefetches or deferred fields of its own, in one
    clone: what ``select_related(*selects).prefetch_related(*lookups)`` does, with the
    lookups built once per model (every read request comes here)."""
    model = queryset.model
    applied = node.applied.get(model)
    if applied is None:
        if node.flat is None:
            node.flat = _flatten(node, frozenset(), None)
        flat_selects, prefetches = node.flat
        lookups = tuple(
            lookup for path, sub in prefetches for lookup in _our_lookups(path, sub, model)
        )
        applied = node.applied[model] = (tuple(flat_selects), lookups)
    selects, ours = applied
    if not ours and (not selects or queryset.query.select_related is True):
        return queryset
    if ours and queryset.query._filtered_relations:  # type: ignore[attr-defined]
        # prefetch_related() refuses lookups through a FilteredRelation: let it say so
        return _add_selects(queryset, selects).prefetch_related(*ours)
    clone = queryset._chain()  # type: ignore[attr-defined]
    if selects and clone.query.select_related is not True:
        clone.query.add_select_related(selects)
    clone._prefetch_related_lookups = ours
    return clone


def _add_selects(queryset: QuerySet[Any], selects: Sequence[str]) -> QuerySet[Any]:
    if selects and queryset.query.select_related is not True:
        # ``select_related()`` with no arguments already follows every non-null FK; adding
        # names would narrow it.
        queryset = queryset.select_related(*selects)
    return queryset


def _our_lookups(
    path: str, node: _Node | None, model: type[models.Model] | None = None
) -> list[Prefetch | str]:
    """The lookups that load ``path`` and everything its rows need, flat.

    A prefetched relation's queryset only gets joins; what it prefetches in turn becomes a
    lookup of its own (``skills`` + ``skills__tags``), never a ``prefetch_related`` inside
    the ``Prefetch`` queryset. Code that re-queries a prefetched relation per row
    (``obj.skills.filter(...)`` in a property or a method field) starts from that queryset:
    nested prefetches there would run again for every row, and add queries instead of
    saving them. A plain many-to-many relation of ``model`` itself defers building each row's
    queryset (:mod:`.deferred_prefetch`).
    """
    if node is None or not node.edges:
        deferred = deferred_lookup(model, path) if model is not None else None
        return [deferred or path]
    if node.flat is None:
        node.flat = _flatten(node, frozenset(), None)
    selects, prefetches = node.flat
    inner = _add_selects(node.model._default_manager.all(), selects)
    lookups: list[Prefetch | str] = [Prefetch(path, queryset=inner) if selects else path]
    for sub_path, sub_node in prefetches:
        lookups.extend(_our_lookups(path + LOOKUP_SEP + sub_path, sub_node))
    return lookups


def _merge_prefetches(
    queryset: QuerySet[Any], wanted: list[tuple[str, _Node | None]]
) -> QuerySet[Any]:
    """Add our prefetches without duplicating or overriding the queryset's own.

    An existing lookup for the same path wins; when ours has nested needs, its joins are
    merged into that lookup's queryset (so a filtered ``Prefetch`` still gets them) and its
    nested prefetches follow as lookups of their own. Ours go first, so a caller's
    ``"skills__category"`` finds ``skills`` already prefetched with our queryset instead of
    raising "lookup was already seen with a different queryset".
    """
    existing: list[Prefetch | str] = list(queryset._prefetch_related_lookups)  # type: ignore[attr-defined]
    if not existing:
        model = queryset.model
        ours_only = [lookup for path, node in wanted for lookup in _our_lookups(path, node, model)]
        return queryset.prefetch_related(*ours_only)
    index = {_prefetch_path(lookup): i for i, lookup in enumerate(existing)}
    ours: list[Prefetch | str] = []
    after: list[Prefetch | str] = []
    changed = False
    for path, node in wanted:
        i = index.get(path)
        if i is None:
            ours.extend(_our_lookups(path, node, queryset.model))
        elif node is not None and node.edges:
            theirs = existing[i]
            if isinstance(theirs, Prefetch) and theirs.queryset is not None:
                their_through = frozenset(
                    relation_path(lookup)
                    for lookup in theirs.queryset._prefetch_related_lookups  # type: ignore[attr-defined]
                )
                selects, prefetches = _flatten(node, their_through, theirs.queryset.query)
                merged = copy.copy(theirs)
                merged.queryset = _add_selects(theirs.queryset, selects)
                existing[i] = merged
                for sub_path, sub_node in prefetches:
                    full = path + LOOKUP_SEP + sub_path
                    if full not in index:
                        after.extend(_our_lookups(full, sub_node))
            else:
                first, *rest = _our_lookups(path, node)
                existing[i] = first
                after.extend(lookup for lookup in rest if _prefetch_path(lookup) not in index)
            changed = True
    if not ours and not changed:
        return queryset
    return queryset.prefetch_related(None).prefetch_related(*ours, *existing, *after)


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
