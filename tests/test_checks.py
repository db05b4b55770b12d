"""System checks fail early, naming the problem and the fix."""

from __future__ import annotations

from django.core import checks
from django.test import override_settings

from . import urls_versioning


def errors(tag: str | None = None) -> list[checks.CheckMessage]:
    return [
        m
        for m in checks.run_checks(tags=[tag] if tag else None)
        if m.id and m.id.startswith("django_typed_api.")
    ]


def test_testproject_passes_every_check() -> None:
    assert errors() == []


@override_settings(ROOT_URLCONF="tests.urls_duplicate_ids")
def test_duplicate_operation_id_set_by_hand_is_an_error_naming_both_views() -> None:
    (found,) = errors(checks.Tags.urls)
    assert found.id == "django_typed_api.E002"
    assert 'Duplicate operationId "listVacancies"' in found.msg
    assert "tests.urls_duplicate_ids.open_vacancies" in found.msg
    assert "tests.urls_duplicate_ids.closed_vacancies" in found.msg
    assert "@extend_schema(operation_id=" in found.hint


@override_settings(TYPED_API={"MAX_PAGE_SIZ": 10})
def test_misspelled_setting_is_an_error_listing_valid_keys() -> None:
    (message,) = errors()
    assert message.id == "django_typed_api.E001"
    assert "'MAX_PAGE_SIZ'" in message.msg
    assert "MAX_PAGE_SIZE" in message.hint


@override_settings(TYPED_API=["MAX_PAGE_SIZE"])
def test_settings_that_are_not_a_dict_are_an_error() -> None:
    assert [m.id for m in errors()] == ["django_typed_api.E001"]


@override_settings(ROOT_URLCONF=urls_versioning.accept_header)
def test_accept_header_versioning_does_not_crash_the_operation_id_check() -> None:
    assert errors(checks.Tags.urls) == []


@override_settings(ROOT_URLCONF=urls_versioning.namespace)
def test_namespace_versions_each_with_unique_ids_are_not_duplicates() -> None:
    assert errors(checks.Tags.urls) == []


@override_settings(ROOT_URLCONF=urls_versioning.broken)
def test_a_view_the_check_cannot_name_is_a_warning_not_a_crash() -> None:
    found = errors(checks.Tags.urls)
    assert {m.id for m in found} == {"django_typed_api.W002"}
    assert "GET /vacancies/ (tests.urls_versioning.BrokenVacancyViewSet)" in found[0].msg
    assert "a bug in a project's schema class" in found[0].msg
