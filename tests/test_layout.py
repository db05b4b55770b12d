"""One home per concept: the package's layout, its old import paths, and the concepts that
got a name (the API's paths, the error handler by setting, the version behind an ETag)."""

from __future__ import annotations

import importlib
import re
import warnings
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.checks import run_checks
from django.test import override_settings
from rest_framework.test import APIClient

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "django_typed_api"

#: Old module path -> a name it defined -> where that name lives now.
MOVED = [
    ("django_typed_api.schema", "TypedAutoSchema", "django_typed_api.openapi.schema"),
    ("django_typed_api.schema", "view_nouns", "django_typed_api.openapi.operations"),
    ("django_typed_api.error_schema", "ErrorSchemaMixin", "django_typed_api.openapi.errors"),
    (
        "django_typed_api.error_schema",
        "field_error_schema",
        "django_typed_api.openapi.field_errors",
    ),
    ("django_typed_api.enums", "postprocess_enums", "django_typed_api.openapi.enums"),
    ("django_typed_api.generation", "memo", "django_typed_api.openapi.generation"),
    ("django_typed_api.views", "TypedSchemaView", "django_typed_api.openapi.views"),
    ("django_typed_api.auth.schema", "LoginViewSchema", "django_typed_api.openapi.auth"),
    ("django_typed_api.auth.schema", "SecuritySchemaMixin", "django_typed_api.openapi.security"),
    ("django_typed_api.exceptions", "exception_handler", "django_typed_api.errors.handler"),
    ("django_typed_api.exceptions", "Conflict", "django_typed_api.errors.exceptions"),
    ("django_typed_api.formatters", "ErrorFormatter", "django_typed_api.errors.formatter"),
    (
        "django_typed_api.middleware",
        "ErrorEnvelopeMiddleware",
        "django_typed_api.errors.middleware",
    ),
    ("django_typed_api.defaults", "REST_FRAMEWORK", "django_typed_api.presets"),
    (
        "django_typed_api.security",
        "APISecurityHeadersMiddleware",
        "django_typed_api.security_headers",
    ),
    ("django_typed_api.validation", "check_json_types", "django_typed_api.strict.json_types"),
    ("django_typed_api.validation", "NOT_BLANK", "django_typed_api.openapi.strings"),
    (
        "django_typed_api.concurrency",
        "ConditionalSchemaMixin",
        "django_typed_api.openapi.conditional",
    ),
]


@pytest.mark.parametrize(("old", "name", "new"), MOVED)
def test_an_old_import_path_still_works_and_names_the_new_one(
    old: str, name: str, new: str
) -> None:
    module = importlib.import_module(old)
    with pytest.warns(DeprecationWarning, match=re.escape(f"moved to {new}.{name}")):
        value = getattr(module, name)
    assert value is getattr(importlib.import_module(new), name)


def test_an_old_settings_string_still_resolves() -> None:
    from django.utils.module_loading import import_string

    from django_typed_api.errors import exception_handler

    with pytest.warns(DeprecationWarning):
        assert import_string("django_typed_api.exceptions.exception_handler") is exception_handler


def test_no_module_is_over_400_lines() -> None:
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text().splitlines()) for p in PACKAGE.rglob("*.py")
    }
    assert {path: n for path, n in sizes.items() if n > 400} == {}


def test_the_package_imports_no_old_path_itself() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        for path in PACKAGE.rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            importlib.import_module(name)


def test_serving_requests_does_not_import_the_schema_side() -> None:
    """The viewsets reach drf-spectacular only when a schema is generated."""
    source = (PACKAGE / "viewsets.py").read_text() + (PACKAGE / "concurrency.py").read_text()
    assert "drf_spectacular" not in re.sub(r'"[^"\n]*"', "", source)
    assert not re.search(r"^from \.openapi|^import .*openapi", source, re.M)


def test_schema_modules_do_not_import_auth_views_or_the_test_client() -> None:
    for path in (PACKAGE / "openapi").glob("*.py"):
        text = path.read_text()
        assert "rest_framework.test" not in text, path
        assert not re.search(r"from \.\.auth(\.views)? import views|auth\.views import", text), path


# -- the API's paths --------------------------------------------------------------------------


@override_settings(TYPED_API={"API_PATHS": ["/api/", "/v2/"]})
def test_api_paths_put_the_envelope_under_every_prefix(client) -> None:
    response = client.get("/v2/nope/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response["X-Content-Type-Options"] == "nosniff"


@override_settings(TYPED_API={"ERROR_ENVELOPE_PATHS": ["/v2/"]})
def test_the_old_api_paths_key_is_still_read_and_reported(client) -> None:
    assert client.get("/v2/nope/").json()["code"] == "not_found"
    assert "django_typed_api.W003" in {message.id for message in run_checks()}


@override_settings(TYPED_API={"API_PATHS": ["/api/", "/v2/"]}, CORS_URLS_REGEX=r"^(?:/api/)")
def test_cors_that_misses_an_api_path_is_reported() -> None:
    messages = [m for m in run_checks() if m.id == "django_typed_api.W004"]
    assert len(messages) == 1 and "/v2/" in messages[0].msg


def test_cors_preset_follows_the_api_paths_it_is_given() -> None:
    from django_typed_api import presets

    pattern = presets.cors(["http://a.test"], api_paths=["/api/", "/v2/"])["CORS_URLS_REGEX"]
    assert re.match(pattern, "/v2/things/") and re.match(pattern, "/api/x/")
    assert not re.match(pattern, "/admin/")


# -- the error handler by setting ---------------------------------------------------------------


class TeapotHandler:
    """Stands for a project's handler: answers every error with its own body."""

    def handle(self, exc, context):
        from rest_framework.response import Response

        return Response({"teapot": type(exc).__name__}, status=418)


def test_the_error_handler_is_swapped_by_setting(auth_client, db) -> None:
    with override_settings(TYPED_API={"ERROR_HANDLER": "tests.test_layout.TeapotHandler"}):
        response = auth_client.get("/api/vacancies/00000000-0000-0000-0000-000000000000/")
    assert (response.status_code, response.json()) == (418, {"teapot": "Http404"})


# -- the version behind an ETag -----------------------------------------------------------------


@pytest.fixture
def group(db) -> Group:
    return Group.objects.create(name="editors")


@override_settings(ROOT_URLCONF="tests.urls_unversioned")
def test_a_model_without_updated_at_is_versioned_by_its_representation(
    auth_client: APIClient, group: Group
) -> None:
    first = auth_client.get(f"/api/groups/{group.pk}/")
    assert first.status_code == 200 and first["ETag"].startswith('"')
    changed = auth_client.patch(
        f"/api/groups/{group.pk}/", {"name": "writers"}, HTTP_IF_MATCH=first["ETag"]
    )
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert changed["ETag"] == auth_client.get(f"/api/groups/{group.pk}/")["ETag"]


@override_settings(ROOT_URLCONF="tests.urls_unversioned")
def test_a_stale_representation_tag_is_refused(auth_client: APIClient, group: Group) -> None:
    stale = auth_client.get(f"/api/groups/{group.pk}/")["ETag"]
    Group.objects.filter(pk=group.pk).update(name="someone else's edit")
    response = auth_client.patch(f"/api/groups/{group.pk}/", {"name": "mine"}, HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert Group.objects.get(pk=group.pk).name == "someone else's edit"


@override_settings(ROOT_URLCONF="tests.urls_unversioned")
def test_a_viewset_with_only_get_queryset_can_be_updated_and_deleted(
    auth_client: APIClient, group: Group
) -> None:
    """The row lock asks the view's own ``get_queryset()``, not DRF's ``queryset``."""
    tag = auth_client.get(f"/api/own-groups/{group.pk}/")["ETag"]
    changed = auth_client.patch(f"/api/own-groups/{group.pk}/", {"name": "x"}, HTTP_IF_MATCH=tag)
    assert (changed.status_code, changed.json()) == (200, {"id": group.pk, "name": "x"})
    assert auth_client.delete(f"/api/own-groups/{group.pk}/").status_code == 204
    assert not Group.objects.filter(pk=group.pk).exists()


def test_every_import_path_in_the_docs_resolves_without_a_deprecation() -> None:
    """Dotted paths (``django_typed_api.errors.ErrorFormatter``) and ``from x import y`` lines
    in the README and docs, so a reader never copies a path that fails or warns."""
    from django.utils.module_loading import import_string

    moved_table = ROOT / "docs" / "reference" / "package-layout.md"  # lists the old paths
    pages = [ROOT / "README.md", *(p for p in (ROOT / "docs").rglob("*.md") if p != moved_table)]
    text = "\n".join(page.read_text() for page in pages)
    paths = set(re.findall(r"\b(django_typed_api(?:\.\w+)+)", text))
    paths = {p for p in paths if not re.fullmatch(r"django_typed_api\.[EW]\d{3}", p)}
    for module, names in re.findall(r"from (django_typed_api[\w.]*) import ([\w, ]+)", text):
        paths |= {f"{module}.{name.strip()}" for name in names.split(",") if name.strip()}
    assert len(paths) > 20
    broken = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        for path in sorted(paths):
            try:
                importlib.import_module(path)
            except ImportError:
                try:
                    import_string(path)
                except (ImportError, DeprecationWarning) as exc:
                    broken.append(f"{path}: {exc}")
            except DeprecationWarning as exc:
                broken.append(f"{path}: {exc}")
    assert broken == []


def test_the_json_type_check_asks_the_schema_once_per_operation(
    auth_client: APIClient, db, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not on every write: the request body's serializer is remembered per view and method."""
    from django_typed_api.strict import json_types

    calls: list[str] = []
    real = json_types._inspect_request_serializer

    def counting(view, request, method):
        calls.append(method)
        return real(view, request, method)

    monkeypatch.setattr(json_types, "_inspect_request_serializer", counting)
    monkeypatch.setattr(json_types, "_SERIALIZERS", {})
    for _ in range(3):
        response = auth_client.post("/api/vacancies/", {"title": 7}, format="json")
        assert response.status_code == 400 and response.json()["error"]["title"]
    assert calls == ["POST"]
