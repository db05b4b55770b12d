"""Outages of what the API depends on answer 503 ``service_unavailable``, not 500.

A database that refuses connections, or a Redis behind Django's cache that is down, is not a
bug in the request or in the code: the client should retry, and monitoring should tell it
from a crash. :func:`is_outage` recognises such exceptions; the exception handler and
``ErrorEnvelopeMiddleware`` turn them into :class:`ServiceUnavailable` (with ``Retry-After``)
and log them with their traceback.
"""

from __future__ import annotations

import functools

from django.db import InterfaceError, OperationalError


@functools.cache
def outage_exceptions() -> tuple[type[BaseException], ...]:
    """Exception classes that mean "a backing service is down": Django's database
    ``OperationalError`` / ``InterfaceError`` (connection refused or lost, timeouts), redis'
    ``ConnectionError`` / ``TimeoutError`` (raised through Django's Redis cache), and the
    built-in ``ConnectionError`` (other cache clients, e.g. pymemcache)."""
    classes: list[type[BaseException]] = [OperationalError, InterfaceError, ConnectionError]
    try:
        from redis import exceptions as redis_exceptions
    except ImportError:  # pragma: no cover - redis is optional
        pass
    else:
        classes += [redis_exceptions.ConnectionError, redis_exceptions.TimeoutError]
    return tuple(classes)


def is_outage(exc: BaseException) -> bool:
    return isinstance(exc, outage_exceptions())
