"""Request and response bodies of the auth endpoints, each a named schema component.

``LoginSerializer`` and ``RefreshTokenSerializer`` extend simplejwt's serializers, so token
claims are customised the simplejwt way (override ``get_token``) on a subclass that the view
names in ``serializer_class``. The others only describe shapes.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework_simplejwt import settings as jwt_settings
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.tokens import UntypedToken

from .revocation import generation_claims, is_revoked
from .tokens import TypedRefreshToken


class LoginSerializer(TokenObtainPairSerializer):
    """The credentials of an active user."""

    token_class = TypedRefreshToken

    @classmethod
    def get_token(cls, user: Any) -> Any:
        """simplejwt's token plus the user's token generation (``gen``), so a later
        ``logoutAll`` or password change refuses it."""
        token = super().get_token(user)
        for claim, value in generation_claims(user).items():
            token[claim] = value
        return token

    # The username field is the user model's USERNAME_FIELD (simplejwt adds it). Wrong
    # credentials and inactive users get the same 401 (no_active_account), so the answer does
    # not tell which usernames exist.


class TokenPairSerializer(serializers.Serializer):
    """An access token and the refresh token to get the next one."""

    access = serializers.CharField(read_only=True, help_text="Short-lived bearer token.")
    refresh = serializers.CharField(
        read_only=True,
        help_text="Exchange at refreshToken for a new pair; each is valid once (rotation).",
    )


class AccessTokenSerializer(serializers.Serializer):
    """An access token (the refresh token is in the httpOnly cookie)."""

    access = serializers.CharField(read_only=True, help_text="Short-lived bearer token.")


class RefreshTokenSerializer(TokenRefreshSerializer):
    """The refresh token from login or from the previous refresh."""

    #: Refused after logoutAll or a password change; one use even under concurrency.
    token_class = TypedRefreshToken

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        try:
            return super().validate(attrs)
        except ObjectDoesNotExist as exc:
            # simplejwt looks the user up without catching DoesNotExist: a token of a deleted
            # user would be a 500.
            raise exceptions.AuthenticationFailed(
                self.error_messages["no_active_account"], "no_active_account"
            ) from exc


class LogoutSerializer(serializers.Serializer):
    """The refresh token of the session to end."""

    refresh = serializers.CharField(write_only=True)


class VerifyTokenSerializer(serializers.Serializer):
    """An access or refresh token to check."""

    token = serializers.CharField(write_only=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        token = UntypedToken(attrs["token"])  # TokenError: the view makes it a 401
        if is_revoked(token) or _is_blacklisted(token):
            raise InvalidToken(_("Token has been revoked"))
        return {}


def _is_blacklisted(token: Any) -> bool:
    if not apps.is_installed("rest_framework_simplejwt.token_blacklist"):
        return False
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

    jti = token.get(jwt_settings.api_settings.JTI_CLAIM)
    return BlacklistedToken.objects.filter(token__jti=jti).exists()
