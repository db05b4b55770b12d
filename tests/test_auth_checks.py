"""System checks that stop a project from silently weakening the JWT auth."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.checks import run_checks

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def ids(include_deployment_checks: bool = False) -> list[str]:
    return [
        m.id
        for m in run_checks(include_deployment_checks=include_deployment_checks)
        if m.id and m.id.startswith("django_typed_api.")
    ]


def test_the_testproject_passes_the_auth_checks() -> None:
    assert ids() == []


def test_missing_blacklist_app_is_an_error(settings: Any) -> None:
    settings.INSTALLED_APPS = [
        app for app in settings.INSTALLED_APPS if app != "rest_framework_simplejwt.token_blacklist"
    ]
    assert "django_typed_api.E040" in ids()


def test_a_dummy_auth_cache_is_an_error(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert "django_typed_api.E041" in ids()


def test_an_auth_cache_alias_that_does_not_exist_is_an_error(settings: Any) -> None:
    settings.TYPED_API = {**settings.TYPED_API, "AUTH_CACHE": "sessions"}
    assert "django_typed_api.E041" in ids()


def test_a_malformed_throttle_rate_is_an_error(settings: Any) -> None:
    settings.TYPED_API = {**settings.TYPED_API, "AUTH_LOGIN_THROTTLE_RATES": {"address": "lots"}}
    assert ids() == ["django_typed_api.E042"]


@pytest.mark.parametrize(
    ("cookie", "expected"),
    [
        ({"AUTH_COOKIE_SAMESITE": "strict-ish"}, "django_typed_api.E043"),
        ({"AUTH_COOKIE_SAMESITE": "None", "AUTH_COOKIE_SECURE": False}, "django_typed_api.E043"),
    ],
)
def test_cookie_settings_browsers_would_reject_are_errors(
    settings: Any, cookie: dict[str, Any], expected: str
) -> None:
    settings.TYPED_API = {**settings.TYPED_API, "AUTH_REFRESH_COOKIE": True, **cookie}
    assert ids() == [expected]


def test_cookie_mode_without_csrf_middleware_is_an_error(settings: Any) -> None:
    settings.TYPED_API = {**settings.TYPED_API, "AUTH_REFRESH_COOKIE": True}
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "csrf" not in m.lower()]
    assert ids() == ["django_typed_api.E044"]


def test_a_per_process_cache_is_a_deployment_warning(settings: Any) -> None:
    settings.CACHES = LOCMEM
    assert "django_typed_api.W040" not in ids()
    assert "django_typed_api.W040" in ids(include_deployment_checks=True)


def test_a_shared_cache_passes_the_deployment_check(settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
        }
    }
    assert "django_typed_api.W040" not in ids(include_deployment_checks=True)


def without_num_proxies(settings: Any) -> dict[str, Any]:
    return {k: v for k, v in settings.REST_FRAMEWORK.items() if k != "NUM_PROXIES"}


def test_an_unknown_number_of_proxies_is_a_deployment_warning(settings: Any) -> None:
    settings.REST_FRAMEWORK = without_num_proxies(settings)
    assert "django_typed_api.W041" not in ids()
    assert "django_typed_api.W041" in ids(include_deployment_checks=True)


def test_no_proxy_warning_when_the_address_throttle_is_off(settings: Any) -> None:
    settings.REST_FRAMEWORK = without_num_proxies(settings)
    settings.TYPED_API = {**settings.TYPED_API, "AUTH_LOGIN_THROTTLE_RATES": {"address": None}}
    assert "django_typed_api.W041" not in ids(include_deployment_checks=True)


def test_an_unthrottled_admin_login_is_a_deployment_warning(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.urls_unthrottled_admin"
    assert "django_typed_api.W042" in ids(include_deployment_checks=True)


def test_the_testproject_throttles_its_admin_login_and_states_its_proxies() -> None:
    deploy = ids(include_deployment_checks=True)
    assert "django_typed_api.W041" not in deploy
    assert "django_typed_api.W042" not in deploy
