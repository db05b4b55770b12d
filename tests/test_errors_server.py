"""The error envelope through a real server: gunicorn, PostgreSQL, DEBUG off.

A session fixture creates its own PostgreSQL database, migrates and seeds it, starts gunicorn
on 127.0.0.1 with the failing-on-purpose probes routed (``TESTPROJECT_ERROR_PROBES=1``), and
drops everything afterwards. Each row of the table sends one bad request with ``requests``
and checks status, ``code``, JSON content type, the four keys, and that the body leaks no
traceback, file path, SQL or exception text. Run by ``make test-errors``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
import requests
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.tokens import AccessToken
from testproject.error_probes import SECRET

from .live_server import LEAKS, live_server

pytestmark = [pytest.mark.errors_integration, pytest.mark.integration]

PORTS = range(8101, 8120)


@dataclass
class Server:
    url: str
    user_id: str
    company_slug: str
    company_id: str

    def token(self, lifetime: timedelta | None = None) -> str:
        token = AccessToken.for_user(SimpleNamespace(id=self.user_id))
        if lifetime is not None:
            token.set_exp(lifetime=lifetime)
        return str(token)


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    # One worker, its own memory cache: throttling is exact.
    with live_server(
        "typed_api_errors", ports=PORTS, seed=5, env={"TESTPROJECT_ERROR_PROBES": "1"}
    ) as live:
        user_id = live.manage(
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model; "
            "print(get_user_model().objects.get(username='demo').pk)",
        ).split()[-1]  # Django 5.2's shell may first announce its automatic imports
        first = requests.get(f"{live.url}/api/companies/", timeout=30).json()["results"][0]
        yield Server(live.url, user_id, first["slug"], first["id"])


# -- the table ------------------------------------------------------------------------------

Send = Callable[[Server], requests.Response]
JSON = {"Content-Type": "application/json"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def forged(server: Server) -> str:
    payload = AccessToken(server.token()).payload
    return str(
        TokenBackend("HS256", signing_key="forger-key-that-is-not-the-servers").encode(payload)
    )


def vacancy_body(server: Server, **fields: Any) -> str:
    return json.dumps({"title": "Backend developer", "company_id": server.company_id, **fields})


def throttled(server: Server) -> requests.Response:
    for _ in range(2):  # the probe allows two a minute
        requests.get(f"{server.url}/api/_probes/throttled/", timeout=10)
    return requests.get(f"{server.url}/api/_probes/throttled/", timeout=10)


def get(path: str, **kwargs: Any) -> Send:
    return lambda s: requests.get(f"{s.url}{path}", timeout=10, **kwargs)


def post(path: str, body: Callable[[Server], Any], auth: bool = False, **kwargs: Any) -> Send:
    def send(s: Server) -> requests.Response:
        headers = {**JSON, **(bearer(s.token()) if auth else {}), **kwargs.pop("headers", {})}
        return requests.post(f"{s.url}{path}", data=body(s), headers=headers, timeout=30, **kwargs)

    return send


ZERO_UUID = "00000000-0000-0000-0000-000000000000"
TEN_MB = b'{"query": "' + b"x" * (10 * 1024 * 1024) + b'"}'

ROWS: dict[str, tuple[Send, int, str]] = {
    "malformed JSON": (post("/api/jobs/search/", lambda s: "{not json"), 400, "parse_error"),
    "wrong content type": (
        post("/api/jobs/search/", lambda s: "query=x", headers={"Content-Type": "text/plain"}),
        415,
        "unsupported_media_type",
    ),
    "unsatisfiable Accept": (
        get("/api/vacancies/", headers={"Accept": "application/xml"}),
        406,
        "not_acceptable",
    ),
    "non-UUID id": (get("/api/vacancies/not-a-uuid/"), 404, "not_found"),
    "unknown id": (get(f"/api/vacancies/{ZERO_UUID}/"), 404, "not_found"),
    "unknown URL": (get("/api/no-such-endpoint/"), 404, "not_found"),
    "invalid filter": (get("/api/vacancies/?remote=maybe"), 400, "invalid"),
    "unknown filter choice": (get("/api/vacancies/?status=bogus"), 400, "invalid"),
    "unknown ordering": (get("/api/vacancies/?ordering=password"), 400, "invalid"),
    "invalid page": (get("/api/vacancies/?page=999"), 404, "not_found"),
    "page size over the limit": (get("/api/vacancies/?page_size=1000"), 400, "invalid"),
    "non-integer page size": (get("/api/vacancies/?page_size=abc"), 400, "invalid"),
    "missing required field": (post("/api/vacancies/", lambda s: "{}", auth=True), 400, "invalid"),
    "wrong field type": (
        post("/api/vacancies/", lambda s: vacancy_body(s, salary_min="lots"), auth=True),
        400,
        "invalid",
    ),
    "NUL byte in a text field": (
        post("/api/vacancies/", lambda s: vacancy_body(s, title="a\x00b"), auth=True),
        400,
        "invalid",
    ),
    "NUL byte in a slug": (get("/api/companies/a%00b/"), 400, "invalid"),
    "NUL byte in a filter": (get("/api/vacancies/?company=a%00b"), 400, "invalid"),
    "unique violation": (
        post(
            "/api/companies/",
            lambda s: json.dumps({"name": "Again", "slug": s.company_slug}),
            auth=True,
        ),
        409,
        "conflict",
    ),
    "10 MB body": (post("/api/jobs/search/", lambda s: TEN_MB), 413, "request_too_large"),
    "unauthenticated write": (
        post("/api/vacancies/", lambda s: vacancy_body(s)),
        401,
        "not_authenticated",
    ),
    "forged token": (
        lambda s: requests.get(f"{s.url}/api/user/profile/", headers=bearer(forged(s)), timeout=10),
        401,
        "token_not_valid",
    ),
    "expired token": (
        lambda s: requests.get(
            f"{s.url}/api/user/profile/",
            headers=bearer(s.token(lifetime=-timedelta(minutes=1))),
            timeout=10,
        ),
        401,
        "token_not_valid",
    ),
    "wrong method": (
        lambda s: requests.delete(f"{s.url}/api/jobs/search/", timeout=10),
        405,
        "method_not_allowed",
    ),
    "unhandled exception in a view": (get("/api/_probes/crash/"), 500, "server_error"),
    "crash in a plain Django view": (get("/api/_probes/django-crash/"), 500, "server_error"),
    "CSRF failure outside DRF": (
        lambda s: requests.post(f"{s.url}/api/_probes/django-form/", data={"a": "b"}, timeout=10),
        403,
        "permission_denied",
    ),
    "Host not allowed": (
        get("/api/vacancies/", headers={"Host": "evil.example"}),
        400,
        "bad_request",
    ),
    "throttled request": (throttled, 429, "throttled"),
}


@pytest.mark.parametrize("row", ROWS, ids=list(ROWS))
def test_bad_input_gets_the_envelope(server: Server, row: str) -> None:
    send, status, code = ROWS[row]
    response = send(server)
    text = response.text
    assert response.status_code == status, text[:500]
    assert response.headers["Content-Type"] == "application/json", text[:300]
    body = response.json()
    assert set(body) == {"error", "status_code", "message", "code"}
    assert (body["status_code"], body["code"]) == (status, code)
    assert isinstance(body["error"], dict) and body["message"].endswith(".")
    assert not LEAKS.search(text), text[:500]
    assert SECRET not in text


def test_the_table_covers_the_issue(server: Server) -> None:
    """At least 20 kinds of bad input, over every status the envelope promises."""
    assert len(ROWS) >= 20
    assert {status for _send, status, _code in ROWS.values()} >= {
        400,
        401,
        403,
        404,
        405,
        406,
        409,
        413,
        415,
        429,
        500,
    }


def test_throttled_answer_says_when_to_retry(server: Server) -> None:
    response = throttled(server)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0


def test_unauthenticated_answer_carries_the_challenge(server: Server) -> None:
    response = requests.post(f"{server.url}/api/vacancies/", json={}, timeout=10)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
