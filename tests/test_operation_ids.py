"""operationIds are unique by construction and always start with a verb (issue 13).

A would-be collision is resolved from context (nested parent, API version, the viewset's own
name, format suffix, path), never with drf-spectacular's ``_2``; an action or function named
by a noun gets its verb from the HTTP method and the response shape.
"""

from __future__ import annotations

from django.db import models
from django.test import override_settings
from django.test.utils import isolate_apps
from django.urls import include, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response
from rest_framework.urlpatterns import format_suffix_patterns
from rest_framework.versioning import URLPathVersioning
from rest_framework.views import APIView

from django_typed_api.viewsets import TypedSchemaMixin

from .schema_utils import operation_ids, router_patterns, schema_for, warnings


def make_model(name: str) -> type[models.Model]:
    """A throw-away model; call inside ``@isolate_apps("vacancies")``."""
    attrs = {"title": models.CharField(max_length=10), "__module__": "vacancies.models"}
    return type(name, (models.Model,), attrs)


def serializer_for(model: type[models.Model]) -> type[serializers.ModelSerializer]:
    meta = type("Meta", (), {"model": model, "fields": "__all__"})
    return type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), {"Meta": meta})


def read_viewset(model: type[models.Model], name: str | None = None, **attrs: object) -> type:
    return type(
        name or f"{model.__name__}ViewSet",
        (TypedSchemaMixin, viewsets.ReadOnlyModelViewSet),
        {"queryset": model.objects.none(), "serializer_class": serializer_for(model), **attrs},
    )


def ids_of(patterns: list) -> dict[tuple[str, str], str]:
    return operation_ids(schema_for(patterns))


def numeral_suffix_warnings() -> list[str]:
    return [w for w in warnings() if "numeral suffixes" in w]


# -- collisions resolved from context --------------------------------------------------------


@isolate_apps("vacancies")
def test_a_nested_route_is_named_with_its_parent() -> None:
    Book = make_model("Book")
    BookViewSet = read_viewset(Book)
    ids = ids_of(
        [
            path("books/", BookViewSet.as_view({"get": "list"})),
            path("authors/<int:author_pk>/books/", BookViewSet.as_view({"get": "list"})),
            path(
                "authors/<int:author_pk>/books/<int:pk>/", BookViewSet.as_view({"get": "retrieve"})
            ),
        ]
    )
    assert ids == {
        ("GET", "/books/"): "listBooks",
        ("GET", "/authors/{author_pk}/books/"): "listAuthorBooks",
        ("GET", "/authors/{author_pk}/books/{id}/"): "retrieveBook",
    }
    assert numeral_suffix_warnings() == []


@isolate_apps("vacancies")
def test_a_second_viewset_on_one_model_is_named_with_its_own_name() -> None:
    Book = make_model("Book")
    ids = ids_of(
        router_patterns(
            ("books", read_viewset(Book)), ("archive", read_viewset(Book, "ArchivedBookViewSet"))
        )
    )
    assert ids[("GET", "/books/")] == "listBooks"
    assert ids[("GET", "/archive/")] == "listArchivedBooks"
    assert ids[("GET", "/archive/{id}/")] == "retrieveArchivedBook"


@isolate_apps("vacancies")
def test_two_url_versions_in_one_schema_are_named_with_the_version() -> None:
    Book = make_model("Book")
    BookViewSet = read_viewset(Book)
    ids = ids_of(
        [
            path("v1/", include(router_patterns(("books", BookViewSet)))),
            path("v2/", include(router_patterns(("books", BookViewSet)))),
        ]
    )
    assert ids[("GET", "/v1/books/")] == "listBooksV1"
    assert ids[("GET", "/v2/books/")] == "listBooksV2"
    assert ids[("GET", "/v2/books/{id}/")] == "retrieveBookV2"


@isolate_apps("vacancies")
def test_each_versions_own_schema_keeps_plain_names() -> None:
    Book = make_model("Book")

    class Versioning(URLPathVersioning):
        allowed_versions = ["v1", "v2"]
        default_version = "v1"

    BookViewSet = read_viewset(Book, versioning_class=Versioning)
    from drf_spectacular.generators import SchemaGenerator

    patterns = [path("<str:version>/", include(router_patterns(("books", BookViewSet))))]
    schema = SchemaGenerator(patterns=patterns, api_version="v2").get_schema(public=True)
    assert operation_ids(schema) == {
        ("GET", "/v2/books/"): "listBooks",
        ("GET", "/v2/books/{id}/"): "retrieveBook",
    }


@isolate_apps("vacancies")
def test_a_format_suffix_route_is_named_with_the_format() -> None:
    Book = make_model("Book")
    BookViewSet = read_viewset(Book)
    ids = ids_of(
        [
            path("books/", BookViewSet.as_view({"get": "list"})),
            path("books.json", BookViewSet.as_view({"get": "list"})),
        ]
    )
    assert ids == {("GET", "/books/"): "listBooks", ("GET", "/books.json"): "listBooksJson"}


@isolate_apps("vacancies")
def test_format_suffix_patterns_are_named_formatted() -> None:
    Book = make_model("Book")
    ids = ids_of(
        format_suffix_patterns([path("books/", read_viewset(Book).as_view({"get": "list"}))])
    )
    assert sorted(ids.values()) == ["listBooks", "listBooksFormatted"]


@isolate_apps("vacancies")
def test_one_viewset_under_two_prefixes_is_named_with_the_path() -> None:
    Book = make_model("Book")
    BookViewSet = read_viewset(Book)
    ids = ids_of(router_patterns(("books", BookViewSet), ("archive", BookViewSet)))
    assert ids[("GET", "/books/")] == "listBooks"
    assert ids[("GET", "/archive/")] == "listArchiveBooks"
    assert numeral_suffix_warnings() == []


@isolate_apps("vacancies")
def test_resolution_does_not_depend_on_url_order() -> None:
    Book = make_model("Book")
    BookViewSet, Archived = read_viewset(Book), read_viewset(Book, "ArchivedBookViewSet")
    patterns = [
        path("books/", BookViewSet.as_view({"get": "list"})),
        path("v2/books/", BookViewSet.as_view({"get": "list"})),
        path("authors/<int:author_pk>/books/", BookViewSet.as_view({"get": "list"})),
        path("archive/", Archived.as_view({"get": "list"})),
    ]
    forward = ids_of(patterns)
    assert ids_of(list(reversed(patterns))) == forward
    assert sorted(forward.values()) == [
        "listArchivedBooks",
        "listAuthorBooks",
        "listBooks",
        "listBooksV2",
    ]


@isolate_apps("vacancies")
def test_an_id_set_by_hand_is_never_changed() -> None:
    Book = make_model("Book")
    BookViewSet = read_viewset(Book)

    @extend_schema(operation_id="listBooks", responses=serializer_for(Book)(many=True))
    @api_view(["GET"])
    def legacy_books(request):
        return Response([])

    ids = ids_of([*router_patterns(("books", BookViewSet)), path("legacy/", legacy_books)])
    # Nothing to resolve between two plain "books" lists: drf-spectacular's suffix is the last
    # word, and manage.py check reports it as E002.
    assert sorted(ids.values()) == ["listBooks", "listBooks_2", "retrieveBook"]
    assert numeral_suffix_warnings()


# -- verb first ------------------------------------------------------------------------------


@isolate_apps("vacancies")
def test_a_noun_action_answering_its_own_model_names_which_objects() -> None:
    Book = make_model("Book")
    Shelf = make_model("Shelf")
    BookSerializer, ShelfSerializer = serializer_for(Book), serializer_for(Shelf)

    class BookViewSet(TypedSchemaMixin, viewsets.ReadOnlyModelViewSet):
        queryset = Book.objects.none()
        serializer_class = BookSerializer

        @extend_schema(responses=BookSerializer(many=True))
        @action(detail=True)
        def related(self, request, pk=None):
            return Response([])

    class ShelfViewSet(TypedSchemaMixin, viewsets.ReadOnlyModelViewSet):
        queryset = Shelf.objects.none()
        serializer_class = ShelfSerializer

        @extend_schema(responses=ShelfSerializer)
        @action(detail=False)
        def current(self, request):
            return Response({})

    ids = ids_of(router_patterns(("books", BookViewSet), ("shelves", ShelfViewSet)))
    assert ids[("GET", "/books/{id}/related/")] == "listRelatedBooks"
    assert ids[("GET", "/shelves/current/")] == "retrieveCurrentShelf"


@isolate_apps("vacancies")
def test_a_noun_action_answering_something_else_names_what_of_the_resource() -> None:
    Person = make_model("Person")

    class StatsSerializer(serializers.Serializer):
        total = serializers.IntegerField()

    class PersonViewSet(TypedSchemaMixin, viewsets.ReadOnlyModelViewSet):
        queryset = Person.objects.none()
        serializer_class = serializer_for(Person)

        @extend_schema(responses=StatsSerializer)
        @action(detail=False)
        def stats(self, request):
            return Response({})

        @extend_schema(request=StatsSerializer, responses=StatsSerializer)
        @action(detail=True, methods=["get", "put"])
        def notes(self, request, pk=None):
            return Response({})

    ids = ids_of(router_patterns(("people", PersonViewSet)))
    assert ids[("GET", "/people/stats/")] == "retrievePeopleStats"
    assert ids[("GET", "/people/{id}/notes/")] == "retrievePersonNotes"
    assert ids[("PUT", "/people/{id}/notes/")] == "updatePersonNotes"


@isolate_apps("vacancies")
def test_action_verbs_are_extendable_in_settings() -> None:
    Book = make_model("Book")

    @extend_schema(request=None, responses=serializer_for(Book))
    def reindex(self, request, pk=None):
        return Response({})

    viewset = read_viewset(Book, reindex=action(detail=True, methods=["post"])(reindex))
    assert ids_of(router_patterns(("books", viewset)))[("POST", "/books/{id}/reindex/")] == (
        "createReindexBook"
    )
    with override_settings(TYPED_API={"ACTION_VERBS": ["reindex"]}):
        ids = ids_of(router_patterns(("books", viewset)))
    assert ids[("POST", "/books/{id}/reindex/")] == "reindexBook"


def test_function_views_named_by_a_noun_get_a_verb() -> None:
    @extend_schema(responses={200: None})
    @api_view(["GET"])
    def profile(request):
        return Response()

    assert ids_of([path("me/profile/", profile)]) == {("GET", "/me/profile/"): "retrieveProfile"}


def test_function_views_with_a_wrapper_name_are_named_from_their_path() -> None:
    @extend_schema(responses={200: None})
    @api_view(["GET"])
    def view_func(request):
        return Response()

    @extend_schema(request=None, responses={200: None})
    @api_view(["POST"])
    def wrapper(request):
        return Response()

    ids = ids_of([path("api/health/", view_func), path("api/cache/flush/", wrapper)])
    assert ids == {
        ("GET", "/api/health/"): "retrieveHealth",
        ("POST", "/api/cache/flush/"): "createCacheFlush",
    }


def test_api_suffixes_never_reach_a_name() -> None:
    class ReportApi(APIView):
        @extend_schema(responses={200: None})
        def get(self, request):
            return Response()

    class ExportApiView(APIView):
        @extend_schema(responses={200: None})
        def get(self, request):
            return Response()

    ids = ids_of([path("report/", ReportApi.as_view()), path("export/", ExportApiView.as_view())])
    assert sorted(ids.values()) == ["retrieveExport", "retrieveReport"]


# -- well-known third-party views ------------------------------------------------------------


def test_simplejwt_views_have_names_of_their_own() -> None:
    from rest_framework_simplejwt.views import (
        TokenObtainPairView,
        TokenRefreshView,
        TokenVerifyView,
    )

    ids = ids_of(
        [
            path("token/", TokenObtainPairView.as_view()),
            path("token/refresh/", TokenRefreshView.as_view()),
            path("token/verify/", TokenVerifyView.as_view()),
        ]
    )
    assert sorted(ids.values()) == ["obtainTokenPair", "refreshTokenPair", "verifyToken"]


def test_subclasses_of_a_well_known_view_inherit_its_name() -> None:
    from rest_framework_simplejwt.views import TokenObtainPairView

    class CustomTokenObtainPairView(TokenObtainPairView):
        pass

    ids = ids_of([path("token/", CustomTokenObtainPairView.as_view())])
    assert list(ids.values()) == ["obtainTokenPair"]


def test_drf_spectacular_schema_views_are_named_by_format() -> None:
    from drf_spectacular.views import (
        SpectacularAPIView,
        SpectacularJSONAPIView,
        SpectacularYAMLAPIView,
    )

    def included(view_class: type) -> type:
        """The presets exclude the schema views (SERVE_INCLUDE_SCHEMA); a project may not."""

        class Included(view_class):  # type: ignore[valid-type,misc]
            @extend_schema(responses={200: OpenApiTypes.OBJECT})
            def get(self, request, *args, **kwargs):
                return super().get(request, *args, **kwargs)

        return Included

    ids = ids_of(
        [
            path("schema/", included(SpectacularAPIView).as_view()),
            path("schema.json", included(SpectacularJSONAPIView).as_view()),
            path("schema.yaml", included(SpectacularYAMLAPIView).as_view()),
        ]
    )
    assert sorted(ids.values()) == ["retrieveSchema", "retrieveSchemaJson", "retrieveSchemaYaml"]


def test_the_registry_is_extendable_per_method_in_settings() -> None:
    class LegacyLogin(APIView):
        @extend_schema(request=None, responses={200: None})
        def post(self, request):
            return Response()

        @extend_schema(responses={200: None})
        def get(self, request):
            return Response()

    dotted = f"{LegacyLogin.__module__}.{LegacyLogin.__qualname__}"
    with override_settings(TYPED_API={"OPERATION_IDS": {dotted: {"post": "signIn"}}}):
        ids = ids_of([path("login/", LegacyLogin.as_view())])
    assert ids == {("POST", "/login/"): "signIn", ("GET", "/login/"): "retrieveLegacyLogin"}


def test_function_view_suffixes_never_reach_a_name() -> None:
    @extend_schema(responses={200: None})
    @api_view(["GET"])
    def status_view(request):
        return Response()

    assert ids_of([path("status/", status_view)]) == {("GET", "/status/"): "retrieveStatus"}


def test_a_view_replaced_by_a_view_extension_keeps_its_own_name() -> None:
    from drf_spectacular.extensions import OpenApiViewExtension

    class LibraryCatalogView(APIView):
        def get(self, request):
            return Response()

    class Extension(OpenApiViewExtension):
        target_class = LibraryCatalogView

        def view_replacement(self):
            class Fixed(self.target_class):  # drf-spectacular's own idiom
                @extend_schema(responses={200: None})
                def get(self, request):
                    return Response()

            return Fixed

    try:
        ids = ids_of([path("catalog/", LibraryCatalogView.as_view())])
    finally:
        OpenApiViewExtension._registry.remove(Extension)
    assert ids == {("GET", "/catalog/"): "retrieveLibraryCatalog"}
