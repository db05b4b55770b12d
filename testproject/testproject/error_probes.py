"""Endpoints that fail on purpose, for the error-envelope tests. Never part of the API.

Routed under ``/api/_probes/`` only when ``TESTPROJECT_ERROR_PROBES=1`` (the real-server error
suite sets it), so neither ``make demo`` nor the golden schema ships a crash endpoint.
"""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

#: Text that must never reach a response body with DEBUG off.
SECRET = "probe-secret /srv/app/settings.py SELECT password FROM auth_user"


class ProbeThrottle(SimpleRateThrottle):
    """Two requests a minute per client address, counted in the default cache."""

    scope = "probe"
    rate = "2/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def crash(request: Request) -> Response:
    raise RuntimeError(SECRET)


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([ProbeThrottle])
def throttled(request: Request) -> Response:
    return Response({"ok": True})


def django_crash(request: HttpRequest) -> HttpResponse:
    """A plain Django view (no DRF) that crashes."""
    raise RuntimeError(SECRET)


def django_form(request: HttpRequest) -> HttpResponse:
    """A plain Django view that reads a form body: CSRF-protected, size-limited by Django."""
    return HttpResponse(f"{len(request.POST)} fields")


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def cache_read(request: Request) -> Response:
    """Reads the default cache in a DRF view (503 while it is down)."""
    return Response({"value": cache.get("probe")})


def django_cache_read(request: HttpRequest) -> HttpResponse:
    """Reads the default cache in a plain Django view (503 while it is down)."""
    return HttpResponse(f"{cache.get('probe')}")


urlpatterns = [
    path("cache/", cache_read),
    path("django-cache/", django_cache_read),
    path("crash/", crash),
    path("throttled/", throttled),
    path("django-crash/", django_crash),
    path("django-form/", django_form),
]
