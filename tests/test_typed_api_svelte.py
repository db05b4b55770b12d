"""``manage.py typed_api_svelte``: copies the shipped Svelte templates into an app."""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from django_typed_api.management.commands import typed_api_svelte

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates" / "svelte"
FRONTEND = ROOT / "testproject" / "frontend"


def template_names() -> list[str]:
    return sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*") if p.is_file())


def run(dest: Path, *, force: bool = False) -> str:
    out = io.StringIO()
    call_command("typed_api_svelte", dest=str(dest), force=force, stdout=out)
    return out.getvalue()


def test_copies_every_template_byte_for_byte_and_lists_each(tmp_path: Path) -> None:
    output = run(tmp_path / "lib")

    copied = sorted(
        str(p.relative_to(tmp_path / "lib")) for p in (tmp_path / "lib").rglob("*") if p.is_file()
    )
    assert copied == template_names()
    for name in copied:
        assert (tmp_path / "lib" / name).read_bytes() == (TEMPLATES / name).read_bytes()
        assert f"wrote      {tmp_path / 'lib' / name}" in output
    assert f"{len(copied)} file(s) written, 0 unchanged." in output


def test_ships_the_client_auth_errors_queries_and_components() -> None:
    assert {
        "api/client.ts",
        "api/public.ts",
        "api/auth.svelte.ts",
        "api/errors.ts",
        "api/queries.ts",
        "api/query-client.ts",
        "components/QueryTemplate.svelte",
        "components/MutationTemplate.svelte",
        "components/Spinner.svelte",
        "components/AppProviders.svelte",
        "README.md",
    } <= set(template_names())


def test_running_again_leaves_identical_files_alone(tmp_path: Path) -> None:
    run(tmp_path)
    output = run(tmp_path)
    assert "0 file(s) written" in output
    assert f"unchanged  {tmp_path / 'api' / 'client.ts'}" in output


def test_refuses_to_overwrite_an_edited_file_without_force(tmp_path: Path) -> None:
    edited = tmp_path / "api" / "client.ts"
    edited.parent.mkdir(parents=True)
    edited.write_text("// my changes\n")

    with pytest.raises(CommandError) as excinfo:
        run(tmp_path)

    message = str(excinfo.value)
    assert str(edited) in message and "--force" in message
    assert edited.read_text() == "// my changes\n"
    # Refused before writing anything: no half-copied set of templates.
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [edited]


def test_force_overwrites_edited_files(tmp_path: Path) -> None:
    edited = tmp_path / "api" / "client.ts"
    edited.parent.mkdir(parents=True)
    edited.write_text("// my changes\n")

    output = run(tmp_path, force=True)

    assert edited.read_bytes() == (TEMPLATES / "api" / "client.ts").read_bytes()
    assert f"overwrote  {edited}" in output


def test_dest_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / "lib"
    target.write_text("")
    with pytest.raises(CommandError, match="not a directory"):
        run(target)


def test_finds_the_templates_inside_an_installed_wheel(tmp_path: Path) -> None:
    """The wheel force-includes templates/svelte as django_typed_api/templates_svelte."""
    package = tmp_path / "site-packages" / "django_typed_api"
    commands = package / "management" / "commands"
    commands.mkdir(parents=True)
    shutil.copy(typed_api_svelte.__file__, commands / "typed_api_svelte.py")
    shutil.copytree(TEMPLATES, package / "templates_svelte")
    spec = importlib.util.spec_from_file_location("wheel_copy", commands / "typed_api_svelte.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    assert module.templates_dir() == package / "templates_svelte"


def test_relative_imports_only_so_the_files_work_in_sveltekit_2_and_3() -> None:
    """SvelteKit 3 dropped the $lib alias: templates import each other by relative path and
    everything else from npm packages (no $lib, #lib or $app aliases)."""
    allowed_packages = {"@tanstack/svelte-query", "openapi-fetch", "svelte", "svelte-sonner"}
    seen_relative = 0
    for name in template_names():
        if not name.endswith((".ts", ".svelte")):
            continue
        for spec in re.findall(r"""from\s+['"]([^'"]+)['"]""", (TEMPLATES / name).read_text()):
            if spec.startswith(("./", "../")):
                seen_relative += 1
            else:
                assert spec in allowed_packages, f"{name} imports {spec!r}"
    assert seen_relative > 10


def test_the_front_end_never_commits_copies_of_the_templates() -> None:
    """The testproject front end gets the templates from the command (make frontend-templates):
    every copy is git-ignored, so no hand-kept duplicate can drift from templates/svelte."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    paths = [f"testproject/frontend/src/lib/{name}" for name in template_names()]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    assert sorted(ignored) == sorted(paths)
    tracked = subprocess.run(
        ["git", "ls-files", *paths], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked == []
