"""Login throttling per client address and per username, counted in Django's cache.

DRF's ``SimpleRateThrottle`` keeps a list of timestamps and writes it back with get/set, so
parallel requests overwrite each other's entries and a brute-force client that fires requests
concurrently gets far more attempts than the rate says. These throttles count with the cache's
atomic ``add`` + ``incr`` in fixed windows instead: every attempt is counted exactly once, in
every process that shares the cache (Redis, Memcached). With LocMemCache each process counts
on its own, so N workers allow N times the rate.

A fixed window can let up to twice the rate through around a window boundary; for login
attempts that bound is what matters, not a smooth rate.

The client address is ``REMOTE_ADDR`` unless the project says how many proxies stand in front
of it (DRF's ``NUM_PROXIES``): DRF trusts any ``X-Forwarded-For`` when ``NUM_PROXIES`` is
None, so a guesser who invents a new address per attempt is never counted. Here None means no
proxy (a system check explains the setting). :func:`throttle_login` puts the same counters in
front of a plain Django login view such as the admin's.

When the cache is down the counters cannot be kept, so login answers 503 instead of letting
every guess through (:meth:`CacheWindowThrottle.cache_unavailable` is the override point).
"""

from __future__ import annotations

import functools
import hashlib
import math
import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from ..conf import typed_api_settings
from ..errors.exceptions import ServiceUnavailable
from ..errors.outages import is_outage
from .revocation import auth_cache

KEY_PREFIX = "typed_api:throttle:"
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/min"`` -> ``(5, 60)``; periods as in DRF (s, sec, m, min, h, hour, d, day)."""
    num, _, period = rate.partition("/")
    if not num.strip().isdigit() or not period or period.strip()[0] not in PERIODS:
        raise ValueError(f"Invalid throttle rate {rate!r}; use e.g. '5/min' or '100/hour'.")
    return int(num), PERIODS[period.strip()[0]]


def client_address(request: HttpRequest | Request) -> str:
    """The address a request comes from: ``REMOTE_ADDR``, or with ``NUM_PROXIES = n`` (n > 0)
    the n-th address from the right of ``X-Forwarded-For`` (the one the outermost trusted
    proxy saw). Unlike DRF's ``get_ident``, ``NUM_PROXIES = None`` trusts no header."""
    meta = request.META
    remote_addr = str(meta.get("REMOTE_ADDR") or "")
    num_proxies = api_settings.NUM_PROXIES or 0
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if num_proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [part.strip() for part in str(forwarded).split(",") if part.strip()]
    if not addresses:
        return remote_addr
    return addresses[-min(num_proxies, len(addresses))]


def normalized_username(value: Any) -> str | None:
    """The counter key of a username: case and surrounding spaces do not make a new one."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().casefold()


class CacheWindowThrottle(BaseThrottle):
    """Counts requests per ``get_ident_key()`` in fixed windows of the scope's rate.

    Override points: :attr:`scope` (the key in ``AUTH_LOGIN_THROTTLE_RATES``) and
    :meth:`get_ident_key`.
    """

    scope: str = ""
    #: The clock the windows are cut from (DRF's throttles name it the same).
    timer = staticmethod(time.time)

    def __init__(self) -> None:
        self._wait: float | None = None

    def get_rate(self) -> str | None:
        rates: dict[str, Any] = typed_api_settings.AUTH_LOGIN_THROTTLE_RATES or {}
        rate = rates.get(self.scope)
        return str(rate) if rate else None

    def get_ident_key(self, request: Request, view: Any) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: Request, view: Any) -> bool:
        return self.allow(self.get_ident_key(request, view))

    def allow(self, ident: str | None) -> bool:
        """Count one attempt of ``ident``; False once it is over the rate."""
        rate = self.get_rate()
        if rate is None or ident is None:
            return True
        limit, duration = parse_rate(rate)
        now = self.timer()
        window = int(now // duration)
        # surrogatepass: a lone surrogate in a username is counted, not a crash.
        digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        key = f"{KEY_PREFIX}{self.scope}:{digest}:{window}"
        try:
            count = self.count(key, timeout=duration + 1)
        except Exception as exc:
            if not is_outage(exc):
                raise
            return self.cache_unavailable(exc)
        if count <= limit:
            return True
        self._wait = (window + 1) * duration - now
        return False

    def count(self, key: str, timeout: int) -> int:
        cache = auth_cache()
        cache.add(key, 0, timeout=timeout)
        try:
            return int(cache.incr(key))
        except ValueError:  # the entry expired between add and incr
            cache.set(key, 1, timeout=timeout)
            return 1

    def cache_unavailable(self, exc: Exception) -> bool:
        """The cache holding the counters is down. Default: refuse with 503 (fail closed), so
        taking the cache down does not lift the limit. Return True to let attempts through."""
        raise ServiceUnavailable() from exc

    def wait(self) -> float | None:
        return math.ceil(self._wait) if self._wait is not None else None


class LoginAddressThrottle(CacheWindowThrottle):
    """Attempts per client address (:func:`client_address`)."""

    scope = "address"

    def get_ident_key(self, request: Request, view: Any) -> str | None:
        return client_address(request)


class LoginUsernameThrottle(CacheWindowThrottle):
    """Attempts per username, whichever address they come from (a distributed guesser)."""

    scope = "username"

    def get_ident_key(self, request: Request, view: Any) -> str | None:
        data = request.data
        field = getattr(view, "username_field", None) or "username"
        value = data.get(field) if hasattr(data, "get") else None
        return normalized_username(value)  # None: the serializer answers 400


def throttle_login(
    view: Callable[..., HttpResponseBase], *, username_field: str = "username"
) -> Callable[..., HttpResponseBase]:
    """The login throttles in front of a plain Django login view, with the same counters as
    the API's login (a username gets its rate whichever door the guesses come through)::

        path("admin/login/", throttle_login(admin.site.login)),  # before admin.site.urls

    Every POST is an attempt; over the rate it answers 429 with ``Retry-After`` (and 503 while
    the cache is down) without calling the view.
    """

    @functools.wraps(view)
    def throttled(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "POST":
            username = normalized_username(request.POST.get(username_field))
            attempts = [
                (LoginAddressThrottle(), client_address(request)),
                (LoginUsernameThrottle(), username),
            ]
            for throttle, ident in attempts:
                try:
                    allowed = throttle.allow(ident)
                except ServiceUnavailable as exc:
                    return plain_response(503, str(exc.detail), exc.wait)
                if not allowed:
                    return plain_response(
                        429, _("Too many login attempts. Try again later."), throttle.wait()
                    )
        return view(request, *args, **kwargs)

    throttled.typed_api_login_throttle = True  # type: ignore[attr-defined]  # for the check
    return throttled


def plain_response(status: int, text: str, wait: float | None) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    if wait:
        response["Retry-After"] = str(math.ceil(wait))
    return response
