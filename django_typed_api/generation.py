"""Memoisation that lives exactly as long as one schema generation.

drf-spectacular hands every operation the same ``ComponentRegistry``; anything derived only
from classes (a serializer's writable fields, a shared response component, the index of
``Choices`` classes) is computed once per registry instead of once per operation, which keeps
generation linear on projects with a thousand operations, and never stale across runs.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

_ATTRIBUTE = "_typed_api_memo"


def memo(registry: Any, key: Hashable, compute: Callable[[], T]) -> T:
    cache: dict[Hashable, Any] = registry.__dict__.setdefault(_ATTRIBUTE, {})
    if key not in cache:
        cache[key] = compute()
    value: T = cache[key]
    return value
