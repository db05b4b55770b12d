"""Revocation that survives the cache: the database is the source of truth for revoked tokens
(logout, logoutAll, a password change), the cache only a front. In one process; through
gunicorn with Redis restarts and outages: test_auth_hardening.py."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework_simplejwt.exceptions import TokenError

from django_typed_api.auth.models import RevokedToken, TokenGeneration
from django_typed_api.auth.tokens import TypedRefreshToken

from .auth_utils import (
    LOGOUT,
    PROFILE,
    REFRESH,
    VERIFY,
    assert_envelope,
    bearer,
    dead_redis,
    jwt_parts,
    login,
    private_auth_cache,  # noqa: F401  (autouse fixture)
)

pytestmark = pytest.mark.django_db

LOGOUT_ALL = "/api/auth/logout-all/"
REVOCATION_TABLES = (RevokedToken._meta.db_table, TokenGeneration._meta.db_table)


@pytest.fixture
def tokens(api_client: APIClient, user: Any) -> dict[str, str]:
    response = login(api_client)
    assert response.status_code == 200, response.content
    return dict(response.json())


def logout(tokens: dict[str, str]) -> None:
    response = bearer(APIClient(), tokens["access"]).post(
        LOGOUT, {"refresh": tokens["refresh"]}, format="json"
    )
    assert response.status_code == 204


def profile(access: str) -> Any:
    return bearer(APIClient(), access).get(PROFILE)


def refresh(refresh_token: str) -> Any:
    return APIClient().post(REFRESH, {"refresh": refresh_token}, format="json")


def assert_revoked(tokens: dict[str, str]) -> None:
    body = assert_envelope(profile(tokens["access"]), 401, "token_not_valid")
    assert body["message"] == "Token has been revoked."
    assert_envelope(refresh(tokens["refresh"]), 401, "token_not_valid")


def revocation_queries(context: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in context.captured_queries if any(t in q["sql"] for t in REVOCATION_TABLES)
    ]


# -- logout ------------------------------------------------------------------------------------


def test_a_logged_out_access_token_stays_refused_when_the_cache_is_emptied(
    tokens: dict[str, str],
) -> None:
    logout(tokens)
    cache.clear()  # a Redis restart, FLUSHDB, or another process's LocMemCache
    assert_revoked(tokens)


def test_logout_keeps_the_revocation_until_the_token_would_expire(tokens: dict[str, str]) -> None:
    logout(tokens)
    claims = jwt_parts(tokens["access"])[1]
    row = RevokedToken.objects.get(jti=claims["jti"])
    expires = datetime.fromtimestamp(claims["exp"], tz=timezone.utc)
    assert abs(row.expires_at - expires) < timedelta(seconds=2)


def test_the_next_logout_prunes_revocations_of_expired_tokens(
    api_client: APIClient, tokens: dict[str, str]
) -> None:
    expired = RevokedToken.objects.create(
        jti="expired", expires_at=datetime.now(tz=timezone.utc) - timedelta(seconds=1)
    )
    logout(tokens)
    assert not RevokedToken.objects.filter(jti=expired.jti).exists()
    assert RevokedToken.objects.count() == 1


# -- logoutAll ---------------------------------------------------------------------------------


def test_logout_all_ends_every_session_of_the_user(api_client: APIClient, user: Any) -> None:
    phone, laptop = login(APIClient()).json(), login(APIClient()).json()

    response = bearer(APIClient(), phone["access"]).post(LOGOUT_ALL)

    assert response.status_code == 204
    assert response.content == b""
    assert_revoked(phone)
    assert_revoked(laptop)
    assert_envelope(
        APIClient().post(VERIFY, {"token": laptop["access"]}, format="json"),
        401,
        "token_not_valid",
    )


def test_logout_all_leaves_other_users_alone(
    api_client: APIClient, user: Any, django_user_model: Any
) -> None:
    django_user_model.objects.create_user("bob", password="bob-password")
    alice = login(APIClient()).json()
    bob = login(APIClient(), "bob", "bob-password").json()

    bearer(APIClient(), alice["access"]).post(LOGOUT_ALL)

    assert profile(bob["access"]).status_code == 200
    assert refresh(bob["refresh"]).status_code == 200


def test_a_login_after_logout_all_works(api_client: APIClient, tokens: dict[str, str]) -> None:
    bearer(APIClient(), tokens["access"]).post(LOGOUT_ALL)

    fresh = login(APIClient()).json()
    assert profile(fresh["access"]).status_code == 200
    rotated = refresh(fresh["refresh"])
    assert rotated.status_code == 200
    assert profile(rotated.json()["access"]).status_code == 200


def test_logout_all_needs_an_access_token(api_client: APIClient) -> None:
    assert_envelope(api_client.post(LOGOUT_ALL), 401, "not_authenticated")


def test_logout_all_survives_an_emptied_cache(tokens: dict[str, str]) -> None:
    bearer(APIClient(), tokens["access"]).post(LOGOUT_ALL)
    cache.clear()
    assert_revoked(tokens)


# -- password change --------------------------------------------------------------------------


def test_a_password_change_revokes_the_users_access_and_refresh_tokens(
    user: Any, tokens: dict[str, str]
) -> None:
    user.set_password("new-password")
    user.save()

    assert_revoked(tokens)
    assert login(APIClient(), password="new-password").status_code == 200


def test_a_password_change_in_the_admin_revokes_the_users_tokens(
    user: Any, tokens: dict[str, str], django_user_model: Any
) -> None:
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    browser = Client()
    browser.force_login(admin)

    response = browser.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": "N3w-passw0rd-x", "password2": "N3w-passw0rd-x", "usable_password": "true"},
    )

    assert response.status_code == 302, response.content[:500]
    assert_revoked(tokens)


def test_saving_a_user_without_a_new_password_revokes_nothing(
    user: Any, tokens: dict[str, str]
) -> None:
    user.first_name = "Alicia"
    user.save()
    assert profile(tokens["access"]).status_code == 200
    assert refresh(tokens["refresh"]).status_code == 200


def test_creating_a_user_records_no_token_generation(django_user_model: Any) -> None:
    django_user_model.objects.create_user("carol", password="carol-password")
    assert not TokenGeneration.objects.exists()


# -- refresh: one use, even when two requests race --------------------------------------------


def test_of_two_requests_that_both_passed_the_blacklist_check_only_one_rotates(
    tokens: dict[str, str],
) -> None:
    first = TypedRefreshToken(tokens["refresh"])  # type: ignore[arg-type]
    second = TypedRefreshToken(tokens["refresh"])  # type: ignore[arg-type]  # both verified

    first.blacklist()
    with pytest.raises(TokenError, match="blacklisted"):
        second.blacklist()


# -- the cache in front -------------------------------------------------------------------------


@pytest.fixture
def shared_cache(settings: Any, tmp_path: Path) -> None:
    """A cache every process would share (files), set after the tokens were issued."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }


def test_with_a_shared_cache_a_repeated_request_asks_the_database_nothing_about_revocation(
    tokens: dict[str, str], shared_cache: None
) -> None:
    with CaptureQueriesContext(connection) as first:
        assert profile(tokens["access"]).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert profile(tokens["access"]).status_code == 200

    assert len(revocation_queries(first)) == 2  # the jti and the user's generation, once
    assert revocation_queries(second) == []


def test_with_a_shared_cache_a_logout_after_a_cached_answer_still_refuses(
    tokens: dict[str, str], shared_cache: None
) -> None:
    assert profile(tokens["access"]).status_code == 200  # "not revoked" is now cached
    logout(tokens)
    assert_envelope(profile(tokens["access"]), 401, "token_not_valid")


def test_with_a_shared_cache_logout_all_after_a_cached_answer_still_refuses(
    tokens: dict[str, str], shared_cache: None
) -> None:
    assert profile(tokens["access"]).status_code == 200  # the generation is now cached
    assert bearer(APIClient(), tokens["access"]).post(LOGOUT_ALL).status_code == 204
    assert_revoked(tokens)


def test_with_a_per_process_cache_every_request_asks_the_database(
    settings: Any, tokens: dict[str, str]
) -> None:
    """LocMemCache cannot hear about a logout in another process, so it caches no
    "not revoked": two primary-key lookups per authenticated request."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    for _ in range(2):
        with CaptureQueriesContext(connection) as context:
            assert profile(tokens["access"]).status_code == 200
        assert len(revocation_queries(context)) == 2


def test_while_the_cache_is_down_tokens_are_checked_against_the_database(
    settings: Any, api_client: APIClient, user: Any
) -> None:
    valid, revoked = login(APIClient()).json(), login(APIClient()).json()
    logout(revoked)

    dead_redis(settings)

    assert profile(valid["access"]).status_code == 200
    assert_envelope(profile(revoked["access"]), 401, "token_not_valid")
    assert refresh(valid["refresh"]).status_code == 200
    assert bearer(APIClient(), valid["access"]).post(LOGOUT_ALL).status_code == 204
    assert_envelope(profile(valid["access"]), 401, "token_not_valid")


def test_while_the_cache_is_down_login_answers_503_instead_of_counting_nothing(
    settings: Any, api_client: APIClient, user: Any
) -> None:
    dead_redis(settings)
    response = login(api_client)
    assert_envelope(response, 503, "service_unavailable")
    assert response.headers["Retry-After"] == "5"
