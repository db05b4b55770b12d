"""The optimizer never adds queries: where it cannot prove a win, it leaves the queryset be.

Each test renders one list twice, with the optimizer on and off (``optimize_queryset``), on
the same rows, and compares the query counts (``CaptureQueriesContext``) and the data. The
shapes are the ones an existing project has and the serializer analysis cannot see through:
a custom ``ListSerializer``, a relation re-queried per row, a ``to_attr`` prefetch, an
annotated ``values()`` queryset and sources that are properties.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count, Prefetch
from rest_framework import serializers
from vacancies.models import Company, Vacancy

from .test_optimizer_analysis import VacancyInCompanySerializer, list_queries, rows, viewset_for

pytestmark = pytest.mark.django_db

__all__ = ["rows"]  # the fixture, imported for these tests


def on_and_off(serializer_class: type, **attrs: Any) -> tuple[int, int]:
    """(queries with the optimizer, queries without it); the data must be the same."""
    optimized, data_on = list_queries(viewset_for(serializer_class, **attrs))
    plain, data_off = list_queries(viewset_for(serializer_class, optimize_queryset=False, **attrs))
    assert data_on == data_off
    return optimized, plain


@pytest.fixture
def companies(rows) -> None:
    """Four companies with three vacancies each (locations, skills, requirements)."""
    for _ in range(4):
        rows(3)


# -- a custom ListSerializer ---------------------------------------------------------------------


class FirstTwoOnly(serializers.ListSerializer):
    """Filters and slices the relation itself: a query per company whatever is prefetched."""

    def to_representation(self, data: Any) -> list[Any]:
        return super().to_representation(data.order_by("title")[:2])


class ShortVacancySerializer(serializers.ModelSerializer):
    class Meta:
        model = Vacancy
        fields = ["title"]
        list_serializer_class = FirstTwoOnly


class CompanyFirstVacanciesSerializer(serializers.ModelSerializer):
    vacancies = ShortVacancySerializer(many=True, read_only=True)

    class Meta:
        model = Company
        fields = ["name", "vacancies"]


def test_a_relation_rendered_by_a_custom_list_serializer_is_left_alone(companies) -> None:
    """Prefetching ``vacancies`` would be one query more: FirstTwoOnly queries anyway."""
    optimized, plain = on_and_off(CompanyFirstVacanciesSerializer)
    assert optimized == plain == 1 + 4


class ActiveOnly(serializers.ListSerializer):
    def to_representation(self, data: Any) -> list[Any]:
        items = data.all() if hasattr(data, "all") else data
        return [self.child.to_representation(item) for item in items if item.company_id]


class VacancyWithCompanySerializer(serializers.ModelSerializer):
    company = serializers.CharField(source="company.name")

    class Meta:
        model = Vacancy
        fields = ["title", "company"]
        list_serializer_class = ActiveOnly


def test_a_top_level_custom_list_serializer_still_gets_its_joins(companies) -> None:
    """The view's own rows: the custom list serializer receives the optimized queryset."""
    optimized, plain = on_and_off(VacancyWithCompanySerializer)
    assert (optimized, plain) == (1, 1 + 12)


# -- a relation re-queried per row ---------------------------------------------------------------


class CompanyWithRemoteTitlesSerializer(serializers.ModelSerializer):
    vacancies = VacancyInCompanySerializer(many=True, read_only=True)
    first_titles = serializers.SerializerMethodField()

    class Meta:
        model = Company
        fields = ["name", "vacancies", "first_titles"]

    def get_first_titles(self, company: Company) -> list[str]:
        return [v.title for v in company.vacancies.filter(title__endswith="-0")]


def test_a_relation_re_queried_per_row_does_not_rerun_nested_prefetches(companies) -> None:
    """``company.vacancies.filter(...)`` starts from the prefetched queryset; with the
    vacancies' skills prefetched inside it, every company paid one query more (the finding:
    a list from 10 to 19 queries)."""
    optimized, plain = on_and_off(CompanyWithRemoteTitlesSerializer)
    # companies, vacancies (location joined), skills; then one filter per company
    assert optimized == 3 + 4
    # companies; per company its vacancies and their filter; per vacancy location and skills
    assert plain == 1 + 4 * 2 + 12 * 2


# -- a to_attr prefetch --------------------------------------------------------------------------


class CompanyOpenVacanciesSerializer(serializers.ModelSerializer):
    open_vacancies = VacancyInCompanySerializer(many=True, read_only=True)

    class Meta:
        model = Company
        fields = ["name", "open_vacancies"]


def test_a_to_attr_prefetch_of_the_caller_costs_no_more(companies) -> None:
    queryset = Company.objects.order_by("created_at").prefetch_related(
        Prefetch(
            "vacancies",
            queryset=Vacancy.objects.filter(title__endswith="-1").select_related("location"),
            to_attr="open_vacancies",
        )
    )
    optimized, plain = on_and_off(CompanyOpenVacanciesSerializer, queryset=queryset)
    # companies, their open vacancies (location joined); then skills per open vacancy
    assert optimized == plain == 2 + 4


# -- annotate + values ---------------------------------------------------------------------------


class SkillCountSerializer(serializers.ModelSerializer):
    skill_count = serializers.IntegerField()
    company = serializers.CharField(source="company__name")

    class Meta:
        model = Vacancy
        fields = ["title", "company", "skill_count"]


def test_an_annotated_values_queryset_is_left_alone(companies) -> None:
    queryset = (
        Vacancy.objects.order_by("title")
        .annotate(skill_count=Count("skills"))
        .values("title", "company__name", "skill_count")
    )
    optimized, plain = on_and_off(SkillCountSerializer, queryset=queryset)
    assert optimized == plain == 1


# -- sources that are properties -----------------------------------------------------------------


class PropertySourcesSerializer(serializers.ModelSerializer):
    label = serializers.CharField()
    skill_slugs = serializers.ListField(child=serializers.CharField())
    company = serializers.CharField(source="company.name")

    class Meta:
        model = Vacancy
        fields = ["title", "label", "skill_slugs", "company"]


def test_sources_that_are_properties_cost_no_more(companies, monkeypatch) -> None:
    """What a property reads cannot be known: the joins the serializer shows are added,
    nothing is prefetched for the property, and it costs what it cost before."""
    monkeypatch.setattr(
        Vacancy,
        "label",
        property(lambda self: f"{self.title} at {self.company.name}"),
        raising=False,
    )
    monkeypatch.setattr(
        Vacancy,
        "skill_slugs",
        property(
            lambda self: sorted(
                self.skills.filter(slug__startswith="p").values_list("slug", flat=True)
            )
        ),
        raising=False,
    )
    optimized, plain = on_and_off(PropertySourcesSerializer)
    assert optimized == 1 + 12  # the company joined; the property's filter per row
    assert plain == 1 + 12 * 2
