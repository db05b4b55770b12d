import os

from django.contrib import admin
from django.contrib.staticfiles.views import serve as serve_static
from django.urls import include, path, re_path

from testproject.frontend import frontend

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("vacancies.urls")),
    path("api/", include("django_typed_api.urls")),
    # The demo runs with DEBUG off: serve the docs' Swagger UI / Redoc files from the apps'
    # static folders anyway (a real deployment uses collectstatic + its web server).
    re_path(r"^static/(?P<path>.*)$", serve_static, {"insecure": True}),
]

if os.environ.get("TESTPROJECT_ERROR_PROBES") == "1":  # the error-envelope suites only
    urlpatterns.append(path("api/_probes/", include("testproject.error_probes")))

# Last: everything that is not the API, the admin or static files is the SvelteKit app.
urlpatterns.append(re_path(r"^(?!api/|admin/|static/)(?P<path>.*)$", frontend, name="frontend"))
