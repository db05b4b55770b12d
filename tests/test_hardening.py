"""Hardening (issue 14 items 1, 2, 7, 8): bounded work per request, no cheap 500s, secure
defaults, and the strict body check after authentication (issue 13).

In-process: each test sends one request through the test client (or a real WSGI call) and
reads the answer; tests/test_hardening_server.py repeats the costly ones through gunicorn on
PostgreSQL with timings.
"""

from __future__ import annotations

import io
import json
import logging
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView
from vacancies.models import Company, Skill, Vacancy

from django_typed_api.asgi import TypedASGIHandler
from django_typed_api.errors.checks import check_error_middleware
from django_typed_api.strict.json_types import StrictJSONTypesMixin
from django_typed_api.wsgi import TypedWSGIHandler
from testproject import frontend

from .live_server import TESTPROJECT
from .schema_utils import schema_for

pytestmark = pytest.mark.django_db

JSON = "application/json"


def envelope(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith(JSON)
    body = response.json()
    assert set(body) == {"error", "status_code", "message", "code"}
    assert body["code"] == code
    return body


def new_vacancy(**fields: Any) -> dict[str, Any]:
    company = Company.objects.first()
    assert company is not None
    return {"title": "Backend developer", "company_id": str(company.pk), **fields}


# -- 1. bounded work per request ------------------------------------------------------------


def test_two_megabytes_of_ints_get_one_small_error_fast(api_client: APIClient) -> None:
    body = json.dumps({"skills": [1] * 1_000_000}, separators=(",", ":"))
    api_client.post("/api/jobs/search/", {}, format="json")  # imports and caches warmed up
    started = time.perf_counter()
    response = api_client.post("/api/jobs/search/", body, content_type=JSON)
    elapsed = time.perf_counter() - started
    print(f"\n2 MB of ints in-process: {elapsed:.3f} s, {len(response.content)} bytes")
    error = envelope(response, 400, "invalid")["error"]
    assert error == {"skills": ["Ensure this field has no more than 20 elements."]}
    assert len(response.content) < 16 * 1024
    assert elapsed < 1


def test_a_list_without_max_length_is_bounded_by_max_list_items(
    auth_client: APIClient, seeded: None, settings: Any
) -> None:
    settings.TYPED_API = {**settings.TYPED_API, "MAX_LIST_ITEMS": 50}
    slug = Skill.objects.values_list("slug", flat=True).first()
    response = auth_client.post("/api/vacancies/", new_vacancy(skills=[slug] * 51), format="json")
    error = envelope(response, 400, "invalid")["error"]
    assert error == {"skills": ["Ensure this field has no more than 50 elements."]}
    ok = auth_client.post("/api/vacancies/", new_vacancy(skills=[slug] * 50), format="json")
    assert ok.status_code == 201, ok.content


def test_the_list_bound_holds_with_strict_types_switched_off(
    auth_client: APIClient, seeded: None, settings: Any
) -> None:
    settings.TYPED_API = {**settings.TYPED_API, "STRICT_JSON_TYPES": False, "MAX_LIST_ITEMS": 5}
    slug = Skill.objects.values_list("slug", flat=True).first()
    response = auth_client.post("/api/vacancies/", new_vacancy(skills=[slug] * 6), format="json")
    assert envelope(response, 400, "invalid")["error"]["skills"] == [
        "Ensure this field has no more than 5 elements."
    ]


def test_item_errors_stop_at_max_item_errors_with_a_summary(api_client: APIClient) -> None:
    response = api_client.post("/api/jobs/search/", {"skills": [7] * 20}, format="json")
    skills = envelope(response, 400, "invalid")["error"]["skills"]
    assert list(skills) == [*(str(i) for i in range(10)), "..."]
    assert skills["..."] == ["and 10 more errors"]


def test_drf_own_item_errors_are_capped_too(api_client: APIClient) -> None:
    # Strings, so the type check passes; DRF's SlugField refuses each one.
    response = api_client.post("/api/jobs/search/", {"skills": ["not a slug"] * 20}, format="json")
    skills = envelope(response, 400, "invalid")["error"]["skills"]
    assert len(skills) == 11 and skills["..."] == ["and 10 more errors"]


def test_the_schema_documents_list_bounds_as_max_items() -> None:
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    assert components["VacancyRequest"]["properties"]["skills"]["maxItems"] == 1000
    assert components["PatchedVacancyRequest"]["properties"]["skills"]["maxItems"] == 1000
    assert components["JobSearchRequest"]["properties"]["skills"]["maxItems"] == 20
    assert "maxItems" not in components["Vacancy"]["properties"]["skills"]  # responses


def test_related_slugs_are_resolved_in_one_query_whatever_the_list_length(
    auth_client: APIClient, seeded: None
) -> None:
    slugs = list(Skill.objects.values_list("slug", flat=True)[:8])
    counts = []
    for copies in (1, 100):
        with CaptureQueriesContext(connection) as queries:
            response = auth_client.post(
                "/api/vacancies/", new_vacancy(skills=slugs * copies), format="json"
            )
        assert response.status_code == 201, response.content
        assert sorted(response.json()["skills"]) == sorted(slugs)
        counts.append(len(queries))
    print(f"\ncreate with 8 vs 800 skill slugs: {counts[0]} vs {counts[1]} queries")
    assert counts[0] == counts[1]
    lookups = [q for q in queries.captured_queries if '"vacancies_skill"."slug" IN' in q["sql"]]
    assert len(lookups) == 1, lookups


def test_an_unknown_slug_in_a_bulk_lookup_keeps_drf_error(
    auth_client: APIClient, seeded: None
) -> None:
    slug = Skill.objects.values_list("slug", flat=True).first()
    response = auth_client.post(
        "/api/vacancies/", new_vacancy(skills=[slug, "no-such-skill"]), format="json"
    )
    assert envelope(response, 400, "invalid")["error"] == {
        "skills": ["Object with slug=no-such-skill does not exist."]
    }


# -- 2. cheap 500s ----------------------------------------------------------------------------


def test_json_nested_thousands_deep_is_a_parse_error(api_client: APIClient) -> None:
    body = "[" * 100_000 + "]" * 100_000
    response = api_client.post("/api/jobs/search/", body, content_type=JSON)
    assert "nested too deeply" in envelope(response, 400, "parse_error")["message"]


def test_a_lone_surrogate_in_a_choice_is_a_parse_error(api_client: APIClient) -> None:
    body = '{"employment_type": "\\ud800"}'
    response = api_client.post("/api/jobs/search/", body, content_type=JSON)
    assert "lone surrogate" in envelope(response, 400, "parse_error")["message"]


def test_a_lone_surrogate_in_the_login_username_is_a_parse_error(api_client: APIClient) -> None:
    body = '{"username": "\\udfff", "password": "x"}'
    envelope(api_client.post("/api/auth/login/", body, content_type=JSON), 400, "parse_error")


def test_a_surrogate_pair_is_just_a_character(api_client: APIClient) -> None:
    body = '{"query": "\\ud83d\\ude00"}'  # an emoji, escaped as JSON does
    assert api_client.post("/api/jobs/search/", body, content_type=JSON).status_code == 200


def test_a_body_in_a_charset_that_is_not_text_is_415(api_client: APIClient) -> None:
    response = api_client.post(
        "/api/jobs/search/", b'{"query": "x"}', content_type="application/json; charset=zlib"
    )
    envelope(response, 415, "unsupported_media_type")


@contextmanager
def keeping_test_connection() -> Iterator[None]:
    """As Django's test client does: the test's transaction keeps its connection (on
    PostgreSQL, closing it would fail every later query in the test)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def wsgi_get(query: str, content_type: str) -> tuple[str, dict[str, str], bytes]:
    """One GET through the package's WSGI handler, as gunicorn would call it."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/api/vacancies/",
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
    }
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer["status"], answer["headers"] = status, dict(headers)

    with keeping_test_connection():
        body = b"".join(TypedWSGIHandler()(environ, start_response))
    return answer["status"], answer["headers"], body


def asgi_get(query: str, content_type: str) -> tuple[str, dict[str, str], bytes]:
    """One GET through the package's ASGI handler, as uvicorn would call it."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/vacancies/",
        "raw_path": b"/api/vacancies/",
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"testserver"), (b"content-type", content_type.encode())],
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 50000),
    }

    async def call() -> list[dict[str, Any]]:
        communicator = ApplicationCommunicator(TypedASGIHandler(), scope)
        await communicator.send_input({"type": "http.request", "body": b""})
        start = await communicator.receive_output(timeout=10)
        messages = [start]
        while messages[-1].get("more_body", messages[-1]["type"] == "http.response.start"):
            messages.append(await communicator.receive_output(timeout=10))
        await communicator.wait(timeout=10)
        return messages

    with keeping_test_connection():
        messages = async_to_sync(call)()
    headers = {k.decode(): v.decode() for k, v in messages[0]["headers"]}
    body = b"".join(m.get("body", b"") for m in messages[1:])
    return str(messages[0]["status"]), headers, body


@pytest.mark.parametrize("handler_get", [wsgi_get, asgi_get], ids=["wsgi", "asgi"])
@pytest.mark.parametrize("charset", ["zlib", "base64", "no-such-charset"])
def test_a_query_with_a_charset_that_is_not_text_is_415_not_a_crash(
    charset: str, handler_get: Any
) -> None:
    status, headers, body = handler_get("search=%C3%A9", f"application/json; charset={charset}")
    assert status.startswith("415"), body
    assert headers["Content-Type"].startswith(JSON)
    assert json.loads(body)["code"] == "unsupported_media_type"


@pytest.mark.parametrize("handler_get", [wsgi_get, asgi_get], ids=["wsgi", "asgi"])
def test_a_query_with_a_text_charset_still_works(handler_get: Any) -> None:
    status, _, body = handler_get("search=%C3%A9", "application/json; charset=latin-1")
    assert status.startswith("200"), body


def test_an_unhandled_exception_is_logged_with_its_traceback(
    caplog: pytest.LogCaptureFixture, settings: Any
) -> None:
    class Crash(APIView):
        permission_classes: list[Any] = []

        def get(self, request: Any) -> Response:
            raise RuntimeError("probe")

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Crash.as_view()(APIRequestFactory().get("/api/crash/"))
    assert response.status_code == 500
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError
    # The testproject prints them with DEBUG off: django.request propagates to root's stderr.
    assert settings.LOGGING["root"]["handlers"] == ["stderr"]
    assert settings.LOGGING["loggers"]["django.request"].get("propagate", True)


# -- 7. secure by default -------------------------------------------------------------------


class Echo(APIView):
    """A view that says nothing about permissions: the preset decides."""

    def post(self, request: Any) -> Response:
        return Response({"ok": True}, status=201)

    def get(self, request: Any) -> Response:
        return Response({"ok": True})


def test_the_preset_refuses_anonymous_writes_by_default() -> None:
    factory = APIRequestFactory()
    assert Echo.as_view()(factory.get("/api/echo/")).status_code == 200
    response = Echo.as_view()(factory.post("/api/echo/", {}, format="json"))
    assert response.status_code == 401
    assert response.data["code"] == "not_authenticated"


def test_the_browsable_api_is_off_without_debug(api_client: APIClient) -> None:
    envelope(api_client.get("/api/skills/", HTTP_ACCEPT="text/html"), 406, "not_acceptable")
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = api_client.get("/api/skills/", HTTP_ACCEPT=browser)
    assert response.status_code == 200 and response["Content-Type"] == JSON


def test_the_browsable_api_is_on_with_debug_but_errors_stay_json(
    api_client: APIClient, settings: Any
) -> None:
    settings.DEBUG = True
    page = api_client.get("/api/skills/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    missing = api_client.get(
        "/api/vacancies/00000000-0000-0000-0000-000000000000/", HTTP_ACCEPT="text/html"
    )
    envelope(missing, 404, "not_found")


def test_unknown_api_urls_are_json_for_a_browser(api_client: APIClient) -> None:
    envelope(api_client.get("/api/nope/", HTTP_ACCEPT="text/html"), 404, "not_found")


def test_a_check_fails_until_the_error_middleware_is_installed(settings: Any) -> None:
    assert check_error_middleware(None) == []
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "django_typed_api.errors.ErrorEnvelopeMiddleware"
    ]
    [error] = check_error_middleware(None)
    assert error.id == "django_typed_api.E020"
    assert 'MIDDLEWARE = ["django_typed_api.errors.ErrorEnvelopeMiddleware", *MIDDLEWARE]' in (
        error.hint or ""
    )


def settings_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}
    }
    return {**env, "PYTHONPATH": f"{TESTPROJECT}{os.pathsep}{TESTPROJECT.parent}", **extra}


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=TESTPROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_testproject_refuses_to_start_without_a_secret_key_when_debug_is_off() -> None:
    refused = manage(settings_env(DJANGO_DEBUG="0"), "check")
    assert refused.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in refused.stderr
    assert manage(settings_env(DJANGO_DEBUG="1"), "check").returncode == 0


def test_check_deploy_is_clean_on_the_production_settings() -> None:
    production = settings_env(
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="1",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="jobs.example.com",
        REDIS_URL="redis://127.0.0.1:6379/10",
    )
    result = manage(production, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# -- 8. smaller items -----------------------------------------------------------------------


@pytest.fixture
def closed_vacancy(seeded: None) -> Vacancy:
    vacancy = Vacancy.objects.first()
    assert vacancy is not None
    vacancy.status = "closed"
    vacancy.save()
    return vacancy


def test_non_staff_cannot_reopen_a_closed_vacancy(
    auth_client: APIClient, closed_vacancy: Vacancy
) -> None:
    url = f"/api/vacancies/{closed_vacancy.pk}/"
    body = envelope(
        auth_client.patch(url, {"status": "published"}, format="json"), 403, "permission_denied"
    )
    assert "only staff can reopen" in body["message"]
    assert auth_client.delete(url).status_code == 403
    closed_vacancy.refresh_from_db()
    assert closed_vacancy.status == "closed"


def test_non_staff_may_still_edit_a_closed_vacancy_that_stays_closed(
    auth_client: APIClient, closed_vacancy: Vacancy
) -> None:
    url = f"/api/vacancies/{closed_vacancy.pk}/"
    response = auth_client.patch(url, {"title": "Filled"}, format="json")
    assert response.status_code == 200, response.content


def test_staff_can_reopen_and_delete_a_closed_vacancy(
    api_client: APIClient, closed_vacancy: Vacancy
) -> None:
    staff = get_user_model().objects.create_user("boss", password="boss-password", is_staff=True)
    api_client.force_authenticate(staff)
    url = f"/api/vacancies/{closed_vacancy.pk}/"
    assert api_client.patch(url, {"status": "published"}, format="json").status_code == 200
    assert api_client.delete(url).status_code == 204


def test_the_spa_fallback_says_nothing_about_files_outside_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = tmp_path / "build"
    build.mkdir()
    (build / "index.html").write_text("<!doctype html><title>Vacancies</title>")
    (tmp_path / "secret.txt").write_text("outside the build")
    monkeypatch.setattr(frontend, "BUILD_DIR", build)
    request = RequestFactory().get("/")

    def answer(path: str) -> tuple[int, bytes]:
        response = frontend.frontend(request, path)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, content

    existing, missing = answer("../secret.txt"), answer("../missing.txt")
    assert existing == missing == (200, b"<!doctype html><title>Vacancies</title>")
    assert answer("./../secret.txt") == existing
    assert answer("index.html")[0] == 200


# -- strict body types after authentication (issue 13) --------------------------------------


class Title(serializers.Serializer):
    title = serializers.CharField()
    remote = serializers.BooleanField(required=False)


class BodySignatureAuthentication(BaseAuthentication):
    """Reads the body before permissions run, as an HMAC-signature scheme does."""

    def authenticate(self, request: Any) -> Any:
        request.data  # noqa: B018
        return None


class SignedEcho(StrictJSONTypesMixin, APIView):
    authentication_classes = [BodySignatureAuthentication]
    permission_classes = [IsAuthenticated]

    def get_serializer(self, *args: Any, **kwargs: Any) -> Title:
        return Title(*args, **kwargs)

    def post(self, request: Any) -> Response:
        return Response({}, status=201)


def test_an_anonymous_post_with_bad_types_is_refused_for_auth_first() -> None:
    from drf_spectacular.utils import extend_schema

    view = extend_schema(request=Title)(SignedEcho)
    request = APIRequestFactory().post("/api/signed/", {"title": 7}, format="json")
    response = view.as_view()(request)
    assert response.status_code in (401, 403), response.data
    assert response.data["code"] in ("not_authenticated", "permission_denied")


def test_strict_types_are_checked_after_permissions_allow(
    auth_client: APIClient, seeded: None
) -> None:
    response = auth_client.post("/api/vacancies/", new_vacancy(remote=0), format="json")
    assert envelope(response, 400, "invalid")["error"]["remote"] == ["Must be a valid boolean."]


def test_anonymous_writes_with_bad_types_answer_401(api_client: APIClient, seeded: None) -> None:
    response = api_client.post("/api/vacancies/", new_vacancy(remote=0, title=7), format="json")
    envelope(response, 401, "not_authenticated")


class IdOrObject(serializers.Serializer):
    """Takes a nested object or its id, as many projects do."""

    name = serializers.CharField()

    def to_internal_value(self, data: Any) -> Any:
        return {"name": str(data)} if isinstance(data, int) else super().to_internal_value(data)


class Loose(serializers.Serializer):
    flag = serializers.BooleanField()

    class Meta:
        strict_json_types = False


class Holder(serializers.Serializer):
    owner = IdOrObject()
    loose = Loose(required=False)


def test_a_serializer_with_its_own_to_internal_value_is_not_type_checked() -> None:
    from django_typed_api.strict import type_errors

    assert type_errors(Holder(), {"owner": 5}) is None
    assert type_errors(Holder(), {"owner": {"name": 5}}) is None  # its own rules decide
    assert type_errors(Holder(), {"loose": {"flag": 0}}) is None  # Meta.strict_json_types
    assert type_errors(Title(), {"title": 5}) == {"title": ["Not a valid string."]}


def test_schema_maxitems_follows_the_setting(settings: Any) -> None:
    from django.urls import path

    from .schema_utils import operations

    class ListView(APIView):
        from drf_spectacular.utils import extend_schema as _extend

        class Body(serializers.Serializer):
            tags = serializers.ListField(child=serializers.CharField())

        @_extend(request=Body, responses=Body)
        def post(self, request: Any) -> Response:
            return Response({})

    settings.TYPED_API = {**settings.TYPED_API, "MAX_LIST_ITEMS": 7}
    schema = schema_for([path("api/tags/", ListView.as_view())])
    assert operations(schema)
    assert schema["components"]["schemas"]["BodyRequest"]["properties"]["tags"]["maxItems"] == 7


class SkillIds(serializers.Serializer):
    skills = serializers.PrimaryKeyRelatedField(many=True, queryset=Skill.objects.all())


def test_primary_key_relations_are_resolved_in_one_query_with_drf_errors(seeded: None) -> None:
    from django_typed_api.relations import BulkManyRelatedField, bulk_lookups

    pks = list(Skill.objects.values_list("pk", flat=True)[:5])
    serializer = bulk_lookups(SkillIds(data={"skills": pks * 100}))
    assert isinstance(serializer.fields["skills"], BulkManyRelatedField)
    with CaptureQueriesContext(connection) as queries:
        assert serializer.is_valid(), serializer.errors
    assert len(queries) == 1
    assert [s.pk for s in serializer.validated_data["skills"]] == pks * 100

    for bad in (["abc"], [True], [7], ["00000000-0000-0000-0000-000000000000"], "x"):
        data = {"skills": [str(pks[0]), *bad] if isinstance(bad, list) else bad}
        drf, bulk = SkillIds(data=data), bulk_lookups(SkillIds(data=data))
        assert not drf.is_valid() and not bulk.is_valid()
        assert bulk.errors == drf.errors, bad
