"""The plain-DRF baselines: ``viewsets.ModelViewSet`` with the testproject's configuration.

Both copy everything from the testproject's ``VacancyViewSet`` (serializer, filters, search,
ordering, permissions) except the base class and the queryset, so the only differences
measured are TypedModelViewSet's and the optimizer's.
"""

from rest_framework import viewsets
from vacancies.models import Vacancy
from vacancies.views import VacancyViewSet


class SameConfiguration:
    serializer_class = VacancyViewSet.serializer_class
    filterset_class = VacancyViewSet.filterset_class
    permission_classes = VacancyViewSet.permission_classes
    search_fields = VacancyViewSet.search_fields
    ordering_fields = VacancyViewSet.ordering_fields

    def get_queryset(self):  # type: ignore[no-untyped-def]
        # Drafts only for their owner and staff, as in VacancyViewSet.get_queryset.
        return super().get_queryset().visible_to(self.request.user)  # type: ignore[misc]


class NaiveVacancyViewSet(SameConfiguration, viewsets.ModelViewSet):
    """What a DRF project writes first: the N+1 version."""

    queryset = Vacancy.objects.all()


class HandOptimizedVacancyViewSet(SameConfiguration, viewsets.ModelViewSet):
    """What a careful DRF project writes by hand."""

    queryset = Vacancy.objects.select_related("company", "location").prefetch_related(
        "skills", "requirements"
    )
