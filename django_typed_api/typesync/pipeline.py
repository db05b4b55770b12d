"""The generation pipeline: schema -> files, one visible sequence of steps.

``manage.py sync_types`` (once) and ``sync_types --watch`` (on every change) both call
:func:`sync`, so an output added here (another generated file) reaches both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..conf import typed_api_settings
from ..tsgen import GeneratorError, resource_layer_outputs
from .files import Output, SyncError, app_folder, display, resolve_path, schema_format
from .typescript import TypeScriptGenerator


@dataclass(frozen=True)
class Targets:
    """Where the outputs go: the schema file (its suffix picks the format) and the types file
    (``None``: schema only)."""

    schema: Path
    fmt: str
    types: Path | None
    #: Why ``types`` is None although types were asked for (said once, not an error).
    note: str = ""
    #: Also the typed resource layer, into ``generated/`` beside the types (``tsgen``).
    resources: bool = True

    @classmethod
    def from_settings(
        cls,
        schema_file: str | None = None,
        types_file: str | None = None,
        *,
        schema_only: bool = False,
        resources: bool = True,
    ) -> Targets:
        """``SCHEMA_PATH`` and ``TYPES_PATH`` unless given. Types configured in the settings
        go only into an existing front end (a folder with a ``package.json``): writing them
        first would create ``frontend/`` and make ``npx sv create frontend`` refuse it.
        ``resources`` False (or ``RESOURCE_LAYER`` off): no resource layer."""
        schema = resolve_path(schema_file or typed_api_settings.SCHEMA_PATH)
        fmt = schema_format(schema)
        if schema_only:
            return cls(schema, fmt, None)
        types = resolve_path(types_file or typed_api_settings.TYPES_PATH)
        if types_file is None and app_folder(types) is None:
            note = (
                f"No front end around {display(types)} yet (no package.json): wrote the schema "
                "only. Create the app (e.g. `npx sv create frontend`), then run sync_types again."
            )
            return cls(schema, fmt, None, note)
        return cls(schema, fmt, types, resources=resources and typed_api_settings.RESOURCE_LAYER)


def outputs(
    schema: dict[str, Any],
    schema_bytes: bytes,
    targets: Targets,
    typescript: TypeScriptGenerator | None,
) -> list[Output]:
    """Every file the schema turns into, in order; each step is one line."""
    result = [Output(targets.schema, schema_bytes)]  # 1. the schema file
    if targets.types is not None and typescript is not None:  # 2. the TypeScript types
        types = typescript.generate(schema_bytes, targets.fmt)
        result.append(Output(targets.types, types.encode("utf-8")))
        if targets.resources:  # 3. the resource layer, beside the types
            try:
                result += resource_layer_outputs(schema, targets.types.parent / "generated")
            except GeneratorError as exc:
                raise SyncError(f"The resource layer cannot be generated: {exc}") from None
    return result


def sync(
    schema: dict[str, Any],
    schema_bytes: bytes,
    targets: Targets,
    typescript: TypeScriptGenerator | None,
    *,
    check: bool = False,
) -> tuple[list[Output], list[Output]]:
    """Generate every output, then write them (or, with ``check``, only compare them).

    Nothing is written unless every step succeeded, so a failing generator leaves the previous
    good files in place. Returns ``(all outputs, the stale or rewritten ones)``.
    """
    generated = outputs(schema, schema_bytes, targets, typescript)
    if check:
        return generated, [output for output in generated if output.stale]
    return generated, [output for output in generated if output.write()]
