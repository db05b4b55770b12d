"""Refresh-cookie mode: the refresh token lives in an httpOnly cookie, not in JavaScript.

With ``TYPED_API["AUTH_REFRESH_COOKIE"] = True`` login and refresh answer with the access
token only and set the refresh token as a cookie that scripts cannot read (httpOnly), that
travels only over HTTPS (Secure), only with same-site requests (SameSite) and only to the auth
endpoints (Path). Refresh and logout read it from there.

A cookie is sent by the browser on its own, so the endpoints that read it are open to
cross-site request forgery. They run Django's CSRF check (the ``X-CSRFToken`` header must
match the ``csrftoken`` cookie), exactly as DRF's SessionAuthentication does; login rotates the
CSRF token so the SPA can read a fresh one from the ``csrftoken`` cookie.
"""

from __future__ import annotations

import posixpath
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.middleware.csrf import rotate_token
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import CSRFCheck
from rest_framework.request import Request
from rest_framework_simplejwt import settings as jwt_settings

from ..conf import typed_api_settings


def cookie_mode() -> bool:
    """Whether the refresh token travels in a cookie (``AUTH_REFRESH_COOKIE``)."""
    return bool(typed_api_settings.AUTH_REFRESH_COOKIE)


def cookie_path(request: Request | HttpRequest) -> str:
    """``AUTH_COOKIE_PATH``, else the folder of the endpoint serving the request.

    Login and refresh sit side by side (``/api/auth/login/``, ``/api/auth/refresh/``), so the
    folder is ``/api/auth/``: the cookie reaches refresh and logout and no other view.
    """
    configured = typed_api_settings.AUTH_COOKIE_PATH
    if configured:
        return str(configured)
    return posixpath.dirname(request.path.rstrip("/")).rstrip("/") + "/"


def set_refresh_cookie(response: HttpResponseBase, request: Request, refresh: str) -> None:
    lifetime = jwt_settings.api_settings.REFRESH_TOKEN_LIFETIME
    response.set_cookie(
        typed_api_settings.AUTH_COOKIE_NAME,
        refresh,
        max_age=int(lifetime.total_seconds()),
        path=cookie_path(request),
        domain=typed_api_settings.AUTH_COOKIE_DOMAIN,
        secure=typed_api_settings.AUTH_COOKIE_SECURE,
        httponly=True,
        samesite=typed_api_settings.AUTH_COOKIE_SAMESITE,
    )


def delete_refresh_cookie(response: HttpResponseBase, request: Request) -> None:
    response.delete_cookie(
        typed_api_settings.AUTH_COOKIE_NAME,
        path=cookie_path(request),
        domain=typed_api_settings.AUTH_COOKIE_DOMAIN,
        samesite=typed_api_settings.AUTH_COOKIE_SAMESITE,
    )


def read_refresh_cookie(request: Request) -> str | None:
    """The refresh token from the cookie, after the CSRF check the cookie makes necessary."""
    value = request.COOKIES.get(typed_api_settings.AUTH_COOKIE_NAME)
    if not value:
        return None
    enforce_csrf(request)
    return str(value)


def _no_response(request: HttpRequest) -> Any:  # pragma: no cover - never called
    return None


def enforce_csrf(request: Request) -> None:
    """Django's CSRF check on a DRF request (DRF views are csrf_exempt by default)."""
    check = CSRFCheck(_no_response)  # DRF's subclass: returns the reason, not a response
    django_request = request._request
    check.process_request(django_request)
    reason = check.process_view(django_request, None, (), {})  # type: ignore[arg-type]
    if reason:
        raise exceptions.PermissionDenied(
            _("CSRF Failed: %(reason)s. Send the csrftoken cookie's value in X-CSRFToken.")
            % {"reason": str(reason).rstrip(".")},
            code="csrf_failed",
        )


def issue_csrf_token(request: Request) -> None:
    """A new CSRF token for the new session; CsrfViewMiddleware sets the cookie."""
    rotate_token(request._request)
