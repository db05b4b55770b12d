"""The testproject's endpoints are N+1-free with no hand-written select/prefetch.

``VacancyViewSet`` declares ``queryset = Vacancy.objects.all()``; the joins and prefetches
come from ``VacancySerializer`` (nested company and location, nested requirements, skills as
slugs). The counts below are what a response costs, whatever the page size.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from vacancies.models import Company, Location, Skill, Vacancy

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def many_vacancies(db) -> None:
    """More than the largest page (100), so page sizes 20 and 100 are both full."""
    call_command("seed_vacancies", count=130, stdout=io.StringIO())


def count_queries(call) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        result = call()
    return len(ctx.captured_queries), result


def reads_after_last_write(queries: list[dict]) -> list[str]:
    """The SELECTs that render a write's response: those after its last INSERT/UPDATE/DELETE."""
    sqls = [q["sql"] for q in queries]
    last = max(i for i, sql in enumerate(sqls) if sql.lstrip().upper().startswith(WRITES))
    return [sql for sql in sqls[last + 1 :] if sql.lstrip().upper().startswith("SELECT")]


def test_list_costs_the_same_queries_for_20_and_100_rows(api_client, many_vacancies) -> None:
    small, small_response = count_queries(lambda: api_client.get("/api/vacancies/?page_size=20"))
    large, large_response = count_queries(lambda: api_client.get("/api/vacancies/?page_size=100"))
    assert len(small_response.json()["results"]) == 20
    assert len(large_response.json()["results"]) == 100
    assert small == large
    assert large <= 4  # count, page (company and location joined), skills, requirements


def test_list_renders_every_relation_of_the_serializer(api_client, many_vacancies) -> None:
    row = api_client.get("/api/vacancies/?page_size=100").json()["results"][0]
    vacancy = Vacancy.objects.get(pk=row["id"])
    assert row["company"]["name"] == vacancy.company.name
    assert row["skills"] == sorted(s.slug for s in vacancy.skills.all())
    assert {r["text"] for r in row["requirements"]} == {r.text for r in vacancy.requirements.all()}


def test_retrieve_costs_at_most_three_queries(
    api_client, many_vacancies, django_assert_max_num_queries
) -> None:
    vacancy = Vacancy.objects.filter(location__isnull=False, status="published").first()
    with django_assert_max_num_queries(3):
        response = api_client.get(f"/api/vacancies/{vacancy.pk}/")
    assert response.status_code == 200
    assert response.json()["location"]["city"] == vacancy.location.city
    assert response.headers["ETag"]


def test_search_action_and_search_jobs_view_are_optimized_too(api_client, many_vacancies) -> None:
    for url in ("/api/vacancies/search/", "/api/jobs/search/"):
        small, _ = count_queries(lambda u=url: api_client.post(f"{u}?page_size=20", {}))
        large, response = count_queries(lambda u=url: api_client.post(f"{u}?page_size=100", {}))
        assert len(response.json()["results"]) == 100
        assert small == large <= 4, url


def test_create_response_costs_the_reads_of_a_retrieve(auth_client, many_vacancies) -> None:
    company, location = Company.objects.first(), Location.objects.first()
    body = {
        "title": "Platform Engineer",
        "company_id": str(company.pk),
        "location_id": str(location.pk),
        "skills": ["python", "django"],
    }
    with CaptureQueriesContext(connection) as created:
        response = auth_client.post("/api/vacancies/", body)
    assert response.status_code == 201, response.json()
    assert response.json()["skills"] == ["django", "python"]
    retrieve, _ = count_queries(lambda: auth_client.get(f"/api/vacancies/{response.json()['id']}/"))
    assert len(reads_after_last_write(created.captured_queries)) == retrieve <= 3


def test_update_response_costs_the_reads_of_a_retrieve(auth_client, many_vacancies) -> None:
    # Not a draft: those are their owner's (the seed's demo user), a 404 to anyone else.
    vacancy = Vacancy.objects.filter(requirements__isnull=False, status="published").first()
    with CaptureQueriesContext(connection) as updated:
        response = auth_client.patch(
            f"/api/vacancies/{vacancy.pk}/", {"title": "Renamed", "skills": ["go"]}
        )
    assert response.status_code == 200, response.json()
    assert (response.json()["title"], response.json()["skills"]) == ("Renamed", ["go"])
    assert response.json()["requirements"]  # re-read, not the emptied prefetch cache
    retrieve, _ = count_queries(lambda: auth_client.get(f"/api/vacancies/{vacancy.pk}/"))
    assert len(reads_after_last_write(updated.captured_queries)) == retrieve <= 3


def test_update_response_carries_the_etag_of_the_saved_version(auth_client, db) -> None:
    call_command("seed_vacancies", count=3, stdout=io.StringIO())
    vacancy = Vacancy.objects.first()
    etag = auth_client.get(f"/api/vacancies/{vacancy.pk}/").headers["ETag"]
    response = auth_client.patch(
        f"/api/vacancies/{vacancy.pk}/", {"title": "Again"}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    assert response.headers["ETag"] == auth_client.get(f"/api/vacancies/{vacancy.pk}/")["ETag"]
    assert response.headers["ETag"] != etag


def test_skills_endpoint_is_one_query(api_client, many_vacancies) -> None:
    queries, response = count_queries(lambda: api_client.get("/api/skills/"))
    assert queries == 1
    assert len(response.json()) == Skill.objects.count()
