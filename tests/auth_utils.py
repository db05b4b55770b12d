"""Helpers shared by the auth tests: a private cache per test, fast password hashing, and
small functions that read like the steps of an auth flow."""

from __future__ import annotations

import base64
import json
import socket
import uuid
from typing import Any

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

LOGIN = "/api/auth/login/"
REFRESH = "/api/auth/refresh/"
VERIFY = "/api/auth/verify/"
LOGOUT = "/api/auth/logout/"
PROFILE = "/api/user/profile/"


@pytest.fixture(autouse=True)
def private_auth_cache(settings: Any) -> None:
    """Each test its own cache namespace (LocMem, or Redis when REDIS_URL is set), so
    throttle counters and the denylist never leak between tests; and a fast hasher, since
    the default one spends a deliberate fraction of a second per login."""
    default = dict(django_settings.CACHES["default"])
    default["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    if default["BACKEND"].endswith("LocMemCache"):
        default["LOCATION"] = default["KEY_PREFIX"]
    settings.CACHES = {**django_settings.CACHES, "default": default}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(
    client: APIClient, username: str = "alice", password: str = "alice-password", **extra: Any
) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, format="json", **extra)


def bearer(client: APIClient, access: str) -> APIClient:
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def assert_envelope(response: Any, status: int, code: str) -> dict[str, Any]:
    """The standard error envelope with this status and code; returns the body."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error", "status_code", "message", "code"}, body
    assert body["status_code"] == status
    assert body["code"] == code, body
    assert body["message"]
    return body


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(value: Any) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def jwt_parts(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    header, payload, signature = token.split(".")

    def decode(part: str) -> dict[str, Any]:
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))

    return decode(header), decode(payload), signature


def dead_redis(settings: Any) -> None:
    """The auth cache is a Redis nobody listens on: every cache call is a real
    ``redis.ConnectionError`` (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free now; nothing listens once closed
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
