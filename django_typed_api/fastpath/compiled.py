"""A class plan's steps compiled into one Python function per serializer class.

Walking a list of steps costs a tuple unpack and several branches per field and row, which
for a plain row is more than reading and converting the value. :func:`compile_plan` writes
the walk out as straight-line code, one block per field, with each step's attribute read
directly and its converter bound as a global. The reads, conversions and fallbacks are DRF's
``Serializer.to_representation`` over fields with DRF's ``get_attribute``: a missing attribute,
a simple callable or a ``Mapping`` row goes to the bound field or serializer. A relation's
``many=True`` value is read from the instance's prefetch cache when Django's own related
manager would return exactly that cached queryset.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.manager import BaseManager
from rest_framework import fields, serializers
from rest_framework.fields import empty

from ..optimizer.deferred_prefetch import prefetch_cache_name, prefetched_rows
from .converters import simple_callable

#: How a step reads its value: a ``ManyRelatedField`` (its ``get_attribute``), a nested
#: ``many=True`` serializer (a plain read, then ``all()`` on a manager), or a plain read ("").
MANY = "many"
NESTED_LIST = "nested list"
#: (name, attribute, convert, converter takes the context, how it reads)
Step = tuple[str, str, Callable[..., Any], bool, str]
Render = Callable[[Any, Callable[[], Any], Any], dict[str, Any]]
_SKIP: Any = object()


def compile_plan(steps: list[Step]) -> Render:
    """``render(instance, serializer, context)`` for these steps, as generated code."""
    namespace: dict[str, Any] = {
        "_Mapping": Mapping,
        "_mapping_row": _mapping_row,
        "_ODNE": ObjectDoesNotExist,
        "_empty": empty,
        "_SKIP": _SKIP,
        "_needs_drf": _needs_drf,
        "_bound": _bound,
    }
    lines = [
        "def render(instance, serializer, context):",
        "    if isinstance(instance, _Mapping):",
        "        return _mapping_row(serializer, instance)",
        "    ret = {}",
    ]
    for index, (name, attr, convert, with_context, reads) in enumerate(steps):
        namespace[f"_c{index}"] = convert
        key = repr(name)
        if reads:
            namespace[f"_m{index}"] = _relation_reader(attr, reads)
            lines.append(f"    v = _m{index}(instance)")
        else:
            read = (
                f"instance.{attr}"
                if attr.isidentifier() and not keyword.iskeyword(attr) and not attr.startswith("__")
                else f"getattr(instance, {attr!r})"
            )
            lines += [
                "    try:",
                f"        v = {read}",
                "    except _ODNE:",
                "        v = None",
                "    except (AttributeError, KeyError):",
                "        v = _empty",
                "    else:",
                "        if callable(v) and _needs_drf(v):",
                "            v = _empty",
            ]
        call = f"_c{index}(v, context)" if with_context else f"_c{index}(v)"
        lines += [
            "    if v is _empty:",
            f"        v = _bound(serializer, {key}, instance)",
            "    if v is None:",
            f"        ret[{key}] = None",
            "    elif v is not _SKIP:",
            f"        ret[{key}] = {call}",
        ]
    lines.append("    return ret")
    exec(compile("\n".join(lines), "<typed_api class plan>", "exec"), namespace)
    render: Render = namespace["render"]
    return render


def _mapping_row(serializer: Callable[[], Any], instance: Any) -> dict[str, Any]:
    return serializers.Serializer.to_representation(serializer(), instance)


def _needs_drf(value: Any) -> bool:
    """A callable DRF would call (or refuse with its message); a manager it never calls."""
    return not isinstance(value, BaseManager) and simple_callable(value)


def _bound(serializer: Callable[[], Any], name: str, instance: Any) -> Any:
    """The bound field's own ``get_attribute``: defaults, ``SkipField``, DRF's errors."""
    try:
        return serializer().fields[name].get_attribute(instance)
    except fields.SkipField:
        return _SKIP


def _relation_reader(attr: str, reads: str) -> Callable[[Any], Any]:
    """The value a ``many=True`` field or nested serializer is given (``empty``: ask the
    bound field): the prefetched queryset itself where the manager would return it."""
    cache_names: dict[type, str | None] = {}
    many = reads == MANY

    def read(instance: Any) -> Any:
        if many and getattr(instance, "pk", True) is None:
            return []  # ManyRelatedField's rule: no relations before a save
        cls = instance.__class__
        cache_name = cache_names.get(cls, empty)
        if cache_name is empty:
            cache_name = cache_names[cls] = prefetch_cache_name(cls, attr)
        if cache_name is not None:
            rows = prefetched_rows(instance, cache_name)
            if rows is not None:
                return rows  # the objects of what the manager's all() returns
        try:
            value = getattr(instance, attr)
        except ObjectDoesNotExist:
            return empty if many else None  # as DRF's get_attribute
        except (AttributeError, KeyError):
            return empty
        if isinstance(value, BaseManager):
            return value.all() if many else value  # the list serializer calls all()
        if callable(value) and simple_callable(value):
            return empty  # DRF calls it (or says why not)
        return value.all() if many and hasattr(value, "all") else value

    return read
