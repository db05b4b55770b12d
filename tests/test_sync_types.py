"""``manage.py sync_types``: the schema and TypeScript types, written or checked in-process."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from openapi_spec_validator import validate
from rest_framework import serializers
from vacancies.serializers import VacancySerializer

from django_typed_api import typesync

from .conftest import require

TESTPROJECT = Path(__file__).resolve().parent.parent / "testproject"
GOLDEN = TESTPROJECT / "schema.yaml"
TYPES = TESTPROJECT / "frontend" / "src" / "lib" / "api" / "backend-api-schema.d.ts"
HAS_NODE = shutil.which("npx") is not None


def sync_types(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("sync_types", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def typed_api(**overrides: object) -> override_settings:
    return override_settings(TYPED_API={**settings.TYPED_API, **overrides})


def renamed_field(monkeypatch: pytest.MonkeyPatch) -> None:
    """The vacancy serializer with ``remote`` renamed to ``is_remote``, until the test ends."""
    renamed = ["is_remote" if f == "remote" else f for f in VacancySerializer.Meta.fields]
    monkeypatch.setattr(VacancySerializer.Meta, "fields", renamed)
    monkeypatch.setitem(
        VacancySerializer._declared_fields,
        "is_remote",
        serializers.BooleanField(source="remote", required=False),
    )


def test_committed_schema_is_valid_openapi() -> None:
    validate(yaml.safe_load(GOLDEN.read_text()))


@pytest.mark.integration
def test_check_passes_on_the_committed_schema_and_types() -> None:
    require(HAS_NODE, "npx (Node.js) is needed to generate the TypeScript types")
    out, err = sync_types("--check")
    assert out.strip() == "Schema and types are up to date.", err


@pytest.mark.integration
def test_check_fails_with_a_diff_after_a_serializer_field_is_renamed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    require(HAS_NODE, "npx (Node.js) is needed to generate the TypeScript types")
    renamed_field(monkeypatch)
    before = GOLDEN.read_bytes(), TYPES.read_bytes()
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("sync_types", "--check", stdout=io.StringIO(), stderr=err)
    message = str(excinfo.value)
    assert "Out of date: " in message
    assert "schema.yaml" in message and "backend-api-schema.d.ts" in message
    schema_diff, types_diff = err.getvalue().split("backend-api-schema.d.ts (committed)")
    assert re.search(r"^-\s+remote:$", schema_diff, re.MULTILINE)
    assert re.search(r"^\+\s+is_remote:$", schema_diff, re.MULTILINE)
    assert re.search(r"^-\s+remote\??: ", types_diff, re.MULTILINE)
    assert re.search(r"^\+\s+is_remote\??: ", types_diff, re.MULTILINE)
    assert (GOLDEN.read_bytes(), TYPES.read_bytes()) == before, "--check wrote a file"


def test_schema_only_check_needs_no_node_and_catches_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = str(tmp_path / "schema.yaml")
    with typed_api(TYPESCRIPT_COMMAND=["no-such-node-binary"]):
        sync_types("--schema-only", "--schema-file", schema)
        out, _ = sync_types("--check", "--schema-only", "--schema-file", schema)
        assert out.strip() == "Schema and types are up to date."
        renamed_field(monkeypatch)
        err = io.StringIO()
        with pytest.raises(CommandError, match=r"Out of date: \S*schema\.yaml\. Run"):
            call_command("sync_types", "--check", "--schema-only", "--schema-file", schema,
                         stdout=io.StringIO(), stderr=err)  # fmt: skip
    assert re.search(r"^\+\s+is_remote:$", err.getvalue(), re.MULTILINE)


def test_writes_the_schema_as_yaml_or_json_by_extension(tmp_path: Path) -> None:
    sync_types("--schema-only", "--schema-file", str(tmp_path / "schema.json"))
    sync_types("--schema-only", "--schema-file", str(tmp_path / "schema.yaml"))
    as_json = json.loads((tmp_path / "schema.json").read_text())
    assert as_json == yaml.safe_load((tmp_path / "schema.yaml").read_text())
    current = typesync.render_schema(typesync.generate_schema(), "yaml")
    assert (tmp_path / "schema.yaml").read_bytes() == current


def test_rewrites_only_files_that_changed(tmp_path: Path) -> None:
    target = str(tmp_path / "schema.yaml")
    first, _ = sync_types("--schema-only", "--schema-file", target)
    second, _ = sync_types("--schema-only", "--schema-file", target)
    assert first.startswith("Wrote ") and second.startswith("Unchanged ")


def test_relative_paths_are_relative_to_base_dir(tmp_path: Path) -> None:
    with override_settings(BASE_DIR=tmp_path), typed_api(SCHEMA_PATH="api/openapi.json"):
        sync_types("--schema-only")
    assert json.loads((tmp_path / "api" / "openapi.json").read_text())["openapi"] == "3.0.3"


def test_unknown_schema_extension_is_a_clear_error() -> None:
    with typed_api(SCHEMA_PATH="schema.txt"), pytest.raises(CommandError, match=r"\.yaml"):
        sync_types("--schema-only")


def test_a_failing_generator_is_a_one_line_error_and_nothing_is_written(tmp_path: Path) -> None:
    failing = [sys.executable, "-c", "import sys; sys.exit('Error: cannot read {schema}')"]
    schema = tmp_path / "schema.yaml"
    with typed_api(TYPESCRIPT_COMMAND=failing), pytest.raises(CommandError) as excinfo:
        sync_types("--schema-file", str(schema), "--types-file", str(tmp_path / "t.d.ts"))
    message = str(excinfo.value)
    assert "\n" not in message
    assert "failed (exit 1): Error: cannot read " in message
    assert not schema.exists()


def test_the_types_are_what_the_generator_writes(tmp_path: Path) -> None:
    """Any command works that reads ``{schema}`` and writes ``{output}``."""
    copy = [sys.executable, "-c", "import shutil, sys; shutil.copy(sys.argv[1], sys.argv[2])"]
    with typed_api(TYPESCRIPT_COMMAND=[*copy, "{schema}", "{output}"]):
        sync_types("--schema-file", str(tmp_path / "s.yaml"), "--types-file", str(tmp_path / "t"))
    assert (tmp_path / "t").read_bytes() == (tmp_path / "s.yaml").read_bytes()


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "sync_types", *args],
        cwd=TESTPROJECT,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


@pytest.mark.integration
def test_missing_node_on_the_command_line_is_one_line_without_traceback(tmp_path: Path) -> None:
    result = run_cli("--schema-file", str(tmp_path / "s.yaml"), PATH=str(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "CommandError: 'npx' was not found on PATH. Install Node.js 20 or newer or set "
        "TYPED_API['TYPESCRIPT_COMMAND'] (or pass --schema-only to skip the TypeScript types)."
    ]
    assert not (tmp_path / "s.yaml").exists()


@pytest.mark.integration
def test_schema_bytes_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    for seed in ("1", "2"):
        result = run_cli(
            "--schema-only", "--schema-file", str(tmp_path / f"{seed}.yaml"), PYTHONHASHSEED=seed
        )
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "1.yaml").read_bytes() == (tmp_path / "2.yaml").read_bytes()
    assert (tmp_path / "1.yaml").read_bytes() == typesync.render_schema(
        typesync.generate_schema(), "yaml"
    )
