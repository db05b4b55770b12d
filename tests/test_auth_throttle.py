"""Login throttling in one process: per username whatever the address, per address whatever
the username, 429 in the error envelope with Retry-After. (Two processes sharing Redis:
test_auth_redis.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from django_typed_api.auth.throttles import parse_rate

from .auth_utils import (
    assert_envelope,
    login,
    private_auth_cache,  # noqa: F401  (autouse fixture)
)

pytestmark = pytest.mark.django_db


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
