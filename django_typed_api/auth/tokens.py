"""The refresh token class of the auth views: revocable, and single-use under concurrency.

simplejwt's refresh checks the blacklist, then blacklists the token with ``get_or_create``
and ignores whether it was the one that created the row: N concurrent refreshes with one
token all pass the check and all get a new pair. :meth:`TypedRefreshToken.blacklist` relies
on the blacklist's unique constraint instead: exactly one request creates the row; the others
learn they lost and answer 401 ``token_not_valid``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from .revocation import is_revoked


class TypedRefreshToken(RefreshToken):
    """A refresh token that is refused after logoutAll or a password change, and that only
    one of several concurrent refreshes can rotate."""

    def verify(self, *args: Any, **kwargs: Any) -> None:
        super().verify(*args, **kwargs)  # signature, expiry, type, blacklist
        if is_revoked(self):
            raise TokenError(_("Token has been revoked"))

    def blacklist(self) -> Any:
        """Blacklist this token; a TokenError when another request blacklisted it first."""
        with transaction.atomic():
            # simplejwt annotates one object; it returns get_or_create's (object, created).
            result: tuple[Any, bool] = super().blacklist()  # type: ignore[assignment]
        if not result[1]:
            raise TokenError(_("Token is blacklisted"))
        return result
