"""Login throttling per client address and per username, counted in Django's cache.

DRF's ``SimpleRateThrottle`` keeps a list of timestamps and writes it back with get/set, so
parallel requests overwrite each other's entries and a brute-force client that fires requests
concurrently gets far more attempts than the rate says. These throttles count with the cache's
atomic ``add`` + ``incr`` in fixed windows instead: every attempt is counted exactly once, in
every process that shares the cache (Redis, Memcached). With LocMemCache each process counts
on its own, so N workers allow N times the rate.

A fixed window can let up to twice the rate through around a window boundary; for login
attempts that bound is what matters, not a smooth rate.
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from ..conf import typed_api_settings
from .revocation import auth_cache

KEY_PREFIX = "typed_api:throttle:"
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/min"`` -> ``(5, 60)``; periods as in DRF (s, sec, m, min, h, hour, d, day)."""
    num, _, period = rate.partition("/")
    if not num.strip().isdigit() or not period or period.strip()[0] not in PERIODS:
        raise ValueError(f"Invalid throttle rate {rate!r}; use e.g. '5/min' or '100/hour'.")
    return int(num), PERIODS[period.strip()[0]]


class CacheWindowThrottle(BaseThrottle):
    """Counts requests per ``get_ident_key()`` in fixed windows of the scope's rate.

    Override points: :attr:`scope` (the key in ``AUTH_LOGIN_THROTTLE_RATES``) and
    :meth:`get_ident_key`.
    """

    scope: str = ""

    def __init__(self) -> None:
        self._wait: float | None = None

    def get_rate(self) -> str | None:
        rates: dict[str, Any] = typed_api_settings.AUTH_LOGIN_THROTTLE_RATES or {}
        rate = rates.get(self.scope)
        return str(rate) if rate else None

    def get_ident_key(self, request: Request, view: Any) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: Request, view: Any) -> bool:
        rate = self.get_rate()
        if rate is None:
            return True
        ident = self.get_ident_key(request, view)
        if ident is None:
            return True
        limit, duration = parse_rate(rate)
        now = time.time()
        window = int(now // duration)
        digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
        key = f"{KEY_PREFIX}{self.scope}:{digest}:{window}"
        cache = auth_cache()
        cache.add(key, 0, timeout=duration + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the entry expired between add and incr
            cache.set(key, 1, timeout=duration + 1)
            count = 1
        if count <= limit:
            return True
        self._wait = (window + 1) * duration - now
        return False

    def wait(self) -> float | None:
        return math.ceil(self._wait) if self._wait is not None else None


class LoginAddressThrottle(CacheWindowThrottle):
    """Attempts per client address (``REMOTE_ADDR``, or X-Forwarded-For per DRF's
    ``NUM_PROXIES``)."""

    scope = "address"

    def get_ident_key(self, request: Request, view: Any) -> str | None:
        return self.get_ident(request)


class LoginUsernameThrottle(CacheWindowThrottle):
    """Attempts per username, whichever address they come from (a distributed guesser)."""

    scope = "username"

    def get_ident_key(self, request: Request, view: Any) -> str | None:
        data = request.data
        field = getattr(view, "username_field", None) or "username"
        value = data.get(field) if hasattr(data, "get") else None
        if not isinstance(value, str) or not value.strip():
            return None  # the serializer answers 400 for a missing username
        return value.strip().casefold()
