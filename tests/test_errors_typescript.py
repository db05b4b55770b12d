"""openapi-fetch types ``error`` from our schema: the validation envelope on createVacancy, the
error envelope on retrieveVacancy. Compiles ``tests/ts_errors/errors.check.ts`` with tsc
against types openapi-typescript generates from the testproject schema (``make test-errors``
installs the pinned tools)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer

from .conftest import require

pytestmark = [pytest.mark.errors_integration, pytest.mark.integration]

TS_DIR = Path(__file__).resolve().parent / "ts_errors"
BIN = TS_DIR / "node_modules" / ".bin"


def compile_against(schema: dict[str, Any], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "schema.yaml"
    source.write_bytes(OpenApiYamlRenderer().render(schema, renderer_context={}))
    (TS_DIR / "generated").mkdir(exist_ok=True)
    subprocess.run(
        [
            str(BIN / "openapi-typescript"),
            str(source),
            "--output",
            str(TS_DIR / "generated" / "schema.d.ts"),
            "--default-non-nullable=false",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return subprocess.run(
        [str(BIN / "tsc"), "-p", str(TS_DIR)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def schema() -> dict[str, Any]:
    require((BIN / "tsc").exists(), "tests/ts_errors is not installed: run `make test-errors`")
    return SchemaGenerator().get_schema(request=None, public=True)


def test_error_types_compile_against_the_testproject_schema(
    schema: dict[str, Any], tmp_path: Path
) -> None:
    result = compile_against(schema, tmp_path)
    assert result.returncode == 0, result.stdout[-4000:]


def test_error_types_fail_without_documented_errors(schema: dict[str, Any], tmp_path: Path) -> None:
    """The check can fail: drop the error responses and ``error`` is no longer typed."""
    for item in schema["paths"].values():
        for operation in item.values():
            operation["responses"] = {
                code: response
                for code, response in operation["responses"].items()
                if code.startswith("2")
            }
    result = compile_against(schema, tmp_path)
    assert result.returncode != 0
    assert "errors.check.ts" in result.stdout
