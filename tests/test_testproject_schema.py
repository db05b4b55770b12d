"""The testproject's generated schema: the reviewed golden file and what it promises."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import django
import pytest
import yaml
from django.core.management import call_command
from django.db import models
from django.test.utils import isolate_apps
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer

from .schema_utils import operations, router_patterns, schema_for, warnings
from .test_operation_naming import model_viewset

GOLDEN = Path(__file__).resolve().parent.parent / "testproject" / "schema.yaml"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


#: The golden file is generated on this Django (``make schema`` in the dev venv). Other Django
#: versions map a few model fields differently (integer bounds), so the matrix compares the
#: structure: paths, methods, operationIds and component names.
GOLDEN_DJANGO = (5, 2)


def test_schema_structure_matches_the_golden_file_on_every_django(schema: dict[str, Any]) -> None:
    golden = yaml.safe_load(GOLDEN.read_text())
    assert {k: v["operationId"] for k, v in operations(schema).items()} == {
        k: v["operationId"] for k, v in operations(golden).items()
    }
    assert sorted(schema["components"]["schemas"]) == sorted(golden["components"]["schemas"])


def test_schema_matches_the_reviewed_golden_file(schema: dict[str, Any]) -> None:
    if django.VERSION[:2] != GOLDEN_DJANGO:
        pytest.skip(f"byte comparison runs on Django {GOLDEN_DJANGO}; structure is compared above")
    generated = OpenApiYamlRenderer().render(schema, renderer_context={}).decode()
    golden = GOLDEN.read_text()
    diff = "".join(
        difflib.unified_diff(
            golden.splitlines(True), generated.splitlines(True), "golden", "generated", n=2
        )
    )
    assert not diff, f"Schema changed: run `make schema` and review the diff.\n{diff[:4000]}"


TESTPROJECT_OPERATIONS = {
    ("GET", "/api/vacancies/"): "listVacancies",
    ("POST", "/api/vacancies/"): "createVacancy",
    ("GET", "/api/vacancies/{id}/"): "retrieveVacancy",
    ("PUT", "/api/vacancies/{id}/"): "updateVacancy",
    ("PATCH", "/api/vacancies/{id}/"): "partialUpdateVacancy",
    ("DELETE", "/api/vacancies/{id}/"): "destroyVacancy",
    ("POST", "/api/vacancies/search/"): "searchVacancies",
    ("POST", "/api/jobs/search/"): "searchJobs",
    ("GET", "/api/user/profile/"): "retrieveUserProfile",
    ("GET", "/api/companies/"): "listCompanies",
    ("GET", "/api/companies/{slug}/"): "retrieveCompany",
    ("GET", "/api/skills/"): "listSkills",
    ("GET", "/api/skills/{slug}/"): "retrieveSkill",
    ("POST", "/api/companies/"): "createCompany",
    ("POST", "/api/companies/{slug}/logo/"): "uploadCompanyLogo",
    ("POST", "/api/applications/"): "createJobApplication",
    ("POST", "/api/auth/login/"): "login",
    ("POST", "/api/auth/refresh/"): "refreshToken",
    ("POST", "/api/auth/verify/"): "verifyToken",
    ("POST", "/api/auth/logout/"): "logout",
    ("POST", "/api/auth/logout-all/"): "logoutAll",
}


def test_testproject_operation_ids_follow_the_table(schema: dict[str, Any]) -> None:
    ids = {key: op["operationId"] for key, op in operations(schema).items()}
    assert ids == TESTPROJECT_OPERATIONS


def test_every_operation_id_is_unique_camel_case(schema: dict[str, Any]) -> None:
    ids = [op["operationId"] for op in operations(schema).values()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-zA-Z0-9]*", op_id) for op_id in ids), ids


def test_summaries_descriptions_and_tags(schema: dict[str, Any]) -> None:
    ops = operations(schema)
    listing = ops[("GET", "/api/vacancies/")]
    assert listing["summary"] == "List vacancies"
    assert listing["description"].startswith("Job vacancies with their company")
    assert listing["tags"] == ["vacancies"]
    assert ops[("PATCH", "/api/vacancies/{id}/")]["summary"] == "Partially update a vacancy"
    assert ops[("DELETE", "/api/vacancies/{id}/")]["summary"] == "Delete a vacancy"
    search = ops[("POST", "/api/vacancies/search/")]
    assert search["summary"] == "Search vacancies by free text"
    assert search["description"].startswith("A read-only POST")
    assert ops[("POST", "/api/jobs/search/")]["tags"] == ["jobs"]


def test_spectacular_validates_with_zero_warnings(tmp_path: Path) -> None:
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    assert yaml.safe_load((tmp_path / "s.yaml").read_text())["openapi"].startswith("3.")


def test_base_model_fields_are_read_only_with_formats(schema: dict[str, Any]) -> None:
    vacancy = schema["components"]["schemas"]["Vacancy"]["properties"]
    assert vacancy["id"] == {"type": "string", "format": "uuid", "readOnly": True}
    for name in ("created_at", "updated_at"):
        assert vacancy[name] == {"type": "string", "format": "date-time", "readOnly": True}
    request = schema["components"]["schemas"]["VacancyRequest"]["properties"]
    assert not {"id", "created_at", "updated_at"} & set(request)


def test_every_readable_model_field_is_required_in_responses(schema: dict[str, Any]) -> None:
    vacancy = schema["components"]["schemas"]["Vacancy"]
    readable = {k for k, v in vacancy["properties"].items() if not v.get("writeOnly")}
    assert set(vacancy["required"]) == readable
    assert "salary_min" in vacancy["required"]  # nullable, but always present


def test_paginated_list_and_function_view_share_one_component(schema: dict[str, Any]) -> None:
    ops = operations(schema)
    for key in [("GET", "/api/vacancies/"), ("POST", "/api/jobs/search/")]:
        body = ops[key]["responses"]["200"]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/PaginatedVacancyList"}


#: The views that set parser_classes to take files; every other body is JSON only.
UPLOADS = {("POST", "/api/companies/{slug}/logo/"), ("POST", "/api/applications/")}


def test_request_bodies_are_json_only_but_on_upload_views(schema: dict[str, Any]) -> None:
    for (method, route), op in operations(schema).items():
        if "requestBody" in op:
            expected = "multipart/form-data" if (method, route) in UPLOADS else "application/json"
            assert list(op["requestBody"]["content"]) == [expected], (method, route)


def test_upload_bodies_document_their_files_as_binary(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    assert components["CompanyLogoRequest"]["properties"]["logo"] == {
        "type": "string",
        "format": "binary",
    }
    assert components["JobApplicationRequest"]["properties"]["cv"]["format"] == "binary"
    assert "cv" not in components["JobApplication"]["properties"]  # never served back
    assert components["Company"]["properties"]["logo"]["format"] == "uri"


def test_filter_parameters_are_typed(schema: dict[str, Any]) -> None:
    params = {p["name"]: p for p in operations(schema)[("GET", "/api/vacancies/")]["parameters"]}
    assert params["skills"]["schema"] == {"type": "array", "items": {"type": "string"}}
    assert (params["skills"]["style"], params["skills"]["explode"]) == ("form", False)
    assert params["remote"]["schema"] == {"type": "boolean"}
    assert set(params["status"]["schema"]["enum"]) == {"draft", "published", "closed"}
    ordering = params["ordering"]["schema"]
    assert ordering["type"] == "array"
    assert {"title", "-title", "created_at", "-created_at"} <= set(ordering["items"]["enum"])
    assert params["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert params["page"]["schema"] == {"type": "integer", "minimum": 1}


class TestEnums:
    def test_model_choices_class_names_the_enum(self, schema: dict[str, Any]) -> None:
        components = schema["components"]["schemas"]
        assert components["VacancyStatusEnum"]["enum"] == ["draft", "published", "closed"]
        status = components["Vacancy"]["properties"]["status"]
        assert status == {"$ref": "#/components/schemas/VacancyStatusEnum"}

    def test_choices_shared_through_one_class_give_one_enum(self, schema: dict[str, Any]) -> None:
        components = schema["components"]["schemas"]
        ref = {"$ref": "#/components/schemas/EmploymentTypeEnum"}
        assert components["Vacancy"]["properties"]["employment_type"] == ref
        assert components["JobSearchRequest"]["properties"]["employment_type"] == ref
        assert not [
            name for name in components if "EmploymentType" in name and name != "EmploymentTypeEnum"
        ]

    def test_blank_and_null_choices_become_unions(self, schema: dict[str, Any]) -> None:
        components = schema["components"]["schemas"]
        level = components["Vacancy"]["properties"]["experience_level"]
        assert level == {
            "oneOf": [
                {"$ref": "#/components/schemas/VacancyExperienceLevelEnum"},
                {"$ref": "#/components/schemas/BlankEnum"},
            ]
        }
        size = components["Company"]["properties"]["size"]
        assert size == {
            "oneOf": [
                {"$ref": "#/components/schemas/CompanySizeEnum"},
                {"$ref": "#/components/schemas/NullEnum"},
            ]
        }
        assert components["NullEnum"] == {"enum": [None]}

    @isolate_apps("vacancies")
    def test_enum_names_do_not_change_when_another_model_gets_the_same_field(self) -> None:
        def make(name: str, choices: list[tuple[str, str]]) -> type[models.Model]:
            return type(
                name,
                (models.Model,),
                {
                    "__module__": "vacancies.models",
                    "status": models.CharField(max_length=5, choices=choices),
                },
            )

        ticket = make("Ticket", [("open", "Open"), ("done", "Done")])
        alone = schema_for(router_patterns(("t", model_viewset(ticket))))
        order = make("Order", [("new", "New"), ("paid", "Paid")])
        both = schema_for(
            router_patterns(("t", model_viewset(ticket)), ("o", model_viewset(order)))
        )
        assert "TicketStatusEnum" in alone["components"]["schemas"]
        assert {"TicketStatusEnum", "OrderStatusEnum"} <= set(both["components"]["schemas"])
        assert not warnings()


def test_nested_serializer_on_a_nullable_foreign_key_is_nullable(schema: dict[str, Any]) -> None:
    vacancy = schema["components"]["schemas"]["Vacancy"]["properties"]
    assert vacancy["location"] == {
        "allOf": [{"$ref": "#/components/schemas/Location"}],
        "readOnly": True,
        "nullable": True,
    }
    assert "nullable" not in vacancy["company"]  # company is a required FK
