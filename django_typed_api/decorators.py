"""Decorators that add facts to an operation's schema that generated clients act on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from drf_spectacular.utils import extend_schema

#: Specification extension on operations that only read, whatever their HTTP method.
QUERY_EXTENSION = "x-query"

T = TypeVar("T", bound=Callable[..., Any])


def query_operation(view: T) -> T:
    """Mark a read-only POST (search with a body too large or structured for a query string)
    as a query: the operation gets ``x-query: true``.

    Generators treat every POST as a mutation (no caching, no refetch, a ``mutate()`` call).
    ``x-query`` lets their config pick these operations out and generate query hooks instead;
    see docs/type-sync.md. Put it above ``@extend_schema`` / ``@action``. If you also pass
    ``extend_schema(extensions=...)`` on the same view, include ``"x-query": True`` there:
    drf-spectacular keeps only the outermost ``extensions``.
    """
    return extend_schema(extensions={QUERY_EXTENSION: True})(view)
