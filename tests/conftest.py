"""Shared fixtures: an API client, users and a small deterministic data set."""

from __future__ import annotations

import io
import os

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, reason: str) -> None:
    """Skip locally when something optional is missing; in CI nothing may be skipped."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(
        "alice", "alice@example.com", "alice-password", first_name="Alice"
    )


@pytest.fixture
def auth_client(api_client: APIClient, user) -> APIClient:
    api_client.force_authenticate(user)
    return api_client


@pytest.fixture
def seeded(db) -> None:
    """60 deterministic vacancies with companies, locations, skills and requirements."""
    call_command("seed_vacancies", count=60, stdout=io.StringIO())
