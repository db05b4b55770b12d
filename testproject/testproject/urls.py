import os

from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles.views import serve as serve_static
from django.urls import include, path, re_path
from django.views.static import serve

from django_typed_api.auth.throttles import throttle_login
from testproject.frontend import frontend


def media(request, path: str):
    """A company logo (MEDIA_ROOT read per request: the tests point it elsewhere)."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    # The admin's login counts against the same limits as the API's (before admin.site.urls).
    path("admin/login/", throttle_login(admin.site.login)),
    path("admin/", admin.site.urls),
    path("api/", include("vacancies.urls")),
    path("api/", include("django_typed_api.urls")),
    # The demo runs with DEBUG off: serve the docs' Swagger UI / Redoc files from the apps'
    # static folders anyway (a real deployment uses collectstatic + its web server).
    re_path(r"^static/(?P<path>.*)$", serve_static, {"insecure": True}),
    # Company logos (generated names, sniffed types); CVs in MEDIA_ROOT/cvs are not served.
    re_path(
        r"^media/(?P<path>logos/[0-9a-f]{32}\.(?:png|jpg|gif|webp))$",
        media,
    ),
]

if os.environ.get("TESTPROJECT_ERROR_PROBES") == "1":  # the error-envelope suites only
    urlpatterns.append(path("api/_probes/", include("testproject.error_probes")))

# Last: everything that is not the API, the admin or static files is the SvelteKit app.
urlpatterns.append(
    re_path(r"^(?!api/|admin/|static/|media/)(?P<path>.*)$", frontend, name="frontend")
)
