"""Security headers on every API response, whatever produced it.

Django's ``SecurityMiddleware`` and ``XFrameOptionsMiddleware`` set ``X-Content-Type-Options``,
``Referrer-Policy`` and ``X-Frame-Options`` only when a project keeps them (and their settings)
on, and never on a response that a later middleware replaces, such as the JSON envelope that
``ErrorEnvelopeMiddleware`` puts in place of Django's 404 page. This middleware goes first in
``MIDDLEWARE`` and sets, under the API's path prefixes (``TYPED_API["API_PATHS"]``):

- ``X-Content-Type-Options: nosniff``: a JSON body is never sniffed into HTML or script;
- ``Referrer-Policy: same-origin`` and ``X-Frame-Options: DENY`` plus
  ``Content-Security-Policy: frame-ancestors 'none'``, unless the project set its own;
- ``Cache-Control: no-store`` on responses to requests that carried credentials (an
  ``Authorization`` header or cookies), that change something (not GET/HEAD/OPTIONS), or that
  set a cookie: tokens and private data stay out of browser and proxy caches. Anonymous reads
  keep their own caching (the schema's ETag, for one)::

    MIDDLEWARE = [
        "django_typed_api.security_headers.APISecurityHeadersMiddleware",
        "django_typed_api.errors.ErrorEnvelopeMiddleware",
        ...
    ]
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from .conf import is_api_path

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: Set when the response has no value of its own.
DEFAULT_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


class APISecurityHeadersMiddleware:
    """Adds :data:`DEFAULT_HEADERS` and, for private responses, ``Cache-Control: no-store``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not self.applies(request):
            return response
        for header, value in DEFAULT_HEADERS.items():
            if header not in response:
                response[header] = value
        response["X-Content-Type-Options"] = "nosniff"
        if self.is_private(request, response):
            response["Cache-Control"] = "no-store"
        return response

    def applies(self, request: HttpRequest) -> bool:
        return is_api_path(request.path_info)

    def is_private(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        """Whether a cache must not keep this response."""
        return bool(
            request.META.get("HTTP_AUTHORIZATION")
            or request.COOKIES
            or request.method not in SAFE_METHODS
            or response.cookies
        )
