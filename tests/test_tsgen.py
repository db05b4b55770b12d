"""The generated resource layer (``django_typed_api.tsgen``), read off the test project's schema.

The golden files under testproject/frontend/src/lib/api/generated/ are reviewed output; that
they compile and work is shown by svelte-check on the Kit 2 and Kit 3 scaffolds and by the
Playwright suite (``make test-frontend``), which drive the app through them.
"""

from __future__ import annotations

import copy
import io
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from django_typed_api.tsgen import (
    HEADER,
    GeneratorError,
    render_resource_layer,
    write_resource_layer,
)

TESTPROJECT = Path(__file__).resolve().parent.parent / "testproject"
GENERATED = TESTPROJECT / "frontend" / "src" / "lib" / "api" / "generated"
COPY = [sys.executable, "-c", "import shutil, sys; shutil.copy(sys.argv[1], sys.argv[2])"]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return yaml.safe_load((TESTPROJECT / "schema.yaml").read_text())


@pytest.fixture(scope="module")
def files(schema: dict[str, Any]) -> dict[str, str]:
    return render_resource_layer(schema)


def exported_names(text: str) -> list[str]:
    return re.findall(r"^export (?:const|function|type|interface) (\w+)", text, re.MULTILINE)


def request(text: str, operation_id: str) -> str:
    """The ``{operationId}Request`` a query or mutation calls, on one line."""
    match = re.search(rf"^const {operation_id}Request = .*?;$", text, re.MULTILINE | re.DOTALL)
    assert match, f"{operation_id}Request is not generated"
    return re.sub(r"\s+", " ", match.group(0)).replace("( ", "(").replace(" )", ")")


def function(text: str, name: str) -> str:
    """One exported function's source on one line (however it was wrapped to fit)."""
    match = re.search(rf"^export function {name}\(.*?^}}$", text, re.MULTILINE | re.DOTALL)
    assert match, f"{name} is not generated"
    return re.sub(r"\s+", " ", match.group(0)).replace("( ", "(").replace(" )", ")")


def test_the_committed_layer_is_what_the_committed_schema_generates(files: dict[str, str]) -> None:
    committed = {path.name: path.read_text() for path in sorted(GENERATED.glob("*.ts"))}
    assert list(committed) == list(files), "run `make schema`, review and commit generated/"
    for name, text in files.items():
        assert committed[name] == text, f"generated/{name} is stale: run `make schema` and review"


def test_the_testproject_exports(files: dict[str, str]) -> None:
    """The closing figure of issue 16: every name the test project's front end can import."""
    names = {name: exported_names(text) for name, text in files.items() if name != "index.ts"}
    for name, exported in names.items():
        print(f"{name}: {', '.join(exported)}")
    assert {
        "listVacanciesOptions",
        "retrieveVacancyOptions",
        "searchVacanciesOptions",
        "createVacancyMutation",
        "updateVacancyMutation",
        "partialUpdateVacancyMutation",
        "destroyVacancyMutation",
        "PartialUpdateVacancyError",
    } <= set(names["vacancies.ts"])
    assert names["vacancies.ts"][:2] == ["Vacancy", "vacancyKeys"]
    assert names["jobs.ts"] == [
        "SearchJobsParams",
        "SearchJobsBody",
        "SearchJobsError",
        "SearchJobsData",
        "searchJobsOptions",
    ]
    assert names["enums.ts"] == [
        "CompanySize",
        "CompanySize",
        "EmploymentType",
        "EmploymentType",
        "VacancyExperienceLevel",
        "VacancyExperienceLevel",
        "VacancyStatus",
        "VacancyStatus",
    ]


def test_every_file_is_marked_generated_and_rendering_is_deterministic(
    schema: dict[str, Any], files: dict[str, str]
) -> None:
    assert all(text.startswith(HEADER) for text in files.values())
    assert render_resource_layer(copy.deepcopy(schema)) == files


def test_lines_fit_the_templates_width(files: dict[str, str]) -> None:
    long = [
        (name, line)
        for name, text in files.items()
        for line in text.splitlines()
        if len(line) > 100
    ]
    assert long == []


def test_index_reexports_every_module(files: dict[str, str]) -> None:
    modules = sorted(name.removesuffix(".ts") for name in files if name != "index.ts")
    exported = re.findall(r"^export \* from '\./([\w-]+)';$", files["index.ts"], re.MULTILINE)
    assert sorted(exported) == modules


def test_auth_operations_are_left_to_the_auth_store(files: dict[str, str]) -> None:
    assert "auth.ts" not in files
    assert not any("loginMutation" in text or "/api/auth/" in text for text in files.values())


def test_a_list_is_a_query_on_the_list_key_with_the_list_stale_time(files: dict[str, str]) -> None:
    source = function(files["vacancies.ts"], "listVacanciesOptions")
    assert "params: ListVacanciesParams = {}" in source
    assert "queryKey: vacancyKeys.list(params)" in source
    assert "queryFn: ({ signal }) => listVacanciesRequest(params, signal)" in source
    assert "apiClient.GET('/api/vacancies/', { params: { query: params }, signal })" in request(
        files["vacancies.ts"], "listVacancies"
    )
    assert "staleTime: LIST_STALE_TIME" in source
    assert "placeholderData: keepPreviousData" in source


def test_a_retrieve_with_an_etag_returns_the_item_with_its_etag(files: dict[str, str]) -> None:
    source = function(files["vacancies.ts"], "retrieveVacancyOptions")
    assert "retrieveVacancyOptions(id: string)" in source
    assert "queryKey: vacancyKeys.detail(id)" in source
    assert "unwrapVersioned(apiClient.GET('/api/vacancies/{id}/'" in request(
        files["vacancies.ts"], "retrieveVacancy"
    )
    assert "staleTime: DETAIL_STALE_TIME" in source
    # Companies are read without an ETag in the schema: the bare item.
    company = function(files["companies.ts"], "retrieveCompanyOptions")
    assert "retrieveCompanyOptions(slug: string)" in company
    assert "unwrap(apiClient.GET('/api/companies/{slug}/'" in request(
        files["companies.ts"], "retrieveCompany"
    )


def test_an_x_query_post_is_a_query_on_the_keys_of_what_it_returns(files: dict[str, str]) -> None:
    """searchJobs returns vacancies: a vacancy write must refresh it, so it uses vacancyKeys."""
    source = function(files["jobs.ts"], "searchJobsOptions")
    assert "searchJobsOptions(body: SearchJobsBody, params: SearchJobsParams = {})" in source
    assert "queryKey: vacancyKeys.search({ ...params, body })" in source
    assert "import { vacancyKeys } from './vacancies';" in files["jobs.ts"]
    assert "searchJobsMutation" not in files["jobs.ts"]


def test_writes_send_if_match_exactly_where_the_schema_takes_it(files: dict[str, str]) -> None:
    text = files["vacancies.ts"]
    for operation in ("updateVacancy", "partialUpdateVacancy", "destroyVacancy"):
        request = re.search(rf"const {operation}Request = .*?;\n", text, re.DOTALL)
        assert request and "header: ifMatch(etag)" in request.group(0), operation
    create = re.search(r"const createVacancyRequest = .*?;\n", text, re.DOTALL)
    assert create and "ifMatch" not in create.group(0)


def test_mutations_invalidate_exactly_the_resource_keys(files: dict[str, str]) -> None:
    text = files["vacancies.ts"]
    for operation in ("create", "update", "partialUpdate", "destroy"):
        source = function(text, f"{operation}VacancyMutation")
        assert f"mutationKey: [...vacancyKeys.all, '{operation}Vacancy']" in source
        assert re.findall(r"invalidateQueries\(\{ queryKey: (.*?) \}\)", source) == [
            "vacancyKeys.lists()"
        ]
    update = function(text, "partialUpdateVacancyMutation")
    assert "queryClient.setQueryData(vacancyKeys.detail(id), data);" in update
    destroy = function(text, "destroyVacancyMutation")
    assert "queryClient.removeQueries({ queryKey: vacancyKeys.detail(id) });" in destroy


def test_optimistic_updates_are_opt_in_and_rolled_back(files: dict[str, str]) -> None:
    text = files["vacancies.ts"]
    for operation, kind in (
        ("createVacancyMutation", "(body: CreateVacancyBody) => Vacancy"),
        (
            "partialUpdateVacancyMutation",
            "(item: Vacancy, body: PartialUpdateVacancyBody) => Vacancy",
        ),
        ("destroyVacancyMutation", "boolean"),
    ):
        source = function(text, operation)
        assert f"{kind}> = {{}}" in source.replace(f"{kind} >", f"{kind}>"), operation
        assert "return { saved: [] };" in source, f"{operation}: optimistic without opting in"
        assert "restore(queryClient, optimism?.saved);" in source


def test_errors_are_typed_per_operation(files: dict[str, str]) -> None:
    assert (
        "export type PartialUpdateVacancyError = "
        "OperationError<operations['partialUpdateVacancy']>;" in files["vacancies.ts"]
    )


def test_queries_carry_their_operation_error_type(files: dict[str, str]) -> None:
    """TanStack infers a query's data but not what its queryFn throws: without the explicit
    type, ``query.error`` would be the global ApiError and never narrow per status
    (src/lib/vacancies/query-errors.typecheck.ts checks the narrowing with svelte-check)."""
    queries = [
        (module, name)
        for module, text in files.items()
        for name in re.findall(r"^export function (\w+)Options\(", text, re.MULTILINE)
    ]
    assert ("vacancies.ts", "retrieveVacancy") in queries
    for module, name in queries:
        pascal = name[0].upper() + name[1:]
        source = function(files[module], f"{name}Options")
        assert f"queryOptions<{pascal}Data, {pascal}Error>(" in source, name


def test_enums_carry_their_values_and_labels(files: dict[str, str]) -> None:
    text = files["enums.ts"]
    assert "export type VacancyStatus = components['schemas']['VacancyStatusEnum'];" in text
    assert "\tvalues: ['draft', 'published', 'closed'],\n" in text
    assert "\tlabels: { draft: 'Draft', published: 'Published', closed: 'Closed' },\n" in text
    assert "\tvalues: [1, 2, 3],\n" in text  # IntegerChoices stay numbers
    assert "'3': '500+'" in text
    assert "BlankEnum" not in text and "NullEnum" not in text


def test_an_operation_id_that_is_no_identifier_is_a_clear_error(schema: dict[str, Any]) -> None:
    broken = copy.deepcopy(schema)
    broken["paths"]["/api/vacancies/"]["get"]["operationId"] = "list-vacancies"
    with pytest.raises(GeneratorError, match=r"GET /api/vacancies/: operationId 'list-vacancies'"):
        render_resource_layer(broken)


def test_two_modules_exporting_one_name_is_a_clear_error(schema: dict[str, Any]) -> None:
    broken = copy.deepcopy(schema)
    broken["paths"]["/api/skills/"]["get"]["operationId"] = "listVacancies"
    with pytest.raises(GeneratorError, match=r"would export 'listVacanciesOptions'"):
        render_resource_layer(broken)


def test_writing_removes_generated_files_of_gone_resources_only(
    schema: dict[str, Any], tmp_path: Path
) -> None:
    (tmp_path / "gone.ts").write_text(HEADER + "export const gone = 1;\n")
    (tmp_path / "mine.ts").write_text("export const mine = 1;\n")
    written = write_resource_layer(schema, tmp_path)
    assert tmp_path / "gone.ts" in written and not (tmp_path / "gone.ts").exists()
    assert (tmp_path / "mine.ts").exists()
    assert write_resource_layer(schema, tmp_path) == []


# -- through sync_types ----------------------------------------------------------------------


def sync(*args: str, **overrides: object) -> str:
    out = io.StringIO()
    with override_settings(
        TYPED_API={
            **settings.TYPED_API,
            "TYPESCRIPT_COMMAND": [*COPY, "{schema}", "{output}"],
            **overrides,
        }
    ):
        call_command("sync_types", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_sync_types_writes_the_layer_next_to_the_types(tmp_path: Path) -> None:
    out = sync(
        "--schema-file", str(tmp_path / "s.yaml"), "--types-file", str(tmp_path / "api" / "t.d.ts")
    )
    assert "generated/vacancies.ts" in out
    written = sorted(p.name for p in (tmp_path / "api" / "generated").iterdir())
    assert written == sorted(
        render_resource_layer(yaml.safe_load((tmp_path / "s.yaml").read_text()))
    )


def test_sync_types_check_reports_a_stale_generated_file(tmp_path: Path) -> None:
    args = ("--schema-file", str(tmp_path / "s.yaml"), "--types-file", str(tmp_path / "t.d.ts"))
    sync(*args)
    (tmp_path / "generated" / "vacancies.ts").write_text("// edited\n")
    with pytest.raises(CommandError, match=r"Out of date: .*generated/vacancies\.ts"):
        sync("--check", *args)


def test_the_layer_can_be_turned_off(tmp_path: Path) -> None:
    sync(
        "--no-resources",
        "--schema-file",
        str(tmp_path / "a.yaml"),
        "--types-file",
        str(tmp_path / "a" / "t.d.ts"),
    )
    assert not (tmp_path / "a" / "generated").exists()
    sync(
        "--schema-file",
        str(tmp_path / "b.yaml"),
        "--types-file",
        str(tmp_path / "b" / "t.d.ts"),
        RESOURCE_LAYER=False,
    )
    assert not (tmp_path / "b" / "generated").exists()


def test_the_docs_table_names_only_what_is_generated(files: dict[str, str]) -> None:
    """docs/concepts/resource-layer.md's "What is generated" table, against the real exports."""
    page = Path(__file__).resolve().parent.parent / "docs" / "concepts" / "resource-layer.md"
    rows = [line for line in page.read_text().splitlines() if line.startswith("| ")]
    exported = {name for text in files.values() for name in exported_names(text)}
    named = []
    for row in rows[1:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        if len(cells) != 3 or cells[1].startswith("---"):
            continue
        for code in re.findall(r"`([^`]+)`", cells[1]):
            name = re.match(r"[A-Za-z_]\w*", code)
            if name and "{" not in code:
                named.append(name.group(0))
    assert len(named) >= 8
    assert [name for name in named if name not in exported] == []


def test_a_multipart_body_is_sent_as_form_data_with_files_where_the_schema_says_binary(
    files: dict[str, str],
) -> None:
    companies = files["companies.ts"]
    assert "import { multipart, type WithFiles } from '../uploads';" in companies
    assert "export type UploadCompanyLogoBody = WithFiles<UploadCompanyLogoFields>;" in companies
    request = re.sub(r"\s+", " ", companies[companies.index("const uploadCompanyLogoRequest") :])
    assert request.startswith(
        "const uploadCompanyLogoRequest = ({ slug, body }: UploadCompanyLogoVariables) =>"
    )
    assert "...multipart<UploadCompanyLogoFields>(body)" in request.split(";")[0]
    # JSON bodies stay JSON.
    assert "multipart" not in files["vacancies.ts"]
