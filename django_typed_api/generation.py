"""Memoisation that lives exactly as long as one schema generation.

drf-spectacular hands every operation the same ``ComponentRegistry``; anything derived only
from classes (a serializer's writable fields, a shared response component, the index of
``Choices`` classes) is computed once per registry instead of once per operation, which keeps
generation linear on projects with a thousand operations, and never stale across runs.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

_ATTRIBUTE = "_typed_api_memo"


def memo(registry: Any, key: Hashable, compute: Callable[[], T]) -> T:
    cache: dict[Hashable, Any] = registry.__dict__.setdefault(_ATTRIBUTE, {})
    if key not in cache:
        cache[key] = compute()
    value: T = cache[key]
    return value


@contextmanager
def paused_gc() -> Iterator[None]:
    """Generating and rendering a schema allocates hundreds of thousands of small dicts and
    nodes and frees almost none of them until the end; the cyclic collector keeps rescanning
    them and costs half the run time on a large project (1,200 operations: 2.4 s -> 1.2 s to
    generate, 1.5 s -> 0.6 s to render). Reference counting still frees what it can."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
