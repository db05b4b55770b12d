"""``manage.py typed_api_svelte``: copies the shipped Svelte templates into an app."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from django_typed_api.management.commands import typed_api_svelte

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates" / "svelte"
FRONTEND = ROOT / "testproject" / "frontend"


def template_names(*, examples: bool = True) -> list[str]:
    names = sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*") if p.is_file())
    return [n for n in names if examples or not n.startswith("examples/")]


def copied_names(dest: Path) -> list[str]:
    return sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())


def run(dest: Path, *, force: bool = False, examples: bool = False) -> str:
    out = io.StringIO()
    call_command("typed_api_svelte", dest=str(dest), force=force, examples=examples, stdout=out)
    return out.getvalue()


def test_copies_every_generic_template_byte_for_byte_and_lists_each(tmp_path: Path) -> None:
    output = run(tmp_path / "lib")

    copied = copied_names(tmp_path / "lib")
    assert copied == template_names(examples=False)
    for name in copied:
        assert (tmp_path / "lib" / name).read_bytes() == (TEMPLATES / name).read_bytes()
        assert f"wrote      {tmp_path / 'lib' / name}" in output
    assert f"{len(copied)} file(s) written, 0 unchanged." in output


def test_the_default_set_is_the_generic_machinery_only() -> None:
    assert template_names(examples=False) == [
        "README.md",
        "api/auth.svelte.ts",
        "api/client.ts",
        "api/errors.ts",
        "api/public.ts",
        "api/query-client.ts",
        "api/query-keys.ts",
        "api/resource.ts",
        "api/uploads.ts",
        "api/versioned.ts",
        "components/AppProviders.svelte",
        "components/Spinner.svelte",
    ]


def test_the_default_set_never_names_the_vacancies_api() -> None:
    """What everyone gets must compile against any schema: no path or schema name of the test
    project's API outside examples/ (the README may mention them as documentation)."""
    for name in template_names(examples=False):
        if name.endswith((".ts", ".svelte")):
            text = (TEMPLATES / name).read_text()
            for word in ("/api/vacancies", "/api/jobs", "['Vacancy", "vacancyKeys", "Vacancy>"):
                assert word not in text, f"{name} names {word!r}"


def test_examples_flag_adds_the_vacancies_examples(tmp_path: Path) -> None:
    output = run(tmp_path, examples=True)

    assert copied_names(tmp_path) == template_names(examples=True)
    for name in (
        "examples/QueryTemplate.svelte",
        "examples/MutationTemplate.svelte",
    ):
        assert (tmp_path / name).read_bytes() == (TEMPLATES / name).read_bytes()
        assert f"wrote      {tmp_path / name}" in output


def test_examples_can_be_added_to_an_earlier_default_copy(tmp_path: Path) -> None:
    run(tmp_path)
    output = run(tmp_path, examples=True)
    assert f"2 file(s) written, {len(template_names(examples=False))} unchanged." in output


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


# -- the app's npm scripts -----------------------------------------------------------------

SV_PACKAGE = {
    "name": "app",
    "private": True,
    "type": "module",
    "scripts": {
        "dev": "vite dev",
        "build": "vite build",
        "check": "svelte-kit sync && svelte-check --tsconfig ./tsconfig.json",
    },
}


def layout(tmp_path: Path, project: str, app: str) -> tuple[Path, Path]:
    """A Django project folder with a manage.py and a front end (``npx sv create``'s
    package.json, tab-indented) at the given places under ``tmp_path``."""
    (tmp_path / project).mkdir(parents=True)
    (tmp_path / project / "manage.py").write_text("")
    (tmp_path / app).mkdir(parents=True)
    (tmp_path / app / "package.json").write_text(json.dumps(SV_PACKAGE, indent="\t") + "\n")
    return tmp_path / project, tmp_path / app


def scripts_written(project: Path, app: Path, **options: object) -> tuple[dict[str, str], str]:
    out = io.StringIO()
    with override_settings(BASE_DIR=project):
        call_command("typed_api_svelte", dest=str(app / "src" / "lib"), stdout=out, **options)
    text = (app / "package.json").read_text()
    return json.loads(text)["scripts"], text


def test_writes_sync_types_types_watch_and_check_for_a_front_end_inside_the_project(
    tmp_path: Path,
) -> None:
    project, app = layout(tmp_path, "jobs", "jobs/frontend")
    scripts, text = scripts_written(project, app)
    python = shlex.quote(os.path.abspath(sys.executable))  # a venv outside the project
    assert scripts["sync-types"] == f"{python} ../manage.py sync_types"
    assert scripts["types:watch"] == f"{python} ../manage.py sync_types --watch"
    assert scripts["check"] == (
        "npm run sync-types && svelte-kit sync && svelte-check --tsconfig ./tsconfig.json"
    )
    assert scripts["dev"] == "vite dev"  # the scaffold's own scripts stay
    assert text.startswith('{\n\t"name": "app",')  # and so does its tab indentation


def test_a_front_end_beside_the_project_gets_the_path_through_the_parent(tmp_path: Path) -> None:
    project, app = layout(tmp_path, "jobs/backend", "jobs/frontend")
    scripts, _ = scripts_written(project, app)
    assert scripts["sync-types"].endswith(" ../backend/manage.py sync_types")


def test_a_virtualenv_inside_the_project_is_named_relative_to_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, app = layout(tmp_path, "jobs", "jobs/frontend")
    monkeypatch.setattr(sys, "executable", str(project / ".venv" / "bin" / "python"))
    scripts, _ = scripts_written(project, app)
    assert scripts["sync-types"] == "../.venv/bin/python ../manage.py sync_types"


def test_scripts_are_written_once_and_a_differing_one_is_kept_without_force(
    tmp_path: Path,
) -> None:
    project, app = layout(tmp_path, "jobs", "jobs/frontend")
    first, _ = scripts_written(project, app)
    again, text = scripts_written(project, app, force=True)
    assert again == first and "npm run sync-types && npm run sync-types" not in text

    package = json.loads(text)
    package["scripts"]["sync-types"] = "make types"
    (app / "package.json").write_text(json.dumps(package, indent="\t") + "\n")
    kept, _ = scripts_written(project, app, force=False)
    assert kept["sync-types"] == "make types"
    replaced, _ = scripts_written(project, app, force=True)
    assert replaced["sync-types"] == first["sync-types"]


def test_no_scripts_leaves_package_json_alone(tmp_path: Path) -> None:
    project, app = layout(tmp_path, "jobs", "jobs/frontend")
    before = (app / "package.json").read_bytes()
    scripts_written(project, app, no_scripts=True)
    assert (app / "package.json").read_bytes() == before
