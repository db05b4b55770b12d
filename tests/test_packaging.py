"""Release readiness: what ``python -m build`` produces is complete, valid and works.

The wheel is built from the sdist (``python -m build``'s default), so a file missing from the
sdist is caught too; then it is installed with its runtime dependencies only into a fresh venv
where a minimal project runs the package's management commands.
"""

from __future__ import annotations

import email
import email.policy
import re
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import django_typed_api

from .packaging_utils import (
    ROOT,
    Dists,
    build_dists,
    run,
    run_failing,
    wheel_venv,
)

pytestmark = [pytest.mark.packaging, pytest.mark.integration]

TEMPLATES = ROOT / "templates" / "svelte"
IGNORED_NAMES = {".DS_Store", "__pycache__", "node_modules"}


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Dists:
    return build_dists(tmp_path_factory)


def wheel_names(dists: Dists) -> set[str]:
    with zipfile.ZipFile(dists.wheel) as wheel:
        return set(wheel.namelist())


def wheel_metadata(dists: Dists) -> email.message.Message:
    with zipfile.ZipFile(dists.wheel) as wheel:
        name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_bytes(wheel.read(name), policy=email.policy.compat32)


def shipped_templates() -> list[str]:
    return sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*")
        if path.is_file() and not IGNORED_NAMES.intersection(path.relative_to(TEMPLATES).parts)
    )


# -- the distributions ---------------------------------------------------------------------


def test_wheel_and_sdist_pass_twine_check_strict(dists: Dists) -> None:
    output = run(
        [sys.executable, "-m", "twine", "check", "--strict", str(dists.wheel), str(dists.sdist)],
        ROOT,
    )
    assert output.count("PASSED") == 2, output


def test_wheel_ships_py_typed_and_every_svelte_template(dists: Dists) -> None:
    names = wheel_names(dists)
    assert "django_typed_api/py.typed" in names
    templates = shipped_templates()
    assert templates, "templates/svelte is empty"
    missing = [t for t in templates if f"django_typed_api/templates_svelte/{t}" not in names]
    assert missing == []


def test_wheel_ships_the_typescript_worker_and_its_pinned_lockfile(dists: Dists) -> None:
    """sync_types runs node/worker.mjs and installs openapi-typescript from the lockfile."""
    names = wheel_names(dists)
    for name in ("worker.mjs", "package.json", "package-lock.json"):
        assert f"django_typed_api/typesync/node/{name}" in names


def test_wheel_holds_only_the_package(dists: Dists) -> None:
    top_level = {name.split("/", 1)[0] for name in wheel_names(dists)}
    assert top_level == {
        "django_typed_api",
        f"django_typed_api-{django_typed_api.__version__}.dist-info",
    }


def test_sdist_holds_what_a_rebuild_and_a_reader_need(dists: Dists) -> None:
    with tarfile.open(dists.sdist) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    for needed in (
        "pyproject.toml",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "django_typed_api/py.typed",
        "django_typed_api/__init__.py",
    ):
        assert needed in names
    assert {f"templates/svelte/{t}" for t in shipped_templates()} <= names


def test_version_is_defined_once_in_the_package(dists: Dists) -> None:
    import tomllib  # Python 3.11+; this suite runs on the dev venv, not the tox matrix

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert wheel_metadata(dists)["Version"] == django_typed_api.__version__
    assert dists.wheel.name.startswith(f"django_typed_api-{django_typed_api.__version__}-")


def test_changelog_lists_unreleased_changes_first_and_no_release_that_was_not_cut() -> None:
    """Entries wait under Unreleased; a version heading appears when its tag is cut (the release
    workflow checks the tag against ``__version__`` and this heading)."""
    changelog = (ROOT / "CHANGELOG.md").read_text()
    headings = re.findall(r"^## \[([^\]]+)\]", changelog, re.M)
    assert headings[0] == "Unreleased"
    for version in headings[1:]:
        assert re.search(
            rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M
        )
        assert f"[{version}]: " in changelog, f"no link for {version}"


def test_metadata_names_licence_python_and_project_urls(dists: Dists) -> None:
    metadata = wheel_metadata(dists)
    assert metadata["Name"] == "django-typed-api"
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Requires-Python"] == ">=3.10"
    urls = dict(value.split(", ", 1) for value in metadata.get_all("Project-URL"))
    assert {"Homepage", "Documentation", "Changelog"} <= set(urls)
    assert metadata["Description-Content-Type"] == "text/markdown"
    runtime = [r for r in metadata.get_all("Requires-Dist") if "extra ==" not in r]
    assert not [r for r in runtime if r.lower().startswith(("pytest", "ruff", "mypy", "mkdocs"))]


# -- the wheel in a fresh venv and a minimal project ---------------------------------------

SETTINGS = """\
from pathlib import Path

from django_typed_api import presets

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "packaging-test"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
ROOT_URLCONF = "shop.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "django_typed_api",
    "catalog",
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
USE_TZ = True
MIDDLEWARE = ["django_typed_api.errors.ErrorEnvelopeMiddleware"]
REST_FRAMEWORK = {**presets.REST_FRAMEWORK}
SPECTACULAR_SETTINGS = {**presets.SPECTACULAR_SETTINGS, "TITLE": "Shop API"}
"""

MODELS = """\
from django.db import models

from django_typed_api.models import BaseModel


class ProductCategory(BaseModel):
    name = models.CharField(max_length=100)
"""

VIEWS = """\
from rest_framework import serializers

from django_typed_api.viewsets import TypedModelViewSet

from .models import ProductCategory


class ProductCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductCategory
        fields = ["id", "name", "created_at"]


class ProductCategoryViewSet(TypedModelViewSet):
    queryset = ProductCategory.objects.all()
    serializer_class = ProductCategorySerializer
"""

URLS = """\
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from catalog.views import ProductCategoryViewSet

router = DefaultRouter()
router.register("categories", ProductCategoryViewSet)

urlpatterns = [
    path("api/", include(router.urls)),
    path("api/", include("django_typed_api.urls")),
]
"""

MANAGE = """\
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
from django.core.management import execute_from_command_line

execute_from_command_line(sys.argv)
"""


class Project:
    def __init__(self, root: Path, venv: Path) -> None:
        self.root, self.venv = root, venv

    def manage(self, *args: str) -> str:
        return run([str(self.venv / "bin" / "python"), "manage.py", *args], self.root)


@pytest.fixture(scope="module")
def project(dists: Dists, tmp_path_factory: pytest.TempPathFactory) -> Project:
    venv = wheel_venv(tmp_path_factory)
    root = tmp_path_factory.mktemp("fresh") / "project"
    files = {
        "manage.py": MANAGE,
        "shop/__init__.py": "",
        "shop/settings.py": SETTINGS,
        "shop/urls.py": URLS,
        "catalog/__init__.py": "",
        "catalog/models.py": MODELS,
        "catalog/views.py": VIEWS,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return Project(root, venv)


def test_the_installed_package_is_the_wheel_not_the_checkout(project: Project) -> None:
    code = "import django_typed_api, sys; print(django_typed_api.__file__)"
    where = run([str(project.venv / "bin" / "python"), "-c", code], project.root).strip()
    assert where.startswith(str(project.venv)), where


def test_manage_py_check_passes_in_a_fresh_project(project: Project) -> None:
    assert "System check identified no issues" in project.manage("check")


def test_sync_types_schema_only_writes_the_typed_schema(project: Project) -> None:
    project.manage("sync_types", "--schema-only")
    schema = (project.root / "schema.yaml").read_text()
    ids = re.findall(r"operationId: (\w+)", schema)
    assert sorted(ids) == sorted(
        [
            "listProductCategories",
            "createProductCategory",
            "retrieveProductCategory",
            "updateProductCategory",
            "partialUpdateProductCategory",
            "destroyProductCategory",
            "login",
            "refreshToken",
            "verifyToken",
            "logout",
            "logoutAll",
        ]
    )
    assert not (project.root / "frontend").exists(), "--schema-only must not run TypeScript"


def test_typed_api_svelte_copies_the_generic_templates_from_the_wheel(project: Project) -> None:
    dest = project.root / "frontend" / "src" / "lib"
    output = project.manage("typed_api_svelte", "--dest", str(dest))
    for name in shipped_templates():
        if name.startswith("examples/"):
            assert not (dest / name).exists(), f"{name} is only copied with --examples"
        else:
            assert (dest / name).read_bytes() == (TEMPLATES / name).read_bytes()
            assert str(dest / name) in output
    output = project.manage("typed_api_svelte", "--dest", str(dest), "--examples")
    for name in shipped_templates():
        assert (dest / name).read_bytes() == (TEMPLATES / name).read_bytes()


def test_typed_api_svelte_refuses_to_overwrite_an_edited_file_without_force(
    project: Project,
) -> None:
    dest = project.root / "frontend-edited" / "src" / "lib"
    project.manage("typed_api_svelte", "--dest", str(dest))
    edited = dest / shipped_templates()[0]
    edited.write_text("// my own changes\n")
    command = [str(project.venv / "bin" / "python"), "manage.py", "typed_api_svelte"]
    refused = run_failing([*command, "--dest", str(dest)], project.root)
    assert str(edited) in refused and "--force" in refused
    assert edited.read_text() == "// my own changes\n"
    project.manage("typed_api_svelte", "--dest", str(dest), "--force")
    assert edited.read_bytes() == (TEMPLATES / shipped_templates()[0]).read_bytes()
