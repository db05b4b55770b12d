"""Token revocation: logout, logout everywhere and a password change take tokens back at once.

A JWT is stateless, so simplejwt cannot take an access token back: blacklisting the refresh
token leaves the access token working until its ``exp``. Two records refuse tokens early, and
the database holds both (:mod:`.models`), so a restarted or flushed cache, or a per-process
one, cannot revive a revoked token:

- **one token** (logout): its ``jti`` in :class:`~.models.RevokedToken` until it would have
  expired anyway (expired rows are pruned by the next logout);
- **every token of a user** (password change, ``logoutAll``): the user's
  :class:`~.models.TokenGeneration` goes up, and a token whose ``gen`` claim (set at login,
  :func:`generation_claims`) is lower is refused. A token without the claim counts as
  generation 0.

The cache (``AUTH_CACHE``) is only a front. On a shared cache (Redis, Memcached) both answers
are cached, read with one round trip per request: "revoked" until the token expires, "not
revoked" and the generation for at most :data:`NEGATIVE_TIMEOUT` seconds, written with ``add``
so they never overwrite what a concurrent logout just wrote (which uses ``set``). A per-process
cache (LocMemCache) would keep a "not revoked" that another process has since made false, so
there only "revoked" is cached and the rest is read from the database each time. When the
cache is down the database answers alone: revoked tokens stay refused.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone
from typing import Any

from django.core.cache import BaseCache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import IntegrityError, transaction
from django.db.models import F
from rest_framework_simplejwt import settings as jwt_settings

from ..conf import typed_api_settings
from ..errors.outages import is_outage
from .models import RevokedToken, TokenGeneration

logger = logging.getLogger("django_typed_api.auth")

KEY_PREFIX = "typed_api:revoked:"
GENERATION_KEY_PREFIX = "typed_api:generation:"
#: The claim carrying the user's token generation at login.
GENERATION_CLAIM = "gen"
#: Longest time a shared cache may answer "not revoked" or a generation without asking the
#: database: the bound on staleness should a logout's cache write fail (the cache was down).
NEGATIVE_TIMEOUT = 60
REVOKED = 1
NOT_REVOKED = 0


def auth_cache() -> BaseCache:
    """The cache holding the denylist front and the login throttle counters (``AUTH_CACHE``)."""
    return caches[typed_api_settings.AUTH_CACHE]


def cache_is_shared(cache: BaseCache) -> bool:
    """Whether every process sees the same cache, so a negative answer may be cached."""
    return not isinstance(cache, (LocMemCache, DummyCache))


# -- reading and writing the cache, surviving its outages ----------------------------------


def _cache_get_many(keys: list[str]) -> dict[str, Any]:
    if not keys:
        return {}
    try:
        return dict(auth_cache().get_many(keys))
    except Exception as exc:
        if not is_outage(exc):
            raise
        logger.warning("Auth cache unavailable, reading revocations from the database: %s", exc)
        return {}


def _cache_write(method: str, key: str, value: int, timeout: float) -> None:
    try:
        getattr(auth_cache(), method)(key, value, timeout=max(1, int(timeout)))
    except Exception as exc:
        if not is_outage(exc):
            raise
        logger.warning("Auth cache unavailable, %s %s skipped: %s", method, key, exc)


def _cache_delete(key: str) -> None:
    try:
        auth_cache().delete(key)
    except Exception as exc:
        if not is_outage(exc):
            raise
        logger.warning("Auth cache unavailable, delete %s skipped: %s", key, exc)


# -- claims ---------------------------------------------------------------------------------


def _jti(token: Any) -> str | None:
    jti = token.get(jwt_settings.api_settings.JTI_CLAIM)
    return str(jti) if jti else None


def _user_id(token: Any) -> str | None:
    user_id = token.get(jwt_settings.api_settings.USER_ID_CLAIM)
    return str(user_id) if user_id is not None else None


def _expires_in(token: Any) -> float:
    """Seconds until ``token`` expires, leeway included."""
    leeway = jwt_settings.api_settings.LEEWAY
    leeway = leeway.total_seconds() if hasattr(leeway, "total_seconds") else float(leeway or 0)
    return float(token.get("exp", 0)) + leeway - time.time()


def _token_generation(token: Any) -> int:
    try:
        return int(token.get(GENERATION_CLAIM, 0))
    except (TypeError, ValueError):
        return -1  # a forged claim is older than any generation


# -- one token: logout ------------------------------------------------------------------------


def revoke(token: Any) -> None:
    """Refuse ``token`` (a simplejwt ``Token``) until it would have expired anyway."""
    jti = _jti(token)
    remaining = _expires_in(token)
    if jti is None or remaining <= 0:
        return
    now = datetime.now(tz=timezone.utc)
    expires_at = now + timedelta(seconds=remaining)
    RevokedToken.objects.get_or_create(jti=jti, defaults={"expires_at": expires_at})
    RevokedToken.objects.filter(expires_at__lt=now).delete()  # lazy cleanup, indexed
    # +1: the cache rounds timeouts down; the token must not outlive its entry.
    _cache_write("set", KEY_PREFIX + jti, REVOKED, remaining + 1)


# -- every token of a user: password change, logoutAll ---------------------------------------


def current_generation(user_id: Any) -> int:
    """The user's token generation, from the database."""
    row = TokenGeneration.objects.filter(user_id=str(user_id)).values_list("generation").first()
    return int(row[0]) if row else 0


def generation_claims(user: Any) -> dict[str, int]:
    """Claims a new token of ``user`` carries (login adds them)."""
    user_id = getattr(user, jwt_settings.api_settings.USER_ID_FIELD)
    return {GENERATION_CLAIM: current_generation(user_id)}


def revoke_all(user_id: Any) -> int:
    """Refuse every token of the user issued so far; returns the new generation.

    The cached generation is dropped at once (the next request reads the database) and the
    new one cached when the transaction commits, so a rolled-back password change revokes
    nothing and a request racing the commit cannot cache the old value for long.
    """
    user_id = str(user_id)
    with transaction.atomic():
        updated = TokenGeneration.objects.filter(user_id=user_id).update(
            generation=F("generation") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    TokenGeneration.objects.create(user_id=user_id, generation=1)
            except IntegrityError:  # created concurrently
                TokenGeneration.objects.filter(user_id=user_id).update(
                    generation=F("generation") + 1
                )
        generation = current_generation(user_id)
    key = GENERATION_KEY_PREFIX + user_id
    _cache_delete(key)
    transaction.on_commit(lambda: _cache_write("set", key, generation, NEGATIVE_TIMEOUT))
    return generation


# -- the check on every authenticated request ---------------------------------------------


def is_revoked(token: Any) -> bool:
    """Whether ``token`` was revoked by logout, logoutAll or a password change."""
    jti, user_id = _jti(token), _user_id(token)
    jti_key = KEY_PREFIX + jti if jti else None
    generation_key = GENERATION_KEY_PREFIX + user_id if user_id is not None else None
    cache = auth_cache()
    shared = cache_is_shared(cache)
    wanted = [jti_key] if not shared else [jti_key, generation_key]
    cached = _cache_get_many([key for key in wanted if key])

    if jti_key is not None:
        state = cached.get(jti_key)
        if state == REVOKED:
            return True
        if state is None:
            if RevokedToken.objects.filter(jti=jti).exists():
                _cache_write("set", jti_key, REVOKED, _expires_in(token) + 1)
                return True
            if shared:
                timeout = min(_expires_in(token) + 1, NEGATIVE_TIMEOUT)
                _cache_write("add", jti_key, NOT_REVOKED, timeout)

    if generation_key is not None:
        generation = cached.get(generation_key)
        if generation is None:
            generation = current_generation(user_id)
            if shared:
                _cache_write("add", generation_key, generation, NEGATIVE_TIMEOUT)
        if _token_generation(token) < int(generation):
            return True
    return False
