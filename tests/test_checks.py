"""System checks fail early, naming the problem and the fix."""

from __future__ import annotations

from django.core import checks
from django.test import override_settings


def errors(tag: str | None = None) -> list[checks.CheckMessage]:
    return [
        m
        for m in checks.run_checks(tags=[tag] if tag else None)
        if m.id and m.id.startswith("django_typed_api.")
    ]


def test_testproject_passes_every_check() -> None:
    assert errors() == []


@override_settings(ROOT_URLCONF="tests.urls_duplicate_ids")
def test_duplicate_operation_id_is_an_error_naming_both_views() -> None:
    found = errors(checks.Tags.urls)
    assert [m.id for m in found] == ["django_typed_api.E002", "django_typed_api.E002"]
    messages = " ".join(m.msg for m in found)
    assert 'Duplicate operationId "listVacancies"' in messages
    assert "tests.urls_duplicate_ids.VacancyViewSet" in messages
    assert "tests.urls_duplicate_ids.ArchivedVacancyViewSet" in messages
    assert 'noun = "..."' in found[0].hint


@override_settings(TYPED_API={"MAX_PAGE_SIZ": 10})
def test_misspelled_setting_is_an_error_listing_valid_keys() -> None:
    (message,) = errors()
    assert message.id == "django_typed_api.E001"
    assert "'MAX_PAGE_SIZ'" in message.msg
    assert "MAX_PAGE_SIZE" in message.hint


@override_settings(TYPED_API=["MAX_PAGE_SIZE"])
def test_settings_that_are_not_a_dict_are_an_error() -> None:
    assert [m.id for m in errors()] == ["django_typed_api.E001"]
