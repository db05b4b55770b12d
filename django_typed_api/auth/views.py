"""The auth endpoints: ``login``, ``refreshToken``, ``verifyToken``, ``logout``, ``logoutAll``.

Every failure is raised as a DRF/simplejwt exception and formatted by the project's
exception handler, so clients get the standard error envelope with a machine-readable
``code``. What each one documents in the schema (bodies by cookie mode, security) lives in
:mod:`django_typed_api.openapi.auth`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt import settings as jwt_settings
from rest_framework_simplejwt import state
from rest_framework_simplejwt.exceptions import (
    InvalidToken,
    TokenBackendError,
    TokenBackendExpiredToken,
    TokenError,
)
from rest_framework_simplejwt.tokens import RefreshToken, Token

from . import cookies
from .authentication import TypedJWTAuthentication
from .revocation import revoke, revoke_all
from .serializers import (
    LoginSerializer,
    LogoutSerializer,
    RefreshTokenSerializer,
    VerifyTokenSerializer,
)
from .throttles import LoginAddressThrottle, LoginUsernameThrottle


class TokenView(APIView):
    """Base of the token endpoints: public, and a 401 (not DRF's 403) carries a Bearer
    challenge even though these views authenticate nobody."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    serializer_class: type[serializers.Serializer] = serializers.Serializer

    @property
    def extra_error_statuses(self) -> tuple[int, ...]:
        """For the schema: a refused token or password is a 401 even though these views
        authenticate nobody; reading the refresh cookie adds the CSRF check's 403."""
        reads_cookie = cookies.cookie_mode() and self.reads_refresh_cookie
        return (401, 403) if reads_cookie else (401,)

    #: Whether the view reads the refresh token from the cookie in cookie mode.
    reads_refresh_cookie = False

    def get_authenticate_header(self, request: Request) -> str:
        return f'{jwt_settings.api_settings.AUTH_HEADER_TYPES[0]} realm="api"'

    def validate(self, data: Any) -> dict[str, Any]:
        serializer = self.serializer_class(data=data, context={"request": self.request})
        try:
            serializer.is_valid(raise_exception=True)
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        return dict(serializer.validated_data)

    def token_response(self, tokens: dict[str, Any]) -> Response:
        """Body mode: the pair in the body. Cookie mode: the refresh token in the cookie."""
        if not cookies.cookie_mode():
            return Response(tokens)
        refresh = tokens.pop("refresh", None)
        response = Response(tokens)
        if refresh:
            cookies.set_refresh_cookie(response, self.request, refresh)
        return response


class LoginView(TokenView):
    """Exchange a username and password for tokens.

    Answers an access token (send it as `Authorization: Bearer <access>`) and a refresh
    token, which in cookie mode is set as an httpOnly cookie instead. Throttled per client
    address and per username (429 with Retry-After).
    """

    serializer_class = LoginSerializer
    throttle_classes = [LoginAddressThrottle, LoginUsernameThrottle]

    @property
    def username_field(self) -> str:
        return str(self.serializer_class.username_field)

    def post(self, request: Request) -> Response:
        response = self.token_response(self.validate(request.data))
        if cookies.cookie_mode():
            cookies.issue_csrf_token(request)
        return response


class RefreshTokenView(TokenView):
    """Exchange a refresh token for a new access token.

    Refresh tokens rotate: the answer carries a new one (in the body, or in cookie mode in the
    cookie, which is also where it is read from) and the one sent is blacklisted.
    """

    reads_refresh_cookie = True
    serializer_class = RefreshTokenSerializer

    def post(self, request: Request) -> Response:
        if cookies.cookie_mode():
            raw = cookies.read_refresh_cookie(request)
            if raw is None:
                raise exceptions.NotAuthenticated(_("No refresh token cookie."))
            data: Any = {"refresh": raw}
        else:
            data = request.data
        return self.token_response(self.validate(data))

    def handle_exception(self, exc: Exception) -> Response:
        """In cookie mode a refused refresh token is useless: drop the cookie with the 401."""
        response = super().handle_exception(exc)
        if cookies.cookie_mode() and response.status_code == status.HTTP_401_UNAUTHORIZED:
            cookies.delete_refresh_cookie(response, self.request)
        return response


class VerifyTokenView(TokenView):
    """Check a token: 204 when it is signed, unexpired and not revoked, else 401."""

    serializer_class = VerifyTokenSerializer

    def post(self, request: Request) -> Response:
        self.validate(request.data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutView(TokenView):
    """End this session: revoke the access token at once and blacklist the refresh token.

    Needs the access token of the session (Bearer), which stops working immediately, on
    every process that shares the cache. The refresh token comes from the body, or in cookie
    mode from the cookie, which is then cleared. An already expired or blacklisted refresh
    token is fine: it is dead either way.
    """

    authentication_classes = [TypedJWTAuthentication]
    permission_classes = [IsAuthenticated]
    reads_refresh_cookie = True
    serializer_class = LogoutSerializer

    def post(self, request: Request) -> Response:
        if cookies.cookie_mode():
            raw = cookies.read_refresh_cookie(request)
        else:
            raw = self.validate(request.data)["refresh"]
        refresh = self.refresh_token(raw) if raw else None
        if isinstance(request.auth, Token):
            revoke(request.auth)
        if refresh is not None:
            refresh.blacklist()
        response = Response(status=status.HTTP_204_NO_CONTENT)
        if cookies.cookie_mode():
            cookies.delete_refresh_cookie(response, request)
        return response

    def refresh_token(self, raw: str) -> RefreshToken | None:
        """The caller's refresh token to blacklist; None when it is already expired.

        Checked by hand instead of ``RefreshToken(raw)``, which refuses a blacklisted token:
        logging out twice with the same refresh token is not an error.
        """
        settings = jwt_settings.api_settings
        try:
            # simplejwt annotates the encoded token as a Token; it is the raw string.
            payload = state.token_backend.decode(raw, verify=True)  # type: ignore[arg-type]
        except TokenBackendExpiredToken:
            return None
        except TokenBackendError as exc:
            raise InvalidToken(_("Token is invalid")) from exc
        if payload.get(settings.TOKEN_TYPE_CLAIM) != RefreshToken.token_type:
            raise InvalidToken(_("Token has wrong type"))
        user_id = getattr(self.request.user, settings.USER_ID_FIELD, None)
        if str(payload.get(settings.USER_ID_CLAIM)) != str(user_id):
            raise InvalidToken(_("The refresh token belongs to another user"))
        return RefreshToken(raw, verify=False)  # type: ignore[arg-type]


class LogoutAllView(TokenView):
    """End every session of this user: log out everywhere.

    Every access and refresh token of the user issued until now stops working at once, on
    every device and process (a password change does the same). Needs an access token of the
    user (Bearer); log in again for a new pair. In cookie mode the refresh cookie is cleared.
    """

    authentication_classes = [TypedJWTAuthentication]
    permission_classes = [IsAuthenticated]

    def post(self, request: Request) -> Response:
        revoke_all(getattr(request.user, jwt_settings.api_settings.USER_ID_FIELD))
        response = Response(status=status.HTTP_204_NO_CONTENT)
        if cookies.cookie_mode():
            cookies.delete_refresh_cookie(response, request)
        return response
