"""Security requirements: which operations take the bearer token, and which also work without.

- :class:`SecuritySchemaMixin` (mixed into ``TypedAutoSchema``): an operation that lets an
  anonymous request through carries an empty requirement (``{}``) beside the bearer scheme,
  so a generated client knows the token is optional there; a protected one carries only
  ``bearerAuth``.
- :class:`BearerAuthScheme`: ``TypedJWTAuthentication`` (and subclasses) is the
  ``bearerAuth`` scheme, HTTP bearer with format JWT.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework.request import Request
from rest_framework.views import APIView

SCHEME_NAME = "bearerAuth"


class SecuritySchemaMixin:
    """``get_auth`` that tells public operations from protected ones by asking the view's
    own permission classes whether an anonymous request of this method gets through.

    drf-spectacular only recognises ``AllowAny`` and ``IsAuthenticatedOrReadOnly``; asking
    the permissions also covers an empty ``permission_classes`` (simplejwt's views),
    composed permissions (``IsAuthenticated | ReadOnly``) and the project's own classes.
    Override :meth:`allows_anonymous` for permissions that need more than the method and
    the user.
    """

    view: APIView
    method: str

    def get_auth(self) -> list[dict[str, Any]]:
        requirements = [r for r in super().get_auth() if r]  # type: ignore[misc]
        if self.allows_anonymous():
            requirements.append({})
        return requirements

    def allows_anonymous(self) -> bool:
        from django.contrib.auth.models import AnonymousUser

        http_request = HttpRequest()
        http_request.method = self.method.upper()
        request = Request(http_request)
        request.user = AnonymousUser()
        try:
            return all(p.has_permission(request, self.view) for p in self.view.get_permissions())
        except Exception:  # a permission that needs a real request: assume it protects
            return False


class BearerAuthScheme(OpenApiAuthenticationExtension):
    target_class = "django_typed_api.auth.authentication.TypedJWTAuthentication"
    match_subclasses = True
    name = SCHEME_NAME

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        from rest_framework_simplejwt.settings import api_settings as settings

        return build_bearer_security_scheme_object(
            header_name=settings.AUTH_HEADER_NAME,
            token_prefix=settings.AUTH_HEADER_TYPES[0],
            bearer_format="JWT",
        )
