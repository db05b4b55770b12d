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

import django
import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.test import override_settings
from openapi_spec_validator import validate
from rest_framework import serializers
from vacancies.serializers import VacancySerializer

from django_typed_api import typesync
from django_typed_api.typesync.runserver import is_runserver_supervisor

from .conftest import require
from .test_testproject_schema import GOLDEN_DJANGO

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
    if django.VERSION[:2] != GOLDEN_DJANGO:  # the tox matrix runs this suite on every Django
        pytest.skip(f"the golden files are written on Django {GOLDEN_DJANGO}")
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
        "CommandError: 'node' was not found on PATH. Install Node.js 20 or newer or set "
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


# -- warnings, schema-only checks, no side-effect folders -----------------------------------


def test_a_schema_warning_fails_by_default_and_writes_nothing(tmp_path: Path) -> None:
    schema = tmp_path / "schema.yaml"
    with (
        override_settings(ROOT_URLCONF="tests.urls_sync_warnings"),
        pytest.raises(CommandError, match=r"1 warning\(s\) or error\(s\).*--allow-warnings"),
    ):
        sync_types("--schema-only", "--schema-file", str(schema))
    assert not schema.exists()


def test_allow_warnings_writes_the_guessed_type(tmp_path: Path) -> None:
    schema = tmp_path / "schema.yaml"
    with override_settings(ROOT_URLCONF="tests.urls_sync_warnings"):
        sync_types("--schema-only", "--allow-warnings", "--schema-file", str(schema))
    group = yaml.safe_load(schema.read_text())["components"]["schemas"]["Group"]
    assert group["properties"]["member_count"]["type"] == "string"  # what the warning was about


def test_check_verifies_the_schema_without_node_when_no_types_file_exists(tmp_path: Path) -> None:
    schema = str(tmp_path / "schema.yaml")
    sync_types("--schema-only", "--schema-file", schema)
    with typed_api(TYPESCRIPT_COMMAND=["no-such-node-binary"]):
        out, err = sync_types("--check", "--schema-file", schema,
                              "--types-file", str(tmp_path / "missing.d.ts"))  # fmt: skip
    assert out.strip() == "Schema and types are up to date."
    assert "missing.d.ts does not exist: checked the schema only." in err


def test_types_wait_for_the_front_end_instead_of_creating_its_folder(tmp_path: Path) -> None:
    """Writing the types first would create frontend/, and `sv create frontend` then refuses
    the non-empty folder."""
    with override_settings(BASE_DIR=tmp_path):
        out, err = sync_types()
    assert out.strip() == "Wrote schema.yaml" or out.strip().endswith("schema.yaml")
    assert "No front end around" in err and "npx sv create frontend" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["schema.yaml"]


# -- what changed --------------------------------------------------------------------------


def test_changes_name_operations_and_components_added_removed_and_changed() -> None:
    old = typesync.generate_schema()
    new = json.loads(json.dumps(old))
    new["components"]["schemas"]["Vacancy"]["properties"]["is_remote"] = {"type": "boolean"}
    del new["components"]["schemas"]["Skill"]
    new["paths"]["/api/extra/"] = {"get": {"operationId": "listExtras", "responses": {}}}
    found = typesync.changes(old, new)
    assert found.added == ["operation listExtras"]
    assert found.removed == ["component Skill"]
    assert found.changed == ["component Vacancy"]
    assert found.summary() == (
        "added operation listExtras; removed component Skill; changed component Vacancy"
    )
    assert typesync.changes(old, old).summary() == "no API change"


def test_runserver_starts_the_watcher_only_in_its_reloader_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RUN_MAIN", raising=False)
    assert is_runserver_supervisor(["manage.py", "runserver"])
    assert not is_runserver_supervisor(["manage.py", "migrate"])
    monkeypatch.setenv("RUN_MAIN", "true")  # the server process the reloader restarts
    assert not is_runserver_supervisor(["manage.py", "runserver"])


# -- duplicate operationIds: the system check, or the generation right after it --------------


def test_duplicate_operation_id_fails_sync_types_at_generation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = tmp_path / "schema.yaml"
    out, err = io.StringIO(), io.StringIO()
    with (
        override_settings(ROOT_URLCONF="tests.urls_duplicate_ids"),
        pytest.raises(CommandError, match=r"1 warning\(s\)"),
    ):
        call_command(
            "sync_types", "--schema-only", "--schema-file", str(schema),
            skip_checks=False, stdout=out, stderr=err,
        )  # fmt: skip
    assert 'operationId "listVacancies" has collisions' in capsys.readouterr().err
    assert not schema.exists()


def test_duplicate_operation_id_fails_the_system_check_when_warnings_are_allowed(
    tmp_path: Path,
) -> None:
    schema = tmp_path / "schema.yaml"
    with (
        override_settings(ROOT_URLCONF="tests.urls_duplicate_ids"),
        pytest.raises(SystemCheckError, match=r'E002.*Duplicate operationId "listVacancies"'),
    ):
        call_command(
            "sync_types", "--schema-only", "--allow-warnings", "--schema-file", str(schema),
            skip_checks=False, stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    assert not schema.exists()
