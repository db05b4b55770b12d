import os

from django.contrib import admin
from django.urls import include, path, re_path

from testproject.frontend import frontend

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("vacancies.urls")),
    path("api/", include("django_typed_api.urls")),
]

if os.environ.get("TESTPROJECT_ERROR_PROBES") == "1":  # the error-envelope suites only
    urlpatterns.append(path("api/_probes/", include("testproject.error_probes")))

# Last: everything that is not the API, the admin or static files is the SvelteKit app.
urlpatterns.append(re_path(r"^(?!api/|admin/|static/)(?P<path>.*)$", frontend, name="frontend"))
