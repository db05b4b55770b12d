"""Drafts are their owner's (and staff's) until published: to anyone else they do not exist."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient
from vacancies.models import Company, Vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def company() -> Company:
    return Company.objects.create(name="Acme", slug="acme")


@pytest.fixture
def draft(company: Company, user) -> Vacancy:
    return Vacancy.objects.create(title="Secret plan", company=company, status="draft", owner=user)


@pytest.fixture
def published(company: Company) -> Vacancy:
    return Vacancy.objects.create(title="Open role", company=company, status="published")


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


def test_anonymous_visitors_see_no_drafts(api_client: APIClient, draft, published) -> None:
    assert titles(api_client.get("/api/vacancies/")) == {"Open role"}
    assert api_client.get("/api/vacancies/", {"status": "draft"}).json()["count"] == 0


def test_a_draft_is_a_404_to_anonymous_visitors(api_client: APIClient, draft) -> None:
    response = api_client.get(f"/api/vacancies/{draft.id}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_owner_sees_their_draft(auth_client: APIClient, draft, published) -> None:
    assert titles(auth_client.get("/api/vacancies/")) == {"Secret plan", "Open role"}
    assert auth_client.get(f"/api/vacancies/{draft.id}/").status_code == 200


def test_another_user_does_not_see_the_draft(
    api_client: APIClient, django_user_model, draft, published
) -> None:
    api_client.force_authenticate(django_user_model.objects.create_user("bob", password="x"))
    assert titles(api_client.get("/api/vacancies/")) == {"Open role"}
    assert api_client.delete(f"/api/vacancies/{draft.id}/").status_code == 404


def test_staff_see_every_draft(api_client: APIClient, django_user_model, draft) -> None:
    api_client.force_authenticate(
        django_user_model.objects.create_user("root", password="x", is_staff=True)
    )
    assert titles(api_client.get("/api/vacancies/", {"status": "draft"})) == {"Secret plan"}


def test_both_searches_hide_drafts(api_client: APIClient, draft, published) -> None:
    assert titles(api_client.post("/api/vacancies/search/", {}, format="json")) == {"Open role"}
    assert titles(api_client.post("/api/jobs/search/", {}, format="json")) == {"Open role"}


def test_a_created_vacancy_belongs_to_its_creator(auth_client: APIClient, user, company) -> None:
    response = auth_client.post(
        "/api/vacancies/",
        {"title": "Mine", "company_id": str(company.id), "status": "draft"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Vacancy.objects.get(id=response.json()["id"]).owner == user
