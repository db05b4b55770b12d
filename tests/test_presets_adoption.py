"""Presets never change behaviour silently (issue 13, Build item 4): on views shaped like an
existing project's (tests/urls_adoption.py), what the presets change is strict, or named by a
system check, or both."""

from __future__ import annotations

import functools
import warnings
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient
from rest_framework.views import exception_handler as drf_exception_handler

from django_typed_api import checks
from django_typed_api.errors import exception_handler
from django_typed_api.errors.coverage import HandBuiltErrorWarning

from .schema_utils import operations

pytestmark = pytest.mark.django_db

ADOPTION_URLS = "tests.urls_adoption"


def error_statuses(schema: dict[str, Any]) -> set[str]:
    return {
        code
        for operation in operations(schema).values()
        for code in operation["responses"]
        if not code.startswith("2")
    }


def wrapped_handler(exc: Exception, context: dict[str, Any]) -> Any:
    """A project's handler that adds a header and otherwise delegates to ours."""
    response = exception_handler(exc, context)
    if response is not None:
        response["X-Handled"] = "1"
    return response


def with_handler(dotted: str) -> override_settings:
    rest_framework = {**settings.REST_FRAMEWORK, "EXCEPTION_HANDLER": dotted}
    return override_settings(REST_FRAMEWORK=rest_framework)


# -- filterset_fields ----------------------------------------------------------------------------


@override_settings(ROOT_URLCONF=ADOPTION_URLS)
def test_filterset_fields_refuse_a_boolean_they_do_not_understand(
    api_client: APIClient, seeded: None
) -> None:
    response = api_client.get("/api/adoption/vacancies/", {"remote": "maybe"})
    assert response.status_code == 400
    assert response.json()["error"] == {"remote": ["Must be true or false."]}


@override_settings(ROOT_URLCONF=ADOPTION_URLS)
def test_filterset_fields_still_filter(api_client: APIClient, seeded: None) -> None:
    remote = api_client.get("/api/adoption/vacancies/", {"remote": "true"}).json()
    assert remote and all(item["remote"] for item in remote)


# -- pagination ----------------------------------------------------------------------------------


@override_settings(ROOT_URLCONF=ADOPTION_URLS)
def test_check_names_the_lists_the_preset_starts_paginating() -> None:
    """W012 names the plain ListAPIView; the one with ``pagination_class = None`` (the
    opt-out) and the viewset that sets it are left alone."""
    messages = checks.check_preset_pagination(None)
    assert [m.id for m in messages] == ["django_typed_api.W012"]
    assert messages[0].msg.startswith("1 list endpoint(s)")
    assert "GET /api/adoption/skills/ (tests.urls_adoption.PlainSkillList)" in messages[0].msg
    assert "skills-unpaginated" not in messages[0].msg


@override_settings(ROOT_URLCONF=ADOPTION_URLS)
def test_the_list_the_check_names_is_really_paginated(api_client: APIClient, seeded: None) -> None:
    assert set(api_client.get("/api/adoption/skills/").json()) == {
        "count",
        "next",
        "previous",
        "results",
    }
    assert isinstance(api_client.get("/api/adoption/skills-unpaginated/").json(), list)


def test_the_testprojects_views_choose_their_pagination() -> None:
    assert checks.check_preset_pagination(None) == []


# -- COMPONENT_SPLIT_REQUEST ---------------------------------------------------------------------


def test_check_warns_when_a_project_setting_turns_split_components_off() -> None:
    spread_wrongly = {**settings.SPECTACULAR_SETTINGS, "COMPONENT_SPLIT_REQUEST": False}
    with override_settings(SPECTACULAR_SETTINGS=spread_wrongly):
        assert [m.id for m in checks.check_component_split_request(None)] == [
            "django_typed_api.W010"
        ]
    assert checks.check_component_split_request(None) == []


# -- the error envelope's handler ----------------------------------------------------------------


def test_another_exception_handler_is_reported_and_the_schema_claims_no_envelope() -> None:
    with with_handler("rest_framework.views.exception_handler"):
        messages = checks.check_exception_handler(None)
        schema = SchemaGenerator().get_schema(request=None, public=True)
    assert [m.id for m in messages] == ["django_typed_api.W011"]
    assert "rest_framework.views.exception_handler" in messages[0].msg
    assert error_statuses(schema) == set()
    assert "ErrorResponse" not in schema["components"]["schemas"]


def test_a_handler_that_calls_ours_counts_as_ours() -> None:
    with with_handler("tests.test_presets_adoption.wrapped_handler"):
        messages = checks.check_exception_handler(None)
        schema = SchemaGenerator().get_schema(request=None, public=True)
    assert messages == []
    assert {"400", "401", "404", "500"} <= error_statuses(schema)


def test_a_functools_wrapper_of_ours_is_recognised_without_calling_it() -> None:
    calls: list[Exception] = []

    @functools.wraps(exception_handler)
    def logged(exc: Exception, context: dict[str, Any]) -> Any:
        calls.append(exc)
        return exception_handler(exc, context)

    from django_typed_api.errors.coverage import handler_answers_envelope

    assert handler_answers_envelope(logged) is True
    assert calls == []
    assert handler_answers_envelope(drf_exception_handler) is False


@override_settings(ROOT_URLCONF=ADOPTION_URLS, DEBUG=True)
def test_a_hand_built_error_response_is_flagged_in_debug(api_client: APIClient) -> None:
    with pytest.warns(HandBuiltErrorWarning, match="/api/adoption/refusal/ answered 403"):
        response = api_client.get("/api/adoption/refusal/")
    assert response.json() == {"detail": "Not yours."}


@override_settings(ROOT_URLCONF=ADOPTION_URLS)
def test_a_hand_built_error_response_is_not_flagged_in_production(api_client: APIClient) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", HandBuiltErrorWarning)
        assert api_client.get("/api/adoption/refusal/").status_code == 403


@override_settings(DEBUG=True)
def test_a_raised_error_is_not_flagged(api_client: APIClient) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", HandBuiltErrorWarning)
        assert api_client.get("/api/vacancies/not-a-uuid/").status_code == 404
