"""Requests are held to the schema: what schema fuzzing found accepted or refused wrongly.

Each test is one finding of the schemathesis run (tests/test_fuzz.py) turned into a plain
example: DRF coerced a value the schema does not allow, ignored a documented parameter, or
refused a value the schema allowed.
"""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient
from vacancies.models import Company, Location, Vacancy

from django_typed_api.openapi.strings import NOT_BLANK

from .schema_utils import schema_for

pytestmark = pytest.mark.django_db


def errors(response: Any, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == "invalid"
    return body["error"]


def vacancy(**fields: Any) -> dict[str, Any]:
    company = Company.objects.first()
    assert company is not None
    return {"title": "Backend developer", "company_id": str(company.pk), **fields}


# -- JSON types (django_typed_api.validation) ---------------------------------------------------


def test_a_number_for_a_boolean_is_refused(api_client: APIClient, seeded: None) -> None:
    assert errors(api_client.post("/api/jobs/search/", {"remote": 0})) == {
        "remote": ["Must be a valid boolean."]
    }


def test_a_number_for_a_string_is_refused(auth_client: APIClient) -> None:
    response = auth_client.post("/api/companies/", {"name": "Zero", "slug": 0})
    assert errors(response) == {"slug": ["Not a valid string."]}
    assert not Company.objects.filter(name="Zero").exists()


def test_a_string_for_an_integer_choice_is_refused(auth_client: APIClient) -> None:
    response = auth_client.post("/api/companies/", {"name": "Two", "slug": "two", "size": "2"})
    assert errors(response) == {"size": ['"2" is not a valid choice.']}


def test_a_wrong_type_inside_a_list_names_its_index(api_client: APIClient, seeded: None) -> None:
    response = api_client.post("/api/jobs/search/", {"skills": ["python", 7]})
    assert errors(response) == {"skills": {"1": ["Not a valid string."]}}


def test_an_empty_string_is_not_a_null_relation(auth_client: APIClient, seeded: None) -> None:
    response = auth_client.post("/api/vacancies/", vacancy(location_id=""))
    assert errors(response) == {"location_id": ["Must be a valid UUID."]}


def test_documented_types_still_pass(auth_client: APIClient, seeded: None) -> None:
    location = Location.objects.first()
    assert location is not None
    body = vacancy(location_id=str(location.pk), remote=True, salary_min=50_000, skills=[])
    response = auth_client.post("/api/vacancies/", body)
    assert response.status_code == 201, response.content
    assert response.json()["location"]["id"] == str(location.pk)


def test_the_body_of_an_extend_schema_request_is_the_one_checked(
    api_client: APIClient, seeded: None
) -> None:
    """searchVacancies documents VacancySearchSerializer, not the viewset's serializer."""
    assert errors(api_client.post("/api/vacancies/search/", {"query": 5})) == {
        "query": ["Not a valid string."]
    }


def test_lenient_types_when_switched_off(api_client: APIClient, seeded: None, settings) -> None:
    settings.TYPED_API = {**settings.TYPED_API, "STRICT_JSON_TYPES": False}
    assert api_client.post("/api/jobs/search/", {"remote": 0}).status_code == 200


# -- query parameters (django_typed_api.filters) -----------------------------------------------


def test_a_decimal_for_an_integer_filter_is_refused(api_client: APIClient, seeded: None) -> None:
    assert "salary_min" in errors(api_client.get("/api/vacancies/?salary_min=0.5"))
    assert api_client.get("/api/vacancies/?salary_min=50000").status_code == 200


@pytest.mark.parametrize("ordering", ["", "title,", "title,,created_at", " title", "--title"])
def test_an_ordering_outside_the_enum_is_refused(
    api_client: APIClient, seeded: None, ordering: str
) -> None:
    assert "ordering" in errors(api_client.get("/api/vacancies/", {"ordering": ordering}))


def test_the_search_action_applies_its_documented_filters(owner_client: APIClient) -> None:
    api_client = owner_client  # the drafts' owner: anyone else finds none
    response = api_client.post("/api/vacancies/search/?status=draft&ordering=title", {})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results and {item["status"] for item in results} == {"draft"}
    assert [item["title"] for item in results] == sorted(item["title"] for item in results)
    assert response.json()["count"] == Vacancy.objects.filter(status="draft").count()
    assert "status" in errors(api_client.post("/api/vacancies/search/?status=nonsense", {}))


# -- blank strings (django_typed_api.validation.TrimmedStringSchemaMixin) ------------------------


def test_a_whitespace_only_name_is_refused_and_the_schema_says_so(auth_client: APIClient) -> None:
    response = auth_client.post("/api/companies/", {"name": "\f", "slug": "blank"})
    assert errors(response) == {"name": ["This field may not be blank."]}
    properties = schema_for(None)["components"]["schemas"]["CompanyRequest"]["properties"]
    assert properties["name"]["pattern"] == NOT_BLANK
    assert properties["slug"]["pattern"] == "^[-a-zA-Z0-9_]+$"  # its own pattern stays
    assert "pattern" not in properties["website"]["oneOf"][0]  # a URL has its format


@pytest.mark.parametrize(
    "query",
    [
        "page=1&page=2",
        "page_size=5&page_size=6",
        "status=draft&status=closed",
        "ordering=title&ordering=-title",
    ],
)
def test_a_parameter_given_twice_is_refused(
    api_client: APIClient, seeded: None, query: str
) -> None:
    name = query.split("=")[0]
    assert errors(api_client.get(f"/api/vacancies/?{query}")) == {
        name: ["Give this parameter once."]
    }


@pytest.mark.parametrize(
    "name", ["page", "page_size", "salary_min", "remote", "status", "ordering"]
)
def test_an_empty_typed_parameter_is_refused(
    api_client: APIClient, seeded: None, name: str
) -> None:
    assert name in errors(api_client.get(f"/api/vacancies/?{name}="))


def test_an_empty_text_parameter_means_no_filter(owner_client: APIClient) -> None:
    response = owner_client.get("/api/vacancies/?company=&search=&skills=")
    assert response.status_code == 200
    assert response.json()["count"] == Vacancy.objects.count()


def test_the_schema_says_ordering_names_at_least_one_field() -> None:
    parameters = schema_for(None)["paths"]["/api/vacancies/"]["get"]["parameters"]
    ordering = next(p for p in parameters if p["name"] == "ordering")
    assert ordering["schema"]["minItems"] == 1


def test_a_create_reports_type_errors_and_the_other_fields_errors_together(
    auth_client: APIClient,
) -> None:
    response = auth_client.post("/api/vacancies/", {"title": "", "company_id": ""})
    assert response.status_code == 400
    assert response.json()["error"] == {
        "title": ["This field may not be blank."],
        "company_id": ["Must be a valid UUID."],
    }
