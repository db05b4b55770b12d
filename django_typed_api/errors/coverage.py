"""Where the envelope is really answered: the configured exception handler, and views that
build error responses by hand.

The schema documents the envelope on every operation; that is only true when DRF's
``EXCEPTION_HANDLER`` is ours (or a subclass or wrapper of it) and views raise exceptions
instead of returning ``Response({...}, status=403)``. :func:`handler_answers_envelope`
tells the schema and system check ``django_typed_api.W011`` which is the case;
:func:`warn_if_hand_built` flags the hand-built responses in ``DEBUG``.
"""

from __future__ import annotations

import warnings
from typing import Any

from django.db import connections
from rest_framework import exceptions

from .formatter import get_formatter
from .handler import exception_handler


class HandBuiltErrorWarning(UserWarning):
    """A view under ``API_PATHS`` answered an error that is not the envelope."""


def envelope_keys() -> frozenset[str]:
    """The keys every envelope of the configured formatter has."""
    return frozenset(get_formatter().envelope_schema({})["required"])


def is_envelope(data: Any) -> bool:
    return isinstance(data, dict) and envelope_keys() <= data.keys()


def handler_answers_envelope(handler: Any = None) -> bool:
    """Whether DRF's configured ``EXCEPTION_HANDLER`` (or ``handler``) answers the envelope.

    Ours (also through ``functools.wraps`` wrappers) is known; any other handler is asked
    once, with a ``NotFound``, so a project's handler that calls ours counts too. The probe
    keeps the database's transaction state as it was (DRF's handler marks an atomic request
    for rollback).
    """
    if handler is None:
        from rest_framework.settings import api_settings

        handler = api_settings.EXCEPTION_HANDLER
    seen = handler
    while seen is not None:
        if seen is exception_handler:
            return True
        seen = getattr(seen, "__wrapped__", None)
    saved = [
        (connection, connection.needs_rollback)
        for connection in connections.all(initialized_only=True)
        if connection.in_atomic_block
    ]
    try:
        response = handler(exceptions.NotFound(), {"view": None, "args": (), "kwargs": {}})
    except Exception:
        return False
    finally:
        for connection, needs_rollback in saved:
            connection.needs_rollback = needs_rollback
    return response is not None and is_envelope(getattr(response, "data", None))


def warn_if_hand_built(path: str, response: Any) -> None:
    """Warn (``DEBUG`` only, called by the middleware) about an error response a DRF view
    built by hand: the schema promises the envelope there, and the client's error type is
    wrong. Raise an exception instead (``PermissionDenied``, ``ValidationError``)."""
    data = getattr(response, "data", None)
    if response.status_code < 400 or data is None or is_envelope(data):
        return
    warnings.warn(
        f"{path} answered {response.status_code} with a body that is not the error envelope "
        f"(keys: {', '.join(map(str, data)) if isinstance(data, dict) else type(data).__name__}"
        "). The schema documents the envelope: raise an exception (e.g. "
        "rest_framework.exceptions.PermissionDenied) instead of returning Response(..., "
        "status=...).",
        HandBuiltErrorWarning,
        stacklevel=2,
    )
