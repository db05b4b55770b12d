"""The testproject's URLs with the admin routed as Django's docs show it: login unthrottled."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("vacancies.urls")),
    path("api/", include("django_typed_api.urls")),
]
