"""Refresh-cookie mode end to end: the refresh token never reaches JavaScript, the cookie is
locked down (HttpOnly, Secure, SameSite, Path), refresh and logout read it behind Django's
CSRF check, and logout clears it."""

from __future__ import annotations

from http.cookies import Morsel
from typing import Any

import pytest
from rest_framework.test import APIClient

from .auth_utils import (
    LOGOUT,
    PROFILE,
    REFRESH,
    assert_envelope,
    bearer,
    login,
    private_auth_cache,  # noqa: F401  (autouse fixture)
)

pytestmark = pytest.mark.django_db

SEVEN_DAYS = 7 * 24 * 3600


@pytest.fixture(autouse=True)
def cookie_mode(settings: Any) -> None:
    settings.TYPED_API = {**settings.TYPED_API, "AUTH_REFRESH_COOKIE": True}


@pytest.fixture
def browser(user: Any) -> APIClient:
    """A client that, like a browser, is subject to CSRF checks and keeps cookies."""
    return APIClient(enforce_csrf_checks=True)


def csrf_header(client: APIClient) -> dict[str, str]:
    """What the SPA does: read the csrftoken cookie and echo it in X-CSRFToken."""
    return {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def refresh_cookie(response: Any) -> Morsel:
    return response.cookies["refresh_token"]


def test_login_answers_the_access_token_and_sets_the_refresh_token_as_a_cookie(
    browser: APIClient,
) -> None:
    response = login(browser)

    assert response.status_code == 200
    assert set(response.json()) == {"access"}
    cookie = refresh_cookie(response)
    assert cookie.value.count(".") == 2  # a JWT
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/api/auth/"
    assert cookie["max-age"] == SEVEN_DAYS
    header = cookie.OutputString()  # the Set-Cookie line the browser gets
    for attribute in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/api/auth/"):
        assert attribute in header


def test_login_issues_a_csrf_token_the_spa_can_read(browser: APIClient) -> None:
    response = login(browser)
    csrf = response.cookies["csrftoken"]
    assert csrf.value
    assert not csrf["httponly"]  # the SPA must read it to send X-CSRFToken


def test_refresh_reads_the_cookie_and_rotates_it(browser: APIClient) -> None:
    first = refresh_cookie(login(browser)).value

    response = browser.post(REFRESH, **csrf_header(browser))

    assert response.status_code == 200, response.content
    assert set(response.json()) == {"access"}
    rotated = refresh_cookie(response)
    assert rotated.value != first
    assert rotated["httponly"] is True
    assert rotated["path"] == "/api/auth/"
    assert bearer(APIClient(), response.json()["access"]).get(PROFILE).status_code == 200


def test_replayed_refresh_cookie_is_401_and_the_cookie_is_cleared(browser: APIClient) -> None:
    first = refresh_cookie(login(browser)).value
    assert browser.post(REFRESH, **csrf_header(browser)).status_code == 200

    browser.cookies["refresh_token"] = first  # e.g. a stolen copy of the old cookie
    response = browser.post(REFRESH, **csrf_header(browser))

    assert_envelope(response, 401, "token_not_valid")
    cleared = refresh_cookie(response)
    assert cleared.value == ""
    assert cleared["max-age"] == 0
    assert cleared["path"] == "/api/auth/"


def test_refresh_without_the_csrf_header_is_403_csrf_failed(browser: APIClient) -> None:
    login(browser)
    response = browser.post(REFRESH)
    body = assert_envelope(response, 403, "csrf_failed")
    assert "X-CSRFToken" in body["message"]


def test_refresh_with_a_wrong_csrf_header_is_403_csrf_failed(browser: APIClient) -> None:
    login(browser)
    response = browser.post(REFRESH, HTTP_X_CSRFTOKEN="x" * 32)
    assert_envelope(response, 403, "csrf_failed")


def test_refresh_without_the_cookie_is_401_not_authenticated(browser: APIClient) -> None:
    assert_envelope(browser.post(REFRESH), 401, "not_authenticated")


def test_a_refresh_token_in_the_body_is_ignored_in_cookie_mode(browser: APIClient) -> None:
    token = refresh_cookie(login(APIClient())).value
    response = APIClient(enforce_csrf_checks=True).post(REFRESH, {"refresh": token}, format="json")
    assert_envelope(response, 401, "not_authenticated")


def test_logout_clears_the_cookie_blacklists_it_and_revokes_the_access_token(
    browser: APIClient,
) -> None:
    access = login(browser).json()["access"]
    refresh = browser.cookies["refresh_token"].value

    response = bearer(browser, access).post(LOGOUT, **csrf_header(browser))

    assert response.status_code == 204, response.content
    cleared = refresh_cookie(response)
    assert cleared.value == ""
    assert cleared["max-age"] == 0
    assert cleared["path"] == "/api/auth/"
    assert_envelope(bearer(APIClient(), access).get(PROFILE), 401, "token_not_valid")
    replay = APIClient(enforce_csrf_checks=True)
    replay.cookies["refresh_token"] = refresh
    replay.cookies["csrftoken"] = browser.cookies["csrftoken"].value
    assert_envelope(replay.post(REFRESH, **csrf_header(replay)), 401, "token_not_valid")


def test_logout_all_clears_the_cookie_and_ends_the_session(browser: APIClient) -> None:
    access = login(browser).json()["access"]

    response = bearer(browser, access).post("/api/auth/logout-all/")

    assert response.status_code == 204, response.content
    assert refresh_cookie(response).value == ""
    assert_envelope(bearer(APIClient(), access).get(PROFILE), 401, "token_not_valid")


def test_logout_with_the_cookie_but_without_csrf_header_is_403(browser: APIClient) -> None:
    access = login(browser).json()["access"]
    response = bearer(browser, access).post(LOGOUT)
    assert_envelope(response, 403, "csrf_failed")
    assert bearer(APIClient(), access).get(PROFILE).status_code == 200  # nothing revoked


def test_cookie_name_path_samesite_and_secure_follow_the_settings(
    browser: APIClient, settings: Any
) -> None:
    settings.TYPED_API = {
        **settings.TYPED_API,
        "AUTH_COOKIE_NAME": "rt",
        "AUTH_COOKIE_PATH": "/api/",
        "AUTH_COOKIE_SAMESITE": "Lax",
        "AUTH_COOKIE_SECURE": False,
    }
    cookie = login(browser).cookies["rt"]
    assert cookie["path"] == "/api/"
    assert cookie["samesite"] == "Lax"
    assert not cookie["secure"]
    assert cookie["httponly"] is True
    assert browser.post(REFRESH, **csrf_header(browser)).status_code == 200
