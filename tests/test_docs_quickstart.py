"""The README quickstart and the getting-started guide, executed as written.

Every code block is extracted and run, install line included, in a fresh project inside a fresh
virtual environment (see ``tests/docs_runner.py`` for the conventions), so a renamed setting, a
changed default, a wrong output or an install line that does not work fails here. The pages
install from a clone of the repository beside the project (``pip install ../django-typed-api``,
until the package is on PyPI); the test puts this checkout there.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import require
from .docs_runner import Plan, Runner, ShellStep, plan, section
from .packaging_utils import ROOT, pip_venv

pytestmark = [pytest.mark.packaging, pytest.mark.integration]


def run_page(plan_: Plan, tmp_path: Path) -> Runner:
    """A reader's setup: the clone next to an empty project folder, a venv with only pip."""
    (tmp_path / "django-typed-api").symlink_to(ROOT, target_is_directory=True)
    runner = Runner(project=tmp_path / "project", venv=pip_venv(tmp_path / "venv"))
    try:
        runner.run(plan_)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n--- transcript\n" + "\n".join(runner.transcript)) from None
    return runner


def test_readme_quickstart_runs_verbatim_in_a_fresh_project(tmp_path: Path) -> None:
    body, first_line = section((ROOT / "README.md").read_text(), "Quickstart")
    steps = plan(body, first_line)
    assert not steps.skipped, "the README quickstart has no skipped blocks"
    install = next(step for step in steps.steps if isinstance(step, ShellStep)).commands[0]
    assert install == "pip install ../django-typed-api"
    runner = run_page(steps, tmp_path)
    schema = (runner.project / "schema.yaml").read_text()
    assert "VacancyStatusEnum" in schema


def test_getting_started_runs_verbatim_from_pip_install_to_a_typed_sveltekit_page(
    tmp_path: Path,
) -> None:
    """The guide against the real output of the pinned `sv create`: `npm run sync-types`,
    `npm run check` and `npm run build` from the app's folder, the scaffold's vite.config.ts
    edited (not replaced), a user and data for the first page, no stray folders."""
    require(shutil.which("npx") is not None, "Node and npm are needed for the SvelteKit part")
    steps = plan((ROOT / "docs" / "getting-started.md").read_text())
    assert [b.skip for b in steps.skipped] == ["long-running servers"]
    runner = run_page(steps, tmp_path)
    project, frontend = runner.project, runner.project / "frontend"

    types = (frontend / "src" / "lib" / "api" / "backend-api-schema.d.ts").read_text()
    assert "listVacancies" in types and "VacancyStatusEnum" in types
    assert (frontend / "src" / "lib" / "api" / "client.ts").exists()
    generated = (frontend / "src" / "lib" / "api" / "generated" / "vacancies.ts").read_text()
    assert "export function listVacanciesOptions(" in generated
    assert sorted(p.name for p in project.iterdir()) == [
        "db.sqlite3", "frontend", "jobs", "manage.py", "schema.yaml", "vacancies",
    ]  # fmt: skip

    scripts = json.loads((frontend / "package.json").read_text())["scripts"]
    python = shlex.quote(str(runner.venv / "bin" / "python"))
    assert scripts["sync-types"] == f"{python} ../manage.py sync_types"
    assert scripts["types:watch"] == f"{python} ../manage.py sync_types --watch"
    assert scripts["check"].startswith("npm run sync-types && svelte-kit sync && svelte-check")

    vite_config = (frontend / "vite.config.ts").read_text()
    assert "adapter: adapter()" in vite_config and "runes:" in vite_config  # the scaffold's
    assert "server: { proxy: { '/api': 'http://127.0.0.1:8000' } }," in vite_config
    assert (frontend / ".svelte-kit" / "output").is_dir()  # npm run build

    first_page = subprocess.run(
        [str(runner.venv / "bin" / "python"), "manage.py", "shell", "-c",
         "from django.test import Client; r = Client(HTTP_HOST='localhost').get('/api/vacancies/', "
         "{'status': 'published', 'page_size': 10}); print(r.status_code, r.json()['count'])"],
        cwd=project, env=runner.environment(), capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert first_page.stdout.split()[-2:] == ["200", "2"]
    print("\n".join(timings(runner)))  # the guide as executed, with each step's time (-s)


def timings(runner: Runner) -> list[str]:
    """``(12.3 s) $ command`` for every command the page ran."""
    found = []
    for command, result in zip(runner.transcript, runner.transcript[1:], strict=False):
        if command.startswith("$ ") and result.startswith("("):
            found.append(f"{result.split(')', 1)[0]})  {command}")
    return found
