"""The documentation states what the code does: tables, settings and check ids are checked
against the package itself, so a change in behaviour that leaves a page behind fails here.

(The pages' code blocks are executed by ``test_docs_quickstart.py``; ``make docs`` builds the
site with warnings as errors.)
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from django.db import models
from django.test import override_settings
from django.test.utils import isolate_apps
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action, api_view
from rest_framework.generics import ListCreateAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from vacancies.models import Vacancy
from vacancies.serializers import VacancySerializer

import django_typed_api
from django_typed_api.conf import DEFAULTS
from django_typed_api.naming import pluralize
from django_typed_api.viewsets import TypedModelViewSet

from .schema_utils import operation_ids, router_patterns, schema_for

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PACKAGE = Path(django_typed_api.__file__).resolve().parent


def page(name: str) -> str:
    return (DOCS / name).read_text()


def table_rows(markdown: str, header: str) -> list[list[str]]:
    """Cells of the Markdown table whose header row is ``| header |``."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"| {header} |")
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
    return rows


def code_spans(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_docs_reference", ROOT / "scripts" / "gen_docs_reference.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


# -- generated reference pages --------------------------------------------------------------


def test_settings_and_presets_reference_pages_are_generated_from_the_current_code() -> None:
    stale = load_generator().stale_pages()
    assert not stale, "run `make docs-reference` and commit:\n" + "\n".join(stale.values())


def test_every_typed_api_setting_is_documented_with_its_default() -> None:
    literal = load_generator().python_literal
    reference = page("reference/settings.md")
    documented = re.findall(r"^### `(\w+)`", reference, re.MULTILINE)
    assert documented == list(DEFAULTS)
    for key, value in DEFAULTS.items():
        section = reference.split(f"### `{key}`", 1)[1].split("\n##", 1)[0]
        assert f"```python\n{literal(value)}\n```" in section
        assert eval(literal(value), {"datetime": __import__("datetime")}) == value


def test_an_undocumented_setting_is_refused_by_the_generator() -> None:
    generator = load_generator()
    source = 'DEFAULTS = {\n    # Documented.\n    "A": 1,\n    "B": 2,\n\n    "C": 3,\n}\n'
    # B, written right under A, shares its comment; C, after a blank line, has none.
    assert generator.setting_comments(source) == {"A": "Documented.", "B": "Documented.", "C": ""}


# -- troubleshooting covers every system check ------------------------------------------------


def check_ids_in_the_package() -> set[str]:
    ids = set()
    for module in PACKAGE.rglob("*.py"):
        ids |= set(re.findall(r"""id=["'](django_typed_api\.[EW]\d{3})["']""", module.read_text()))
    return ids


def test_every_system_check_has_a_troubleshooting_entry() -> None:
    ids = check_ids_in_the_package()
    assert ids, "no system checks found; is the regex out of date?"
    headings = set(
        re.findall(r"^### `(django_typed_api\.[EW]\d{3})`", page("troubleshooting.md"), re.M)
    )
    assert sorted(ids - headings) == [], "add a ### `id` section to docs/troubleshooting.md"
    assert sorted(headings - ids) == [], "docs/troubleshooting.md explains checks that do not exist"


def quoted_text(markdown: str) -> str:
    """The blockquotes of a page as one whitespace-normalised string."""
    quotes = [line[1:].strip() for line in markdown.splitlines() if line.startswith(">")]
    return " ".join(" ".join(quotes).split())


LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def without_csrf_middleware(settings: Any) -> list[str]:
    return [m for m in settings.MIDDLEWARE if "CsrfViewMiddleware" not in m]


def without_blacklist_app(settings: Any) -> list[str]:
    return [a for a in settings.INSTALLED_APPS if not a.endswith("token_blacklist")]


def without_num_proxies(settings: Any) -> dict[str, Any]:
    return {k: v for k, v in settings.REST_FRAMEWORK.items() if k != "NUM_PROXIES"}


# (check id, settings to apply, the stable start of the message the page must quote)
CHECK_SCENARIOS: list[tuple[str, dict[str, Any], str | None]] = [
    ("django_typed_api.E001", {"TYPED_API": {"MAX_PAGESIZE": 100}}, None),
    ("django_typed_api.E001", {"TYPED_API": ["MAX_PAGE_SIZE"]}, None),
    ("django_typed_api.E040", {"INSTALLED_APPS": without_blacklist_app}, None),
    ("django_typed_api.E041", {"TYPED_API": {"AUTH_CACHE": "auth"}}, None),
    ("django_typed_api.E041", {"CACHES": DUMMY}, None),
    (
        "django_typed_api.E042",
        {"TYPED_API": {"AUTH_LOGIN_THROTTLE_RATES": {"username": "lots"}}},
        "TYPED_API['AUTH_LOGIN_THROTTLE_RATES']['username']:",
    ),
    (
        "django_typed_api.E043",
        {"TYPED_API": {"AUTH_REFRESH_COOKIE": True, "AUTH_COOKIE_SAMESITE": "strict"}},
        None,
    ),
    (
        "django_typed_api.E043",
        {
            "TYPED_API": {
                "AUTH_REFRESH_COOKIE": True,
                "AUTH_COOKIE_SAMESITE": "None",
                "AUTH_COOKIE_SECURE": False,
            }
        },
        None,
    ),
    (
        "django_typed_api.E044",
        {"TYPED_API": {"AUTH_REFRESH_COOKIE": True}, "MIDDLEWARE": without_csrf_middleware},
        None,
    ),
    ("django_typed_api.W040", {"CACHES": LOCMEM}, None),
    (
        "django_typed_api.E020",
        {"MIDDLEWARE": lambda s: [m for m in s.MIDDLEWARE if "ErrorEnvelope" not in m]},
        None,
    ),
    ("django_typed_api.W041", {"REST_FRAMEWORK": without_num_proxies}, None),
    ("django_typed_api.W042", {"ROOT_URLCONF": "tests.urls_unthrottled_admin"}, None),
]


@pytest.mark.parametrize(
    ("check_id", "overrides", "quoted"),
    CHECK_SCENARIOS,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CHECK_SCENARIOS)],
)
def test_troubleshooting_quotes_the_messages_the_checks_really_print(
    settings: Any, check_id: str, overrides: dict[str, Any], quoted: str | None
) -> None:
    from django.core.checks import run_checks

    for name, value in overrides.items():
        setattr(settings, name, value(settings) if callable(value) else value)
    messages = [m for m in run_checks(include_deployment_checks=True) if m.id == check_id]
    assert messages, f"{check_id} was not raised by {overrides}"
    expected = " ".join((quoted or messages[0].msg).split())
    assert expected in quoted_text(page("troubleshooting.md"))


def test_troubleshooting_quotes_the_duplicate_operation_id_hint() -> None:
    from django_typed_api.checks import check_unique_operation_ids

    with override_settings(ROOT_URLCONF="tests.urls_duplicate_ids"):
        error = check_unique_operation_ids(None)[0]
    assert " ".join(str(error.hint).split()) in quoted_text(page("troubleshooting.md"))


# -- the error codes ------------------------------------------------------------------------


def error_codes_the_api_can_answer() -> set[str]:
    """The codes of every exception class DRF, simplejwt and this package define, and the
    codes simplejwt and the package pass when they raise (``code="..."``)."""
    import importlib
    import pkgutil

    import rest_framework.exceptions
    import rest_framework_simplejwt.authentication
    import rest_framework_simplejwt.exceptions

    import django_typed_api

    for module in pkgutil.walk_packages(django_typed_api.__path__, "django_typed_api."):
        if "management" not in module.name:
            importlib.import_module(module.name)

    def subclasses(cls: type) -> set[type]:
        found = set(cls.__subclasses__())
        return found.union(*(subclasses(sub) for sub in found))

    codes = {
        cls.default_code
        for cls in subclasses(rest_framework.exceptions.APIException)
        if cls.__module__.startswith(("rest_framework", "django_typed_api"))
    } - {"error"}  # APIException itself is never raised as such
    # Raised with an explicit code: simplejwt's authentication and login, and refresh-cookie
    # mode's CSRF check (tests/test_auth_cookie.py asserts it on a real response).
    text = Path(rest_framework_simplejwt.authentication.__file__).read_text()
    codes |= set(re.findall(r"""code=["']([a-z_]+)["']""", text))
    codes |= {"no_active_account", "csrf_failed"}
    return codes


def test_every_error_code_is_in_the_catalogue() -> None:
    from django_typed_api.errors.catalogue import all_codes

    codes = error_codes_the_api_can_answer()
    assert {"invalid", "not_found", "token_not_valid", "conflict", "server_error"} <= codes
    assert sorted(codes - set(all_codes())) == []


def test_every_package_exception_has_its_status_in_the_catalogue() -> None:
    from rest_framework.exceptions import APIException

    from django_typed_api.errors import exceptions
    from django_typed_api.errors.catalogue import for_status

    for cls in vars(exceptions).values():
        if isinstance(cls, type) and issubclass(cls, APIException) and "default_code" in vars(cls):
            codes = [code.code for code in for_status(cls.status_code).codes]
            assert cls.default_code in codes, (cls, cls.status_code)


# -- the site's structure ---------------------------------------------------------------------


def test_every_page_is_in_the_navigation() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())

    def walk(node: Any) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, list):
            return [p for item in node for p in walk(item)]
        return [p for value in node.values() for p in walk(value)]

    in_nav = set(walk(config["nav"]))
    pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    assert sorted(pages - in_nav) == []
    assert sorted(in_nav - pages) == []


# -- the naming page --------------------------------------------------------------------------


def golden_operations() -> dict[str, dict[str, Any]]:
    schema = yaml.safe_load((ROOT / "testproject" / "schema.yaml").read_text())
    return {
        op["operationId"]: op
        for item in schema["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }


def test_naming_table_is_the_testproject_schema() -> None:
    rows = table_rows(page("concepts/naming.md"), "View | operationId | Summary")
    golden = golden_operations()
    assert len(rows) >= 9
    for _view, op_cell, summary in rows:
        (op_id,) = code_spans(op_cell)
        assert op_id in golden, f"{op_id} is not in testproject/schema.yaml"
        assert golden[op_id]["summary"] == summary


def test_authentication_security_table_is_the_testproject_schema() -> None:
    rows = table_rows(page("concepts/authentication.md"), "Operations | `security`")
    golden = golden_operations()
    assert len(rows) == 3
    for ops_cell, security_cell in rows:
        documented = yaml.safe_load(code_spans(security_cell)[0])
        for op_id in code_spans(ops_cell):
            assert golden[op_id]["security"] == documented, op_id


def test_naming_table_for_other_views_is_what_the_generator_gives() -> None:
    from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

    class NotesSerializer(serializers.Serializer):
        text = serializers.CharField()

    class VacancyViewSet(TypedModelViewSet):
        queryset = Vacancy.objects.all()
        serializer_class = VacancySerializer

        @extend_schema(request=None, responses=VacancySerializer)
        @action(detail=True, methods=["post"])
        def publish(self, request: Request, pk: str) -> Response:
            raise NotImplementedError

        @extend_schema(request=NotesSerializer, responses=NotesSerializer)
        @action(detail=False, methods=["get", "put"])
        def notes(self, request: Request) -> Response:
            raise NotImplementedError

        @extend_schema(responses=VacancySerializer(many=True))
        @action(detail=True)
        def related(self, request: Request, pk: str) -> Response:
            raise NotImplementedError

        @extend_schema(responses=VacancySerializer)
        @action(detail=False)
        def current(self, request: Request) -> Response:
            raise NotImplementedError

    @extend_schema(request=NotesSerializer, responses=NotesSerializer)
    @api_view(["GET", "POST"])
    def saved_searches(request: Request) -> Response:
        raise NotImplementedError

    @extend_schema(responses=NotesSerializer)
    @api_view(["GET"])
    def view_func(request: Request) -> Response:
        raise NotImplementedError

    class VacancyList(ListCreateAPIView):
        queryset = Vacancy.objects.all()
        serializer_class = VacancySerializer

    class ReportAPIView(APIView):
        @extend_schema(responses=NotesSerializer)
        def get(self, request: Request) -> Response:
            raise NotImplementedError

    class Renamed(VacancyList):
        @extend_schema(operation_id="findVacancies")
        def get(self, request: Request) -> Response:
            raise NotImplementedError

    # One schema per view: the ones below overlap on purpose (listVacancies twice).
    generated = {
        op_id
        for patterns in (
            router_patterns(("vacancies", VacancyViewSet)),
            [path("saved/", saved_searches)],
            [path("health/", view_func)],
            [path("list/", VacancyList.as_view())],
            [path("report/", ReportAPIView.as_view())],
            [path("renamed/", Renamed.as_view())],
            [path("token/", TokenObtainPairView.as_view())],
            [path("token/refresh/", TokenRefreshView.as_view())],
        )
        for op_id in operation_ids(schema_for(patterns)).values()
    }
    rows = table_rows(page("concepts/naming.md"), "View | operationId")
    documented = {op for _view, ids in rows for op in code_spans(ids)}
    assert {"publishVacancy", "listRelatedVacancies", "retrieveHealth"} <= documented
    assert documented <= generated
    assert "findVacancies" in generated  # the extend_schema row


def test_collision_table_is_what_the_generator_gives() -> None:
    class VacancyViewSet(TypedModelViewSet):
        queryset = Vacancy.objects.all()
        serializer_class = VacancySerializer

    class ArchivedVacancyViewSet(VacancyViewSet):
        pass

    def listing(viewset: type) -> Any:
        return viewset.as_view({"get": "list"})

    schemas = [
        [path("vacancies/", listing(VacancyViewSet)), path(route, listing(viewset))]
        for route, viewset in (
            ("companies/<int:company_pk>/vacancies/", VacancyViewSet),
            ("archive/", ArchivedVacancyViewSet),
            ("vacancies.json", VacancyViewSet),
            ("openings/", VacancyViewSet),
        )
    ]
    schemas.append(
        [
            path("v1/vacancies/", listing(VacancyViewSet)),
            path("v2/vacancies/", listing(VacancyViewSet)),
        ]
    )
    generated = [sorted(operation_ids(schema_for(patterns)).values()) for patterns in schemas]
    rows = table_rows(page("concepts/naming.md"), "Would collide | Before | Now")
    documented = [sorted(code_spans(now)) for _case, _before, now in rows]
    assert sorted(documented) == sorted(generated)


def test_plural_table_is_what_the_pluralizer_gives() -> None:
    rows = table_rows(page("concepts/naming.md"), "Noun | Plural")
    assert len(rows) >= 8
    for noun_cell, plural_cell in rows:
        assert pluralize(code_spans(noun_cell)[0]) == code_spans(plural_cell)[0]


@isolate_apps("vacancies")
def test_enum_table_names_are_what_the_schema_gives() -> None:
    class Office(models.Model):
        kind = models.CharField(max_length=10, choices=[("hq", "HQ"), ("branch", "Branch")])

        class Meta:
            app_label = "vacancies"

    class OfficeSerializer(serializers.ModelSerializer):
        class Meta:
            model = Office
            fields = ["kind"]

    class JobSearchSerializer(serializers.Serializer):
        sort = serializers.ChoiceField(choices=[("newest", "Newest"), ("salary", "Salary")])

    class OfficeViewSet(TypedModelViewSet):
        queryset = Office.objects.none()
        serializer_class = OfficeSerializer

    @extend_schema(request=JobSearchSerializer, responses=JobSearchSerializer)
    @api_view(["POST"])
    def search_jobs(request: Request) -> Response:
        raise NotImplementedError

    generated = set(
        schema_for([*router_patterns(("offices", OfficeViewSet)), path("s/", search_jobs)])[
            "components"
        ]["schemas"]
    )
    golden = yaml.safe_load((ROOT / "testproject" / "schema.yaml").read_text())
    available = generated | set(golden["components"]["schemas"])
    rows = table_rows(page("concepts/naming.md"), "Choices | Component")
    for _choices, component in rows:
        assert code_spans(component)[0] in available


def test_optimizer_page_example_is_the_plan_for_the_testproject_serializer() -> None:
    from django_typed_api.optimizer import plan_for

    text = page("concepts/optimizer.md")
    selects = re.search(r"select_related\(([^)]*)\)\n#\s+\.prefetch_related\(([^)]*)\)", text)
    assert selects, "the example at the top of docs/concepts/optimizer.md moved"
    plan = plan_for(VacancySerializer)
    assert sorted(re.findall(r'"(\w+)"', selects.group(1))) == sorted(plan.select_related)
    assert sorted(re.findall(r'"(\w+)"', selects.group(2))) == sorted(plan.prefetch_related)


@pytest.mark.parametrize("name", ["CHANGELOG.md", "CONTRIBUTING.md"])
def test_root_documents_are_part_of_the_site(name: str) -> None:
    included = page(name.lower())
    assert f'--8<-- "{name}"' in included


# -- the docs runner itself -----------------------------------------------------------------


def test_docs_runner_refuses_a_block_it_cannot_run() -> None:
    from .docs_runner import plan

    with pytest.raises(AssertionError, match="cannot run"):
        plan("```python\nprint('no file comment')\n```\n")


def test_docs_runner_writes_files_runs_commands_and_compares_output(tmp_path: Path) -> None:
    from .docs_runner import Runner, plan

    markdown = (
        "```python\n# pkg/hello.py\nGREETING = 'hello'\n```\n\n"
        "```bash\nmkdir -p sub\ncd sub\n```\n\n"
        "```bash\npwd | xargs basename\n"
        "cat ../pkg/hello.py | tail -n 1\n```\n\n"
        "```text\nsub\nGREETING = 'hello'\n```\n\n"
        "<!-- docs-test: skip (a server) -->\n```bash\nsleep 1000\n```\n"
    )
    steps = plan(markdown)
    assert [b.skip for b in steps.skipped] == ["a server"]
    Runner(project=tmp_path, venv=tmp_path / "no-venv").run(steps)

    wrong = markdown.replace("```text\nsub\n", "```text\nelsewhere\n")
    with pytest.raises(AssertionError, match="not what the commands print"):
        Runner(project=tmp_path, venv=tmp_path / "no-venv").run(plan(wrong))


def test_troubleshooting_quotes_the_uninspectable_view_hint() -> None:
    from django_typed_api.checks import check_unique_operation_ids

    from . import urls_versioning

    with override_settings(ROOT_URLCONF=urls_versioning.broken):
        warning, *_ = check_unique_operation_ids(None)
    assert warning.id == "django_typed_api.W002"
    assert " ".join(str(warning.hint).split()) in quoted_text(page("troubleshooting.md"))
