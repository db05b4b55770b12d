"""A urlconf with two viewsets that would both be called ``listVacancies``."""

from rest_framework.routers import SimpleRouter
from vacancies.models import Vacancy
from vacancies.serializers import VacancySerializer

from django_typed_api.viewsets import TypedReadOnlyModelViewSet


class VacancyViewSet(TypedReadOnlyModelViewSet):
    queryset = Vacancy.objects.all()
    serializer_class = VacancySerializer


class ArchivedVacancyViewSet(TypedReadOnlyModelViewSet):
    queryset = Vacancy.objects.filter(status="closed")
    serializer_class = VacancySerializer


router = SimpleRouter()
router.register("vacancies", VacancyViewSet, basename="vacancy")
router.register("archive", ArchivedVacancyViewSet, basename="archived")
urlpatterns = router.urls
