"""JWT authentication for typed clients: login, refresh, verify and logout endpoints.

Built on djangorestframework-simplejwt, adding what its users keep asking for:

- logout that revokes the access token at once (:mod:`.revocation`), checked by
  :class:`~.authentication.TypedJWTAuthentication`;
- an optional httpOnly refresh-token cookie for browser SPAs (:mod:`.cookies`);
- login throttling per client address and per username in Django's cache (:mod:`.throttles`);
- operationIds ``login``, ``refreshToken``, ``verifyToken``, ``logout``, named request and
  response components, and a security requirement that tells public from protected operations
  (:mod:`.schema`).

Route it with ``path("api/", include("django_typed_api.urls"))`` (schema, docs and auth) or
alone with ``path("api/", include("django_typed_api.auth.urls"))``. Requires
``"rest_framework_simplejwt.token_blacklist"`` in ``INSTALLED_APPS`` (checked at startup).
"""
