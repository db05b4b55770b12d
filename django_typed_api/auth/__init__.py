"""JWT authentication for typed clients: login, refresh, verify, logout and logoutAll.

Built on djangorestframework-simplejwt, adding what its users keep asking for:

- logout that revokes the access token at once, logoutAll, and a password change that ends
  every session, all recorded in the database with the cache in front (:mod:`.revocation`),
  checked by :class:`~.authentication.TypedJWTAuthentication`;
- refresh tokens that stay single-use under concurrent refreshes (:mod:`.tokens`);
- an optional httpOnly refresh-token cookie for browser SPAs (:mod:`.cookies`);
- login throttling per client address and per username in Django's cache, also in front of
  the admin's login (:mod:`.throttles`);
- operationIds ``login``, ``refreshToken``, ``verifyToken``, ``logout``, ``logoutAll``, named
  request and response components, and a security requirement that tells public from
  protected operations (:mod:`django_typed_api.openapi.auth`).

Route it with ``path("api/", include("django_typed_api.urls"))`` (schema, docs and auth) or
alone with ``path("api/", include("django_typed_api.auth.urls"))``. Requires
``"rest_framework_simplejwt.token_blacklist"`` in ``INSTALLED_APPS`` (checked at startup).
"""
