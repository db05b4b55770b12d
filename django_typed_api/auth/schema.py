"""How the auth endpoints and JWT security appear in the OpenAPI schema.

- :class:`SecuritySchemaMixin` (mixed into ``TypedAutoSchema``): an operation that lets an
  anonymous request through carries an empty requirement (``{}``) beside the bearer scheme,
  so a generated client knows the token is optional there; a protected one carries only
  ``bearerAuth``.
- :class:`BearerAuthScheme`: ``TypedJWTAuthentication`` (and subclasses) is the
  ``bearerAuth`` scheme, HTTP bearer with format JWT.
- One view extension per auth endpoint documents the request and response bodies of the
  mode in force when the schema is generated (``AUTH_REFRESH_COOKIE``).
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiViewExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView
from rest_framework_simplejwt import settings as jwt_settings

from . import cookies

SCHEME_NAME = "bearerAuth"
AUTH_TAG = "auth"


class SecuritySchemaMixin:
    """``get_auth`` that tells public operations from protected ones by asking the view's
    own permission classes whether an anonymous request of this method gets through.

    drf-spectacular only recognises ``AllowAny`` and ``IsAuthenticatedOrReadOnly``; asking
    the permissions also covers an empty ``permission_classes`` (simplejwt's views),
    composed permissions (``IsAuthenticated | ReadOnly``) and the project's own classes.
    Override :meth:`allows_anonymous` for permissions that need more than the method and
    the user.
    """

    view: APIView
    method: str

    def get_auth(self) -> list[dict[str, Any]]:
        requirements = [r for r in super().get_auth() if r]  # type: ignore[misc]
        if self.allows_anonymous():
            requirements.append({})
        return requirements

    def allows_anonymous(self) -> bool:
        from django.contrib.auth.models import AnonymousUser

        request = Request(getattr(APIRequestFactory(), self.method.lower())("/"))
        request.user = AnonymousUser()
        try:
            return all(p.has_permission(request, self.view) for p in self.view.get_permissions())
        except Exception:  # a permission that needs a real request: assume it protects
            return False


class BearerAuthScheme(OpenApiAuthenticationExtension):
    target_class = "django_typed_api.auth.authentication.TypedJWTAuthentication"
    match_subclasses = True
    name = SCHEME_NAME

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        settings = jwt_settings.api_settings
        return build_bearer_security_scheme_object(
            header_name=settings.AUTH_HEADER_NAME,
            token_prefix=settings.AUTH_HEADER_TYPES[0],
            bearer_format="JWT",
        )


def _tokens_response() -> Any:
    from .serializers import AccessTokenSerializer, TokenPairSerializer

    return AccessTokenSerializer if cookies.cookie_mode() else TokenPairSerializer


class AuthViewSchema(OpenApiViewExtension):
    """Documents one auth view: its fixed operationId and summary, the description from the
    view's docstring, and the bodies of the mode in force (:meth:`schema_kwargs`)."""

    operation_id = ""
    summary = ""

    def schema_kwargs(self) -> dict[str, Any]:
        raise NotImplementedError

    def view_replacement(self) -> type[APIView]:
        description = inspect.cleandoc(self.target.__doc__ or "")
        kwargs = {
            "operation_id": self.operation_id,
            "summary": self.summary,
            "description": description,
            "tags": [AUTH_TAG],
            **self.schema_kwargs(),
        }
        # On a fresh wrapper in a subclass: extend_schema marks the function it decorates,
        # and the original view must stay as it is for the next generation.
        handler = self.target.post

        @functools.wraps(handler, updated=())
        def post(view: APIView, *args: Any, **kw: Any) -> Any:
            return handler(view, *args, **kw)

        attrs = {"__doc__": self.target.__doc__, "post": extend_schema(**kwargs)(post)}
        return type(self.target.__name__, (self.target,), attrs)

    def cookie_header(self, status: int, description: str) -> dict[str, Any]:
        """The Set-Cookie response header, documented in cookie mode only."""
        if not cookies.cookie_mode():
            return {}
        header = OpenApiParameter(
            "Set-Cookie",
            str,
            OpenApiParameter.HEADER,
            description=description,
            response=[status],
        )
        return {"parameters": [header]}


class LoginViewSchema(AuthViewSchema):
    target_class = "django_typed_api.auth.views.LoginView"
    operation_id = "login"
    summary = "Log in"

    def schema_kwargs(self) -> dict[str, Any]:
        return {
            "request": self.target.serializer_class,
            "responses": {200: _tokens_response()},
            **self.cookie_header(200, "The refresh token, as an httpOnly cookie."),
        }


class RefreshTokenViewSchema(AuthViewSchema):
    target_class = "django_typed_api.auth.views.RefreshTokenView"
    operation_id = "refreshToken"
    summary = "Refresh the access token"

    def schema_kwargs(self) -> dict[str, Any]:
        return {
            "request": None if cookies.cookie_mode() else self.target.serializer_class,
            "responses": {200: _tokens_response()},
            **self.cookie_header(200, "The rotated refresh token, as an httpOnly cookie."),
        }


class VerifyTokenViewSchema(AuthViewSchema):
    target_class = "django_typed_api.auth.views.VerifyTokenView"
    operation_id = "verifyToken"
    summary = "Verify a token"

    def schema_kwargs(self) -> dict[str, Any]:
        return {
            "request": self.target.serializer_class,
            "responses": {204: OpenApiResponse(description="The token is valid.")},
        }


class LogoutViewSchema(AuthViewSchema):
    target_class = "django_typed_api.auth.views.LogoutView"
    operation_id = "logout"
    summary = "Log out"

    def schema_kwargs(self) -> dict[str, Any]:
        return {
            "request": None if cookies.cookie_mode() else self.target.serializer_class,
            "responses": {204: OpenApiResponse(description="Logged out.")},
            **self.cookie_header(204, "Clears the refresh token cookie."),
        }
