"""``manage.py typed_api_svelte --dest DIR``: copy the shipped Svelte templates into an app.

The templates are meant to be copied and then owned by the app (like shadcn components), not
imported from a package: users adapt them. So this command writes plain files, lists each one,
and never silently replaces a file the user may have edited: a file whose content differs is
only overwritten with ``--force``. Files that already match are left alone, so re-running the
command after an upgrade is safe.

The default set is generic (client, auth, errors, query client, query keys, ETag helpers) and
type-checks against any schema. ``examples/`` holds worked examples written against the test
project's vacancies API; they would not compile elsewhere, so they come only with
``--examples``.

It also writes the front end's npm scripts that close the loop (:func:`package_scripts`):
``sync-types``, ``types:watch`` and a ``check`` that syncs the types before svelte-check, each
calling this project's ``manage.py`` with the Python that ran this command (its virtualenv),
by a path relative to the app when both live in one project, so ``npm run sync-types`` works
from the app's folder without an activated virtualenv.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

#: Where the templates live: inside the wheel (force-included by pyproject.toml) or, in a
#: source checkout, next to the package.
PACKAGE_DIR = Path(__file__).resolve().parents[2]
CANDIDATES = (PACKAGE_DIR / "templates_svelte", PACKAGE_DIR.parent / "templates" / "svelte")

#: Editor and OS litter that must never be copied into a user's app.
IGNORED_NAMES = {".DS_Store", "__pycache__", "node_modules"}

#: The folder of schema-specific worked examples, copied only with ``--examples``.
EXAMPLES_DIR = "examples"


def templates_dir() -> Path:
    """The directory holding the shipped templates, wheel layout first."""
    for candidate in CANDIDATES:
        if candidate.is_dir():
            return candidate
    searched = ", ".join(str(c) for c in CANDIDATES)
    raise CommandError(f"Svelte templates not found (searched {searched}); reinstall the package.")


def template_files(source: Path, *, examples: bool = False) -> list[Path]:
    """Template files relative to ``source``, sorted so the listing is stable; the
    ``examples/`` folder only when ``examples`` is true."""
    return sorted(
        relative
        for path in source.rglob("*")
        if path.is_file()
        and not IGNORED_NAMES.intersection((relative := path.relative_to(source)).parts)
        and (examples or relative.parts[0] != EXAMPLES_DIR)
    )


#: svelte-check as ``npx sv create`` writes the ``check`` script, for an app without one.
SVELTE_CHECK = "svelte-kit sync && svelte-check --tsconfig ./tsconfig.json"


def app_folder(dest: Path) -> Path | None:
    """The front end ``dest`` belongs to: the nearest folder, ``dest`` included, with a
    ``package.json``."""
    dest = dest.resolve()
    for folder in [dest, *dest.parents]:
        if (folder / "package.json").is_file():
            return folder
    return None


def manage_py() -> Path | None:
    """The project's ``manage.py``: the script running now, else the one in ``BASE_DIR``."""
    script = Path(sys.argv[0])
    if script.name == "manage.py" and script.is_file():
        return script.resolve()
    base = getattr(settings, "BASE_DIR", None)
    candidate = Path(base) / "manage.py" if base else None
    return candidate.resolve() if candidate and candidate.is_file() else None


def command_path(path: str, app: Path, project: Path) -> str:
    """``path`` as the app's scripts should name it: relative to the app when it is inside the
    folder holding both the app and the Django project (a virtualenv in the project), else
    absolute (a virtualenv elsewhere)."""
    common = Path(os.path.commonpath([app, project]))
    absolute = Path(os.path.abspath(path))  # not resolved: a venv's python is a symlink
    if common != Path(common.anchor) and absolute.is_relative_to(common):
        return shlex.quote(os.path.relpath(absolute, app))
    return shlex.quote(str(absolute))


def package_scripts(app: Path, manage: Path, current_check: str | None) -> dict[str, str]:
    """The scripts ``typed_api_svelte`` writes into the app's ``package.json``."""
    python = command_path(sys.executable, app, manage.parent)
    base = f"{python} {command_path(str(manage), app, manage.parent)}"
    check = current_check or SVELTE_CHECK
    if not check.startswith("npm run sync-types && "):
        check = f"npm run sync-types && {check}"
    return {
        "sync-types": f"{base} sync_types",
        "types:watch": f"{base} sync_types --watch",
        "check": check,
    }


class Command(BaseCommand):
    # Copying files needs no URLconf or models: keep working while the project is broken.
    requires_system_checks: list[str] = []

    help = (
        "Copy the Svelte templates (openapi-fetch client, auth store, error helpers, query "
        "options, Query/Mutation components) into DIR, e.g. frontend/src/lib."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dest",
            required=True,
            help="Directory to copy into, usually your SvelteKit app's src/lib.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite files whose content differs from the template.",
        )
        parser.add_argument(
            "--examples",
            action="store_true",
            help=(
                "Also copy examples/: query options, a query and a mutation component written "
                "against the test project's vacancies API (they need its schema to compile)."
            ),
        )
        parser.add_argument(
            "--no-scripts",
            action="store_true",
            help="Leave the app's package.json alone (no sync-types, types:watch, check).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = templates_dir()
        dest = Path(options["dest"])
        if dest.exists() and not dest.is_dir():
            raise CommandError(f"--dest {dest} exists and is not a directory.")

        files = template_files(source, examples=options["examples"])
        changed = [
            name
            for name in files
            if (dest / name).exists() and (dest / name).read_bytes() != (source / name).read_bytes()
        ]
        if changed and not options["force"]:
            listing = "\n".join(f"  {dest / name}" for name in changed)
            raise CommandError(
                f"{len(changed)} file(s) in {dest} differ from the templates and would be "
                f"overwritten:\n{listing}\nRe-run with --force to overwrite them."
            )

        written = 0
        for name in files:
            target = dest / name
            content = (source / name).read_bytes()
            if target.exists() and target.read_bytes() == content:
                self.stdout.write(f"unchanged  {target}")
                continue
            verb = "overwrote" if target.exists() else "wrote    "
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            written += 1
            self.stdout.write(f"{verb}  {target}")
        self.stdout.write(
            self.style.SUCCESS(f"{written} file(s) written, {len(files) - written} unchanged.")
        )
        if not options["no_scripts"]:
            self.write_scripts(dest, force=options["force"])

    def write_scripts(self, dest: Path, *, force: bool) -> None:
        app = app_folder(dest)
        manage = manage_py()
        if app is None or manage is None:
            missing = "package.json above --dest" if app is None else "manage.py"
            self.stdout.write(f"No {missing}: no npm scripts written.")
            return
        path = app / "package.json"
        text = path.read_text(encoding="utf-8")
        package = json.loads(text)
        scripts = package.setdefault("scripts", {})
        for name, command in package_scripts(app, manage, scripts.get("check")).items():
            current = scripts.get(name)
            if current == command:
                self.stdout.write(f"unchanged  script {name}")
            elif current is not None and name != "check" and not force:
                self.stdout.write(f"kept       script {name} (differs; --force replaces it)")
            else:
                scripts[name] = command
                self.stdout.write(f"script     {name}: {command}")
        indent = "\t" if "\n\t" in text else 2
        updated = json.dumps(package, indent=indent, ensure_ascii=False) + "\n"
        if updated != text:
            path.write_text(updated, encoding="utf-8")
