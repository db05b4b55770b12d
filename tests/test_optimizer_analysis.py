"""What the optimizer derives from each kind of serializer field, and its override points.

Each test states the plan a serializer yields and proves it on real rows: the response
costs the same number of queries for 3 rows as for 12.
"""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count, FilteredRelation, Prefetch, Q
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory
from vacancies.models import Company, Location, Requirement, Skill, Vacancy

from django_typed_api.optimizer import optimize, plan_for
from django_typed_api.optimizer.deferred_prefetch import relation_path
from django_typed_api.viewsets import TypedModelViewSet, TypedReadOnlyModelViewSet

pytestmark = pytest.mark.django_db

factory = APIRequestFactory()


# -- serializers, one per kind of field --------------------------------------------------------


class LocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["city"]


class CompanyNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = Company
        fields = ["name"]


class DottedSourceSerializer(serializers.ModelSerializer):
    company_name = serializers.CharField(source="company.name")
    city = serializers.CharField(source="location.city", default=None)

    class Meta:
        model = Vacancy
        fields = ["title", "company_name", "city"]


class PrimaryKeySerializer(serializers.ModelSerializer):
    company = serializers.PrimaryKeyRelatedField(read_only=True)
    skills = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Vacancy
        fields = ["title", "company", "skills"]


class StringSerializer(serializers.ModelSerializer):
    location = serializers.StringRelatedField()
    requirements = serializers.StringRelatedField(many=True)

    class Meta:
        model = Vacancy
        fields = ["title", "location", "requirements"]


class SlugSerializer(serializers.ModelSerializer):
    company = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    skills = serializers.SlugRelatedField(many=True, slug_field="slug", read_only=True)

    class Meta:
        model = Vacancy
        fields = ["title", "company", "skills"]


class NestedSerializer(serializers.ModelSerializer):
    company = CompanyNameSerializer()
    location = LocationSerializer(allow_null=True)

    class Meta:
        model = Vacancy
        fields = ["title", "company", "location"]


class VacancyInCompanySerializer(serializers.ModelSerializer):
    location = LocationSerializer(allow_null=True)
    skills = serializers.SlugRelatedField(many=True, slug_field="slug", read_only=True)

    class Meta:
        model = Vacancy
        fields = ["title", "location", "skills"]


class ReverseSerializer(serializers.ModelSerializer):
    """A reverse foreign key, nested, whose rows have a join and a prefetch of their own."""

    vacancies = VacancyInCompanySerializer(many=True)

    class Meta:
        model = Company
        fields = ["name", "vacancies"]


class SkillWithVacancyTitlesSerializer(serializers.ModelSerializer):
    """The reverse side of a many-to-many, as slugs of the other side."""

    vacancies = serializers.SlugRelatedField(many=True, slug_field="title", read_only=True)

    class Meta:
        model = Skill
        fields = ["name", "vacancies"]


class HyperlinkedSlugSerializer(serializers.ModelSerializer):
    company = serializers.HyperlinkedRelatedField(
        view_name="company-detail", lookup_field="slug", read_only=True
    )

    class Meta:
        model = Vacancy
        fields = ["title", "company"]


class MethodFieldSerializer(serializers.ModelSerializer):
    skill_count = serializers.SerializerMethodField()

    class Meta:
        model = Vacancy
        fields = ["title", "skill_count"]

    def get_skill_count(self, vacancy: Vacancy) -> int:
        return len(vacancy.skills.all())


class CompanyWithMethodFieldSerializer(serializers.ModelSerializer):
    cities = serializers.SerializerMethodField()

    class Meta:
        model = Company
        fields = ["name", "cities"]
        optimizer_hints = {"cities": ["vacancies__location"]}

    def get_cities(self, company: Company) -> list[str]:
        return sorted({v.location.city for v in company.vacancies.all() if v.location})


class HintedNestedSerializer(serializers.ModelSerializer):
    company = CompanyWithMethodFieldSerializer()

    class Meta:
        model = Vacancy
        fields = ["title", "company"]


# -- helpers -------------------------------------------------------------------------------


@pytest.fixture
def rows(db):
    """Builds ``n`` vacancies of one company, each with a location, two skills and a requirement."""

    made = itertools.count()

    def build(n: int) -> Company:
        k = next(made)
        company = Company.objects.create(name=f"Co {k}", slug=f"co-{k}")
        python, _ = Skill.objects.get_or_create(slug="python", defaults={"name": "Python"})
        go, _ = Skill.objects.get_or_create(slug="go", defaults={"name": "Go"})
        for i in range(n):
            location, _ = Location.objects.get_or_create(city=f"City {i}", country="NL")
            requirement, _ = Requirement.objects.get_or_create(text=f"Requirement {i}")
            vacancy = Vacancy.objects.create(
                title=f"Job {k}-{i}", company=company, location=location
            )
            vacancy.skills.set([python, go])
            vacancy.requirements.set([requirement])
        return company

    return build


def viewset_for(serializer_class, base=TypedReadOnlyModelViewSet, **attrs):
    model = serializer_class.Meta.model
    return type(
        f"{serializer_class.__name__}ViewSet",
        (base,),
        {
            "queryset": model.objects.order_by("created_at"),
            "serializer_class": serializer_class,
            "permission_classes": [AllowAny],
            "authentication_classes": [],
            "pagination_class": None,
            "filter_backends": [],
            **attrs,
        },
    )


def list_queries(viewset) -> tuple[int, list]:
    request = factory.get("/")
    with CaptureQueriesContext(connection) as ctx:
        response = viewset.as_view({"get": "list"})(request)
        response.render()
    assert response.status_code == 200, response.data
    return len(ctx.captured_queries), response.data


def queries_for_3_and_12_rows(rows, viewset) -> tuple[int, int]:
    rows(3)
    few, _ = list_queries(viewset)
    rows(12)
    many, _ = list_queries(viewset)
    return few, many


# -- the plan of each kind of field -----------------------------------------------------------


def test_dotted_source_through_a_foreign_key_is_joined(rows) -> None:
    plan = plan_for(DottedSourceSerializer)
    assert (plan.select_related, plan.prefetch_related) == (("company", "location"), ())
    assert queries_for_3_and_12_rows(rows, viewset_for(DottedSourceSerializer)) == (1, 1)


def test_primary_keys_of_foreign_keys_need_no_join_and_many_pks_one_prefetch(rows) -> None:
    plan = plan_for(PrimaryKeySerializer)
    assert (plan.select_related, plan.prefetch_related) == ((), ("skills",))
    assert queries_for_3_and_12_rows(rows, viewset_for(PrimaryKeySerializer)) == (2, 2)


def test_string_related_fields_load_the_objects(rows) -> None:
    plan = plan_for(StringSerializer)
    assert (plan.select_related, plan.prefetch_related) == (("location",), ("requirements",))
    few, many = queries_for_3_and_12_rows(rows, viewset_for(StringSerializer))
    assert few == many == 2


def test_slug_related_fields_single_and_many(rows) -> None:
    plan = plan_for(SlugSerializer)
    assert (plan.select_related, plan.prefetch_related) == (("company",), ("skills",))
    assert queries_for_3_and_12_rows(rows, viewset_for(SlugSerializer)) == (2, 2)


def test_hyperlinks_by_slug_load_the_object_and_by_pk_do_not(rows) -> None:
    assert plan_for(HyperlinkedSlugSerializer).select_related == ("company",)

    class ByPk(serializers.ModelSerializer):
        company = serializers.HyperlinkedRelatedField(view_name="company-detail", read_only=True)

        class Meta:
            model = Vacancy
            fields = ["title", "company"]

    assert plan_for(ByPk).select_related == ()


def test_nested_serializers_are_joined(rows) -> None:
    plan = plan_for(NestedSerializer)
    assert plan.select_related == ("company", "location")
    assert queries_for_3_and_12_rows(rows, viewset_for(NestedSerializer)) == (1, 1)


def test_reverse_foreign_key_is_prefetched_with_a_queryset_optimized_for_its_rows(rows) -> None:
    plan = plan_for(ReverseSerializer)
    assert (plan.select_related, plan.prefetch_related) == ((), ("vacancies",))
    queryset = optimize(Company.objects.all(), ReverseSerializer)
    prefetch, nested = queryset._prefetch_related_lookups
    assert prefetch.queryset.query.select_related == {"location": {}}
    # The vacancies' own prefetch is a lookup of its own, not inside their queryset: code
    # that re-queries ``company.vacancies.filter(...)`` per row must not re-run it.
    assert prefetch.queryset._prefetch_related_lookups == ()
    assert nested == "vacancies__skills"
    # companies, their vacancies (location joined), the vacancies' skills
    assert queries_for_3_and_12_rows(rows, viewset_for(ReverseSerializer)) == (3, 3)


def test_reverse_side_of_a_many_to_many_is_prefetched(rows) -> None:
    assert plan_for(SkillWithVacancyTitlesSerializer).prefetch_related == ("vacancies",)
    few, many = queries_for_3_and_12_rows(rows, viewset_for(SkillWithVacancyTitlesSerializer))
    assert few == many == 2


def test_write_only_fields_cost_nothing() -> None:
    class WriteOnly(serializers.ModelSerializer):
        company_id = serializers.PrimaryKeyRelatedField(
            source="company", queryset=Company.objects.all(), write_only=True
        )
        skills = serializers.SlugRelatedField(
            many=True, slug_field="slug", queryset=Skill.objects.all(), write_only=True
        )

        class Meta:
            model = Vacancy
            fields = ["title", "company_id", "skills"]

    plan = plan_for(WriteOnly)
    assert (plan.select_related, plan.prefetch_related) == ((), ())


def test_the_analysis_runs_once_per_serializer_class(rows) -> None:
    analysed = []

    class Counting(NestedSerializer):
        class Meta(NestedSerializer.Meta):
            pass

        def get_fields(self):
            if "request" not in self.context:  # the optimizer's instance has no request
                analysed.append(1)
            return super().get_fields()

    rows(3)
    viewset = viewset_for(Counting)
    for _ in range(3):
        list_queries(viewset)
    assert analysed == [1]
    assert plan_for(Counting) is plan_for(Counting)


# -- override points -----------------------------------------------------------------------


def test_optimize_queryset_false_switches_it_off(rows) -> None:
    viewset = viewset_for(NestedSerializer, optimize_queryset=False)
    few, many = queries_for_3_and_12_rows(rows, viewset)
    assert many > few  # the N+1 is back: one company and one location query per row


def test_viewset_hints_cover_a_serializer_method_field(rows) -> None:
    unhinted = queries_for_3_and_12_rows(rows, viewset_for(MethodFieldSerializer))
    assert unhinted[1] > unhinted[0]
    hinted = viewset_for(MethodFieldSerializer, optimizer_hints={"skill_count": ["skills"]})
    assert queries_for_3_and_12_rows(rows, hinted) == (2, 2)
    assert {row["skill_count"] for row in list_queries(hinted)[1]} == {2}


def test_viewset_hints_accept_prefetch_objects(rows) -> None:
    rows(4)
    hinted = viewset_for(
        MethodFieldSerializer,
        optimizer_hints={"skill_count": [Prefetch("skills", Skill.objects.filter(slug="go"))]},
    )
    queries, data = list_queries(hinted)
    assert queries == 2
    assert {row["skill_count"] for row in data} == {1}  # the hint's queryset is the one used


def test_serializer_meta_hints_apply_where_the_serializer_is_nested(rows) -> None:
    plan = plan_for(HintedNestedSerializer)
    assert (plan.select_related, plan.prefetch_related) == (("company",), ("company__vacancies",))
    few, many = queries_for_3_and_12_rows(rows, viewset_for(HintedNestedSerializer))
    assert few == many == 2


def test_a_hint_for_an_unknown_field_is_refused_with_the_fields_named() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"'skil_count'.*fields: title, skill_count"):
        plan_for(MethodFieldSerializer, {"skil_count": ["skills"]})


def test_a_hint_that_is_not_a_relation_path_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="'skillz' is not a path of relations"):
        plan_for(MethodFieldSerializer, {"skill_count": ["skillz"]})


# -- what the caller's queryset already does is kept --------------------------------------------


def test_a_prefetch_with_its_own_queryset_is_kept_and_gets_the_nested_joins(rows) -> None:
    company = rows(4)
    remote_only = Vacancy.objects.filter(title__endswith="-1")
    queryset = Company.objects.filter(pk=company.pk).prefetch_related(
        Prefetch("vacancies", queryset=remote_only)
    )
    optimized = optimize(queryset, ReverseSerializer)
    prefetch, nested = optimized._prefetch_related_lookups
    assert prefetch.queryset.query.select_related == {"location": {}}
    assert nested == "vacancies__skills"
    with CaptureQueriesContext(connection) as ctx:
        data = ReverseSerializer(optimized, many=True).data
    assert [v["title"] for v in data[0]["vacancies"]] == ["Job 0-1"]  # the caller's filter
    assert len(ctx.captured_queries) == 3


def test_a_prefetch_to_attr_is_left_alone(rows) -> None:
    rows(3)
    queryset = Vacancy.objects.prefetch_related(
        Prefetch("skills", queryset=Skill.objects.filter(slug="go"), to_attr="go_skills")
    )
    optimized = optimize(queryset, SlugSerializer)
    lookups = optimized._prefetch_related_lookups
    ours, theirs = lookups
    assert (ours.relation, theirs.prefetch_to) == ("skills", "go_skills")
    assert theirs.queryset.query.where  # the caller's filter is untouched
    vacancy = optimized.first()
    assert [s.slug for s in vacancy.go_skills] == ["go"]
    assert sorted(s.slug for s in vacancy.skills.all()) == ["go", "python"]


def test_an_unrestricted_select_related_is_not_narrowed(rows) -> None:
    optimized = optimize(Vacancy.objects.select_related(), NestedSerializer)
    assert optimized.query.select_related is True


def test_a_foreign_key_the_caller_prefetches_is_not_joined_over_it(rows) -> None:
    rows(3)
    annotated = Company.objects.annotate(jobs=Count("vacancies"))
    queryset = Vacancy.objects.prefetch_related(Prefetch("company", queryset=annotated))
    optimized = optimize(queryset, NestedSerializer)
    assert "company" not in (optimized.query.select_related or {})
    assert all(v.company.jobs == 3 for v in optimized)


def test_deferred_foreign_keys_are_not_joined() -> None:
    optimized = optimize(Vacancy.objects.defer("location"), NestedSerializer)
    assert optimized.query.select_related == {"company": {}}
    str(optimized.query)  # compiles: no "deferred and traversed" error


def test_other_models_values_and_unions_are_returned_unchanged() -> None:
    for queryset in (
        Company.objects.all(),
        Vacancy.objects.values("title"),
        Vacancy.objects.all().union(Vacancy.objects.all()),
    ):
        assert optimize(queryset, NestedSerializer) is queryset


def test_a_plain_queryset_gets_the_plan_and_is_itself_left_as_it_was(rows) -> None:
    """The common case is applied in one clone; the caller's queryset (often a class
    attribute shared by every request) must not change."""
    rows(2)
    base = Vacancy.objects.filter(title__startswith="Job")
    optimized = optimize(base, VacancyInCompanySerializer)
    plan = plan_for(VacancyInCompanySerializer)
    assert optimized is not base
    assert set(optimized.query.select_related) == set(plan.select_related)
    lookups = optimized._prefetch_related_lookups
    assert [relation_path(lookup) for lookup in lookups] == list(plan.prefetch_related)
    assert base.query.select_related is False
    assert base._prefetch_related_lookups == ()
    assert optimize(base, VacancyInCompanySerializer)._prefetch_related_lookups == lookups
    with CaptureQueriesContext(connection) as ctx:
        rendered = VacancyInCompanySerializer(optimized, many=True).data
    assert len(ctx.captured_queries) == 1 + len(plan.prefetch_related)
    assert all(sorted(row["skills"]) == ["go", "python"] for row in rendered)


def test_a_queryset_with_a_filtered_relation_is_optimized_as_prefetch_related_does_it(
    rows,
) -> None:
    rows(3)
    queryset = Vacancy.objects.annotate(
        python=FilteredRelation("skills", condition=Q(skills__slug="python"))
    ).filter(python__isnull=False)
    optimized = optimize(queryset, VacancyInCompanySerializer)
    plan = plan_for(VacancyInCompanySerializer)
    by_hand = queryset.select_related(*plan.select_related).prefetch_related(*plan.prefetch_related)
    assert [v.pk for v in optimized] == [v.pk for v in by_hand]
    assert VacancyInCompanySerializer(optimized, many=True).data == (
        VacancyInCompanySerializer(by_hand, many=True).data
    )


def test_a_serializer_without_relations_leaves_the_queryset_as_it_is() -> None:
    class Scalars(serializers.ModelSerializer):
        class Meta:
            model = Vacancy
            fields = ["title", "remote"]

    queryset = Vacancy.objects.all()
    assert optimize(queryset, Scalars) is queryset


# -- write responses --------------------------------------------------------------------------


class CompanyTreeSerializer(serializers.ModelSerializer):
    vacancies = VacancyInCompanySerializer(many=True, read_only=True)

    class Meta:
        model = Company
        fields = ["name", "vacancies"]


class VacancyTreeSerializer(serializers.ModelSerializer):
    """A write response that nests a list whose rows have relations of their own."""

    company = CompanyTreeSerializer(read_only=True)
    company_id = serializers.PrimaryKeyRelatedField(
        source="company", queryset=Company.objects.all(), write_only=True
    )

    class Meta:
        model = Vacancy
        fields = ["id", "title", "company", "company_id"]


def write_queries(viewset, method: str, company: Company) -> int:
    if method == "post":
        request = factory.post("/", {"title": "New", "company_id": str(company.pk)}, format="json")
        view, kwargs = viewset.as_view({"post": "create"}), {}
    else:
        vacancy = company.vacancies.first()
        request = factory.patch("/", {"title": "Renamed"}, format="json")
        view, kwargs = viewset.as_view({"patch": "partial_update"}), {"pk": vacancy.pk}
    with CaptureQueriesContext(connection) as ctx:
        response = view(request, **kwargs)
        response.render()
    assert response.status_code in (200, 201), response.data
    assert len(response.data["company"]["vacancies"]) == company.vacancies.count()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("method", ["post", "patch"])
def test_write_responses_do_not_grow_with_the_rows_they_nest(rows, method: str) -> None:
    viewset = viewset_for(VacancyTreeSerializer, base=TypedModelViewSet)
    assert write_queries(viewset, method, rows(2)) == write_queries(viewset, method, rows(10))


@pytest.mark.parametrize("method", ["post", "patch"])
def test_without_the_optimizer_write_responses_grow_with_the_rows(rows, method: str) -> None:
    viewset = viewset_for(VacancyTreeSerializer, base=TypedModelViewSet, optimize_queryset=False)
    assert write_queries(viewset, method, rows(2)) < write_queries(viewset, method, rows(10))


def test_a_serializer_that_needs_the_request_is_left_unoptimized_with_a_warning(rows) -> None:
    class NeedsRequest(NestedSerializer):
        class Meta(NestedSerializer.Meta):
            pass

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.user = self.context["request"].user

    rows(3)
    with pytest.warns(RuntimeWarning, match="cannot analyse .*NeedsRequest.*KeyError"):
        queries, data = list_queries(viewset_for(NeedsRequest))
    assert len(data) == 3
    assert queries == 1 + 3 * 2  # served, with DRF's usual per-row queries
