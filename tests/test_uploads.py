"""Typed uploads: a company logo (image) and an application CV (PDF), multipart only on their
views, limits answered with the envelope (413 too large, 415 wrong type, 400 by field), files
stored under generated names whatever the client called them, the type read from the content."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient
from vacancies.models import Company, JobApplication, Vacancy
from vacancies.serializers import LOGO_MAX_SIZE

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def company() -> Company:
    return Company.objects.create(name="Acme", slug="acme")


@pytest.fixture
def vacancy(company: Company) -> Vacancy:
    return Vacancy.objects.create(title="Open role", company=company, status="published")


def upload_logo(client: APIClient, content: bytes, name: str = "logo.png", **kwargs):
    file = SimpleUploadedFile(name, content, content_type=kwargs.pop("content_type", "image/png"))
    return client.post("/api/companies/acme/logo/", {"logo": file}, format="multipart", **kwargs)


def test_a_logo_is_stored_under_a_generated_name_and_returned_as_a_url(
    auth_client: APIClient, company: Company, media
) -> None:
    response = upload_logo(auth_client, PNG, name="../../etc/passwd.png")
    assert response.status_code == 200, response.content
    company.refresh_from_db()
    stored = company.logo.name
    assert stored.startswith("logos/") and stored.endswith(".png") and "passwd" not in stored
    assert (media / stored).read_bytes() == PNG
    assert response.json()["logo"].endswith(stored)
    assert auth_client.get("/api/companies/acme/").json()["logo"].endswith(stored)


def test_the_uploaded_logo_is_served_with_its_sniffed_type(auth_client: APIClient, company) -> None:
    url = upload_logo(auth_client, PNG, name="logo.exe", content_type="text/html").json()["logo"]
    response = auth_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_a_replaced_logo_is_deleted(auth_client: APIClient, company: Company, media) -> None:
    upload_logo(auth_client, PNG)
    first = Company.objects.get(pk=company.pk).logo.name
    upload_logo(auth_client, PNG)
    assert not (media / first).exists()
    assert len(list((media / "logos").iterdir())) == 1


def test_a_logo_over_the_limit_is_a_413_naming_the_field(auth_client: APIClient, company) -> None:
    response = upload_logo(auth_client, PNG + b"\x00" * LOGO_MAX_SIZE)
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "file_too_large"
    assert body["status_code"] == 413
    assert "limit" in body["error"]["logo"][0]
    assert not Company.objects.get(pk=company.pk).logo


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(
    auth_client: APIClient, company
) -> None:
    response = upload_logo(auth_client, PNG + b"\x00" * (4 * LOGO_MAX_SIZE))
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_a_logo_that_is_not_an_image_is_a_415_whatever_it_claims(
    auth_client: APIClient, company
) -> None:
    response = upload_logo(auth_client, b"<svg onload=alert(1)>", content_type="image/png")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_file_type"
    assert "logo" in response.json()["error"]


def test_a_missing_logo_is_a_400_by_field(auth_client: APIClient, company) -> None:
    response = auth_client.post("/api/companies/acme/logo/", {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["logo"] == ["No file was submitted."]


def test_json_is_refused_on_the_upload_view(auth_client: APIClient, company) -> None:
    response = auth_client.post("/api/companies/acme/logo/", {"logo": "x"}, format="json")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_anonymous_visitors_cannot_upload_a_logo(api_client: APIClient, company) -> None:
    assert upload_logo(api_client, PNG).status_code == 401


def test_the_rest_of_the_api_stays_json_only(auth_client: APIClient, company) -> None:
    response = auth_client.post(
        "/api/vacancies/", {"title": "x", "company_id": str(company.id)}, format="multipart"
    )
    assert response.status_code == 415


def test_an_application_takes_a_pdf_cv(auth_client: APIClient, user, vacancy, media) -> None:
    cv = SimpleUploadedFile("my cv.pdf", PDF, content_type="application/pdf")
    response = auth_client.post(
        "/api/applications/",
        {"vacancy_id": str(vacancy.id), "cover_letter": "Hello", "cv": cv},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    application = JobApplication.objects.get()
    assert application.applicant == user
    assert application.cv.name.startswith("cvs/") and application.cv.name.endswith(".pdf")
    assert (media / application.cv.name).read_bytes() == PDF


def test_cvs_are_not_served(auth_client: APIClient, vacancy, media) -> None:
    cv = SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf")
    auth_client.post(
        "/api/applications/", {"vacancy_id": str(vacancy.id), "cv": cv}, format="multipart"
    )
    name = JobApplication.objects.get().cv.name
    assert auth_client.get(f"/media/{name}").status_code == 404


def test_a_cv_that_is_not_a_pdf_is_a_415(auth_client: APIClient, vacancy) -> None:
    cv = SimpleUploadedFile("cv.pdf", PNG, content_type="application/pdf")
    response = auth_client.post(
        "/api/applications/", {"vacancy_id": str(vacancy.id), "cv": cv}, format="multipart"
    )
    assert response.status_code == 415
    assert list(response.json()["error"]) == ["cv"]


def test_an_application_to_a_draft_is_a_400_on_the_vacancy(auth_client: APIClient, company) -> None:
    draft = Vacancy.objects.create(title="Hidden", company=company, status="draft")
    cv = SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf")
    response = auth_client.post(
        "/api/applications/", {"vacancy_id": str(draft.id), "cv": cv}, format="multipart"
    )
    assert response.status_code == 400
    assert "vacancy_id" in response.json()["error"]
