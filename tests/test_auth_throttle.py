"""Login throttling in one process: per username whatever the address, per address whatever
the username, 429 in the error envelope with Retry-After. (Two processes sharing Redis:
test_auth_redis.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from django_typed_api.auth.throttles import parse_rate

from .auth_utils import (
    assert_envelope,
    dead_redis,
    login,
    private_auth_cache,  # noqa: F401  (autouse fixture)
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mid_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every attempt of a test falls in one window: a minute boundary between two attempts
    would start a fresh count and let a test that expects a 429 see a 401."""
    from django_typed_api.auth.throttles import CacheWindowThrottle

    monkeypatch.setattr(CacheWindowThrottle, "timer", staticmethod(lambda: 1_800_000_030.0))


def rates(settings: Any, **values: str | None) -> None:
    settings.TYPED_API = {**settings.TYPED_API, "AUTH_LOGIN_THROTTLE_RATES": values}


def assert_throttled(response: Any) -> None:
    assert_envelope(response, 429, "throttled")
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_a_username_gets_its_rate_of_attempts_from_any_address(
    api_client: APIClient, user: Any, settings: Any
) -> None:
    rates(settings, address=None, username="3/min")
    for n in range(3):
        response = login(api_client, password="guess", REMOTE_ADDR=f"10.0.0.{n}")
        assert_envelope(response, 401, "no_active_account")

    assert_throttled(login(api_client, password="guess", REMOTE_ADDR="10.0.0.99"))


def test_a_throttled_username_is_refused_even_with_the_right_password(
    api_client: APIClient, user: Any, settings: Any
) -> None:
    rates(settings, address=None, username="2/min")
    login(api_client, password="guess")
    login(api_client, password="guess")
    assert_throttled(login(api_client))


def test_the_username_counter_ignores_case_and_surrounding_spaces(
    api_client: APIClient, user: Any, settings: Any
) -> None:
    rates(settings, address=None, username="2/min")
    login(api_client, username="alice", password="guess")
    login(api_client, username="ALICE", password="guess")
    assert_throttled(login(api_client, username=" Alice ", password="guess"))


def test_other_usernames_keep_their_own_attempts(
    api_client: APIClient, user: Any, settings: Any
) -> None:
    rates(settings, address=None, username="1/min")
    login(api_client, password="guess")
    assert_throttled(login(api_client, password="guess"))
    assert login(api_client, username="bob", password="guess").status_code == 401


def test_an_address_gets_its_rate_of_attempts_whatever_the_username(
    api_client: APIClient, user: Any, settings: Any
) -> None:
    rates(settings, address="3/min", username=None)
    for name in ("alice", "bob", "carol"):
        assert (
            login(api_client, username=name, password="guess", REMOTE_ADDR="10.1.1.1").status_code
            == 401
        )

    assert_throttled(login(api_client, username="dave", password="guess", REMOTE_ADDR="10.1.1.1"))
    assert login(api_client, password="guess", REMOTE_ADDR="10.1.1.2").status_code == 401


def test_throttling_applies_to_login_only(api_client: APIClient, user: Any, settings: Any) -> None:
    rates(settings, address="1/min", username="1/min")
    login(api_client, password="guess")
    assert_throttled(login(api_client, password="guess"))
    for _ in range(3):
        assert api_client.get("/api/vacancies/").status_code == 200


def test_default_rates_allow_a_few_typos(api_client: APIClient, user: Any) -> None:
    for _ in range(4):
        assert login(api_client, password="typo").status_code == 401
    assert login(api_client).status_code == 200


@pytest.mark.parametrize(
    ("rate", "parsed"), [("5/min", (5, 60)), ("10/s", (10, 1)), ("100/hour", (100, 3600))]
)
def test_rates_are_written_like_drfs(rate: str, parsed: tuple[int, int]) -> None:
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["5", "five/min", "5/fortnight", "/min"])
def test_a_malformed_rate_is_refused_with_an_example(rate: str) -> None:
    with pytest.raises(ValueError, match="5/min"):
        parse_rate(rate)


# -- where attempts come from ----------------------------------------------------------------


def test_invented_forwarded_addresses_count_as_the_connecting_address(
    api_client: APIClient, user: Any, settings: Any
) -> None:
    """DRF trusts X-Forwarded-For when NUM_PROXIES is None; the login throttle does not."""
    rates(settings, address="3/min", username=None)
    for n in range(3):
        response = login(
            api_client, username=f"u{n}", password="x", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}"
        )
        assert response.status_code == 401

    assert_throttled(login(api_client, username="u9", password="x", HTTP_X_FORWARDED_FOR="9.9.9.9"))


def test_behind_one_proxy_the_address_is_the_last_forwarded_one(
    api_client: APIClient, user: Any, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    rates(settings, address="2/min", username=None)
    # The client may prepend anything; the proxy appends the address it saw.
    for forged in ("10.0.0.1", "10.0.0.2"):
        response = login(
            api_client, username="bob", password="x", HTTP_X_FORWARDED_FOR=f"{forged}, 198.51.100.7"
        )
        assert response.status_code == 401

    assert_throttled(
        login(api_client, username="bob", password="x", HTTP_X_FORWARDED_FOR="198.51.100.7")
    )
    other_client = login(
        api_client, username="bob", password="x", HTTP_X_FORWARDED_FOR="198.51.100.8"
    )
    assert other_client.status_code == 401


def test_a_json_username_with_a_lone_surrogate_never_reaches_a_password_check(
    api_client: APIClient, user: Any, settings: Any
) -> None:
    """The JSON parser refuses it (400 ``parse_error``): no password is ever tried for it."""
    rates(settings, address=None, username="1/min")
    body = '{"username": "\\ud800", "password": "x"}'
    for _ in range(3):
        response = api_client.post("/api/auth/login/", body, content_type="application/json")
        assert_envelope(response, 400, "parse_error")


def test_a_username_with_a_lone_surrogate_is_counted_not_a_crash(settings: Any) -> None:
    """Other login views (a form) can hand the throttle such a username: it counts it."""
    from django_typed_api.auth.throttles import LoginUsernameThrottle

    rates(settings, address=None, username="1/min")
    throttle = LoginUsernameThrottle()
    assert throttle.allow("\ud800") is True
    assert throttle.allow("\ud800") is False


# -- the admin's login ---------------------------------------------------------------------------


def admin_login(browser: Client, username: str = "alice", password: str = "guess") -> Any:
    return browser.post("/admin/login/", {"username": username, "password": password})


def test_the_admin_login_is_throttled_per_username(user: Any, settings: Any) -> None:
    rates(settings, address=None, username="2/min")
    browser = Client()
    assert admin_login(browser).status_code == 200  # the form again, with the error
    assert admin_login(browser).status_code == 200

    refused = admin_login(browser)

    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.content == b"Too many login attempts. Try again later."


def test_the_admin_login_is_throttled_per_address(user: Any, settings: Any) -> None:
    rates(settings, address="2/min", username=None)
    browser = Client(REMOTE_ADDR="10.9.9.9")
    admin_login(browser, "a")
    admin_login(browser, "b")
    assert admin_login(browser, "c").status_code == 429


def test_the_admin_and_the_api_login_share_the_counters(
    api_client: APIClient, user: Any, settings: Any
) -> None:
    rates(settings, address=None, username="3/min")
    login(api_client, password="guess")
    login(api_client, password="guess")
    assert admin_login(Client()).status_code == 200
    assert admin_login(Client()).status_code == 429
    assert_throttled(login(api_client))


def test_showing_the_admin_login_form_is_not_an_attempt(user: Any, settings: Any) -> None:
    rates(settings, address="1/min", username="1/min")
    browser = Client()
    for _ in range(3):
        assert browser.get("/admin/login/").status_code == 200
    assert admin_login(browser).status_code == 200


def test_a_guarded_login_answers_503_while_the_cache_is_down(user: Any, settings: Any) -> None:
    dead_redis(settings)
    refused = admin_login(Client())
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "5"
