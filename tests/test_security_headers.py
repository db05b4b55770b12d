"""Security headers on API responses (django_typed_api.security), errors included."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient
from vacancies.models import Vacancy

from .auth_utils import login, private_auth_cache  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

HARDENING = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


def assert_hardened(response: Any) -> None:
    for header, value in HARDENING.items():
        assert response.headers.get(header) == value, (header, dict(response.headers))


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/vacancies/", 200),
        ("/api/schema/", 200),
        ("/api/no-such-endpoint/", 404),  # Django's 404, replaced by the envelope
        ("/api/vacancies/?remote=maybe", 400),
        ("/api/user/profile/", 401),
    ],
)
def test_every_api_response_is_hardened(
    client: Client, seeded: None, path: str, status: int
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert_hardened(response)


def test_an_anonymous_read_keeps_its_own_caching(client: Client, seeded: None) -> None:
    assert "no-store" not in client.get("/api/vacancies/").headers.get("Cache-Control", "")
    assert client.get("/api/schema/").headers["Cache-Control"] == "no-cache"  # ETag revalidation


def test_an_authenticated_response_is_not_stored(api_client: APIClient, seeded: None, user) -> None:
    access = login(api_client).json()["access"]
    for path in ("/api/user/profile/", "/api/vacancies/"):
        response = api_client.get(path, HTTP_AUTHORIZATION=f"Bearer {access}")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        assert_hardened(response)


def test_tokens_are_not_stored(api_client: APIClient, user) -> None:
    response = login(api_client)
    assert response.status_code == 200 and "access" in response.json()
    assert response.headers["Cache-Control"] == "no-store"


def test_a_write_is_not_stored_even_when_refused(client: Client, seeded: None) -> None:
    vacancy = Vacancy.objects.first()
    assert vacancy is not None
    response = client.delete(f"/api/vacancies/{vacancy.pk}/")
    assert response.status_code == 401
    assert response.headers["Cache-Control"] == "no-store"


def test_pages_outside_the_api_are_left_to_the_project(client: Client) -> None:
    response = client.get("/")
    assert "Content-Security-Policy" not in response.headers
