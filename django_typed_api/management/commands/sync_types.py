"""``manage.py sync_types``: write the OpenAPI schema and the TypeScript types, check or watch them.

No dev server is involved: the schema is built in this process (with ``--watch``, in a fresh
interpreter per change), so there is no waiting for a reloading server and no race with it.
Paths and the generator live in ``TYPED_API`` (``SCHEMA_PATH``, ``TYPES_PATH``,
``TYPESCRIPT_COMMAND``, ``TYPESCRIPT_OPTIONS``).

    manage.py sync_types                 # write both files (only those that changed)
    manage.py sync_types --watch         # ... and again after every change to the code
    manage.py sync_types --check         # write nothing; exit 1 with a diff when stale
    manage.py sync_types --schema-only   # no TypeScript (no Node needed)
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from django_typed_api import typesync
from django_typed_api.checks import operation_ids_checked_by_generation
from django_typed_api.typesync.pipeline import Targets
from django_typed_api.typesync.watch import Watcher


class Command(BaseCommand):
    help = (
        "Write (or --check, or --watch) the OpenAPI schema and the TypeScript types generated "
        "from it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help=(
                "Write nothing; exit 1 with a short diff when either file is out of date. "
                "Checks the schema only (no Node) when the types file does not exist."
            ),
        )
        parser.add_argument(
            "--watch",
            action="store_true",
            help="Keep running: regenerate whenever the project's Python code changes.",
        )
        parser.add_argument("--schema-only", action="store_true", help="Skip the TypeScript types.")
        parser.add_argument(
            "--schema-file", help="Schema path (default: TYPED_API['SCHEMA_PATH'])."
        )
        parser.add_argument("--types-file", help="Types path (default: TYPED_API['TYPES_PATH']).")
        parser.add_argument(
            "--allow-warnings",
            action="store_true",
            help=(
                "Write the files although drf-spectacular warned (a guessed type, e.g. an "
                "un-hinted SerializerMethodField typed as string). Without it a warning fails."
            ),
        )
        # Failing on warnings is the default now; the old flag is still accepted.
        parser.add_argument("--fail-on-warn", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument(
            "--validate",
            action="store_true",
            help="Validate the schema against the OpenAPI specification.",
        )
        parser.add_argument("--lang", help="Language for translated strings in the schema.")
        parser.add_argument(
            "--no-resources",
            action="store_true",
            help="Skip the generated resource layer (TYPED_API['RESOURCE_LAYER']).",
        )

    def execute(self, *args: Any, **options: Any) -> Any:
        self._warnings_fail = not options.get("allow_warnings")
        return super().execute(*args, **options)

    def check(self, *args: Any, **kwargs: Any) -> None:
        if not getattr(self, "_warnings_fail", False):
            return super().check(*args, **kwargs)
        # The schema built below meets every operationId, and a collision is a warning there,
        # which fails the command: the check's walk over every endpoint would be done twice.
        with operation_ids_checked_by_generation():
            return super().check(*args, **kwargs)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            targets = self._targets(options)
            if options["watch"]:
                self._watch(targets, options)
                return
            schema = typesync.build_schema(
                lang=options["lang"],
                validate=options["validate"],
                allow_warnings=options["allow_warnings"],
            )
            schema_bytes = typesync.render_schema(schema, targets.fmt)
            typescript = typesync.typescript_generator(targets.types) if targets.types else None
            try:
                generated, changed = typesync.sync(
                    schema, schema_bytes, targets, typescript, check=options["check"]
                )
            finally:
                if typescript:
                    typescript.close()
        except typesync.SyncError as exc:
            raise CommandError(str(exc)) from None
        if targets.note:
            self.stderr.write(targets.note)
        if options["check"]:
            self._report_check(changed)
        else:
            for output in generated:
                verb = "Wrote" if output in changed else "Unchanged"
                self.stdout.write(f"{verb} {typesync.display(output.path)}")

    def _targets(self, options: dict[str, Any]) -> Targets:
        targets = Targets.from_settings(
            options["schema_file"],
            options["types_file"],
            schema_only=options["schema_only"],
            resources=not options["no_resources"],
        )
        if options["check"] and targets.types is not None and not targets.types.exists():
            # Only the schema is committed: verify it, no Node needed.
            note = f"{typesync.display(targets.types)} does not exist: checked the schema only."
            return Targets(targets.schema, targets.fmt, None, note, resources=False)
        return targets

    def _watch(self, targets: Targets, options: dict[str, Any]) -> None:
        if options["check"]:
            raise CommandError("--watch writes files; it cannot be combined with --check.")
        if targets.note:
            self.stderr.write(targets.note)
        watcher = Watcher(
            targets,
            write=lambda line: self.stdout.write(line),
            lang=options["lang"],
            validate=options["validate"],
            allow_warnings=options["allow_warnings"],
        )
        try:
            watcher.run()
        except KeyboardInterrupt:
            self.stdout.write("Stopped watching.")

    def _report_check(self, stale: list[typesync.Output]) -> None:
        for output in stale:
            self.stderr.write(output.diff(), ending="")
        if stale:
            names = ", ".join(typesync.display(output.path) for output in stale)
            raise CommandError(f"Out of date: {names}. Run `manage.py sync_types` and commit.")
        self.stdout.write("Schema and types are up to date.")
