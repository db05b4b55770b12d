"""The schema documents exactly what the server does (issue 13, "lost or wrong information").

Each test is one case found by adopting the package on shapes real DRF projects have: a
pattern replaced, a docstring line dropped, a response shadowed, a parameter that does
nothing, a body typed optional, a blank value the schema refused.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.validators import FileExtensionValidator
from django.db import models
from django.test.utils import isolate_apps
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import patched_settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView

from django_typed_api.openapi.strings import NOT_BLANK
from django_typed_api.viewsets import TypedModelViewSet

from .schema_utils import operations, router_patterns, schema_for, warnings


@pytest.fixture(scope="module")
def project_schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def make_viewset(model: type[models.Model], **attrs: Any) -> type:
    serializer = type(
        f"{model.__name__}Serializer",
        (serializers.ModelSerializer,),
        {"Meta": type("Meta", (), {"model": model, "fields": "__all__"})},
    )
    return type(
        f"{model.__name__}ViewSet",
        (TypedModelViewSet,),
        {"queryset": model.objects.none(), "serializer_class": serializer, **attrs},
    )


def make_model(name: str, **fields: Any) -> type[models.Model]:
    """A throw-away model; call inside ``@isolate_apps("vacancies")``."""
    attrs = {"title": models.CharField(max_length=10), **fields}
    return type(name, (models.Model,), {"__module__": "vacancies.models", **attrs})


# -- patterns ------------------------------------------------------------------------------------


class UploadSerializer(serializers.Serializer):
    file_name = serializers.CharField(validators=[FileExtensionValidator(["pdf", "txt"])])
    title = serializers.CharField()


@extend_schema(request=UploadSerializer, responses=UploadSerializer)
@api_view(["POST"])
def upload(request: Any) -> Response:
    return Response(request.data)


def test_a_file_extension_pattern_is_not_replaced_by_the_not_blank_pattern() -> None:
    schema = schema_for([path("upload/", upload)])
    properties = schema["components"]["schemas"]["UploadRequest"]["properties"]
    assert properties["file_name"]["pattern"] == r"(?:pdf|txt)$"
    assert properties["title"]["pattern"] == NOT_BLANK


def test_without_split_components_the_not_blank_pattern_stays_out_of_responses() -> None:
    """One component serves request and response then (the request maps it first here),
    and a response may hold ``""``."""
    with patched_settings({"COMPONENT_SPLIT_REQUEST": False}):
        schema = schema_for([path("upload/", upload)])
    assert "UploadRequest" not in schema["components"]["schemas"]
    assert "pattern" not in schema["components"]["schemas"]["Upload"]["properties"]["title"]


# -- descriptions --------------------------------------------------------------------------------


class ProfileSerializer(serializers.Serializer):
    name = serializers.CharField()


class ProfileDetail(generics.RetrieveAPIView):
    """The signed-in user's profile.

    Read from the session's user, never from the URL."""

    serializer_class = ProfileSerializer


class Ping(APIView):
    """Answers pong.

    Useful for uptime checks."""

    @extend_schema(responses=ProfileSerializer)
    def get(self, request: Any) -> Response:
        return Response({"name": "pong"})


def test_an_api_views_whole_docstring_is_its_description() -> None:
    """The summary is "Retrieve a profile" (a template), so the first line is not it."""
    schema = schema_for([path("profile/", ProfileDetail.as_view()), path("ping/", Ping.as_view())])
    profile = operations(schema)[("GET", "/profile/")]
    assert profile["description"] == (
        "The signed-in user's profile.\n\nRead from the session's user, never from the URL."
    )
    assert operations(schema)[("GET", "/ping/")]["description"].startswith("Answers pong.")


def test_a_third_party_views_description_starts_at_its_first_word() -> None:
    """simplejwt's module is ``rest_framework_simplejwt``, which is not DRF."""
    schema = schema_for([path("token/", TokenObtainPairView.as_view())])
    description = operations(schema)[("POST", "/token/")]["description"]
    assert description.startswith("Takes a set of user credentials and returns")


@isolate_apps("vacancies")
def test_an_overridden_standard_actions_docstring_is_its_description() -> None:
    def create(self: Any, request: Any, *args: Any, **kwargs: Any) -> Response:
        """Creates the note and e-mails the team."""
        return TypedModelViewSet.create(self, request, *args, **kwargs)

    note = make_viewset(make_model("Note"), create=create)
    note.__doc__ = "Team notes."
    schema = schema_for(router_patterns(("notes", note)))
    assert operations(schema)[("POST", "/notes/")]["description"] == (
        "Creates the note and e-mails the team."
    )
    assert operations(schema)[("POST", "/notes/")]["summary"] == "Create a note"
    assert operations(schema)[("GET", "/notes/")]["description"] == "Team notes."


# -- error responses -----------------------------------------------------------------------------


class Legacy(APIView):
    @extend_schema(
        responses={200: ProfileSerializer, "4XX": OpenApiResponse(description="Any refusal.")}
    )
    def get(self, request: Any, pk: int) -> Response:
        return Response({"name": "x"})


def test_a_declared_4xx_range_is_not_shadowed_by_added_statuses() -> None:
    schema = schema_for([path("legacy/<int:pk>/", Legacy.as_view())])
    responses = operations(schema)[("GET", "/legacy/{id}/")]["responses"]
    assert sorted(responses) == ["200", "4XX", "500", "503"]  # 5xx: not covered by 4XX
    assert responses["4XX"]["description"] == "Any refusal."


# -- enum names ----------------------------------------------------------------------------------


@isolate_apps("vacancies")
def test_enum_components_of_choices_defined_in_a_function_have_valid_names() -> None:
    class Gadget(models.Model):
        class Kind(models.TextChoices):
            SMALL = "small"
            LARGE = "large"

        kind = models.CharField(max_length=10, choices=Kind.choices)

        class Meta:
            app_label = "vacancies"

    schema = schema_for(router_patterns(("gadgets", make_viewset(Gadget))))
    names = list(schema["components"]["schemas"])
    assert "GadgetKindEnum" in names
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", name) for name in names), names


# -- query parameters ----------------------------------------------------------------------------


@isolate_apps("vacancies")
def test_search_is_documented_only_where_the_view_has_search_fields() -> None:
    model = make_model("Book")
    schema = schema_for(
        router_patterns(
            ("books", make_viewset(model)),
            ("found", make_viewset(model, search_fields=["title"], noun="FoundBook")),
        )
    )
    names = {
        path: [p["name"] for p in op.get("parameters", [])]
        for (method, path), op in operations(schema).items()
        if method == "GET" and "{" not in path
    }
    assert "search" not in names["/books/"]
    assert "search" in names["/found/"]


@isolate_apps("vacancies")
def test_ordering_is_documented_when_get_queryset_returns_none_at_schema_time() -> None:
    """DRF's own OrderingFilter only warns there; the typed one must not crash either."""
    model = make_model("Shelf")

    def get_queryset(self: Any) -> Any:
        return None if getattr(self, "swagger_fake_view", False) else model.objects.all()

    listed = make_viewset(model, get_queryset=get_queryset, ordering_fields=["title"])
    unlisted = make_viewset(model, get_queryset=get_queryset, noun="Rack")
    listed.queryset = unlisted.queryset = None
    schema = schema_for(router_patterns(("shelves", listed), ("racks", unlisted)))

    def ordering(path: str) -> dict[str, Any]:
        params = operations(schema)[("GET", path)]["parameters"]
        return next(p for p in params if p["name"] == "ordering")["schema"]["items"]

    assert ordering("/shelves/")["enum"] == ["title", "-title"]
    # No ordering_fields: the serializer's fields, read from its model.
    assert "-title" in ordering("/racks/")["enum"]


# -- request bodies ------------------------------------------------------------------------------


def test_post_and_put_bodies_of_typed_viewsets_are_required_and_patch_bodies_optional(
    project_schema: dict[str, Any],
) -> None:
    """A Typed viewset refuses a POST/PUT without a body, so the schema says ``required`` and
    ``paths[...]["post"]["requestBody"]["content"]`` compiles in TypeScript."""
    ops = operations(project_schema)
    assert ops[("POST", "/api/vacancies/search/")]["requestBody"]["required"] is True
    assert ops[("PUT", "/api/vacancies/{id}/")]["requestBody"]["required"] is True
    assert "required" not in ops[("PATCH", "/api/vacancies/{id}/")]["requestBody"]


def test_a_typed_viewset_refuses_a_post_without_a_body(auth_client: Any, seeded: None) -> None:
    missing = auth_client.post("/api/vacancies/search/")
    assert missing.status_code == 400 and missing.json()["code"] == "parse_error"
    assert auth_client.post("/api/vacancies/search/", {}, format="json").status_code == 200


def test_a_method_the_view_lacks_is_405_before_any_body_check(
    auth_client: Any, seeded: None
) -> None:
    response = auth_client.put("/api/skills/")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_a_function_view_reads_a_missing_body_as_empty_so_it_stays_optional(
    project_schema: dict[str, Any], api_client: Any, seeded: None
) -> None:
    """``@api_view`` functions have no hook to refuse it: DRF's ``{}`` stands, documented."""
    assert (
        "required" not in operations(project_schema)[("POST", "/api/jobs/search/")]["requestBody"]
    )
    empty = api_client.post("/api/jobs/search/", {}, format="json")
    missing = api_client.post("/api/jobs/search/")
    assert missing.status_code == empty.status_code == 200
    assert missing.json()["count"] == empty.json()["count"]


# -- blank values --------------------------------------------------------------------------------


def test_a_blank_able_read_only_email_accepts_the_blank_value_it_returns(
    project_schema: dict[str, Any], api_client: Any, django_user_model: Any
) -> None:
    email = project_schema["components"]["schemas"]["UserProfile"]["properties"]["email"]
    assert email["readOnly"] is True
    assert email["oneOf"] == [
        {"type": "string", "format": "email"},
        {"type": "string", "maxLength": 0},
    ]
    user = django_user_model.objects.create_user("bob", "", "bob-password")
    api_client.force_authenticate(user)
    assert api_client.get("/api/user/profile/").json()["email"] == ""


@isolate_apps("vacancies")
def test_a_blank_able_read_only_choice_accepts_blank() -> None:
    class Ticket(models.Model):
        class Priority(models.TextChoices):
            LOW = "low"
            HIGH = "high"

        priority = models.CharField(max_length=4, choices=Priority.choices, blank=True)
        website = models.URLField(blank=True)

        class Meta:
            app_label = "vacancies"

    serializer = type(
        "TicketSerializer",
        (serializers.ModelSerializer,),
        {
            "Meta": type(
                "Meta",
                (),
                {"model": Ticket, "fields": "__all__", "read_only_fields": ["priority"]},
            )
        },
    )
    viewset = type(
        "TicketViewSet",
        (TypedModelViewSet,),
        {"queryset": Ticket.objects.none(), "serializer_class": serializer},
    )
    schema = schema_for(router_patterns(("tickets", viewset)))
    properties = schema["components"]["schemas"]["Ticket"]["properties"]
    refs = [option["$ref"].rsplit("/", 1)[-1] for option in properties["priority"]["oneOf"]]
    assert refs == ["TicketPriorityEnum", "BlankEnum"]
    assert {"type": "string", "maxLength": 0} in properties["website"]["oneOf"]
    assert not warnings()


# -- OpenAPI 3.1 ---------------------------------------------------------------------------------


@isolate_apps("vacancies")
def test_openapi_31_nullable_request_fields_get_field_errors() -> None:
    """3.1 spells nullable types as lists; the validation error component must not crash."""
    model = make_model("Memo", note=models.CharField(max_length=10, null=True))
    with patched_settings({"OAS_VERSION": "3.1.0"}):
        schema = schema_for(router_patterns(("memos", make_viewset(model))))
    errors = schema["components"]["schemas"]["MemoValidationError"]["properties"]["error"]
    assert errors["properties"]["note"] == {"type": "array", "items": {"type": "string"}}


@isolate_apps("vacancies")
def test_two_openapi_31_schemas_in_a_row_generate_without_warnings() -> None:
    """The 3.1 crash left drf-spectacular's warning context dirty for the next schema."""
    model = make_model("Entry", note=models.CharField(max_length=10, null=True))
    with patched_settings({"OAS_VERSION": "3.1.0"}):
        schema_for(router_patterns(("entries", make_viewset(model))))
        schema_for(router_patterns(("entries", make_viewset(model))))
        assert not warnings()


# -- query parameters from a serializer ----------------------------------------------------------


class SearchQuerySerializer(serializers.Serializer):
    contains = serializers.CharField(required=True)


class SearchView(APIView):
    @extend_schema(parameters=[SearchQuerySerializer], responses=ProfileSerializer)
    def get(self, request: Any) -> Response:
        return Response({"name": request.query_params["contains"]})


def test_query_parameters_from_a_serializer_get_no_body_pattern() -> None:
    """Query strings are not trimmed by a serializer's CharField: no not-blank pattern."""
    schema = schema_for([path("search/", SearchView.as_view())])
    (parameter,) = operations(schema)[("GET", "/search/")]["parameters"]
    assert parameter["name"] == "contains"
    assert parameter["schema"] == {"type": "string", "minLength": 1}


# -- view extensions -----------------------------------------------------------------------------


class LibraryView(APIView):
    """Underspecified library view."""

    def get(self, request: Any) -> Response:
        """Docstring for GET."""
        return Response(1.5)


def test_a_replaced_views_handler_docstring_is_its_description() -> None:
    from drf_spectacular.extensions import OpenApiViewExtension
    from drf_spectacular.types import OpenApiTypes

    class FixLibraryView(OpenApiViewExtension):
        target_class = LibraryView

        def view_replacement(self) -> type:
            class Fixed(self.target_class):  # type: ignore[name-defined,misc]
                @extend_schema(responses=OpenApiTypes.FLOAT)
                def get(self, request: Any) -> Response:
                    return Response(1.5)

            return Fixed

    try:
        schema = schema_for([path("library/", LibraryView.as_view())])
    finally:
        OpenApiViewExtension._registry.remove(FixLibraryView)
    assert operations(schema)[("GET", "/library/")]["description"] == "Docstring for GET."


# -- the enum hook keeps what drf-spectacular's keeps --------------------------------------------

LANGUAGES = [("en", "English"), ("de", "German")]


class LanguagesSerializer(serializers.Serializer):
    spoken = serializers.ChoiceField(choices=LANGUAGES, help_text="What the person speaks.")
    written = serializers.ChoiceField(choices=LANGUAGES, allow_null=True)


class LanguagesView(generics.RetrieveAPIView):
    serializer_class = LanguagesSerializer


def languages_schema(**settings: Any) -> dict[str, Any]:
    from drf_spectacular.plumbing import _load_enum_name_overrides

    _load_enum_name_overrides.cache_clear()
    try:
        with patched_settings(settings):
            return schema_for([path("languages/", LanguagesView.as_view())])
    finally:
        _load_enum_name_overrides.cache_clear()


def test_enum_name_overrides_win() -> None:
    schema = languages_schema(ENUM_NAME_OVERRIDES={"LanguageChoices": LANGUAGES})
    spoken = schema["components"]["schemas"]["Languages"]["properties"]["spoken"]
    assert spoken["allOf"] == [{"$ref": "#/components/schemas/LanguageChoices"}]
    assert "LanguagesSpokenEnum" not in schema["components"]["schemas"]


def test_a_fields_help_text_stays_on_the_field_not_on_the_shared_enum() -> None:
    schemas = languages_schema(ENUM_NAME_OVERRIDES={"LanguageChoices": LANGUAGES})["components"][
        "schemas"
    ]
    assert schemas["Languages"]["properties"]["spoken"]["description"] == (
        "What the person speaks."
    )
    assert schemas["LanguageChoices"]["description"] == "* `en` - English\n* `de` - German"


def test_null_enum_is_type_null_in_openapi_31() -> None:
    schema = languages_schema(
        OAS_VERSION="3.1.0", ENUM_NAME_OVERRIDES={"LanguageChoices": LANGUAGES}
    )
    assert schema["components"]["schemas"]["NullEnum"] == {"type": "null"}


def test_explicit_blank_and_null_choices_can_be_switched_off() -> None:
    schema = languages_schema(
        ENUM_ADD_EXPLICIT_BLANK_NULL_CHOICE=False,
        ENUM_NAME_OVERRIDES={"LanguageChoices": LANGUAGES},
    )
    assert "NullEnum" not in schema["components"]["schemas"]
    written = schema["components"]["schemas"]["Languages"]["properties"]["written"]
    assert written == {
        "allOf": [{"$ref": "#/components/schemas/LanguageChoices"}],
        "nullable": True,
    }


class OptionalCriteriaSerializer(serializers.Serializer):
    contains = serializers.CharField(required=False)


@extend_schema(request=OptionalCriteriaSerializer, responses=ProfileSerializer)
@api_view(["POST"])
def find(request: Any) -> Response:
    return Response({"name": "x"})


def test_the_required_body_rule_is_an_override_point() -> None:
    from django_typed_api.openapi import TypedAutoSchema
    from django_typed_api.strict.json_types import StrictJSONTypesMixin

    class LenientBodies(TypedAutoSchema):
        required_body_methods = frozenset()

    class Find(StrictJSONTypesMixin, APIView):
        schema = TypedAutoSchema()

        @extend_schema(request=OptionalCriteriaSerializer, responses=ProfileSerializer)
        def post(self, request: Any) -> Response:
            return Response({"name": "x"})

    class LenientFind(Find):
        schema = LenientBodies()

    default = schema_for([path("find/", Find.as_view())])
    assert operations(default)[("POST", "/find/")]["requestBody"]["required"] is True
    schema = schema_for([path("find/", LenientFind.as_view())])
    assert "required" not in operations(schema)[("POST", "/find/")]["requestBody"]


# -- list bounds (maxItems) ------------------------------------------------------------------------


class Tagged(serializers.Serializer):
    tags = serializers.ListField(child=serializers.CharField())


@extend_schema(request=Tagged, responses=Tagged)
@api_view(["POST"])
def tag(request: Any) -> Response:
    return Response(request.data)


def test_without_split_components_max_items_stays_out_of_responses() -> None:
    """A response list is not bounded; the one shared component must not say it is."""
    with patched_settings({"COMPONENT_SPLIT_REQUEST": False}):
        schema = schema_for([path("tag/", tag)])
    assert "maxItems" not in schema["components"]["schemas"]["Tagged"]["properties"]["tags"]
    split = schema_for([path("tag/", tag)])["components"]["schemas"]
    assert split["TaggedRequest"]["properties"]["tags"]["maxItems"] == 1000


class TagSearchView(APIView):
    @extend_schema(parameters=[Tagged], responses=Tagged)
    def get(self, request: Any) -> Response:
        return Response({"tags": request.query_params.getlist("tags")})


def test_query_parameters_from_a_serializer_get_no_body_list_bound() -> None:
    """MAX_LIST_ITEMS bounds lists in bodies, not repeated query parameters."""
    schema = schema_for([path("tags/", TagSearchView.as_view())])
    (parameter,) = operations(schema)[("GET", "/tags/")]["parameters"]
    assert parameter["name"] == "tags"
    assert parameter["schema"]["type"] == "array"
    assert "maxItems" not in parameter["schema"]


class ReadOnlyCount(serializers.Serializer):
    count = serializers.IntegerField(read_only=True)


class Batch(serializers.Serializer):
    items = ReadOnlyCount(many=True)


@extend_schema(request=Batch, responses=Batch)
@api_view(["POST"])
def batch(request: Any) -> Response:
    return Response({"items": []})


def test_a_list_of_a_serializer_empty_in_one_direction_generates() -> None:
    """Its items have no field in requests: drf-spectacular maps the list to nothing there,
    so the operation has no request body (and the list no bound to document)."""
    schema = schema_for([path("batch/", batch)])
    operation = operations(schema)[("POST", "/batch/")]
    assert "requestBody" not in operation
    response = schema["components"]["schemas"]["Batch"]["properties"]["items"]
    assert response == {"type": "array", "items": {"$ref": "#/components/schemas/ReadOnlyCount"}}
