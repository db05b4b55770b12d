"""System checks for the JWT auth: misconfigurations that would silently weaken it."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from ..conf import typed_api_settings
from .throttles import parse_rate

BLACKLIST_APP = "rest_framework_simplejwt.token_blacklist"
SAMESITE_VALUES = ("Strict", "Lax", "None")


def auth_in_use() -> bool:
    """The JWT auth is the project's authentication or its endpoints are routed."""
    from rest_framework.settings import api_settings

    from .authentication import TypedJWTAuthentication

    classes: list[Any] = list(api_settings.DEFAULT_AUTHENTICATION_CLASSES)
    if any(isinstance(c, type) and issubclass(c, TypedJWTAuthentication) for c in classes):
        return True
    try:
        reverse("typed_api:login")
    except NoReverseMatch:
        return False
    return True


@register(Tags.security)
def check_auth_settings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not auth_in_use():
        return []
    errors: list[CheckMessage] = []
    if not apps.is_installed(BLACKLIST_APP):
        errors.append(
            Error(
                f"{BLACKLIST_APP!r} is not in INSTALLED_APPS: logout and refresh-token "
                "rotation cannot blacklist refresh tokens, so they would stay usable.",
                hint=f'Add "{BLACKLIST_APP}" to INSTALLED_APPS and run migrate.',
                id="django_typed_api.E040",
            )
        )
    errors += _check_cache()
    errors += _check_rates()
    errors += _check_cookie()
    return errors


def _check_cache() -> list[CheckMessage]:
    alias = typed_api_settings.AUTH_CACHE
    caches = getattr(settings, "CACHES", {"default": {}})
    if alias not in caches:
        return [
            Error(
                f"TYPED_API['AUTH_CACHE'] is {alias!r}, which is not in CACHES.",
                hint=f"Use one of: {', '.join(sorted(caches))}.",
                id="django_typed_api.E041",
            )
        ]
    backend = str(caches[alias].get("BACKEND", ""))
    if backend.endswith("DummyCache"):
        return [
            Error(
                f"The auth cache {alias!r} is a DummyCache: logout could not revoke access "
                "tokens and login attempts would never be counted.",
                hint="Use Redis (django.core.cache.backends.redis.RedisCache), Memcached or, "
                "for a single process, LocMemCache.",
                id="django_typed_api.E041",
            )
        ]
    return []


def _check_rates() -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    rates = typed_api_settings.AUTH_LOGIN_THROTTLE_RATES
    if not isinstance(rates, dict):
        rates = {}
    for scope, rate in rates.items():
        if rate is None:
            continue
        try:
            parse_rate(str(rate))
        except ValueError as exc:
            errors.append(
                Error(
                    f"TYPED_API['AUTH_LOGIN_THROTTLE_RATES'][{scope!r}]: {exc}",
                    hint="None disables that throttle.",
                    id="django_typed_api.E042",
                )
            )
    return errors


def _check_cookie() -> list[CheckMessage]:
    if not typed_api_settings.AUTH_REFRESH_COOKIE:
        return []
    errors: list[CheckMessage] = []
    samesite = typed_api_settings.AUTH_COOKIE_SAMESITE
    if samesite not in SAMESITE_VALUES:
        errors.append(
            Error(
                f"TYPED_API['AUTH_COOKIE_SAMESITE'] is {samesite!r}.",
                hint=f"Use one of {', '.join(SAMESITE_VALUES)} (Strict unless you must).",
                id="django_typed_api.E043",
            )
        )
    elif samesite == "None" and not typed_api_settings.AUTH_COOKIE_SECURE:
        errors.append(
            Error(
                "A SameSite=None cookie without Secure is rejected by browsers.",
                hint="Set TYPED_API['AUTH_COOKIE_SECURE'] = True.",
                id="django_typed_api.E043",
            )
        )
    if "django.middleware.csrf.CsrfViewMiddleware" not in settings.MIDDLEWARE:
        errors.append(
            Error(
                "Refresh-cookie mode needs django.middleware.csrf.CsrfViewMiddleware: refresh "
                "and logout check the CSRF token, and the middleware sets the csrftoken "
                "cookie that login issues.",
                hint="Add it to MIDDLEWARE, or turn AUTH_REFRESH_COOKIE off.",
                id="django_typed_api.E044",
            )
        )
    return errors


@register(Tags.caches, deploy=True)
def check_auth_cache_shared(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """LocMemCache is fine for one process and wrong for several: a login count in one
    worker is invisible to the others. Said at ``check --deploy``."""
    if not auth_in_use():
        return []
    alias = typed_api_settings.AUTH_CACHE
    backend = str(getattr(settings, "CACHES", {}).get(alias, {}).get("BACKEND", ""))
    if not backend.endswith("LocMemCache"):
        return []
    return [
        Warning(
            f"The auth cache {alias!r} is a LocMemCache, which each process keeps to itself: "
            "with several workers login throttling allows the rate once per worker, and every "
            "authenticated request asks the database whether its token was revoked.",
            hint="Point TYPED_API['AUTH_CACHE'] at a shared cache (Redis, Memcached).",
            id="django_typed_api.W040",
        )
    ]


@register(Tags.security, deploy=True)
def check_login_throttle_sources(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Where login attempts come from must be known, and every login door throttled. Said at
    ``check --deploy``: both depend on how the project is deployed."""
    if not auth_in_use():
        return []
    return _check_proxies() + _check_admin_login()


def _check_proxies() -> list[CheckMessage]:
    from rest_framework.settings import api_settings

    rates = typed_api_settings.AUTH_LOGIN_THROTTLE_RATES
    if not isinstance(rates, dict) or not rates.get("address"):
        return []
    if api_settings.NUM_PROXIES is not None:
        return []
    return [
        Warning(
            "REST_FRAMEWORK['NUM_PROXIES'] is not set, so the login throttle counts attempts "
            "per REMOTE_ADDR and ignores X-Forwarded-For (any client can invent one). Behind "
            "a reverse proxy every client then has the proxy's address and shares one counter.",
            hint="Set REST_FRAMEWORK['NUM_PROXIES'] to the number of proxies in front of the "
            "app: 0 when clients connect directly, 1 behind one nginx (which must set "
            "X-Forwarded-For), and so on.",
            id="django_typed_api.W041",
        )
    ]


def _check_admin_login() -> list[CheckMessage]:
    if not apps.is_installed("django.contrib.admin"):
        return []
    try:
        match = resolve(reverse("admin:login"))
    except (NoReverseMatch, Resolver404):
        return []
    if getattr(match.func, "typed_api_login_throttle", False):
        return []
    return [
        Warning(
            f"The admin login ({reverse('admin:login')}) is not throttled: it is a password "
            "guessing door beside the API's throttled login.",
            hint='Route it through the login throttles before admin.site.urls: path("admin/'
            'login/", throttle_login(admin.site.login)), with throttle_login from '
            "django_typed_api.auth.throttles.",
            id="django_typed_api.W042",
        )
    ]
