import django_filters

from django_typed_api.filters import CharInFilter, TypedFilterSet

from .models import Vacancy


class VacancyFilter(TypedFilterSet):
    skills = CharInFilter(
        field_name="skills__slug",
        lookup_expr="in",
        distinct=True,
        help_text="Comma-separated skill slugs: any of them matches.",
    )
    company = django_filters.CharFilter(field_name="company__slug", help_text="Company slug.")
    salary_min = django_filters.NumberFilter(field_name="salary_max", lookup_expr="gte")

    class Meta:
        model = Vacancy
        fields = ["status", "employment_type", "remote", "skills", "company"]
