"""Lost-update protection: ETag on reads, If-Match on writes, 412 for a stale version."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import override_settings
from rest_framework.test import APIClient
from vacancies.models import Company, Vacancy


@pytest.fixture
def vacancy(db) -> Vacancy:
    company = Company.objects.create(name="Acme", slug="acme")
    return Vacancy.objects.create(title="Backend Engineer", company=company)


def etag_of(client: APIClient, vacancy: Vacancy) -> str:
    response = client.get(f"/api/vacancies/{vacancy.id}/")
    assert response.status_code == 200
    return response["ETag"]


def test_retrieve_sends_a_strong_etag(auth_client, vacancy) -> None:
    tag = etag_of(auth_client, vacancy)
    assert tag.startswith('"') and tag.endswith('"') and not tag.startswith("W/")
    assert etag_of(auth_client, vacancy) == tag  # stable while nothing changes


def test_update_with_the_current_etag_succeeds_and_returns_a_new_one(auth_client, vacancy) -> None:
    tag = etag_of(auth_client, vacancy)
    response = auth_client.patch(
        f"/api/vacancies/{vacancy.id}/", {"title": "Staff Engineer"}, HTTP_IF_MATCH=tag
    )
    assert response.status_code == 200
    assert response["ETag"] not in ("", tag)
    assert response["ETag"] == etag_of(auth_client, vacancy)


def test_update_with_a_stale_etag_is_412_and_changes_nothing(auth_client, vacancy) -> None:
    stale = etag_of(auth_client, vacancy)
    auth_client.patch(f"/api/vacancies/{vacancy.id}/", {"title": "First"}, HTTP_IF_MATCH=stale)
    response = auth_client.patch(
        f"/api/vacancies/{vacancy.id}/", {"title": "Second"}, HTTP_IF_MATCH=stale
    )
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    vacancy.refresh_from_db()
    assert vacancy.title == "First"


def test_delete_with_a_stale_etag_is_412_and_keeps_the_row(auth_client, vacancy) -> None:
    response = auth_client.delete(f"/api/vacancies/{vacancy.id}/", HTTP_IF_MATCH='"stale"')
    assert response.status_code == 412
    assert Vacancy.objects.filter(id=vacancy.id).exists()


def test_wildcard_and_tag_lists_match(auth_client, vacancy) -> None:
    tag = etag_of(auth_client, vacancy)
    url = f"/api/vacancies/{vacancy.id}/"
    assert auth_client.patch(url, {"remote": True}, HTTP_IF_MATCH="*").status_code == 200
    tag = etag_of(auth_client, vacancy)
    assert auth_client.patch(url, {"remote": False}, HTTP_IF_MATCH=f'"x", {tag}').status_code == 200


def test_weak_etags_never_match(auth_client, vacancy) -> None:
    tag = etag_of(auth_client, vacancy)
    response = auth_client.patch(
        f"/api/vacancies/{vacancy.id}/", {"remote": True}, HTTP_IF_MATCH=f"W/{tag}"
    )
    assert response.status_code == 412


def test_without_if_match_updates_are_allowed_by_default(auth_client, vacancy) -> None:
    assert auth_client.patch(f"/api/vacancies/{vacancy.id}/", {"remote": True}).status_code == 200


@override_settings(TYPED_API={"REQUIRE_IF_MATCH": True})
def test_if_match_can_be_required(auth_client, vacancy) -> None:
    response = auth_client.patch(f"/api/vacancies/{vacancy.id}/", {"remote": True})
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"
    tag = etag_of(auth_client, vacancy)
    response = auth_client.patch(
        f"/api/vacancies/{vacancy.id}/", {"remote": True}, HTTP_IF_MATCH=tag
    )
    assert response.status_code == 200


def test_two_editors_of_one_version_the_second_gets_412(vacancy, django_user_model) -> None:
    alice, bob = APIClient(), APIClient()
    alice.force_authenticate(django_user_model.objects.create_user("alice"))
    bob.force_authenticate(django_user_model.objects.create_user("bob"))
    alice_tag, bob_tag = etag_of(alice, vacancy), etag_of(bob, vacancy)
    url = f"/api/vacancies/{vacancy.id}/"
    assert (
        alice.patch(url, {"description": "Alice's words"}, HTTP_IF_MATCH=alice_tag).status_code
        == 200
    )
    assert bob.patch(url, {"title": "Bob's title"}, HTTP_IF_MATCH=bob_tag).status_code == 412
    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.description) == ("Backend Engineer", "Alice's words")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_updates_with_one_etag_let_exactly_one_through(django_user_model) -> None:
    """Row locking: both requests pass the tag check only if they run one after the other."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; this runs in the PostgreSQL pass of make test")
    company = Company.objects.create(name="Acme", slug="acme")
    vacancy = Vacancy.objects.create(title="Original", company=company)
    user = django_user_model.objects.create_user("editor")
    tag = etag_of(APIClient(), vacancy)
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def edit(n: int) -> None:
        client = APIClient()
        client.force_authenticate(user)
        barrier.wait()
        response = client.patch(
            f"/api/vacancies/{vacancy.id}/", {"title": f"Edit {n}"}, HTTP_IF_MATCH=tag
        )
        statuses.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [412] * 7
    vacancy.refresh_from_db()
    assert vacancy.title.startswith("Edit ")


def test_schema_documents_if_match_412_and_the_etag_header() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    item = schema["paths"]["/api/vacancies/{id}/"]
    for method in ("put", "patch", "delete"):
        assert "412" in item[method]["responses"], method
        assert any(p["name"] == "If-Match" for p in item[method]["parameters"]), method
    assert "412" not in item["get"]["responses"]
    assert "ETag" in item["get"]["responses"]["200"]["headers"]
