"""CORS for a front end on a second origin (django-cors-headers, ``presets.cors``).

The testproject allows ``CORS_ALLOWED_ORIGINS`` (env; the SvelteKit dev server's origin by
default with DEBUG on). Credentials are allowed only in the refresh-cookie mode.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from django_typed_api import presets

pytestmark = pytest.mark.django_db

FRONT_END = "http://127.0.0.1:5173"
OTHER = "https://evil.example"


@pytest.fixture
def cors(settings: Any) -> Any:
    """The testproject's rule with the dev server's origin, as DEBUG or the env var gives it."""

    def configure(*, refresh_cookie: bool) -> None:
        for name, value in presets.cors([FRONT_END], refresh_cookie=refresh_cookie).items():
            setattr(settings, name, value)

    return configure


def preflight(client: Client, origin: str, method: str = "PATCH") -> Any:
    return client.options(
        "/api/vacancies/",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization,content-type,if-match",
    )


def test_preflight_from_the_front_end_is_allowed(client: Client, cors: Any) -> None:
    cors(refresh_cookie=False)
    response = preflight(client, FRONT_END)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == FRONT_END
    allowed = response.headers["Access-Control-Allow-Headers"].split(", ")
    assert {"authorization", "content-type", "if-match"} <= set(allowed)
    assert "PATCH" in response.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_other_origins_get_no_cors_headers(client: Client, cors: Any) -> None:
    cors(refresh_cookie=False)
    assert "Access-Control-Allow-Origin" not in preflight(client, OTHER).headers
    response = client.get("/api/vacancies/", HTTP_ORIGIN=OTHER)
    assert "Access-Control-Allow-Origin" not in response.headers


def test_an_actual_request_exposes_the_etag(client: Client, cors: Any, seeded: None) -> None:
    cors(refresh_cookie=False)
    vacancy_id = client.get("/api/vacancies/").json()["results"][0]["id"]
    response = client.get(f"/api/vacancies/{vacancy_id}/", HTTP_ORIGIN=FRONT_END)
    assert response.headers["Access-Control-Allow-Origin"] == FRONT_END
    assert response.headers["Access-Control-Expose-Headers"] == "ETag"
    assert response.headers["ETag"]
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_credentials_only_in_refresh_cookie_mode(client: Client, cors: Any) -> None:
    cors(refresh_cookie=True)
    assert preflight(client, FRONT_END).headers["Access-Control-Allow-Credentials"] == "true"
    response = client.get("/api/skills/", HTTP_ORIGIN=FRONT_END)
    assert response.headers["Access-Control-Allow-Credentials"] == "true"


def test_outside_the_api_there_is_no_cors(client: Client, cors: Any) -> None:
    cors(refresh_cookie=False)
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN=FRONT_END).headers


def test_the_testproject_follows_the_rule() -> None:
    """No origin without DEBUG or the env var; credentials exactly in the cookie mode."""
    cookie_mode = django_settings.TYPED_API.get("AUTH_REFRESH_COOKIE", False)
    assert django_settings.CORS_ALLOW_CREDENTIALS is cookie_mode
    assert "*" not in django_settings.CORS_ALLOWED_ORIGINS
    assert not getattr(django_settings, "CORS_ALLOW_ALL_ORIGINS", False)
