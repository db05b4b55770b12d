"""``manage.py sync_types``: write the OpenAPI schema and the TypeScript types, or check them.

No dev server is involved: the schema is built in this process, so there is no waiting for a
reloading server and no race with it. Paths and the generator command live in ``TYPED_API``
(``SCHEMA_PATH``, ``TYPES_PATH``, ``TYPESCRIPT_COMMAND``).

    manage.py sync_types                 # write both files (only those that changed)
    manage.py sync_types --check         # write nothing; exit 1 with a diff when stale
    manage.py sync_types --schema-only   # no TypeScript (no Node needed)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from drf_spectacular.drainage import GENERATOR_STATS

from django_typed_api import typesync
from django_typed_api.conf import typed_api_settings


class Command(BaseCommand):
    help = "Write (or --check) the OpenAPI schema and the TypeScript types generated from it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit 1 with a short diff when either file is out of date.",
        )
        parser.add_argument("--schema-only", action="store_true", help="Skip the TypeScript types.")
        parser.add_argument(
            "--schema-file", help="Schema path (default: TYPED_API['SCHEMA_PATH'])."
        )
        parser.add_argument("--types-file", help="Types path (default: TYPED_API['TYPES_PATH']).")
        parser.add_argument(
            "--fail-on-warn",
            action="store_true",
            help="Fail when drf-spectacular emits any warning or error.",
        )
        parser.add_argument(
            "--validate",
            action="store_true",
            help="Validate the schema against the OpenAPI specification.",
        )
        parser.add_argument("--lang", help="Language for translated strings in the schema.")

    def handle(self, *args: Any, **options: Any) -> None:
        schema_path = typesync.resolve_path(
            options["schema_file"] or typed_api_settings.SCHEMA_PATH
        )
        try:
            fmt = typesync.schema_format(schema_path)
        except typesync.SyncError as exc:
            raise CommandError(str(exc)) from None

        schema = self._build_schema(options)
        outputs = [typesync.Output(schema_path, typesync.render_schema(schema, fmt))]
        if not options["schema_only"]:
            types_path = typesync.resolve_path(
                options["types_file"] or typed_api_settings.TYPES_PATH
            )
            try:
                types = typesync.generate_types(outputs[0].content, fmt, types_path)
            except typesync.SyncError as exc:
                raise CommandError(str(exc)) from None
            outputs.append(typesync.Output(types_path, types.encode("utf-8")))

        if options["check"]:
            self._check(outputs)
        else:
            self._write(outputs)

    def _build_schema(self, options: dict[str, Any]) -> dict[str, Any]:
        if options["lang"]:
            with translation.override(options["lang"]):
                schema = typesync.generate_schema()
        else:
            schema = typesync.generate_schema()
        GENERATOR_STATS.emit_summary()
        if options["fail_on_warn"] and GENERATOR_STATS:
            raise CommandError("Schema generation emitted warnings (see above); --fail-on-warn.")
        if options["validate"]:
            from drf_spectacular.validation import validate_schema

            try:
                validate_schema(schema)
            except Exception as exc:  # jsonschema's ValidationError, message is what matters
                message = str(exc).splitlines()[0]
                raise CommandError(f"The schema is not valid OpenAPI: {message}") from None
        return schema

    def _check(self, outputs: list[typesync.Output]) -> None:
        stale = [output for output in outputs if output.stale]
        for output in stale:
            self.stderr.write(output.diff(), ending="")
        if stale:
            names = ", ".join(_display(output.path) for output in stale)
            raise CommandError(f"Out of date: {names}. Run `manage.py sync_types` and commit.")
        self.stdout.write("Schema and types are up to date.")

    def _write(self, outputs: list[typesync.Output]) -> None:
        for output in outputs:
            verb = "Wrote" if output.write() else "Unchanged"
            self.stdout.write(f"{verb} {_display(output.path)}")


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
