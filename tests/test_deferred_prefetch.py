"""The optimizer's many-to-many prefetches build a row's queryset only when something asks:
whatever looks at the relation sees exactly what Django's own prefetch gives, without a
query; rendering reads the objects without building anything."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from django.core import serializers as django_serializers
from django.db import connection
from django.db.models import prefetch_related_objects
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.test import APIRequestFactory
from vacancies.models import Skill, Vacancy
from vacancies.serializers import VacancySerializer

from django_typed_api.fastpath import accelerate
from django_typed_api.optimizer import optimize
from django_typed_api.optimizer.deferred_prefetch import DeferredPrefetchCache, deferred_lookup
from django_typed_api.optimizer.prefetch_queries import PrefetchQuery

pytestmark = pytest.mark.usefixtures("seeded")


def optimized() -> list[Vacancy]:
    return list(optimize(Vacancy.objects.order_by("slug"), VacancySerializer)[:10])


def djangos() -> list[Vacancy]:
    queryset = Vacancy.objects.select_related("company", "location")
    return list(queryset.prefetch_related("skills", "requirements").order_by("slug")[:10])


def skills(vacancy: Vacancy) -> list[str]:
    return [skill.slug for skill in vacancy.skills.all()]


def no_queries() -> CaptureQueriesContext:
    return CaptureQueriesContext(connection)


def test_the_relation_is_djangos_prefetch_without_a_query() -> None:
    ours, theirs = optimized(), djangos()
    with no_queries() as queries:
        assert [skills(v) for v in ours] == [skills(v) for v in theirs]
        assert [[r.text for r in v.requirements.all()] for v in ours] == [
            [r.text for r in v.requirements.all()] for v in theirs
        ]
    assert len(queries) == 0


def test_the_prefetched_queryset_is_built_once_and_kept() -> None:
    vacancy = optimized()[0]
    assert vacancy.skills.all() is vacancy.skills.all()
    assert vacancy.skills.all()._result_cache is not None


def test_filtering_the_prefetched_relation_queries_that_rows_relation() -> None:
    ours, theirs = optimized()[0], djangos()[0]
    slug = skills(theirs)[0]
    assert [s.slug for s in ours.skills.filter(slug=slug)] == [slug]
    assert ours.skills.exclude(slug=slug).count() == theirs.skills.exclude(slug=slug).count()


def test_changing_the_relation_drops_the_prefetch_as_with_django() -> None:
    vacancy = optimized()[0]
    extra = Skill.objects.create(name="Zig", slug="zig")
    vacancy.skills.add(extra)
    assert "zig" in skills(vacancy)


def test_refresh_from_db_drops_the_prefetch() -> None:
    vacancy = optimized()[0]
    Vacancy.skills.through.objects.filter(vacancy=vacancy).delete()
    vacancy.refresh_from_db()
    assert skills(vacancy) == []


def test_a_pickled_row_keeps_its_prefetched_relation() -> None:
    vacancy = optimized()[0]
    expected = skills(djangos()[0])
    copy = pickle.loads(pickle.dumps(vacancy))
    assert type(copy._prefetched_objects_cache) is dict
    with no_queries() as queries:
        assert skills(copy) == expected
    assert len(queries) == 0


def test_a_row_with_only_deferred_entries_counts_as_prefetched() -> None:
    # DRF's update resets the cache only when it is truthy (mixins.UpdateModelMixin).
    vacancy = optimized()[0]
    assert type(vacancy._prefetched_objects_cache) is DeferredPrefetchCache
    assert vacancy._prefetched_objects_cache
    assert "skills" in vacancy._prefetched_objects_cache


def test_prefetching_the_relation_again_runs_no_query() -> None:
    rows = optimized()
    with no_queries() as queries:
        prefetch_related_objects(rows, "skills")
    assert len(queries) == 0


def test_a_callers_nested_lookup_goes_through_the_prefetched_relation() -> None:
    queryset = Vacancy.objects.order_by("slug").prefetch_related("skills__vacancies")
    rows = list(optimize(queryset, VacancySerializer)[:5])
    with no_queries() as queries:
        counts = [[s.vacancies.count() for s in v.skills.all()] for v in rows]
    assert len(queries) == 0
    assert counts == [[s.vacancies.count() for s in v.skills.all()] for v in djangos()[:5]]


def test_djangos_serializers_and_model_to_dict_see_the_relation() -> None:
    ours, theirs = optimized()[:3], djangos()[:3]
    assert django_serializers.serialize("python", ours) == django_serializers.serialize(
        "python", theirs
    )
    assert [model_to_dict(v)["skills"] for v in ours] == [
        model_to_dict(v)["skills"] for v in theirs
    ]


def test_rendering_reads_the_objects_without_building_the_querysets() -> None:
    rows = optimized()
    context = {"request": APIRequestFactory().get("/api/vacancies/")}
    data = accelerate(VacancySerializer(rows, many=True, context=context)).data
    assert data == VacancySerializer(djangos(), many=True, context=context).data
    deferred = [set(v._prefetched_objects_cache.deferred) for v in rows]
    assert deferred == [{"skills", "requirements"}] * len(rows)


def test_a_reverse_many_to_many_relation_is_deferred_too() -> None:
    class SkillWithVacancies(serializers.ModelSerializer):
        vacancies = serializers.SlugRelatedField(many=True, slug_field="slug", read_only=True)

        class Meta:
            model = Skill
            fields = ["slug", "vacancies"]

    ours = list(optimize(Skill.objects.order_by("slug"), SkillWithVacancies))
    theirs = list(Skill.objects.order_by("slug").prefetch_related("vacancies"))
    with no_queries() as queries:
        rendered: Any = accelerate(SkillWithVacancies(ours, many=True)).data
        slugs = [[v.slug for v in s.vacancies.all()] for s in ours]
    assert len(queries) == 0
    assert rendered == SkillWithVacancies(theirs, many=True).data
    assert slugs == [[v.slug for v in s.vacancies.all()] for s in theirs]


def test_asking_for_one_relation_builds_that_one_alone() -> None:
    vacancy = optimized()[0]
    cache = vacancy._prefetched_objects_cache
    assert "skills" in cache and set(cache.deferred) == {"skills", "requirements"}
    assert [s.slug for s in cache.get("skills")] == skills(djangos()[0])
    assert set(cache.deferred) == {"requirements"}
    assert sorted(cache) == ["requirements", "skills"]  # iterating sees every entry, built
    assert cache.deferred == {}


# -- the prefetch query (prefetch_queries.PrefetchQuery) ------------------------------------


def prefetch_query(model: Any, attr: str) -> Any:
    deferred_lookup(model, attr)  # installs the relation's private descriptor
    return model.__dict__[f"_typed_api_prefetched_{attr}"].query


def managers(rows: list[Any], attr: str) -> Any:
    """What the relation's own manager returns for ``rows`` (Django 4.2 names it singular)."""
    manager = getattr(rows[0], attr)
    if hasattr(manager, "get_prefetch_querysets"):
        return manager.get_prefetch_querysets(rows, None)
    return manager.get_prefetch_queryset(rows, None)


def sql(queryset: Any) -> tuple[str, tuple[Any, ...]]:
    query, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return query, tuple(params)


@pytest.mark.parametrize("count", [1, 7])
@pytest.mark.parametrize(
    ("model", "attr"), [(Vacancy, "skills"), (Vacancy, "requirements"), (Skill, "vacancies")]
)
def test_the_prefetch_query_is_the_managers_own(model: Any, attr: str, count: int) -> None:
    rows = list(model.objects.order_by("pk")[:count])
    query = prefetch_query(model, attr)
    ours = query(rows, None)
    theirs = managers(rows, attr)
    assert sql(ours[0]) == sql(theirs[0])
    assert ours[0].db == theirs[0].db
    assert ours[0]._hints == theirs[0]._hints
    assert [ours[1](obj) for obj in ours[0]] == [theirs[1](obj) for obj in theirs[0]]
    assert [ours[2](row) for row in rows] == [theirs[2](row) for row in rows]
    assert ours[3:] == theirs[3:]
    assert query.templates[ours[0].db] is not None  # built from the template


def test_the_template_is_not_changed_by_the_queries_built_from_it() -> None:
    rows = list(Vacancy.objects.order_by("pk")[:3])
    query = prefetch_query(Vacancy, "skills")
    first = sql(query(rows[:1], None)[0])
    query(rows, None)
    again = query(rows[:1], None)[0]
    assert sql(again) == first
    assert again._hints == {"instance": rows[0]}


def test_a_default_manager_of_its_own_builds_every_query_itself(monkeypatch) -> None:
    """A manager's get_queryset may depend on the moment (a tenant, a flag): nothing of it
    is kept, the manager builds each prefetch query as in Django."""
    from django.db import models

    hidden: list[str] = []

    class Hiding(models.Manager):
        def get_queryset(self) -> Any:
            return super().get_queryset().exclude(slug__in=hidden)

    manager = Hiding()
    manager.model = Skill
    manager.name = "objects"
    monkeypatch.setitem(Skill._meta.__dict__, "default_manager", manager)
    descriptor = Vacancy.__dict__["skills"]
    monkeypatch.delitem(descriptor.__dict__, "related_manager_cls", raising=False)

    def prefetched() -> list[list[str]]:
        return [skills(v) for v in optimized()]

    every = prefetched()
    hidden.append(every[0][0])
    assert prefetched() == [[s for s in row if s != every[0][0]] for row in every]
    hidden.clear()
    assert prefetched() == every


def test_a_template_whose_query_differs_is_never_used(monkeypatch) -> None:
    rows = list(Vacancy.objects.order_by("pk")[:3])
    query = PrefetchQuery(Vacancy.__dict__["skills"], "skills", "skills")
    built = query._query
    monkeypatch.setattr(query, "_query", lambda template, rows: built(template, rows).reverse())
    ours = query(rows, None)
    assert query.templates[ours[0].db] is None
    assert sql(ours[0]) == sql(managers(rows, "skills")[0])


@pytest.mark.parametrize(
    ("model_name", "attr"),
    [("Group", "permissions"), ("User", "groups"), ("Permission", "group_set")],
)
def test_djangos_auth_relations_prefetch_as_djangos_own(model_name: str, attr: str) -> None:
    """Models nobody here wrote: integer keys, a Meta.ordering through a join
    (Permission), a reverse accessor; each row gets what Django's prefetch gives it."""
    from django.contrib.auth.models import Group, Permission, User

    permissions = list(Permission.objects.order_by("pk")[:6])
    for i in range(3):
        group = Group.objects.create(name=f"g{i}")
        group.permissions.set(permissions[i : i + 3])
        User.objects.create(username=f"u{i}").groups.set([group])
    model = {"Group": Group, "User": User, "Permission": Permission}[model_name]
    lookup = deferred_lookup(model, attr)
    assert lookup is not None
    rows = list(model.objects.order_by("pk"))
    ours = list(model.objects.order_by("pk"))
    prefetch_related_objects(ours, lookup)
    theirs = list(model.objects.order_by("pk").prefetch_related(attr))
    with no_queries() as queries:
        got = [[o.pk for o in getattr(row, attr).all()] for row in ours]
    assert len(queries) == 0
    assert got == [[o.pk for o in getattr(row, attr).all()] for row in theirs]
    assert any(got)
    query = model.__dict__[f"_typed_api_prefetched_{attr}"].query
    assert sql(query(rows, None)[0]) == sql(managers(rows, attr)[0])
    assert query.templates["default"] is not None
