"""The testproject's URLs plus the baselines: /api/bench/drf-naive/, /api/bench/drf-hand/ and
/api/bench/ninja/, under /api/ so the API-only middleware treats them as it treats the typed
endpoint."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter
from testproject.urls import urlpatterns as testproject_urlpatterns

from .drf_views import HandOptimizedVacancyViewSet, NaiveVacancyViewSet
from .ninja_api import api

naive = SimpleRouter()
naive.register("vacancies", NaiveVacancyViewSet, basename="bench-naive-vacancy")
hand = SimpleRouter()
hand.register("vacancies", HandOptimizedVacancyViewSet, basename="bench-hand-vacancy")

# First: the testproject may end with a catch-all route (its front end).
urlpatterns = [
    path("api/bench/drf-naive/", include(naive.urls)),
    path("api/bench/drf-hand/", include(hand.urls)),
    path("api/bench/ninja/", api.urls),
    *testproject_urlpatterns,
]
