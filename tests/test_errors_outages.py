"""Outages answer 503 ``service_unavailable`` with Retry-After, not 500: the database or the
cache down, inside DRF views (the exception handler) and outside them (the middleware). In
one process against a Redis nobody listens on; PostgreSQL stopped under gunicorn:
test_auth_hardening.py."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import InterfaceError, OperationalError
from rest_framework.test import APIClient

from django_typed_api.errors import exception_handler

from .auth_utils import dead_redis
from .test_errors import ENVELOPE_KEYS, envelope

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def probe_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.urls_errors"


@pytest.fixture
def client() -> APIClient:
    return APIClient(raise_request_exception=False)


def assert_unavailable(response: Any) -> None:
    body = envelope(response, 503, "service_unavailable")
    assert body["message"] == "The service is temporarily unavailable. Try again shortly."
    assert response["Retry-After"] == "5"


@pytest.mark.parametrize(
    "exc",
    [
        OperationalError('connection to server at "127.0.0.1", port 5432 failed'),
        InterfaceError("connection already closed"),
        ConnectionRefusedError(111, "Connection refused"),
    ],
    ids=["OperationalError", "InterfaceError", "ConnectionRefusedError"],
)
def test_a_database_or_connection_failure_is_a_503_without_its_text(exc: Exception) -> None:
    response = exception_handler(exc, {})
    assert response is not None
    assert response.status_code == 503
    assert response.data["code"] == "service_unavailable"
    assert response["Retry-After"] == "5"
    assert str(exc.args[-1]) not in str(response.data)


def test_a_redis_outage_in_a_drf_view_is_a_503(client: APIClient, settings: Any) -> None:
    dead_redis(settings)
    assert_unavailable(client.get("/api/_probes/cache/"))


def test_a_redis_outage_in_a_plain_django_view_is_a_503(client: APIClient, settings: Any) -> None:
    dead_redis(settings)
    assert_unavailable(client.get("/api/_probes/django-cache/"))


def test_an_outage_is_logged_with_its_traceback(
    client: APIClient, settings: Any, caplog: Any
) -> None:
    dead_redis(settings)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        client.get("/api/_probes/cache/")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].exc_info is not None
    assert type(records[0].exc_info[1]).__module__.startswith("redis")


def test_the_same_cache_read_answers_normally_when_the_cache_is_up(client: APIClient) -> None:
    response = client.get("/api/_probes/cache/")
    assert response.status_code == 200
    assert set(response.json()) == {"value"}
    assert not ENVELOPE_KEYS & set(response.json())
