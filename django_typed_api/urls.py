"""``path("api/", include("django_typed_api.urls"))``: the schema and its docs."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

app_name = "typed_api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="typed_api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="typed_api:schema"), name="redoc"),
]
