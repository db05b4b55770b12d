"""One error envelope for every failure: DRF's, Django's, the database's and crashes.

In-process (Django's test client, the testproject's URLs plus the failing-on-purpose probes of
``testproject/testproject/error_probes.py``). ``test_errors_server.py`` drives the same kinds
of bad input through gunicorn on PostgreSQL.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import exceptions as django_exceptions
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from rest_framework import exceptions
from rest_framework.test import APIClient
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.tokens import AccessToken
from testproject.error_probes import SECRET
from vacancies.models import Company, Location, Vacancy

from django_typed_api.errors import exception_handler
from django_typed_api.errors.formatter import ErrorFormatter

ENVELOPE_KEYS = {"error", "status_code", "message", "code"}
FORGER_KEY = "a-forger-key-that-is-not-the-servers-key"


@pytest.fixture(autouse=True)
def probe_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.urls_errors"
    cache.clear()  # throttle counters


@pytest.fixture
def client() -> APIClient:
    """Anonymous; a crash becomes the 500 response instead of re-raising in the test."""
    return APIClient(raise_request_exception=False)


def envelope(response: Any, status: int, code: str) -> dict[str, Any]:
    """The body, after checking it is the envelope with this status and code."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json", response["Content-Type"]
    body = response.json()
    assert set(body) == ENVELOPE_KEYS
    assert (body["status_code"], body["code"]) == (status, code)
    assert isinstance(body["error"], dict)
    assert re.fullmatch(r"([\w.]+: )?[A-Z].*[.!?]", body["message"], re.S), body["message"]
    return body


# -- validation -----------------------------------------------------------------------------


def test_missing_required_field_is_named_in_the_message(auth_client: APIClient) -> None:
    body = envelope(auth_client.post("/api/vacancies/", {}), 400, "invalid")
    assert body["error"]["title"] == ["This field is required."]
    assert body["message"] == "title: This field is required."


def test_wrong_field_type_names_the_field(auth_client: APIClient, seeded: None) -> None:
    company = Company.objects.first()
    assert company is not None
    response = auth_client.post(
        "/api/vacancies/", {"title": "Dev", "company_id": str(company.id), "salary_min": "lots"}
    )
    body = envelope(response, 400, "invalid")
    assert body["message"] == "salary_min: A valid integer is required."


def test_errors_of_list_items_are_indexed(client: APIClient) -> None:
    response = client.post("/api/jobs/search/", {"skills": ["python", "not a slug"]})
    body = envelope(response, 400, "invalid")
    assert list(body["error"]["skills"]) == ["1"]
    assert body["message"].startswith("skills.1: Enter a valid")


def test_nul_byte_in_a_text_field_is_a_validation_error(auth_client: APIClient) -> None:
    body = envelope(auth_client.post("/api/vacancies/", {"title": "a\x00b"}), 400, "invalid")
    assert body["error"]["title"] == ["Null characters are not allowed."]


def test_an_error_without_a_field_is_a_non_field_error() -> None:
    body = ErrorFormatter().format(exceptions.ValidationError("salary range is upside down"))
    assert body["error"] == {"non_field_errors": ["salary range is upside down"]}
    assert body["message"] == "Salary range is upside down."


def test_malformed_json_is_a_parse_error(client: APIClient) -> None:
    response = client.post("/api/jobs/search/", "{not json", content_type="application/json")
    body = envelope(response, 400, "parse_error")
    assert body["error"]["detail"].startswith("JSON parse error")


# -- content negotiation and methods --------------------------------------------------------


def test_wrong_content_type_is_415(client: APIClient) -> None:
    response = client.post("/api/jobs/search/", "query=x", content_type="text/plain")
    envelope(response, 415, "unsupported_media_type")


def test_unsatisfiable_accept_header_is_406(client: APIClient) -> None:
    envelope(client.get("/api/vacancies/", HTTP_ACCEPT="application/xml"), 406, "not_acceptable")


def test_wrong_method_is_405_with_allow_header(client: APIClient) -> None:
    response = client.delete("/api/jobs/search/")
    envelope(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]


# -- not found --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/vacancies/not-a-uuid/",
        "/api/vacancies/00000000-0000-0000-0000-000000000000/",
        "/api/companies/no-such-company/",
        "/api/vacancies/?page=999",
    ],
)
def test_unknown_objects_and_pages_are_404(client: APIClient, db: None, url: str) -> None:
    envelope(client.get(url), 404, "not_found")


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5"])
def test_a_page_that_is_not_a_positive_integer_is_400(
    client: APIClient, db: None, page: str
) -> None:
    body = envelope(client.get(f"/api/vacancies/?page={page}"), 400, "invalid")
    assert list(body["error"]) == ["page"]


def test_unknown_url_under_the_api_prefix_is_an_envelope(client: APIClient) -> None:
    body = envelope(client.get("/api/no-such-endpoint/"), 404, "not_found")
    assert body["message"] == "Not found."


def test_unknown_url_outside_the_api_keeps_django_page(client: APIClient) -> None:
    response = client.get("/static/no-such-file.css")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


# -- query parameters ---------------------------------------------------------------------------

BAD_QUERIES = [
    ("remote=maybe", "remote"),
    ("status=bogus", "status"),
    ("page_size=abc", "page_size"),
    ("page_size=1000", "page_size"),
    ("ordering=password", "ordering"),
    ("salary_min=lots", "salary_min"),
]


@pytest.mark.parametrize(("query", "param"), BAD_QUERIES)
def test_invalid_query_parameter_is_a_400_naming_it(
    client: APIClient, db: None, query: str, param: str
) -> None:
    body = envelope(client.get(f"/api/vacancies/?{query}"), 400, "invalid")
    assert list(body["error"]) == [param]
    assert body["message"].startswith(f"{param}: ")


@pytest.mark.parametrize(("query", "param"), BAD_QUERIES)
def test_lenient_switch_ignores_invalid_query_parameters(
    client: APIClient, seeded: None, settings: Any, query: str, param: str
) -> None:
    settings.TYPED_API = {**settings.TYPED_API, "STRICT_QUERY_PARAMS": False}
    unfiltered = client.get("/api/vacancies/").json()
    response = client.get(f"/api/vacancies/?{query}")
    assert response.status_code == 200
    assert response.json()["count"] == unfiltered["count"]
    # Clamped to 100: all of the published and closed ones (drafts are their owner's).
    visible = Vacancy.objects.exclude(status="draft").count()
    expected_size = visible if query == "page_size=1000" else 20
    assert len(response.json()["results"]) == expected_size


# -- authentication and permissions -----------------------------------------------------------


def test_unauthenticated_write_is_401_with_a_challenge(client: APIClient) -> None:
    response = client.post("/api/vacancies/", {"title": "Dev"})
    envelope(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_forged_token_is_token_not_valid(client: APIClient, user: Any) -> None:
    token = AccessToken.for_user(user)
    forged = TokenBackend("HS256", signing_key=FORGER_KEY).encode(token.payload)
    response = client.get("/api/user/profile/", HTTP_AUTHORIZATION=f"Bearer {forged}")
    body = envelope(response, 401, "token_not_valid")
    assert body["error"]["code"] == "token_not_valid"  # simplejwt's own detail is kept
    assert body["error"]["messages"][0]["message"] == "Token is invalid"
    assert body["message"] == "Given token not valid for any token type."


def test_expired_token_is_token_not_valid(client: APIClient, user: Any) -> None:
    token = AccessToken.for_user(user)
    token.set_exp(lifetime=-timedelta(minutes=1))
    response = client.get("/api/user/profile/", HTTP_AUTHORIZATION=f"Bearer {token}")
    body = envelope(response, 401, "token_not_valid")
    assert body["error"]["messages"][0]["message"] == "Token is expired"


def test_django_permission_denied_is_403() -> None:
    body = exception_handler(django_exceptions.PermissionDenied(), {}).data  # type: ignore[union-attr]
    assert (body["status_code"], body["code"]) == (403, "permission_denied")


def test_csrf_failure_outside_drf_is_a_403_envelope(db: None) -> None:
    client = APIClient(enforce_csrf_checks=True)
    response = client.post("/api/_probes/django-form/", {"a": "b"}, format="multipart")
    body = envelope(response, 403, "permission_denied")
    assert body["message"].startswith("CSRF verification failed")


# -- conflicts and database refusals ----------------------------------------------------------


def test_unique_value_taken_is_409_conflict_naming_the_field(auth_client: APIClient) -> None:
    company = {"name": "Acme", "slug": "acme"}
    assert auth_client.post("/api/companies/", company).status_code == 201
    body = envelope(auth_client.post("/api/companies/", company), 409, "conflict")
    assert body["error"] == {"slug": ["company with this slug already exists."]}
    assert body["message"] == "slug: Company with this slug already exists."


def test_unique_violation_noticed_by_the_database_is_409(db: None, caplog: Any) -> None:
    Location.objects.create(city="Utrecht", country="NL")
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        Location.objects.create(city="Utrecht", country="NL")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = exception_handler(raised.value, {})
    assert response is not None
    body = response.data
    assert (response.status_code, body["code"]) == (409, "conflict")
    assert body["error"] == {"detail": "This request conflicts with existing data."}
    assert "unique" not in str(body).lower()  # no constraint names or SQL
    assert caplog.records[-1].exc_info is not None


@pytest.mark.postgres
def test_nul_byte_in_a_lookup_is_400_on_postgresql(client: APIClient, db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL refuses NUL; this runs in the PostgreSQL pass of make test")
    body = envelope(client.get("/api/companies/a%00b/"), 400, "invalid")
    assert "NUL" not in body["message"] and "0x00" not in str(body)
    envelope(client.get("/api/vacancies/?company=a%00b"), 400, "invalid")


# -- Django's own exceptions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exc", "status", "code", "error"),
    [
        (Http404("No Vacancy matches the given query."), 404, "not_found", None),
        (
            django_exceptions.ValidationError({"title": ["Too short."]}),
            400,
            "invalid",
            {"title": ["Too short."]},
        ),
        (
            django_exceptions.ValidationError("Not now."),
            400,
            "invalid",
            {"non_field_errors": ["Not now."]},
        ),
        (django_exceptions.RequestDataTooBig("x"), 413, "request_too_large", None),
        (django_exceptions.DisallowedHost("evil.example"), 400, "bad_request", None),
    ],
)
def test_django_exceptions_become_envelopes(
    exc: Exception, status: int, code: str, error: Any
) -> None:
    response = exception_handler(exc, {})
    assert response is not None
    assert (response.status_code, response.data["code"]) == (status, code)
    if error is not None:
        assert response.data["error"] == error
    assert "evil.example" not in str(response.data)


# -- sizes, throttling, Host ----------------------------------------------------------------------


def test_oversize_json_body_is_413(client: APIClient, settings: Any) -> None:
    body = b'{"query": "' + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + b'"}'
    response = client.post("/api/jobs/search/", body, content_type="application/json")
    envelope(response, 413, "request_too_large")


def test_oversize_form_body_outside_drf_is_413(client: APIClient, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    data = "a=" + "x" * 2000
    response = client.post(
        "/api/_probes/django-form/", data, content_type="application/x-www-form-urlencoded"
    )
    envelope(response, 413, "request_too_large")


def test_throttled_request_is_429_with_retry_after(client: APIClient) -> None:
    statuses = [client.get("/api/_probes/throttled/").status_code for _ in range(2)]
    assert statuses == [200, 200]
    response = client.get("/api/_probes/throttled/")
    envelope(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_disallowed_host_is_a_400_envelope(client: APIClient) -> None:
    body = envelope(client.get("/api/vacancies/", HTTP_HOST="evil.example"), 400, "bad_request")
    assert "evil.example" not in body["message"]


# -- crashes ---------------------------------------------------------------------------------------


def test_unhandled_exception_is_a_generic_500_logged_once_with_traceback(
    client: APIClient, caplog: Any
) -> None:
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/_probes/crash/")
    body = envelope(response, 500, "server_error")
    assert body["message"] == "A server error occurred."
    assert SECRET not in response.content.decode()
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].exc_info is not None and records[0].exc_info[1].args == (SECRET,)


def test_crash_in_a_plain_django_view_is_an_envelope(client: APIClient) -> None:
    response = client.get("/api/_probes/django-crash/")
    envelope(response, 500, "server_error")
    assert SECRET not in response.content.decode()


def test_debug_on_shows_the_debug_page_by_default(client: APIClient, settings: Any) -> None:
    settings.DEBUG = True
    response = client.get("/api/_probes/crash/")
    assert response.status_code == 500
    assert not response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("url", ["/api/_probes/crash/", "/api/_probes/django-crash/"])
def test_debug_on_can_answer_the_envelope_with_the_exception(
    client: APIClient, settings: Any, url: str
) -> None:
    settings.DEBUG = True
    settings.TYPED_API = {**settings.TYPED_API, "SERVER_ERROR_DEBUG_PAGE": False}
    body = envelope(client.get(url), 500, "server_error")
    assert body["error"]["detail"] == f"RuntimeError: {SECRET}"
