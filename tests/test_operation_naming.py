"""operationIds, summaries, descriptions and tags follow docs/concepts/naming.md."""

from __future__ import annotations

import pytest
from django.db import models
from django.test import override_settings
from django.test.utils import isolate_apps
from django.urls import path
from django.utils import translation
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.generics import ListCreateAPIView, RetrieveUpdateAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from django_typed_api.viewsets import TypedModelViewSet, TypedSchemaMixin

from .schema_utils import operation_ids, operations, router_patterns, schema_for, warnings


def make_model(name: str, **attrs: object) -> type[models.Model]:
    """A throw-away model; call inside ``@isolate_apps("vacancies")``."""
    fields = {"title": models.CharField(max_length=10), **attrs}
    return type(name, (models.Model,), {"__module__": "vacancies.models", **fields})


def model_viewset(model_cls: type[models.Model], **attrs: object) -> type:
    serializer = type(
        f"{model_cls.__name__}Serializer",
        (serializers.ModelSerializer,),
        {"Meta": type("Meta", (), {"model": model_cls, "fields": "__all__"})},
    )
    return type(
        f"{model_cls.__name__}ViewSet",
        (TypedModelViewSet,),
        {"queryset": model_cls.objects.none(), "serializer_class": serializer, **attrs},
    )


@pytest.mark.parametrize(
    ("model_name", "plural"),
    [
        ("Vacancy", "Vacancies"),
        ("Person", "People"),
        ("Analysis", "Analyses"),
        ("Category", "Categories"),
        ("Address", "Addresses"),
        ("Status", "Statuses"),
        ("JobApplication", "JobApplications"),
    ],
)
@isolate_apps("vacancies")
def test_standard_actions_are_named_from_the_model(model_name: str, plural: str) -> None:
    schema = schema_for(router_patterns(("things", model_viewset(make_model(model_name)))))
    assert sorted(operation_ids(schema).values()) == sorted(
        [
            f"list{plural}",
            f"create{model_name}",
            f"retrieve{model_name}",
            f"update{model_name}",
            f"partialUpdate{model_name}",
            f"destroy{model_name}",
        ]
    )


@isolate_apps("vacancies")
def test_translated_verbose_names_do_not_change_operation_ids() -> None:
    class Stelle(models.Model):
        title = models.CharField(max_length=10)

        class Meta:
            app_label = "vacancies"
            verbose_name = "Vacancy"
            verbose_name_plural = "Offene Stellen"

    with translation.override("de"):
        ids = set(operation_ids(schema_for(router_patterns(("s", model_viewset(Stelle))))).values())
    assert "listStellen" not in ids  # inflection is English, on the class name
    assert {"listStelles", "retrieveStelle"} <= ids


@isolate_apps("vacancies")
def test_noun_overrides_on_the_viewset_win_over_the_model() -> None:
    Vacancy = make_model("Vacancy")

    viewset = model_viewset(Vacancy, noun="Job", plural_noun="Jobs")
    ids = set(operation_ids(schema_for(router_patterns(("jobs", viewset)))).values())
    assert {"listJobs", "createJob", "retrieveJob", "destroyJob"} <= ids


@isolate_apps("vacancies")
def test_custom_actions_are_plural_for_collections_and_singular_for_objects() -> None:
    Vacancy = make_model("Vacancy")

    class VacancySerializer(serializers.ModelSerializer):
        class Meta:
            model = Vacancy
            fields = "__all__"

    class VacancyViewSet(TypedSchemaMixin, viewsets.GenericViewSet):
        queryset = Vacancy.objects.none()
        serializer_class = VacancySerializer

        @extend_schema(request=None, responses=VacancySerializer(many=True))
        @action(detail=False, methods=["post"])
        def search(self, request):
            """Search vacancies by free text."""

        @extend_schema(request=None, responses=VacancySerializer)
        @action(detail=True, methods=["post"])
        def publish(self, request, pk=None):
            pass

        @extend_schema(request=None, responses=VacancySerializer)
        @action(detail=True, methods=["get", "post"])
        def subscribe(self, request, pk=None):
            pass

    schema = schema_for(router_patterns(("vacancies", VacancyViewSet)))
    ops = operations(schema)
    assert ops[("POST", "/vacancies/search/")]["operationId"] == "searchVacancies"
    assert ops[("POST", "/vacancies/search/")]["summary"] == "Search vacancies by free text"
    assert ops[("POST", "/vacancies/{id}/publish/")]["operationId"] == "publishVacancy"
    assert ops[("POST", "/vacancies/{id}/publish/")]["summary"] == "Publish vacancy"
    # One handler for several methods: distinct ids, GET keeps the plain name.
    assert ops[("GET", "/vacancies/{id}/subscribe/")]["operationId"] == "subscribeVacancy"
    assert ops[("POST", "/vacancies/{id}/subscribe/")]["operationId"] == "createSubscribeVacancy"


def test_function_views_are_named_from_the_function() -> None:
    @extend_schema(request=None, responses={200: None})
    @api_view(["POST"])
    def search_jobs(request):
        """Search jobs.

        Free text over title and company.
        """
        return Response()

    schema = schema_for([path("jobs/search/", search_jobs)])
    operation = operations(schema)[("POST", "/jobs/search/")]
    assert operation["operationId"] == "searchJobs"
    assert operation["summary"] == "Search jobs"
    assert operation["description"] == "Free text over title and company."


class ProfileSerializer(serializers.Serializer):
    name = serializers.CharField()


def test_api_views_are_named_from_the_class_and_method() -> None:
    class UserProfileView(APIView):
        @extend_schema(responses=ProfileSerializer)
        def get(self, request):
            return Response()

        @extend_schema(request=ProfileSerializer, responses=ProfileSerializer)
        def patch(self, request):
            return Response()

    ids = operation_ids(schema_for([path("user/profile/", UserProfileView.as_view())]))
    assert ids == {
        ("GET", "/user/profile/"): "retrieveUserProfile",
        ("PATCH", "/user/profile/"): "partialUpdateUserProfile",
    }


@isolate_apps("vacancies")
def test_generic_views_named_like_the_drf_tutorial_get_resource_names() -> None:
    class Snippet(models.Model):
        code = models.TextField()

        class Meta:
            app_label = "vacancies"

    class SnippetSerializer(serializers.ModelSerializer):
        class Meta:
            model = Snippet
            fields = "__all__"

    class SnippetList(ListCreateAPIView):
        queryset = Snippet.objects.none()
        serializer_class = SnippetSerializer

    class SnippetDetail(RetrieveUpdateAPIView):
        queryset = Snippet.objects.none()
        serializer_class = SnippetSerializer

    ids = operation_ids(
        schema_for(
            [
                path("snippets/", SnippetList.as_view()),
                path("snippets/<int:pk>/", SnippetDetail.as_view()),
            ]
        )
    )
    assert set(ids.values()) == {
        "listSnippets",
        "createSnippet",
        "retrieveSnippet",
        "updateSnippet",
        "partialUpdateSnippet",
    }


@isolate_apps("vacancies")
def test_extend_schema_operation_id_always_wins() -> None:
    Vacancy = make_model("Vacancy")

    viewset = extend_schema_view(list=extend_schema(operation_id="allOpenings"))(
        model_viewset(Vacancy)
    )
    ids = set(operation_ids(schema_for(router_patterns(("v", viewset)))).values())
    assert "allOpenings" in ids
    assert "listVacancies" not in ids


@isolate_apps("vacancies")
def test_verbs_are_overridable_in_settings() -> None:
    Vacancy = make_model("Vacancy")

    with override_settings(TYPED_API={"OPERATION_VERBS": {"destroy": "delete", "retrieve": "get"}}):
        ids = set(
            operation_ids(schema_for(router_patterns(("v", model_viewset(Vacancy))))).values()
        )
    assert {"deleteVacancy", "getVacancy", "listVacancies"} <= ids
    assert "destroyVacancy" not in ids


@isolate_apps("vacancies")
def test_the_mixin_alone_works_without_changing_default_schema_class() -> None:
    Vacancy = make_model("Vacancy")

    plain = type(
        "PlainViewSet",
        (viewsets.ModelViewSet,),
        {
            "queryset": Vacancy.objects.none(),
            "serializer_class": model_viewset(Vacancy).serializer_class,
        },
    )
    rest = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
    with override_settings(REST_FRAMEWORK=rest, SPECTACULAR_SETTINGS={}):
        schema = schema_for(router_patterns(("typed", model_viewset(Vacancy)), ("plain", plain)))
    ids = set(operation_ids(schema).values())
    assert {"listVacancies", "retrieveVacancy"} <= ids
    assert "plain_list" in ids  # drf-spectacular's own naming, untouched


@isolate_apps("vacancies")
def test_unannotated_custom_action_is_reported_not_documented_wrongly() -> None:
    Vacancy = make_model("Vacancy")

    def archive(self, request):
        return Response()

    viewset = model_viewset(Vacancy, archive=action(detail=False, methods=["post"])(archive))
    schema_for(router_patterns(("vacancies", viewset)))
    assert any(
        "VacancyViewSet.archive" in message and "@extend_schema" in message
        for message in warnings()
    )


@isolate_apps("vacancies")
def test_custom_action_with_its_own_serializer_class_is_not_reported() -> None:
    Vacancy = make_model("Vacancy")

    def archive(self, request):
        return Response()

    decorated = action(detail=False, methods=["post"], serializer_class=ProfileSerializer)(archive)
    schema_for(router_patterns(("vacancies", model_viewset(Vacancy, archive=decorated))))
    assert not [m for m in warnings() if "archive" in m]


def test_a_well_known_view_keeps_its_whole_docstring_as_description() -> None:
    from rest_framework_simplejwt.views import TokenRefreshView

    operation = operations(schema_for([path("token/refresh/", TokenRefreshView.as_view())]))[
        ("POST", "/token/refresh/")
    ]
    assert operation["summary"] == "Refresh token pair"
    assert operation["description"].startswith("Takes a refresh type JSON web token")


@isolate_apps("vacancies")
def test_a_templated_summary_leaves_the_whole_docstring_to_the_description() -> None:
    Vacancy = make_model("Vacancy")

    def create(self, request):
        """Create a vacancy and notify subscribers.

        Subscribers get one e-mail per vacancy."""
        return Response()

    viewset = model_viewset(Vacancy, create=create)
    operation = operations(schema_for(router_patterns(("vacancies", viewset))))[
        ("POST", "/vacancies/")
    ]
    assert operation["summary"] == "Create a vacancy"
    assert operation["description"] == (
        "Create a vacancy and notify subscribers.\n\nSubscribers get one e-mail per vacancy."
    )


def test_a_handler_replaced_by_a_view_extension_keeps_the_originals_docstring() -> None:
    from drf_spectacular.extensions import OpenApiViewExtension

    class LibraryView(APIView):
        """A library's view."""

        def get(self, request):
            """What GET does."""
            return Response()

    class Extension(OpenApiViewExtension):
        target_class = LibraryView

        def view_replacement(self):
            class Fixed(self.target_class):
                @extend_schema(responses={200: None})
                def get(self, request):
                    return Response()

            return Fixed

    try:
        schema = schema_for([path("library/", LibraryView.as_view())])
    finally:
        OpenApiViewExtension._registry.remove(Extension)
    assert operations(schema)[("GET", "/library/")]["description"] == "What GET does."
