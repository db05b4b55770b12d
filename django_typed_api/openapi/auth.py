"""The JWT auth endpoints in the schema: fixed operationIds and summaries, and the request
and response bodies of the mode in force when the schema is generated
(``AUTH_REFRESH_COOKIE``). Registered as drf-spectacular view extensions, so the views in
:mod:`django_typed_api.auth.views` carry no schema code and are not imported from here.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

from drf_spectacular.extensions import OpenApiViewExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.views import APIView

from ..auth import cookies

AUTH_TAG = "auth"


def _tokens_response() -> Any:
    from ..auth.serializers import AccessTokenSerializer, TokenPairSerializer

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


class LogoutAllViewSchema(AuthViewSchema):
    target_class = "django_typed_api.auth.views.LogoutAllView"
    operation_id = "logoutAll"
    summary = "Log out everywhere"

    def schema_kwargs(self) -> dict[str, Any]:
        return {
            "request": None,
            "responses": {204: OpenApiResponse(description="Every session of the user ended.")},
            **self.cookie_header(204, "Clears the refresh token cookie."),
        }
