"""The error envelope in the schema: each operation documents only the errors it can return."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models
from django.test.utils import isolate_apps
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.throttling import AnonRateThrottle

from django_typed_api.errors.formatter import ErrorFormatter
from django_typed_api.viewsets import TypedModelViewSet, TypedReadOnlyModelViewSet

from .schema_utils import operations, router_patterns, schema_for, warnings


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def statuses(operation: dict[str, Any]) -> list[str]:
    return [code for code in operation["responses"] if not code.startswith("2")]


def ref_name(ref: dict[str, Any]) -> str:
    return str(ref["$ref"].rsplit("/", 1)[-1])


TESTPROJECT_ERRORS = {
    ("GET", "/api/vacancies/"): ["400", "401", "404", "406", "500", "503"],
    ("POST", "/api/vacancies/"): ["400", "401", "406", "413", "415", "500", "503"],
    ("GET", "/api/vacancies/{id}/"): ["401", "403", "404", "406", "500", "503"],
    ("DELETE", "/api/vacancies/{id}/"): ["401", "403", "404", "406", "412", "500", "503"],
    ("POST", "/api/companies/"): ["400", "401", "406", "409", "413", "415", "500", "503"],
    ("GET", "/api/skills/"): ["401", "406", "500", "503"],
    ("GET", "/api/user/profile/"): ["401", "406", "500", "503"],
    ("POST", "/api/jobs/search/"): ["400", "401", "404", "406", "413", "415", "500", "503"],
}


@pytest.mark.parametrize(("key", "expected"), TESTPROJECT_ERRORS.items(), ids=str)
def test_operation_documents_only_the_errors_it_can_return(
    schema: dict[str, Any], key: tuple[str, str], expected: list[str]
) -> None:
    """Unpaginated, unfiltered skills: no 400/404; no body: no 413/415; ``IsAuthenticated``
    and ``IsAuthenticatedOrReadOnly`` never refuse a signed-in user: no 403, except on
    vacancy objects, whose ``ClosedVacanciesStaffOnlyDelete`` has an object check; the
    vacancy slug is generated, so only companies (writable unique slug) get a 409."""
    assert statuses(operations(schema)[key]) == expected


def test_every_error_response_is_the_envelope(schema: dict[str, Any]) -> None:
    responses = schema["components"]["responses"]
    for (method, path), operation in operations(schema).items():
        for code in statuses(operation):
            response = operation["responses"][code]
            if "$ref" in response:
                response = responses[ref_name(response)]
            parts = response["content"]["application/json"]["schema"]["allOf"]
            assert ref_name(parts[0]).endswith(("ErrorResponse", "ValidationError")), (method, path)
            assert parts[1]["properties"]["status_code"]["enum"] == [int(code)]


def test_error_response_component_is_the_envelope(schema: dict[str, Any]) -> None:
    envelope = schema["components"]["schemas"]["ErrorResponse"]
    assert envelope["required"] == ["error", "status_code", "message", "code"]
    assert envelope["properties"]["error"]["properties"] == {"detail": {"type": "string"}}


def test_create_vacancy_400_lists_the_body_fields(schema: dict[str, Any]) -> None:
    response = operations(schema)[("POST", "/api/vacancies/")]["responses"]["400"]
    parts = response["content"]["application/json"]["schema"]["allOf"]
    assert ref_name(parts[0]) == "VacancyValidationError"
    components = schema["components"]["schemas"]
    fields = components["VacancyValidationError"]["properties"]["error"]["properties"]
    body_fields = components["VacancyRequest"]["properties"]
    assert set(fields) == {*body_fields, "non_field_errors", "detail"}
    assert fields["title"] == {"type": "array", "items": {"type": "string"}}
    assert fields["skills"]["anyOf"][0] == {"type": "array", "items": {"type": "string"}}


def test_partial_update_shares_the_validation_component(schema: dict[str, Any]) -> None:
    ops = operations(schema)
    for method in ("PUT", "PATCH"):
        response = ops[(method, "/api/vacancies/{id}/")]["responses"]["400"]
        schema_ref = response["content"]["application/json"]["schema"]["allOf"][0]
        assert ref_name(schema_ref) == "VacancyValidationError"


def test_retrieve_vacancy_errors_are_the_error_envelope(schema: dict[str, Any]) -> None:
    operation = operations(schema)[("GET", "/api/vacancies/{id}/")]
    assert operation["responses"]["404"] == {"$ref": "#/components/responses/NotFound"}
    not_found = schema["components"]["responses"]["NotFound"]
    parts = not_found["content"]["application/json"]["schema"]["allOf"]
    assert parts[0] == {"$ref": "#/components/schemas/ErrorResponse"}


def test_500_is_one_shared_response(schema: dict[str, Any]) -> None:
    refs = {str(op["responses"]["500"]) for op in operations(schema).values()}
    assert refs == {str({"$ref": "#/components/responses/ServerError"})}


def test_503_is_one_shared_response_with_retry_after(schema: dict[str, Any]) -> None:
    refs = {str(op["responses"]["503"]) for op in operations(schema).values()}
    assert refs == {str({"$ref": "#/components/responses/ServiceUnavailable"})}
    unavailable = schema["components"]["responses"]["ServiceUnavailable"]
    assert "service_unavailable" in unavailable["description"]
    assert unavailable["headers"]["Retry-After"]["schema"] == {"type": "integer"}


def test_probe_endpoints_stay_out_of_the_schema(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.urls_errors"
    generated = SchemaGenerator().get_schema(request=None, public=True)
    assert not [path for path in generated["paths"] if "_probes" in path]


# -- rules, on throw-away views ----------------------------------------------------------------


@pytest.fixture
def note_model() -> Any:
    with isolate_apps("tests"):

        class Note(models.Model):
            code = models.CharField(max_length=20, unique=True)
            text = models.CharField(max_length=200)

            class Meta:
                app_label = "tests"

        yield Note


def note_viewset(model: Any, **attrs: Any) -> type:
    class NoteSerializer(serializers.ModelSerializer):
        class Meta:
            fields = ["id", "code", "text"]

    NoteSerializer.Meta.model = model
    return type(
        "NoteViewSet",
        (TypedModelViewSet,),
        {"queryset": model.objects.all(), "serializer_class": NoteSerializer, **attrs},
    )


def test_permission_that_can_refuse_a_user_documents_403(note_model: Any) -> None:
    viewset = note_viewset(note_model, permission_classes=[IsAdminUser])
    generated = schema_for(router_patterns(("notes", viewset)))
    assert "403" in operations(generated)[("GET", "/notes/{id}/")]["responses"]
    assert not warnings()


def test_session_auth_documents_403_instead_of_401(note_model: Any) -> None:
    """Without a WWW-Authenticate challenge DRF answers authentication failures with 403."""
    viewset = note_viewset(
        note_model,
        authentication_classes=[SessionAuthentication],
        permission_classes=[IsAuthenticated],
    )
    ops = operations(schema_for(router_patterns(("notes", viewset))))
    assert "401" not in ops[("GET", "/notes/")]["responses"]
    assert "403" in ops[("GET", "/notes/")]["responses"]


def test_public_view_without_header_authentication_has_no_401(note_model: Any) -> None:
    viewset = note_viewset(note_model, authentication_classes=[], permission_classes=[AllowAny])
    ops = operations(schema_for(router_patterns(("notes", viewset))))
    assert statuses(ops[("GET", "/notes/{id}/")]) == ["404", "406", "500", "503"]


def test_throttled_view_documents_429_with_retry_after(note_model: Any, settings: Any) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "5/min"},
    }
    viewset = note_viewset(note_model, throttle_classes=[AnonRateThrottle])
    generated = schema_for(router_patterns(("notes", viewset)))
    assert "429" in operations(generated)[("GET", "/notes/")]["responses"]
    throttled = generated["components"]["responses"]["Throttled"]
    assert "Retry-After" in throttled["headers"]


def test_unique_field_in_the_body_documents_409(note_model: Any) -> None:
    ops = operations(schema_for(router_patterns(("notes", note_viewset(note_model)))))
    assert "409" in ops[("POST", "/notes/")]["responses"]
    assert "409" in ops[("PATCH", "/notes/{id}/")]["responses"]


def test_documented_statuses_are_left_alone(note_model: Any) -> None:
    own = OpenApiResponse(description="No such note, really.")
    # extend_schema_view isolates the method; decorating DRF's shared
    # RetrieveModelMixin.retrieve directly would leak into every later schema.
    cls = extend_schema_view(retrieve=extend_schema(responses={200: None, 404: own}))(
        note_viewset(note_model)
    )
    ops = operations(schema_for(router_patterns(("notes", cls))))
    assert ops[("GET", "/notes/{id}/")]["responses"]["404"]["description"] == (
        "No such note, really."
    )


def test_extra_error_statuses_on_a_view(note_model: Any) -> None:
    viewset = note_viewset(note_model, extra_error_statuses={412})
    ops = operations(schema_for(router_patterns(("notes", viewset))))
    assert ops[("PUT", "/notes/{id}/")]["responses"]["412"] == {
        "$ref": "#/components/responses/PreconditionFailed"
    }


# -- a custom formatter is reflected in the schema --------------------------------------------


class HintFormatter(ErrorFormatter):
    """Adds a ``hint`` to every envelope, and says so in the schema."""

    def envelope(self, **parts: Any) -> dict[str, Any]:
        return {**super().envelope(**parts), "hint": "See the API docs."}

    def envelope_schema(self, error_schema: dict[str, Any]) -> dict[str, Any]:
        schema = super().envelope_schema(error_schema)
        schema["properties"]["hint"] = {"type": "string"}
        schema["required"] = [*schema["required"], "hint"]
        return schema


def test_custom_formatter_changes_body_and_schema_alike(settings: Any, client: Any) -> None:
    settings.TYPED_API = {
        **settings.TYPED_API,
        "ERROR_FORMATTER": "tests.test_errors_schema.HintFormatter",
    }
    body = client.get("/api/no-such-endpoint/").json()
    assert body["hint"] == "See the API docs."
    generated = SchemaGenerator().get_schema(request=None, public=True)
    for name in ("ErrorResponse", "VacancyValidationError"):
        assert "hint" in generated["components"]["schemas"][name]["required"]


def test_readonly_viewset_without_body_has_no_body_errors() -> None:
    from vacancies.models import Skill
    from vacancies.serializers import SkillSerializer

    viewset = type(
        "SkillViewSet",
        (TypedReadOnlyModelViewSet,),
        {"queryset": Skill.objects.all(), "serializer_class": SkillSerializer},
    )
    ops = operations(schema_for(router_patterns(("skills", viewset))))
    assert not {"413", "415", "409"} & set(ops[("GET", "/skills/{id}/")]["responses"])
