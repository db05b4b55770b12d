"""Urlconfs with DRF versioning and a broken schema class, for the operationId check."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter
from rest_framework.versioning import AcceptHeaderVersioning, NamespaceVersioning
from vacancies.models import Vacancy
from vacancies.serializers import VacancySerializer

from django_typed_api.openapi import TypedAutoSchema
from django_typed_api.viewsets import TypedReadOnlyModelViewSet


class AcceptHeader(AcceptHeaderVersioning):
    allowed_versions = ["1.0", "2.0"]
    default_version = "1.0"


class Namespace(NamespaceVersioning):
    allowed_versions = ["v1", "v2"]
    default_version = "v1"


class AcceptHeaderVacancyViewSet(TypedReadOnlyModelViewSet):
    queryset = Vacancy.objects.all()
    serializer_class = VacancySerializer
    versioning_class = AcceptHeader


class NamespaceVacancyViewSet(TypedReadOnlyModelViewSet):
    queryset = Vacancy.objects.all()
    serializer_class = VacancySerializer
    versioning_class = Namespace


def _router(prefix: str, viewset: type) -> list:
    router = SimpleRouter()
    router.register(prefix, viewset, basename=prefix)
    return list(router.urls)


class accept_header:  # a urlconf module stand-in
    urlpatterns = [
        *_router("vacancies", AcceptHeaderVacancyViewSet),
        path("schema/", SpectacularAPIView.as_view(versioning_class=AcceptHeaderVersioning)),
    ]


class namespace:  # a urlconf module stand-in
    urlpatterns = [
        path("v1/", include((_router("vacancies", NamespaceVacancyViewSet), "v1"), namespace="v1")),
        path("v2/", include((_router("vacancies", NamespaceVacancyViewSet), "v2"), namespace="v2")),
    ]


class BrokenSchema(TypedAutoSchema):
    def get_operation_id(self) -> str:
        raise RuntimeError("a bug in a project's schema class")


class BrokenVacancyViewSet(TypedReadOnlyModelViewSet):
    queryset = Vacancy.objects.all()
    serializer_class = VacancySerializer
    schema = BrokenSchema()


class broken:  # a urlconf module stand-in
    urlpatterns = _router("vacancies", BrokenVacancyViewSet)
