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
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
