"""The access-token denylist: logout makes an access token useless before it expires.

An access token is stateless, so simplejwt cannot take one back: blacklisting the refresh
token leaves the access token working until its ``exp``. Here logout writes the token's
``jti`` into Django's cache with a timeout equal to the token's remaining lifetime, and
:class:`~django_typed_api.auth.authentication.TypedJWTAuthentication` refuses any token whose
``jti`` is listed. Entries expire on their own, so the list never grows beyond the tokens
that would still be valid.

The denylist is only as shared as the cache: Redis or Memcached make a logout hold in every
worker and process; LocMemCache holds only in the process that served the logout.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import BaseCache, caches
from rest_framework_simplejwt import settings as jwt_settings

from ..conf import typed_api_settings

KEY_PREFIX = "typed_api:revoked:"


def auth_cache() -> BaseCache:
    """The cache holding the denylist and the login throttle counters (``AUTH_CACHE``)."""
    return caches[typed_api_settings.AUTH_CACHE]


def _jti(token: Any) -> str | None:
    jti = token.get(jwt_settings.api_settings.JTI_CLAIM)
    return str(jti) if jti else None


def revoke(token: Any) -> None:
    """Deny ``token`` (a simplejwt ``Token``) until it would have expired anyway."""
    jti = _jti(token)
    if jti is None:
        return
    leeway = jwt_settings.api_settings.LEEWAY
    leeway = leeway.total_seconds() if hasattr(leeway, "total_seconds") else float(leeway or 0)
    remaining = float(token.get("exp", 0)) + leeway - time.time()
    if remaining > 0:
        # +1: the cache rounds timeouts down; the token must not outlive its denylist entry.
        auth_cache().set(KEY_PREFIX + jti, 1, timeout=int(remaining) + 1)


def is_revoked(token: Any) -> bool:
    jti = _jti(token)
    return jti is not None and auth_cache().get(KEY_PREFIX + jti) is not None
