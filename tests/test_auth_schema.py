"""The auth operations in the schema: their names and bodies (per cookie mode), and the
security requirement that tells a generated client which calls need a token."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from django_typed_api.auth.authentication import TypedJWTAuthentication

from .schema_utils import operations, schema_for, warnings

BEARER = {"bearerAuth": []}
PUBLIC = [{}]
OPTIONAL = [BEARER, {}]
PROTECTED = [BEARER]


def generate() -> dict[str, Any]:
    """The testproject's schema, generated now (so under the settings of the test)."""
    GENERATOR_STATS.reset()
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_auth_operations_have_their_ids_and_the_auth_tag(schema: dict[str, Any]) -> None:
    ops = operations(schema)
    expected = {
        ("POST", "/api/auth/login/"): ("login", "Log in"),
        ("POST", "/api/auth/refresh/"): ("refreshToken", "Refresh the access token"),
        ("POST", "/api/auth/verify/"): ("verifyToken", "Verify a token"),
        ("POST", "/api/auth/logout/"): ("logout", "Log out"),
        ("POST", "/api/auth/logout-all/"): ("logoutAll", "Log out everywhere"),
    }
    for key, (operation_id, summary) in expected.items():
        assert ops[key]["operationId"] == operation_id
        assert ops[key]["summary"] == summary
        assert ops[key]["tags"] == ["auth"]


def body_ref(operation: dict[str, Any]) -> str:
    content = operation["requestBody"]["content"]
    assert list(content) == ["application/json"]  # one content type, no form variants
    return str(content["application/json"]["schema"]["$ref"]).rsplit("/", 1)[1]


def response_ref(operation: dict[str, Any], status: str = "200") -> str:
    content = operation["responses"][status]["content"]
    assert list(content) == ["application/json"]
    return str(content["application/json"]["schema"]["$ref"]).rsplit("/", 1)[1]


def test_body_mode_bodies_are_named_components(schema: dict[str, Any]) -> None:
    ops = operations(schema)
    login, refresh = ops[("POST", "/api/auth/login/")], ops[("POST", "/api/auth/refresh/")]
    verify, logout = ops[("POST", "/api/auth/verify/")], ops[("POST", "/api/auth/logout/")]
    assert (body_ref(login), response_ref(login)) == ("LoginRequest", "TokenPair")
    assert (body_ref(refresh), response_ref(refresh)) == ("RefreshTokenRequest", "TokenPair")
    assert body_ref(verify) == "VerifyTokenRequest"
    assert "content" not in verify["responses"]["204"]
    assert body_ref(logout) == "LogoutRequest"
    assert "content" not in logout["responses"]["204"]

    components = schema["components"]["schemas"]
    assert set(components["LoginRequest"]["properties"]) == {"username", "password"}
    assert components["TokenPair"]["required"] == ["access", "refresh"]


def test_logout_all_takes_no_body_and_answers_204(schema: dict[str, Any]) -> None:
    logout_all = operations(schema)[("POST", "/api/auth/logout-all/")]
    assert "requestBody" not in logout_all
    assert "content" not in logout_all["responses"]["204"]
    assert "200" not in logout_all["responses"]


def test_public_and_protected_operations_are_marked(schema: dict[str, Any]) -> None:
    ops = operations(schema)
    assert ops[("POST", "/api/auth/login/")]["security"] == PUBLIC
    assert ops[("POST", "/api/auth/refresh/")]["security"] == PUBLIC
    assert ops[("POST", "/api/auth/verify/")]["security"] == PUBLIC
    assert ops[("POST", "/api/auth/logout/")]["security"] == PROTECTED
    assert ops[("POST", "/api/auth/logout-all/")]["security"] == PROTECTED
    assert ops[("GET", "/api/user/profile/")]["security"] == PROTECTED
    # IsAuthenticatedOrReadOnly: reads take an optional token, writes need one.
    assert ops[("GET", "/api/vacancies/")]["security"] == OPTIONAL
    assert ops[("GET", "/api/vacancies/{id}/")]["security"] == OPTIONAL
    assert ops[("POST", "/api/vacancies/")]["security"] == PROTECTED
    assert ops[("DELETE", "/api/vacancies/{id}/")]["security"] == PROTECTED
    # AllowAny on a POST action.
    assert ops[("POST", "/api/vacancies/search/")]["security"] == OPTIONAL


def test_bearer_auth_is_the_only_security_scheme(schema: dict[str, Any]) -> None:
    assert schema["components"]["securitySchemes"] == {
        "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    }


def test_the_project_schema_generates_without_warnings() -> None:
    generate()
    assert warnings() == []


class CookieMode:
    @pytest.fixture(autouse=True)
    def cookie_mode(self, settings: Any) -> None:
        settings.TYPED_API = {**settings.TYPED_API, "AUTH_REFRESH_COOKIE": True}


class TestCookieModeSchema(CookieMode):
    def test_login_and_refresh_answer_only_the_access_token_and_set_a_cookie(self) -> None:
        ops = operations(generate())
        for key in (("POST", "/api/auth/login/"), ("POST", "/api/auth/refresh/")):
            assert response_ref(ops[key]) == "AccessToken"
            assert "Set-Cookie" in ops[key]["responses"]["200"]["headers"]
        assert warnings() == []

    def test_refresh_and_logout_take_no_body(self) -> None:
        ops = operations(generate())
        assert "requestBody" not in ops[("POST", "/api/auth/refresh/")]
        assert "requestBody" not in ops[("POST", "/api/auth/logout/")]
        assert body_ref(ops[("POST", "/api/auth/login/")]) == "LoginRequest"

    def test_the_token_pair_component_is_gone(self) -> None:
        components = generate()["components"]["schemas"]
        assert "AccessToken" in components
        assert "TokenPair" not in components
        assert "RefreshTokenRequest" not in components


# -- the security rule on views of a project ----------------------------------------------------


class ReadOnly(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField()


class NotesView(APIView):
    """Notes: composed permissions, which drf-spectacular alone marks as protected."""

    permission_classes = [IsAuthenticated | ReadOnly]

    @extend_schema(responses=NoteSerializer)
    def get(self, request: Request) -> Response:
        return Response({"text": ""})

    @extend_schema(request=NoteSerializer, responses=NoteSerializer)
    def post(self, request: Request) -> Response:
        return Response(request.data)


class OpenView(APIView):
    """No permission classes at all: open to anyone."""

    permission_classes: list[Any] = []

    @extend_schema(responses=NoteSerializer)
    def get(self, request: Request) -> Response:
        return Response({"text": ""})


class CustomJWT(TypedJWTAuthentication):
    pass


class CustomAuthView(APIView):
    """A project's own subclass of the authentication class."""

    authentication_classes = [CustomJWT]
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=NoteSerializer)
    def get(self, request: Request) -> Response:
        return Response({"text": ""})


class AnonymousOnlyView(APIView):
    """Public, nothing to authenticate."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(responses=NoteSerializer)
    def get(self, request: Request) -> Response:
        return Response({"text": ""})


def test_composed_permissions_are_asked_per_method() -> None:
    ops = operations(schema_for([path("notes/", NotesView.as_view())]))
    assert ops[("GET", "/notes/")]["security"] == OPTIONAL
    assert ops[("POST", "/notes/")]["security"] == PROTECTED
    assert warnings() == []


def test_a_view_without_permission_classes_is_public() -> None:
    ops = operations(schema_for([path("open/", OpenView.as_view())]))
    assert ops[("GET", "/open/")]["security"] == OPTIONAL


def test_a_subclass_of_the_authentication_class_is_bearer_auth_too() -> None:
    schema = schema_for([path("mine/", CustomAuthView.as_view())])
    assert operations(schema)[("GET", "/mine/")]["security"] == PROTECTED
    assert list(schema["components"]["securitySchemes"]) == ["bearerAuth"]
    assert warnings() == []


def test_a_view_that_authenticates_nobody_has_the_empty_requirement_only() -> None:
    ops = operations(schema_for([path("anon/", AnonymousOnlyView.as_view())]))
    assert ops[("GET", "/anon/")]["security"] == PUBLIC


def test_auth_operations_document_the_errors_they_answer(schema: dict[str, Any]) -> None:
    ops = operations(schema)
    for endpoint in ("login", "refresh", "verify", "logout", "logout-all"):
        responses = ops[("POST", f"/api/auth/{endpoint}/")]["responses"]
        assert {"401", "503"} <= set(responses), endpoint
    assert "429" in ops[("POST", "/api/auth/login/")]["responses"]
    assert "403" not in ops[("POST", "/api/auth/refresh/")]["responses"]


class TestCookieModeErrors(CookieMode):
    def test_the_endpoints_reading_the_cookie_document_the_csrf_403(self) -> None:
        ops = operations(generate())
        assert "403" in ops[("POST", "/api/auth/refresh/")]["responses"]
        assert "403" in ops[("POST", "/api/auth/logout/")]["responses"]
        assert "403" not in ops[("POST", "/api/auth/login/")]["responses"]
