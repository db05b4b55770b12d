"""The testproject's URLs plus the failing-on-purpose probes, for in-process error tests."""

from django.urls import include, path
from testproject.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("api/_probes/", include("testproject.error_probes")),
]
