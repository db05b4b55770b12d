"""The django-ninja baseline: the same JSON as ``VacancySerializer``, page for page.

Hand-optimized the way ninja's documentation shows (select_related/prefetch_related on the
queryset); pagination answers DRF's ``{count, next, previous, results}`` shape so the bodies
are comparable (run.py checks that the results are equal before timing anything).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema
from vacancies.models import Vacancy

api = NinjaAPI(urls_namespace="bench-ninja", docs_url=None, openapi_url=None)

VACANCIES = Vacancy.objects.select_related("company", "location").prefetch_related(
    "skills", "requirements"
)


class CompanyOut(Schema):
    id: UUID
    name: str
    slug: str
    website: str
    size: int | None
    logo: str | None

    @staticmethod
    def resolve_logo(obj: Any, context: dict[str, Any]) -> str | None:
        # DRF's FileField(use_url=True): the absolute URL, or null without a file.
        return context["request"].build_absolute_uri(obj.logo.url) if obj.logo else None


class LocationOut(Schema):
    id: UUID
    city: str
    country: str


class RequirementOut(Schema):
    id: UUID
    text: str


class VacancyOut(Schema):
    id: UUID
    title: str
    slug: str
    description: str
    company: CompanyOut
    location: LocationOut | None
    skills: list[str]
    requirements: list[RequirementOut]
    salary_min: int | None
    salary_max: int | None
    remote: bool
    status: str
    employment_type: str
    experience_level: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_skills(obj: Vacancy) -> list[str]:
        return [skill.slug for skill in obj.skills.all()]


class VacancyPage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[VacancyOut]


def _page_url(request: HttpRequest, page: int, size: int) -> str:
    return request.build_absolute_uri(f"{request.path}?page={page}&page_size={size}")


@api.get("/vacancies/", response=VacancyPage)
def list_vacancies(request: HttpRequest, page: int = 1, page_size: int = 20) -> dict:
    # Drafts only for their owner and staff, as the testproject's viewset answers.
    paginator = Paginator(VACANCIES.visible_to(getattr(request, "user", None)), page_size)
    try:
        current = paginator.page(page)
    except EmptyPage as exc:
        raise Http404("Invalid page.") from exc
    return {
        "count": paginator.count,
        "next": _page_url(request, page + 1, page_size) if current.has_next() else None,
        "previous": _page_url(request, page - 1, page_size) if current.has_previous() else None,
        "results": list(current.object_list),
    }


@api.get("/vacancies/{vacancy_id}/", response=VacancyOut)
def retrieve_vacancy(request: HttpRequest, vacancy_id: UUID) -> Vacancy:
    return get_object_or_404(VACANCIES.visible_to(getattr(request, "user", None)), pk=vacancy_id)
