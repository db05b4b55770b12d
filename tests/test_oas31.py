"""OAS 3.1 (``SPECTACULAR_SETTINGS["OAS_VERSION"] = "3.1.0"``) generates and validates, and a
failed generation leaves drf-spectacular's warning context clean for the next one."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from openapi_spec_validator import validate
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .schema_utils import schema_for, warnings


def test_testproject_schema_generates_and_validates_under_oas_3_1() -> None:
    with mock.patch.object(spectacular_settings, "OAS_VERSION", "3.1.0"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    assert schema["openapi"] == "3.1.0"
    validate(schema)  # picks the 3.1 validator from the "openapi" field
    # 3.1 writes nullable as a type array, and the request body's field errors still come out
    # as lists of messages for those (nullable) scalar fields.
    vacancy = schema["components"]["schemas"]["VacancyRequest"]["properties"]
    assert any(isinstance(p.get("type"), list) for p in vacancy.values())
    errors = schema["components"]["schemas"]["VacancyValidationError"]["properties"]["error"]
    assert errors["properties"]["salary_min"] == {"type": "array", "items": {"type": "string"}}


class Boom(serializers.Serializer):
    name = serializers.CharField()

    def get_fields(self):  # a bug in a project's serializer, met during generation
        raise RuntimeError("boom")


class BrokenView(APIView):
    @extend_schema(responses=Boom)
    def get(self, request):
        return Response()


class UnannotatedView(APIView):
    def get(self, request):
        return Response()


def test_a_failed_generation_does_not_prefix_later_warnings_with_its_view() -> None:
    with pytest.raises(RuntimeError, match="boom"):
        schema_for([path("broken/", BrokenView.as_view())])
    schema_for([path("plain/", UnannotatedView.as_view())])
    messages = warnings() + list(GENERATOR_STATS._error_cache)
    assert [m for m in messages if "UnannotatedView" in m]  # "unable to guess serializer"
    assert not [m for m in messages if "BrokenView" in m]
    assert len(GENERATOR_STATS._traces) == 0
