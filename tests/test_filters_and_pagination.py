"""Filters, ordering and pagination: typed values work, invalid ones are a 400."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def field_errors(response) -> dict:
    return response.json()["error"]


def test_list_is_paginated_with_page_size(owner_client) -> None:
    body = owner_client.get("/api/vacancies/", {"page_size": 7}).json()
    assert body["count"] == 60
    assert len(body["results"]) == 7
    assert "page=2" in body["next"]


def test_page_size_over_the_limit_is_a_400(api_client, seeded) -> None:
    response = api_client.get("/api/vacancies/", {"page_size": 101})
    assert response.status_code == 400
    assert "page_size" in field_errors(response)


def test_non_integer_page_size_is_a_400(api_client, seeded) -> None:
    response = api_client.get("/api/vacancies/", {"page_size": "ten"})
    assert response.status_code == 400
    assert "page_size" in field_errors(response)


def test_page_past_the_end_is_a_404(api_client, seeded) -> None:
    assert api_client.get("/api/vacancies/", {"page": 99}).status_code == 404


def test_filter_by_choice(owner_client) -> None:
    results = owner_client.get("/api/vacancies/", {"status": "draft", "page_size": 100}).json()
    assert results["count"] > 0
    assert {v["status"] for v in results["results"]} == {"draft"}


def test_unknown_choice_is_a_400(api_client, seeded) -> None:
    response = api_client.get("/api/vacancies/", {"status": "archived"})
    assert response.status_code == 400
    assert "status" in field_errors(response)


@pytest.mark.parametrize("value", ["true", "True", "1"])
def test_boolean_filter_accepts_true_spellings(api_client, seeded, value: str) -> None:
    results = api_client.get("/api/vacancies/", {"remote": value, "page_size": 100}).json()
    assert results["count"] > 0
    assert all(v["remote"] for v in results["results"])


def test_boolean_filter_rejects_maybe(api_client, seeded) -> None:
    response = api_client.get("/api/vacancies/", {"remote": "maybe"})
    assert response.status_code == 400
    assert "remote" in field_errors(response)


def test_comma_separated_skills_match_any(api_client, seeded) -> None:
    body = api_client.get("/api/vacancies/", {"skills": "python,svelte", "page_size": 100}).json()
    assert body["count"] > 0
    assert all({"python", "svelte"} & set(v["skills"]) for v in body["results"])
    ids = [v["id"] for v in body["results"]]
    assert len(ids) == len(set(ids))  # distinct: a vacancy with both skills appears once


def test_ordering_by_an_allowed_field(api_client, seeded) -> None:
    body = api_client.get("/api/vacancies/", {"ordering": "-salary_min", "page_size": 100}).json()
    salaries = [v["salary_min"] for v in body["results"]]
    assert salaries == sorted(salaries, reverse=True)


def test_ordering_by_an_unknown_field_is_a_400(api_client, seeded) -> None:
    response = api_client.get("/api/vacancies/", {"ordering": "password"})
    assert response.status_code == 400
    assert "ordering" in field_errors(response)


def test_default_order_is_newest_first(api_client, seeded) -> None:
    body = api_client.get("/api/vacancies/", {"page_size": 100}).json()
    created = [v["created_at"] for v in body["results"]]
    assert created == sorted(created, reverse=True)


def test_search_action_is_paginated(api_client, seeded) -> None:
    response = api_client.post(
        "/api/vacancies/search/?page_size=5", {"query": "engineer"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 5
    assert all("engineer" in v["title"].lower() for v in body["results"])


def test_search_jobs_narrows_by_every_criterion(api_client, seeded) -> None:
    criteria = {"skills": ["python"], "remote": True, "employment_type": "full_time"}
    body = api_client.post("/api/jobs/search/?page_size=100", criteria, format="json").json()
    assert body["count"] > 0
    for vacancy in body["results"]:
        assert "python" in vacancy["skills"]
        assert vacancy["remote"] is True
        assert vacancy["employment_type"] == "full_time"


def test_search_jobs_rejects_an_unknown_employment_type(api_client, seeded) -> None:
    response = api_client.post("/api/jobs/search/", {"employment_type": "gig"}, format="json")
    assert response.status_code == 400
    assert "employment_type" in field_errors(response)


def test_the_search_parameter_narrows_the_list(api_client, seeded) -> None:
    body = api_client.get("/api/vacancies/", {"search": "engineer", "page_size": 100}).json()
    everything = api_client.get("/api/vacancies/", {"page_size": 100}).json()
    assert 0 < body["count"] < everything["count"]
    assert all(
        "engineer" in (v["title"] + v["description"] + v["company"]["name"]).lower()
        for v in body["results"]
    )


@pytest.mark.parametrize(
    "query", [{}, {"search": ""}, {"search": "  "}, {"search": "data engineer"}, {"page": "1"}]
)
def test_search_terms_are_drfs_with_or_without_the_parameter(rf, query: dict) -> None:
    from rest_framework.filters import SearchFilter
    from rest_framework.request import Request

    from django_typed_api.filters import TypedSearchFilter

    request = Request(rf.get("/api/vacancies/", query))
    assert TypedSearchFilter().get_search_terms(request) == SearchFilter().get_search_terms(request)


def test_a_request_without_the_search_parameter_builds_no_field(rf, monkeypatch) -> None:
    """DRF builds and validates a CharField per request to read ``?search=``; without the
    parameter the answer is always no terms, so none is built (every retrieve, every page)."""
    from rest_framework import filters
    from rest_framework.request import Request

    from django_typed_api.filters import TypedSearchFilter

    built: list[object] = []

    class CountingCharField(filters.CharField):  # type: ignore[misc]
        def __init__(self, *args: object, **kwargs: object) -> None:
            built.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(filters, "CharField", CountingCharField)
    assert TypedSearchFilter().get_search_terms(Request(rf.get("/api/vacancies/"))) == []
    assert built == []
    terms = TypedSearchFilter().get_search_terms(Request(rf.get("/api/vacancies/?search=go")))
    assert terms == ["go"]
    assert len(built) == 1
