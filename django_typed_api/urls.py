"""``path("api/", include("django_typed_api.urls"))``: the schema, its docs and the JWT auth.

The schema is rendered once per process and served with an ETag (``openapi.views.TypedSchemaView``);
the docs load Swagger UI and Redoc from drf-spectacular-sidecar's static files, no CDN (Redoc's
bundle with its footer logo pointed at this package's static file).
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularSwaggerView

from .auth.urls import urlpatterns as auth_urlpatterns
from .openapi.views import RedocBundleView, TypedRedocView, TypedSchemaView

app_name = "typed_api"

urlpatterns = [
    path("schema/", TypedSchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="typed_api:schema"), name="docs"),
    path("redoc/", TypedRedocView.as_view(url_name="typed_api:schema"), name="redoc"),
    path("redoc/redoc.standalone.js", RedocBundleView.as_view(), name="redoc-bundle"),
    # auth/login/, auth/refresh/, auth/verify/, auth/logout/ (django_typed_api.auth.urls)
    *auth_urlpatterns,
]
