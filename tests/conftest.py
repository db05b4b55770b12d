"""Shared fixtures: an API client, users and a small deterministic data set."""

from __future__ import annotations

import io
import os

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


# -- CI guard: a suite runs what it names ------------------------------------------------------
# pyproject's addopts deselects the integration suites by marker, and a `-m` on the command line
# replaces that filter; a make target that names its files but the wrong (or no) marker would
# silently run fewer tests. In CI a run that collected nothing, or that deselected tests of the
# files it was asked to run, fails before any test runs.

_DESELECTED = pytest.StashKey[list[pytest.Item]]()


def pytest_deselected(items: list[pytest.Item]) -> None:
    if items:
        config = items[0].config
        config.stash.setdefault(_DESELECTED, []).extend(items)


def pytest_collection_finish(session: pytest.Session) -> None:
    if not IN_CI or session.config.option.collectonly:
        return
    config = session.config
    if not session.items:
        raise pytest.UsageError(
            f"CI: `pytest {' '.join(config.invocation_params.args)}` collected no tests; "
            "a suite that runs nothing must not pass."
        )
    if config.args_source is not pytest.Config.ArgsSource.ARGS:
        return  # the default run (testpaths): the unit suite, deselection is its job
    dropped = sorted({item.nodeid.split("::", 1)[0] for item in config.stash.get(_DESELECTED, [])})
    if dropped:
        raise pytest.UsageError(
            f"CI: -m {config.option.markexpr!r} deselected tests of the files this run names: "
            f"{', '.join(dropped)}. Select them with the suite's marker (see the Makefile)."
        )


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
def owner_client(api_client: APIClient, seeded: None) -> APIClient:
    """Signed in as the seed's demo user, who owns every seeded vacancy, drafts included."""
    from django.contrib.auth import get_user_model

    api_client.force_authenticate(get_user_model().objects.get(username="demo"))
    return api_client


@pytest.fixture
def seeded(db) -> None:
    """60 deterministic vacancies with companies, locations, skills and requirements."""
    call_command("seed_vacancies", count=60, stdout=io.StringIO())
