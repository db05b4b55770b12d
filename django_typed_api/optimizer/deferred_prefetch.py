"""Many-to-many prefetches whose per-row querysets are built only when something asks.

For every row and prefetched relation, Django's ``prefetch_related`` builds a related
manager and a filtered queryset to hold the row's related objects (``obj.skills.all()``
returns it). Rendering never needs that queryset, only the objects, yet building it was
about 25 us per row and relation, a fifth of a 100-row list's time on PostgreSQL.

The optimizer's plain many-to-many prefetches on the queryset's own model therefore use
:func:`deferred_lookup`: a ``Prefetch`` through a private attribute, whose descriptor
builds the prefetch query (from a template, :mod:`.prefetch_queries`) and files the row's
objects in a :class:`DeferredPrefetchCache` (the row's
``_prefetched_objects_cache``). Anything that looks at that cache through any dict method
(Django's related manager for ``obj.skills.all()``, ``refresh_from_db``, DRF's update,
pickling, Django's serializers, a later ``prefetch_related``) first turns the deferred
entries into the querysets Django would have built, so ``obj.skills.all()`` is the same
prefetched queryset, without a query, as with Django's own prefetch. The fast path reads the
objects with :func:`prefetched_rows` without building anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import models
from django.db.models import Prefetch
from django.db.models.fields.related_descriptors import ManyToManyDescriptor
from django.db.models.manager import BaseManager

from .prefetch_queries import PrefetchQuery, PrefetchQuerysets

ATTRIBUTE_PREFIX = "_typed_api_prefetched_"

#: (the row, the relation's attribute, the related objects) per cache key
Deferred = tuple[models.Model, str, list[Any]]


def prefetch_cache_name(model: type, attr: str) -> str | None:
    """The key Django's many-to-many manager for ``model.attr`` reads its prefetched queryset
    from, when that manager is Django's own (its ``get_queryset`` returns the cached
    queryset as is, its ``all()`` is ``get_queryset()``); else None."""
    descriptor = None
    for klass in model.__mro__:
        descriptor = klass.__dict__.get(attr)
        if descriptor is not None:
            break
    if type(descriptor) is not ManyToManyDescriptor:
        return None
    manager_class = descriptor.related_manager_cls
    djangos = manager_class.get_queryset.__qualname__.startswith(
        "create_forward_many_to_many_manager."
    )
    if manager_class.all is not BaseManager.all or not djangos:
        return None
    field = descriptor.rel.field
    return str(field.related_query_name() if descriptor.reverse else field.name)


class DeferredPrefetchCache(dict[str, Any]):
    """A row's ``_prefetched_objects_cache`` whose entries may still be deferred."""

    __slots__ = ("deferred",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deferred: dict[str, Deferred] = {}

    def defer(self, key: str, instance: models.Model, attr: str, rows: list[Any]) -> None:
        dict.pop(self, key, None)
        self.deferred[key] = (instance, attr, rows)

    def rows(self, key: str) -> Iterable[Any] | None:
        """The related objects under ``key`` (deferred or built), else None."""
        deferred = self.deferred.get(key)
        if deferred is not None:
            return deferred[2]
        return dict.get(self, key)

    def __missing__(self, key: str) -> Any:
        if key not in self.deferred:
            raise KeyError(key)
        return self._build(key)

    def _build(self, key: str) -> Any:
        instance, attr, rows = self.deferred.pop(key)
        manager = getattr(instance, attr)
        # What prefetch_related stores: the manager's queryset (built while the cache has no
        # entry for it), holding the prefetched objects.
        base = super(type(manager), manager).get_queryset()  # type: ignore[misc]
        queryset = manager._apply_rel_filters(base)
        queryset._result_cache = rows
        queryset._prefetch_done = True
        dict.__setitem__(self, key, queryset)
        return queryset

    def build_all(self) -> None:
        for key in list(self.deferred):
            self._build(key)

    def __setitem__(self, key: str, value: Any) -> None:
        self.deferred.pop(key, None)
        dict.__setitem__(self, key, value)

    # One key's questions build (or drop) that key alone.
    def __contains__(self, key: object) -> bool:
        return key in self.deferred or dict.__contains__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        if key in self.deferred:
            return self._build(key)
        return dict.get(self, key, default)

    def pop(self, key: str, *default: Any) -> Any:
        if key in self.deferred:
            self._build(key)
        return dict.pop(self, key, *default)

    def __delitem__(self, key: str) -> None:
        if self.deferred.pop(key, None) is None:
            dict.__delitem__(self, key)

    def __reduce__(self) -> Any:
        self.build_all()
        return dict, (dict(self),)

    def __reduce_ex__(self, protocol: Any) -> Any:
        return self.__reduce__()

    def clear(self) -> None:
        self.deferred.clear()
        dict.clear(self)


def _building_first(name: str) -> Callable[..., Any]:
    method = getattr(dict, name)

    def wrapper(self: DeferredPrefetchCache, *args: Any, **kwargs: Any) -> Any:
        if self.deferred:
            self.build_all()
        return method(self, *args, **kwargs)

    wrapper.__name__ = name
    return wrapper


# Every other way to look at the entries sees them all built.
for _name in (
    "__eq__",
    "__ne__",
    "__iter__",
    "__len__",
    "__or__",
    "__ior__",
    "__ror__",
    "__repr__",
    "__reversed__",
    "copy",
    "items",
    "keys",
    "popitem",
    "setdefault",
    "update",
    "values",
):
    setattr(DeferredPrefetchCache, _name, _building_first(_name))


def prefetched_rows(instance: Any, key: str) -> Iterable[Any] | None:
    """The objects prefetched for ``instance`` under ``key`` (a queryset or a list), without
    building anything; None when there are none."""
    cache = instance.__dict__.get("_prefetched_objects_cache")
    if cache is None:
        return None
    if type(cache) is DeferredPrefetchCache:
        return cache.rows(key)
    return cache.get(key)


class _DeferredRelation:
    """The private attribute a deferred prefetch writes a row's objects to, and the
    prefetcher Django asks for their query (:class:`~.prefetch_queries.PrefetchQuery`)."""

    def __init__(self, attr: str, key: str, query: PrefetchQuery) -> None:
        self.attr = attr
        self.key = key
        self.query = query

    def is_cached(self, instance: Any) -> bool:
        return prefetched_rows(instance, self.key) is not None

    def get_prefetch_querysets(
        self, instances: Sequence[models.Model], querysets: Sequence[Any] | None = None
    ) -> PrefetchQuerysets:
        return self.query(instances, querysets)

    def get_prefetch_queryset(  # Django 4.2 asks this one
        self, instances: Sequence[models.Model], queryset: Any = None
    ) -> PrefetchQuerysets:
        return self.query(instances, None if queryset is None else [queryset])

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        rows = prefetched_rows(instance, self.key)
        if rows is None:
            raise AttributeError(self.attr)  # not prefetched: Django's prefetch will fetch it
        return rows

    def __set__(self, instance: Any, rows: list[Any]) -> None:
        cache = instance.__dict__.get("_prefetched_objects_cache")
        if type(cache) is not DeferredPrefetchCache:
            cache = DeferredPrefetchCache(cache or {})
            instance.__dict__["_prefetched_objects_cache"] = cache
        cache.defer(self.key, instance, self.attr, rows)


class DeferredPrefetch(Prefetch):
    """A prefetch of ``relation`` through its private attribute (both the lookup and the
    ``to_attr``), so Django asks that attribute's descriptor for the query."""

    relation: str  # the relation's own name (set by _deferred_lookup)


def is_deferred(lookup: Any) -> bool:
    """Whether ``lookup`` is one of :func:`deferred_lookup`'s."""
    return isinstance(lookup, DeferredPrefetch)


def relation_path(lookup: Prefetch | str) -> str:
    """The relation path a lookup prefetches through (a deferred one: its relation's)."""
    if isinstance(lookup, DeferredPrefetch):
        return lookup.relation
    return lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup


#: (model, attribute) -> its deferred lookup or None; Django never changes a ``Prefetch`` it
#: is given, so one serves every queryset (as a class-level queryset's does).
_LOOKUPS: dict[tuple[type, str], Prefetch | None] = {}


def deferred_lookup(model: type[models.Model], attr: str) -> Prefetch | None:
    """A ``Prefetch`` of ``model.attr`` (a many-to-many relation with Django's manager) that
    defers building each row's queryset; None for anything else."""
    try:
        return _LOOKUPS[model, attr]
    except KeyError:
        lookup = _LOOKUPS[model, attr] = _deferred_lookup(model, attr)
        return lookup


def _deferred_lookup(model: type[models.Model], attr: str) -> Prefetch | None:
    if "__" in attr:
        return None
    key = prefetch_cache_name(model, attr)
    if key is None:
        return None
    private = ATTRIBUTE_PREFIX + attr
    existing = model.__dict__.get(private)
    if not isinstance(existing, _DeferredRelation):
        descriptor = getattr(model, attr)
        setattr(model, private, _DeferredRelation(attr, key, PrefetchQuery(descriptor, attr, key)))
    # Through a plain name: django-stubs' Prefetch hook crashes on a subclass's call (4.x).
    deferred_prefetch: Any = DeferredPrefetch
    lookup: DeferredPrefetch = deferred_prefetch(private, to_attr=private)
    lookup.relation = attr
    return lookup
