"""A urlconf where two ids set by hand collide: nothing in the routes can tell them apart."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from vacancies.models import Vacancy
from vacancies.serializers import VacancySerializer

from django_typed_api.viewsets import TypedReadOnlyModelViewSet


class VacancyViewSet(TypedReadOnlyModelViewSet):
    queryset = Vacancy.objects.all()
    serializer_class = VacancySerializer


@extend_schema(operation_id="listVacancies", responses=VacancySerializer(many=True))
@api_view(["GET"])
def open_vacancies(request):
    return Response([])


@extend_schema(operation_id="listVacancies", responses=VacancySerializer(many=True))
@api_view(["GET"])
def closed_vacancies(request):
    return Response([])


router = SimpleRouter()
router.register("vacancies", VacancyViewSet, basename="vacancy")
urlpatterns = [
    *router.urls,
    path("open/", open_vacancies),
    path("closed/", closed_vacancies),
]
