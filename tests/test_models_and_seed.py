"""BaseModel behaviour and the deterministic seed command."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.management import call_command
from django.test import override_settings
from vacancies.models import Company, Vacancy

from django_typed_api.conf import typed_api_settings
from django_typed_api.models import BaseModel

pytestmark = pytest.mark.django_db


def test_base_model_is_abstract_with_uuid_pk_and_timestamps() -> None:
    assert BaseModel._meta.abstract
    pk = Vacancy._meta.pk
    assert pk is not None and pk.name == "id" and not pk.editable
    assert Vacancy._meta.get_field("created_at").db_index


def test_new_rows_get_uuid4_ids_and_timestamps() -> None:
    company = Company.objects.create(name="Acme", slug="acme")
    assert isinstance(company.id, uuid.UUID) and company.id.version == 4
    assert company.created_at is not None
    assert company.updated_at >= company.created_at


def test_updated_at_moves_on_save() -> None:
    company = Company.objects.create(name="Acme", slug="acme")
    before = company.updated_at
    company.name = "Acme Corp"
    company.save()
    assert company.updated_at > before


def test_default_ordering_is_newest_first() -> None:
    first = Company.objects.create(name="A", slug="a")
    second = Company.objects.create(name="B", slug="b")
    assert list(Company.objects.all())[:2] == [second, first]


def test_seed_is_deterministic_and_idempotent() -> None:
    call_command("seed_vacancies", count=25, stdout=io.StringIO())
    first = sorted(Vacancy.objects.values_list("id", "title", "salary_min"))
    out = io.StringIO()
    call_command("seed_vacancies", count=25, stdout=out)
    assert "Seeded 0 new vacancies (25 in total)" in out.getvalue()
    assert sorted(Vacancy.objects.values_list("id", "title", "salary_min")) == first


def test_typed_api_settings_follow_override_settings() -> None:
    assert typed_api_settings.MAX_PAGE_SIZE == 100
    with override_settings(TYPED_API={"MAX_PAGE_SIZE": 5}):
        assert typed_api_settings.MAX_PAGE_SIZE == 5
    assert typed_api_settings.MAX_PAGE_SIZE == 100


def test_unknown_setting_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="Invalid TYPED_API setting"):
        _ = typed_api_settings.NOT_A_SETTING
