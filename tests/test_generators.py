"""The committed schema through the generators people use: clean output, our names.

Runs openapi-typescript, Orval (svelte-query client) and @hey-api/openapi-ts (TanStack Svelte
Query plugin) from ``tests/generators`` (``make test-generators`` installs them with
``npm ci``), then reads what they wrote.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from django_typed_api.decorators import QUERY_EXTENSION

from .conftest import require

pytestmark = pytest.mark.generators

ROOT = Path(__file__).resolve().parent.parent
GENERATORS = ROOT / "tests" / "generators"
SCHEMA = ROOT / "testproject" / "schema.yaml"
TYPES = ROOT / "testproject" / "frontend" / "src" / "lib" / "api" / "backend-api-schema.d.ts"
#: Orval and hey-api need Node >= 22.18; ``make test-generators`` puts one first on PATH
#: (scripts/ensure-node.sh: the machine's node when new enough, else Node 22 from npm).
NODE_MIN = (22, 18)
WARNING = re.compile(r"\bwarn(ing)?\b|⚠", re.IGNORECASE)
#: A generator's way out of a name clash: ``listVacancies1``, ``Vacancy_2``. (Orval's per-status
#: types such as ``listVacanciesResponse200`` end in an HTTP status code and are fine.)
NUMBERED = re.compile(r"^(\w*?[A-Za-z])_?(\d+)$")


def node_version() -> tuple[int, ...]:
    """The version of the ``node`` on PATH, ``()`` when there is none."""
    node = shutil.which("node")
    if node is None:
        return ()
    found = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    return tuple(int(part) for part in found.stdout.strip().lstrip("v").split(".")[:2])


def run(tool: str, *args: str, out: Path) -> str:
    require(
        (GENERATORS / "node_modules" / ".bin" / tool).exists(),
        "generators not installed: run `make test-generators`",
    )
    require(
        node_version() >= NODE_MIN,
        f"Node >= {'.'.join(map(str, NODE_MIN))} is needed on PATH: run `make test-generators`",
    )
    env = {
        **os.environ,
        "SCHEMA": str(SCHEMA),
        "OUT": str(out),
        "NO_COLOR": "1",
        "FORCE_COLOR": "0",
    }
    result = subprocess.run(
        [str(GENERATORS / "node_modules" / ".bin" / tool), *args],
        cwd=GENERATORS,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


def operations() -> list[tuple[str, dict[str, Any]]]:
    schema = yaml.safe_load(SCHEMA.read_text())
    return [
        (method, operation)
        for item in schema["paths"].values()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def component_names() -> list[str]:
    return list(yaml.safe_load(SCHEMA.read_text())["components"]["schemas"])


def is_query(method: str, operation: dict[str, Any]) -> bool:
    return method == "get" or operation.get(QUERY_EXTENSION) is True


def pascal(operation_id: str) -> str:
    return operation_id[0].upper() + operation_id[1:]


def exported_names(source: str) -> list[str]:
    """Exported names; a type and a value may share one (``export type X`` + ``const X``)."""
    found = re.findall(
        r"^export (?:declare )?(const|function|type|interface|enum|class) (\w+)",
        source,
        re.MULTILINE,
    )
    space = {"type": "type", "interface": "type"}
    return [f"{space.get(kind, 'value')}:{name}" for kind, name in found]


def values(source: str) -> list[str]:
    return [n.split(":", 1)[1] for n in exported_names(source) if n.startswith("value:")]


def assert_unique_and_unsuffixed(names: list[str]) -> None:
    duplicates = [name for name, count in Counter(names).items() if count > 1]
    assert not duplicates, f"duplicate exports: {duplicates}"
    suffixed = [
        qualified
        for qualified in names
        if (match := NUMBERED.match(qualified.split(":", 1)[1]))
        and not re.fullmatch(r"[1-5]\d\d", match[2])
    ]
    assert not suffixed, f"names a generator had to suffix: {suffixed}"


def test_the_schema_marks_the_read_only_posts_as_queries() -> None:
    marked = sorted(op["operationId"] for _, op in operations() if op.get(QUERY_EXTENSION))
    assert marked == ["searchJobs", "searchVacancies"]


def test_openapi_typescript_converts_without_warnings_to_the_committed_types(
    tmp_path: Path,
) -> None:
    out = tmp_path / "types.d.ts"
    output = run(
        "openapi-typescript", str(SCHEMA), "--output", str(out), "--default-non-nullable=false",
        out=tmp_path,
    )  # fmt: skip
    assert not WARNING.search(output), output
    assert out.read_text() == TYPES.read_text(), "run `make schema` (sync_types) and commit"
    for _, operation in operations():
        assert f'operations["{operation["operationId"]}"]' in out.read_text()


def test_orval_svelte_query_hooks_are_named_from_operation_ids(tmp_path: Path) -> None:
    output = run("orval", "--config", "orval.config.mjs", out=tmp_path)
    assert not WARNING.search(output), output
    source = (tmp_path / "orval" / "api.ts").read_text()
    assert_unique_and_unsuffixed(exported_names(source))
    names = values(source)
    types = [n.split(":", 1)[1] for n in exported_names(source) if n.startswith("type:")]
    assert set(component_names()) <= set(types)  # every component keeps its name
    for method, operation in operations():
        name = pascal(operation["operationId"])
        assert operation["operationId"] in names  # the fetch function itself
        assert f"create{name}" in names  # the hook: createListVacancies, createSearchJobs
        kind = "Query" if is_query(method, operation) else "Mutation"
        other = "Mutation" if kind == "Query" else "Query"
        assert f"get{name}{kind}Options" in names
        assert f"get{name}{other}Options" not in names


def test_hey_api_tanstack_query_options_are_named_from_operation_ids(tmp_path: Path) -> None:
    output = run("openapi-ts", "-f", "openapi-ts.config.mjs", out=tmp_path)
    assert not WARNING.search(output), output
    sdk = (tmp_path / "hey-api" / "sdk.gen.ts").read_text()
    hooks = (tmp_path / "hey-api" / "@tanstack" / "svelte-query.gen.ts").read_text()
    types = (tmp_path / "hey-api" / "types.gen.ts").read_text()
    for source in (sdk, hooks, types):
        assert_unique_and_unsuffixed(exported_names(source))
    assert set(component_names()) <= {n.split(":", 1)[1] for n in exported_names(types)}
    sdk_names, hook_names = values(sdk), values(hooks)
    for method, operation in operations():
        operation_id = operation["operationId"]
        assert operation_id in sdk_names
        if is_query(method, operation):
            assert f"{operation_id}Options" in hook_names
            assert f"{operation_id}Mutation" not in hook_names
        else:
            assert f"{operation_id}Mutation" in hook_names
            assert f"{operation_id}Options" not in hook_names
