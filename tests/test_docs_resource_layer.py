"""docs/concepts/resource-layer.md: the worked CRUD example, type-checked and counted.

Its file blocks are written into a copy of the test project's front end (templates copied in,
the committed types and generated layer), and ``svelte-check --fail-on-warnings`` must pass on
the result: the example compiles against the real generated code. Then its hand-written lines
are counted and printed; issue 16's budget is 60. Needs the front end's node_modules, so it
runs in ``make test-frontend``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require

from .docs_runner import FileStep, plan, section

pytestmark = pytest.mark.frontend

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "concepts" / "resource-layer.md"
FRONTEND = ROOT / "testproject" / "frontend"
BUDGET = 60
SKIP = shutil.ignore_patterns(
    "node_modules", ".svelte-kit", "build", "test-results", "screenshots", "playwright-report"
)


def example_files() -> list[FileStep]:
    body, first_line = section(PAGE.read_text(), "Worked example: one CRUD feature")
    steps = plan(body, first_line)
    files = [step for step in steps.steps if isinstance(step, FileStep)]
    assert len(files) == len(steps.steps), "the worked example is files only"
    assert not steps.skipped
    return files


def hand_written_lines(step: FileStep) -> int:
    """Non-blank lines below the path comment (the docs' convention, not code)."""
    return sum(1 for line in step.block.code.splitlines()[1:] if line.strip())


def test_the_worked_example_uses_no_hand_written_query_code() -> None:
    for step in example_files():
        for word in (
            r"\bapiClient\b",
            r"\bqueryOptions\(",
            r"\bmutationOptions\(",
            r"\bqueryKey\b",
            r"\bfetch\(",
        ):
            assert not re.search(word, step.block.code), f"{step.path} writes {word!r} by hand"


def test_the_worked_example_type_checks_within_its_line_budget(tmp_path: Path) -> None:
    require(
        (FRONTEND / "node_modules" / ".bin" / "svelte-check").exists(),
        "front end not installed: run `make frontend-templates`",
    )
    app = tmp_path / "frontend"
    shutil.copytree(FRONTEND, app, ignore=SKIP)
    shutil.copytree(
        FRONTEND / "node_modules",
        app / "node_modules",
        copy_function=os.link,
        ignore=shutil.ignore_patterns("$app", ".vite"),
        symlinks=True,
    )
    subprocess.run(
        # The copy keeps the test project's scripts (its own would point at this temp folder).
        [
            sys.executable,
            "manage.py",
            "typed_api_svelte",
            "--dest",
            str(app / "src" / "lib"),
            "--no-scripts",
        ],
        cwd=ROOT / "testproject",
        check=True,
        capture_output=True,
    )
    counts = {}
    for step in example_files():
        target = app / step.path
        assert not target.exists(), f"{step.path} would replace a file of the test project"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(step.block.code)
        counts[step.path] = hand_written_lines(step)

    result = subprocess.run(
        ["npm", "run", "-s", "check"], cwd=app, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "svelte-check found 0 errors and 0 warnings" in result.stdout

    for path, count in counts.items():
        print(f"{count:4d}  {path}")
    total = sum(counts.values())
    print(f"{total:4d}  hand-written TypeScript/Svelte lines (budget {BUDGET})")
    assert total <= BUDGET
