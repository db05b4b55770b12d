"""Serve the built SvelteKit front end (testproject/frontend/build) from Django.

Same origin as the API, so the demo and the end-to-end tests need no CORS and no proxy.
adapter-static writes a single-page app: real files (``/_app/immutable/...``, ``favicon``)
are served as they are, every other path gets ``index.html`` and the client-side router
takes over, so deep links such as ``/vacancies/<id>`` work. ``/api/``, ``/admin/`` and
``/static/`` are routed before this view and never reach it.

This is ``django.views.static.serve``: fine for the demo and the tests, not a production
setup (there, let the web server or whitenoise serve the build).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.views.static import serve

from django_typed_api.conf import is_api_path

BUILD_DIR = Path(
    os.environ.get("FRONTEND_BUILD_DIR", Path(settings.BASE_DIR) / "frontend" / "build")
)
IMMUTABLE = "_app/immutable/"


def is_build_file(path: str) -> bool:
    """Whether ``path`` names a file inside the build. A path with ``..``, a backslash or an
    absolute part is an SPA route like any other, whether or not something exists there, so
    the answer says nothing about the server's files."""
    parts = path.split("/")
    if "\\" in path or path.startswith("/") or any(part in ("", ".", "..") for part in parts):
        return False
    candidate = (BUILD_DIR / path).resolve()
    return candidate.is_relative_to(BUILD_DIR.resolve()) and candidate.is_file()


def frontend(request: HttpRequest, path: str = "") -> HttpResponseBase:
    if is_api_path(request.path_info):  # TYPED_API["API_PATHS"] are never the app's routes
        raise Http404
    index = BUILD_DIR / "index.html"
    if not index.is_file():
        return HttpResponse(
            "The front end is not built: run `make frontend-build` from the repository root.\n",
            status=404,
            content_type="text/plain",
        )
    if path and is_build_file(path):
        response = serve(request, path, document_root=str(BUILD_DIR))
        if path.startswith(IMMUTABLE):  # content-hashed names: cache forever
            response["Cache-Control"] = "public, max-age=31536000, immutable"
        return response
    response = FileResponse(index.open("rb"), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
