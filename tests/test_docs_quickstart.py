"""The README quickstart and the getting-started guide, executed as written.

Every code block is extracted and run in a fresh project inside a fresh virtual environment
that has only the built wheel installed (see ``tests/docs_runner.py`` for the conventions), so
a renamed setting, a changed default or a wrong output shown in the docs fails here.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest

from .conftest import require
from .docs_runner import Plan, Runner, plan, section
from .packaging_utils import ROOT, build_dists, install_command, wheel_venv

pytestmark = [pytest.mark.packaging, pytest.mark.integration]


def run_page(plan_: Plan, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Runner:
    venv = wheel_venv(tmp_path_factory)
    wheel = build_dists(tmp_path_factory).wheel
    runner = Runner(
        project=tmp_path / "project",
        venv=venv,
        install_package=shlex.join(install_command(venv, wheel)),
    )
    try:
        runner.run(plan_)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n--- transcript\n" + "\n".join(runner.transcript)) from None
    return runner


def test_readme_quickstart_runs_verbatim_in_a_fresh_project(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    body, first_line = section((ROOT / "README.md").read_text(), "Quickstart")
    steps = plan(body, first_line)
    assert not steps.skipped, "the README quickstart has no skipped blocks"
    runner = run_page(steps, tmp_path, tmp_path_factory)
    schema = (runner.project / "schema.yaml").read_text()
    assert "VacancyStatusEnum" in schema


def test_getting_started_runs_verbatim_from_pip_install_to_a_typed_sveltekit_page(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    require(shutil.which("npx") is not None, "Node and npm are needed for the SvelteKit part")
    steps = plan((ROOT / "docs" / "getting-started.md").read_text())
    assert [b.skip for b in steps.skipped] == ["long-running servers"]
    runner = run_page(steps, tmp_path, tmp_path_factory)
    frontend = runner.project / "frontend"
    types = (frontend / "src" / "lib" / "api" / "backend-api-schema.d.ts").read_text()
    assert "listVacancies" in types and "VacancyStatusEnum" in types
    assert (frontend / "src" / "lib" / "api" / "client.ts").exists()
