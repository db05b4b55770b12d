"""The field set a serializer class builds once is shared safely: every serializer gets its
own bound copies (context, partial, instance, mutations stay its own), across requests and
threads; and the Typed viewsets answer the bytes plain DRF answers."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from vacancies.models import Company, Vacancy
from vacancies.serializers import CompanySerializer, VacancySerializer
from vacancies.views import CompanyViewSet, SkillViewSet, VacancyViewSet

from django_typed_api.fastpath import accelerate
from django_typed_api.filters import filters_nothing_unfiltered


class Greeting(serializers.ModelSerializer):
    greeting = serializers.SerializerMethodField()

    class Meta:
        model = Company
        fields = ["name", "greeting"]

    def get_greeting(self, obj: Company) -> str:
        return f"{self.context['who']} sees {obj.name}"


@pytest.fixture
def company(db) -> Company:
    return Company.objects.create(name="Acme", slug="acme", website="https://acme.test")


def test_each_serializer_gets_its_own_field_objects_bound_to_itself(company) -> None:
    first = accelerate(VacancySerializer())
    second = accelerate(VacancySerializer())
    for name, field in first.fields.items():
        assert field is not second.fields[name]
        assert field.parent is first and second.fields[name].parent is second
    nested_first, nested_second = first.fields["company"], second.fields["company"]
    assert nested_first.fields["name"].root is first
    assert nested_second.fields["name"].root is second
    assert first.fields["requirements"].child.parent is first.fields["requirements"]


class Shout(serializers.CharField):
    """A field with its own ``__init__``: copied with DRF's deep copy, unbound."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)


class Shouting(serializers.ModelSerializer):
    name = Shout()

    class Meta:
        model = Company
        fields = ["name", "slug"]


def test_a_field_with_its_own_init_is_bound_by_name_like_the_rest(company) -> None:
    for _ in range(2):  # the prototype, then a copy of it
        serializer = accelerate(Shouting(company))
        assert serializer.fields["name"].field_name == "name"
        assert serializer.fields["name"].parent is serializer
        assert serializer.data == {"name": "Acme", "slug": "acme"}


def test_the_context_is_each_serializers_own(company) -> None:
    alice = accelerate(Greeting(company, context={"who": "alice"}))
    bob = accelerate(Greeting(company, context={"who": "bob"}))
    assert alice.data["greeting"] == "alice sees Acme"
    assert bob.data["greeting"] == "bob sees Acme"


def test_partial_and_instance_are_each_serializers_own(company) -> None:
    partial = accelerate(CompanySerializer(company, data={"name": "New"}, partial=True))
    full = accelerate(CompanySerializer(data={"name": "New"}))
    assert partial.is_valid(), partial.errors
    assert not full.is_valid() and "slug" in full.errors
    assert partial.fields["name"].root.instance is company and full.instance is None


def test_changing_one_serializers_fields_leaves_the_next_one_alone(company) -> None:
    changed = accelerate(CompanySerializer(company))
    changed.fields["name"].error_messages["blank"] = "changed"
    changed.fields["name"].validators.append(lambda value: None)
    changed.fields["website"].write_only = True
    del changed.fields["size"]
    assert "website" not in changed.data and "size" not in changed.data

    fresh = accelerate(CompanySerializer(company))
    assert fresh.fields["name"].error_messages["blank"] != "changed"
    assert len(fresh.fields["name"].validators) == len(
        CompanySerializer().fields["name"].validators
    )
    assert list(fresh.data) == ["id", "name", "slug", "website", "size", "logo"]


def test_a_field_added_after_the_first_representation_is_rendered(company) -> None:
    serializer = accelerate(CompanySerializer(company))
    assert "extra" not in serializer.to_representation(company)
    serializer.fields["extra"] = serializers.CharField(source="slug")
    assert serializer.to_representation(company)["extra"] == "acme"


def test_a_serializer_class_changed_at_run_time_gets_a_new_field_set(company, monkeypatch) -> None:
    assert list(accelerate(CompanySerializer(company)).data) == [
        "id",
        "name",
        "slug",
        "website",
        "size",
        "logo",
    ]
    monkeypatch.setattr(CompanySerializer.Meta, "fields", ["id", "name", "logo"])
    assert list(accelerate(CompanySerializer(company)).data) == ["id", "name", "logo"]


def test_a_meta_list_changed_in_place_gets_a_new_field_set(company) -> None:
    class Named(serializers.ModelSerializer):
        class Meta:
            model = Company
            fields = ["id", "name"]

    assert list(accelerate(Named(company)).data) == ["id", "name"]
    Named.Meta.fields.append("slug")
    assert list(accelerate(Named(company)).data) == ["id", "name", "slug"]


def test_a_queryset_in_meta_options_keeps_its_field_set(company) -> None:
    """Options compare as they compare: a queryset by identity, so the prototype is reused."""
    from django_typed_api.fastpath import fields as fastpath_fields

    class Limited(serializers.ModelSerializer):
        class Meta:
            model = Vacancy
            fields = ["id", "company"]
            extra_kwargs = {"company": {"queryset": Company.objects.all()}}

    accelerate(Limited())
    prototype = fastpath_fields._PROTOTYPES[Limited]
    accelerate(Limited())
    assert fastpath_fields._PROTOTYPES[Limited] is prototype


def test_querysets_of_fields_are_never_shared(db) -> None:
    first = accelerate(VacancySerializer()).fields["company_id"].queryset
    second = accelerate(VacancySerializer()).fields["company_id"].queryset
    assert first is not second
    assert list(first) == list(second)  # the first's result cache is not the second's


def test_serializers_in_threads_keep_their_own_context(company, django_db_blocker) -> None:
    results: dict[int, list[str]] = {}

    def work(n: int) -> None:
        with django_db_blocker.unblock():
            results[n] = [
                accelerate(Greeting(company, context={"who": f"t{n}-{i}"})).data["greeting"]
                for i in range(30)
            ]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {n: [f"t{n}-{i} sees Acme" for i in range(30)] for n in range(6)}


# -- the testproject's responses --------------------------------------------------------------


def plain_drf(monkeypatch: pytest.MonkeyPatch) -> None:
    """The viewsets as DRF alone runs them: no fast path, DRF's JSONRenderer."""
    for view in (VacancyViewSet, CompanyViewSet, SkillViewSet):
        monkeypatch.setattr(view, "fast_serialization", False)
        monkeypatch.setattr(view, "renderer_classes", [JSONRenderer])


def responses(client: Any, urls: list[str]) -> dict[str, tuple[int, bytes]]:
    return {url: (r.status_code, r.content) for url in urls for r in [client.get(url)]}


def test_the_testprojects_responses_are_drfs_bytes(seeded, api_client, monkeypatch) -> None:
    vacancy = Vacancy.objects.order_by("slug").first()
    company = Company.objects.order_by("slug").first()
    urls = [
        "/api/vacancies/",
        "/api/vacancies/?page_size=100",
        "/api/vacancies/?page=2&ordering=-salary_max",
        "/api/vacancies/?remote=true&status=published",
        "/api/vacancies/?skills=python,django&search=engineer",
        f"/api/vacancies/{vacancy.pk}/",
        "/api/companies/",
        f"/api/companies/{company.pk}/",
        "/api/skills/",
        "/api/vacancies/?remote=maybe",  # an error envelope
        "/api/vacancies/00000000-0000-0000-0000-000000000000/",  # 404
    ]
    fast = responses(api_client, urls)
    plain_drf(monkeypatch)
    assert fast == responses(api_client, urls)
    assert fast[urls[0]][0] == 200 and fast[urls[-1]][0] == 404


def test_a_write_answers_drfs_bytes(auth_client, company, monkeypatch) -> None:
    body = {"title": "Ingénieur", "company_id": str(company.pk), "salary_min": 10}
    created = auth_client.post("/api/vacancies/", body, format="json")
    assert created.status_code == 201, created.content
    patched = auth_client.patch(
        f"/api/vacancies/{created.data['id']}/", {"remote": True}, format="json"
    )
    plain_drf(monkeypatch)
    again = auth_client.get(f"/api/vacancies/{created.data['id']}/")
    assert patched.content == again.content


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_writes_serializer_takes_the_fast_path(method: str, rf, company) -> None:
    """Related lookups in bulk read the fields too: they must read the fast path's copies."""
    from rest_framework.request import Request

    view = VacancyViewSet()
    view.request = Request(getattr(rf, method.lower())("/api/vacancies/"))
    view.format_kwarg, view.action = None, "create" if method == "POST" else "partial_update"
    serializer = view.get_serializer(data={"title": "x"}, partial=method == "PATCH")
    assert "to_representation" in serializer.__dict__


# -- django-filter without query parameters ---------------------------------------------------


def test_the_testprojects_filterset_filters_nothing_without_parameters() -> None:
    assert filters_nothing_unfiltered(VacancyViewSet.filterset_class)


def test_a_filterset_of_its_own_still_runs_without_parameters(seeded, api_client) -> None:
    from vacancies.filters import VacancyFilter

    class PublishedOnly(VacancyFilter):
        def filter_queryset(self, queryset: Any) -> Any:
            return super().filter_queryset(queryset).filter(status="published")

    class Published(VacancyViewSet):
        filterset_class = PublishedOnly

    assert not filters_nothing_unfiltered(PublishedOnly)
    request = api_client.get("/api/vacancies/").wsgi_request
    view = Published()
    view.request, view.format_kwarg, view.action = request, None, "list"
    from rest_framework.request import Request

    view.request = Request(request)
    statuses = set(view.filter_queryset(Vacancy.objects.all()).values_list("status", flat=True))
    assert statuses == {"published"}
    assert Vacancy.objects.exclude(status="published").exists()


def test_schema_generation_gets_drfs_own_serializers() -> None:
    """drf-spectacular builds each serializer once and renders nothing: no copies, no
    compiled representation, so generation costs what it costs without the fast path."""
    view = VacancyViewSet()
    view.swagger_fake_view = True
    view.format_kwarg = None
    view.request = None
    serializer = view.get_serializer()
    assert "to_representation" not in serializer.__dict__
    view.swagger_fake_view = False
    assert "to_representation" in view.get_serializer().__dict__
