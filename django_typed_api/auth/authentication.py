"""``TypedJWTAuthentication``: simplejwt's bearer authentication plus the logout denylist."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken

from .revocation import is_revoked


class TypedJWTAuthentication(JWTAuthentication):
    """Authenticates ``Authorization: Bearer <access token>`` and refuses revoked tokens.

    Every failure is a 401 whose ``code`` says why: ``token_not_valid`` (expired, tampered,
    wrong algorithm, wrong token type, revoked by logout), ``user_inactive``,
    ``user_not_found``, ``bad_authorization_header``. The denylist costs one cache read per
    authenticated request.
    """

    def get_validated_token(self, raw_token: bytes) -> Any:
        token = super().get_validated_token(raw_token)
        if is_revoked(token):
            raise InvalidToken(_("Token has been revoked"))
        return token
