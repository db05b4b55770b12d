"""End-to-end type safety: a backend rename breaks the front end's type check.

Renames a serializer field in a temporary copy of the testproject, re-syncs the types with
``manage.py sync_types`` and runs ``svelte-check`` on the copied SvelteKit front end: it must
pass before the rename and fail after it, naming the old field. Nothing committed is touched.
Needs the front end's node_modules, so it runs in ``make test-frontend``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require

pytestmark = pytest.mark.frontend

ROOT = Path(__file__).resolve().parent.parent
TESTPROJECT = ROOT / "testproject"
FRONTEND = TESTPROJECT / "frontend"
TYPES = FRONTEND / "src" / "lib" / "api" / "backend-api-schema.d.ts"

#: What a copy of the project leaves out: dependencies (hard-linked instead), build output,
#: caches and databases.
SKIP = shutil.ignore_patterns(
    "node_modules", ".svelte-kit", "build", "test-results", "screenshots", "staticfiles",
    "__pycache__", "*.sqlite3",
)  # fmt: skip


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_project(dest: Path) -> Path:
    shutil.copytree(TESTPROJECT, dest, ignore=SKIP)
    # Hard links: instant, and `svelte-kit sync` writes its generated tsconfig ($app/) into
    # node_modules, so that folder is left out and regenerated in the copy only.
    shutil.copytree(
        FRONTEND / "node_modules",
        dest / "frontend" / "node_modules",
        copy_function=os.link,
        ignore=shutil.ignore_patterns("$app", ".vite"),
        symlinks=True,
    )
    return dest


def svelte_check(frontend: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["npm", "run", "-s", "check"], cwd=frontend, capture_output=True, text=True, check=False
    )


def manage(project: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=project, check=True, capture_output=True
    )


def test_renaming_a_serializer_field_fails_svelte_check_on_the_front_end(
    tmp_path: Path,
) -> None:
    require(
        (FRONTEND / "node_modules" / ".bin" / "svelte-check").exists() and TYPES.exists(),
        "front end not installed: run `make frontend-templates`",
    )
    committed = {path: digest(path) for path in (TESTPROJECT / "schema.yaml", TYPES)}
    project = copy_project(tmp_path / "testproject")
    manage(
        project,
        "typed_api_svelte",
        "--dest",
        "frontend/src/lib",
        "--examples",
        "--force",
        "--no-scripts",
    )

    before = svelte_check(project / "frontend")
    assert before.returncode == 0, before.stdout + before.stderr

    serializers = project / "vacancies" / "serializers.py"
    source = serializers.read_text()
    field_list = '            "id",\n            "title",\n            "slug",\n'
    assert source.count(field_list) == 1
    source = source.replace(field_list, field_list.replace('"title"', '"headline"'))
    source = source.replace(
        "    requirements = RequirementSerializer(many=True, read_only=True)\n",
        "    requirements = RequirementSerializer(many=True, read_only=True)\n"
        '    headline = serializers.CharField(source="title", max_length=200)\n',
        1,
    )
    serializers.write_text(source)
    manage(project, "sync_types", "--skip-checks")
    assert "headline" in (project / "frontend" / TYPES.relative_to(FRONTEND)).read_text()

    after = svelte_check(project / "frontend")
    output = after.stdout + after.stderr
    assert after.returncode != 0
    assert "svelte-check found 0 errors" not in output
    assert "'title'" in output  # e.g. Property 'title' does not exist on type ...
    assert {path: digest(path) for path in committed} == committed
