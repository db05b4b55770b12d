"""JWT auth in body mode: login, every way a token is refused (each a 401 envelope with its
own code), refresh rotation, logout that revokes the access token at once, verify."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken
from rest_framework_simplejwt.utils import aware_utcnow

from .auth_utils import (
    LOGOUT,
    PROFILE,
    REFRESH,
    VERIFY,
    assert_envelope,
    b64url_json,
    bearer,
    jwt_parts,
    login,
    private_auth_cache,  # noqa: F401  (autouse fixture)
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tokens(api_client: APIClient, user: Any) -> dict[str, str]:
    response = login(api_client)
    assert response.status_code == 200, response.content
    return dict(response.json())


# -- login --------------------------------------------------------------------------------------


def test_login_answers_an_access_and_a_refresh_token(api_client: APIClient, user: Any) -> None:
    response = login(api_client)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh"}
    assert jwt_parts(body["access"])[1]["token_type"] == "access"
    assert jwt_parts(body["refresh"])[1]["token_type"] == "refresh"
    assert "Set-Cookie" not in response.headers  # body mode: no cookie at all


def test_login_records_the_last_login(api_client: APIClient, user: Any) -> None:
    assert user.last_login is None
    login(api_client)
    user.refresh_from_db()
    assert user.last_login is not None


def test_the_access_token_opens_a_protected_endpoint(
    api_client: APIClient, tokens: dict[str, str]
) -> None:
    response = bearer(api_client, tokens["access"]).get(PROFILE)
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_wrong_password_is_401_no_active_account(api_client: APIClient, user: Any) -> None:
    response = login(api_client, password="not-the-password")
    assert_envelope(response, 401, "no_active_account")
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


def test_unknown_username_answers_exactly_like_a_wrong_password(
    api_client: APIClient, user: Any
) -> None:
    wrong_password = login(api_client, password="not-the-password")
    unknown_user = login(api_client, username="mallory")
    assert unknown_user.status_code == wrong_password.status_code == 401
    assert unknown_user.json() == wrong_password.json()


def test_inactive_user_cannot_log_in(api_client: APIClient, user: Any) -> None:
    user.is_active = False
    user.save()
    assert_envelope(login(api_client), 401, "no_active_account")


def test_login_without_password_is_400_with_the_field_error(
    api_client: APIClient, user: Any
) -> None:
    response = api_client.post("/api/auth/login/", {"username": "alice"}, format="json")
    body = assert_envelope(response, 400, "invalid")
    assert "password" in body["error"]


# -- every refused access token is a 401 with its reason ---------------------------------------


def test_no_token_on_a_protected_endpoint_is_401_not_authenticated(api_client: APIClient) -> None:
    response = api_client.get(PROFILE)
    assert_envelope(response, 401, "not_authenticated")
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


def test_expired_access_token_is_401_token_not_valid(api_client: APIClient, user: Any) -> None:
    token = AccessToken.for_user(user)
    token.set_exp(from_time=aware_utcnow() - timedelta(hours=1))  # 1 h ago + 5 min lifetime
    assert_envelope(bearer(api_client, str(token)).get(PROFILE), 401, "token_not_valid")


def test_tampered_payload_is_401_token_not_valid(
    api_client: APIClient, tokens: dict[str, str], django_user_model: Any
) -> None:
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    header, _payload, signature = tokens["access"].split(".")
    claims = jwt_parts(tokens["access"])[1]
    forged = f"{header}.{b64url_json({**claims, 'user_id': str(admin.pk)})}.{signature}"

    assert_envelope(bearer(api_client, forged).get(PROFILE), 401, "token_not_valid")


def test_signature_of_another_token_is_401_token_not_valid(
    api_client: APIClient, user: Any, tokens: dict[str, str]
) -> None:
    header, payload, _ = tokens["access"].split(".")
    other_signature = str(AccessToken.for_user(user)).split(".")[2]
    forged = f"{header}.{payload}.{other_signature}"

    assert_envelope(bearer(api_client, forged).get(PROFILE), 401, "token_not_valid")


def test_alg_none_token_is_401_token_not_valid(
    api_client: APIClient, tokens: dict[str, str]
) -> None:
    claims = jwt_parts(tokens["access"])[1]
    unsigned = f"{b64url_json({'alg': 'none', 'typ': 'JWT'})}.{b64url_json(claims)}."

    assert_envelope(bearer(api_client, unsigned).get(PROFILE), 401, "token_not_valid")


def test_refresh_token_used_as_access_token_is_401_token_not_valid(
    api_client: APIClient, tokens: dict[str, str]
) -> None:
    response = bearer(api_client, tokens["refresh"]).get(PROFILE)
    body = assert_envelope(response, 401, "token_not_valid")
    assert body["error"]["messages"][0]["message"] == "Token has wrong type"


def test_access_token_of_a_deactivated_user_is_401_user_inactive(
    api_client: APIClient, user: Any, tokens: dict[str, str]
) -> None:
    user.is_active = False
    user.save()
    assert_envelope(bearer(api_client, tokens["access"]).get(PROFILE), 401, "user_inactive")


def test_malformed_authorization_header_is_401_bad_authorization_header(
    api_client: APIClient,
) -> None:
    api_client.credentials(HTTP_AUTHORIZATION="Bearer two parts")
    assert_envelope(api_client.get(PROFILE), 401, "bad_authorization_header")


# -- refresh rotation ---------------------------------------------------------------------------


def test_refresh_answers_a_new_pair_and_blacklists_the_used_refresh_token(
    api_client: APIClient, tokens: dict[str, str]
) -> None:
    first = api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")

    assert first.status_code == 200
    rotated = first.json()
    assert set(rotated) == {"access", "refresh"}
    assert rotated["refresh"] != tokens["refresh"]
    assert bearer(api_client, rotated["access"]).get(PROFILE).status_code == 200

    replay = APIClient().post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    body = assert_envelope(replay, 401, "token_not_valid")
    assert body["message"] == "Token is blacklisted."

    again = APIClient().post(REFRESH, {"refresh": rotated["refresh"]}, format="json")
    assert again.status_code == 200


def test_access_token_sent_to_refresh_is_401_token_not_valid(
    api_client: APIClient, tokens: dict[str, str]
) -> None:
    response = api_client.post(REFRESH, {"refresh": tokens["access"]}, format="json")
    assert_envelope(response, 401, "token_not_valid")


def test_refresh_of_a_deactivated_user_is_401_no_active_account(
    api_client: APIClient, user: Any, tokens: dict[str, str]
) -> None:
    user.is_active = False
    user.save()
    response = api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    assert_envelope(response, 401, "no_active_account")


def test_refresh_token_of_a_deleted_user_is_401_not_a_server_error(
    api_client: APIClient, user: Any, tokens: dict[str, str]
) -> None:
    user.delete()
    response = api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    assert_envelope(response, 401, "no_active_account")


# -- logout -------------------------------------------------------------------------------------


def logout(client: APIClient, tokens: dict[str, str]) -> Any:
    return bearer(client, tokens["access"]).post(
        LOGOUT, {"refresh": tokens["refresh"]}, format="json"
    )


def test_logout_answers_204(api_client: APIClient, tokens: dict[str, str]) -> None:
    response = logout(api_client, tokens)
    assert response.status_code == 204
    assert response.content == b""


def test_access_token_after_logout_is_401_token_not_valid(
    api_client: APIClient, tokens: dict[str, str]
) -> None:
    logout(api_client, tokens)
    body = assert_envelope(
        bearer(APIClient(), tokens["access"]).get(PROFILE), 401, "token_not_valid"
    )
    assert body["message"] == "Token has been revoked."


def test_blacklisted_refresh_token_is_401_token_not_valid(
    api_client: APIClient, tokens: dict[str, str]
) -> None:
    logout(api_client, tokens)
    response = APIClient().post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    body = assert_envelope(response, 401, "token_not_valid")
    assert body["message"] == "Token is blacklisted."


def test_logout_leaves_the_users_other_sessions_alone(
    api_client: APIClient, user: Any, tokens: dict[str, str]
) -> None:
    other = login(APIClient()).json()
    logout(api_client, tokens)
    assert bearer(APIClient(), other["access"]).get(PROFILE).status_code == 200
    refreshed = APIClient().post(REFRESH, {"refresh": other["refresh"]}, format="json")
    assert refreshed.status_code == 200


def test_logout_without_a_token_is_401_not_authenticated(
    api_client: APIClient, tokens: dict[str, str]
) -> None:
    response = api_client.post(LOGOUT, {"refresh": tokens["refresh"]}, format="json")
    assert_envelope(response, 401, "not_authenticated")
    refreshed = api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    assert refreshed.status_code == 200  # nothing was blacklisted


def test_logout_without_the_refresh_token_is_400(
    api_client: APIClient, tokens: dict[str, str]
) -> None:
    response = bearer(api_client, tokens["access"]).post(LOGOUT, {}, format="json")
    body = assert_envelope(response, 400, "invalid")
    assert "refresh" in body["error"]


def test_logout_refuses_another_users_refresh_token(
    api_client: APIClient, tokens: dict[str, str], django_user_model: Any
) -> None:
    bob = django_user_model.objects.create_user("bob", password="bob-password")
    bobs = login(APIClient(), "bob", "bob-password").json()
    response = bearer(api_client, tokens["access"]).post(
        LOGOUT, {"refresh": bobs["refresh"]}, format="json"
    )
    assert_envelope(response, 401, "token_not_valid")
    assert bob.is_active
    assert APIClient().post(REFRESH, {"refresh": bobs["refresh"]}, format="json").status_code == 200


def test_logout_with_an_already_blacklisted_refresh_token_still_logs_out(
    api_client: APIClient, user: Any, tokens: dict[str, str]
) -> None:
    RefreshToken(tokens["refresh"]).blacklist()
    assert logout(api_client, tokens).status_code == 204
    assert_envelope(bearer(APIClient(), tokens["access"]).get(PROFILE), 401, "token_not_valid")


# -- verify -------------------------------------------------------------------------------------


def test_verify_answers_204_for_a_valid_token(
    api_client: APIClient, tokens: dict[str, str]
) -> None:
    for token in (tokens["access"], tokens["refresh"]):
        response = api_client.post(VERIFY, {"token": token}, format="json")
        assert response.status_code == 204


def test_verify_refuses_a_revoked_access_token_and_a_blacklisted_refresh_token(
    api_client: APIClient, tokens: dict[str, str]
) -> None:
    logout(APIClient(), tokens)
    for token in (tokens["access"], tokens["refresh"]):
        response = api_client.post(VERIFY, {"token": token}, format="json")
        assert_envelope(response, 401, "token_not_valid")


def test_verify_refuses_an_expired_token(api_client: APIClient, user: Any) -> None:
    token = AccessToken.for_user(user)
    token.set_exp(from_time=aware_utcnow() - timedelta(hours=1))
    response = api_client.post(VERIFY, {"token": str(token)}, format="json")
    assert_envelope(response, 401, "token_not_valid")


# -- the testproject's permissions --------------------------------------------------------------


def test_anyone_reads_vacancies_but_only_a_signed_in_user_writes(
    api_client: APIClient, tokens: dict[str, str]
) -> None:
    assert APIClient().get("/api/vacancies/").status_code == 200
    assert_envelope(
        APIClient().post("/api/vacancies/", {}, format="json"), 401, "not_authenticated"
    )
    # Signed in, the same request gets past authentication to validation.
    response = bearer(api_client, tokens["access"]).post("/api/vacancies/", {}, format="json")
    assert response.status_code == 400
