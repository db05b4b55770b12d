"""Type sync: the schema file and the TypeScript types, written, checked or watched.

One module per step: ``schema`` (build it, strictly; what changed), ``typescript`` (the
long-lived Node worker or a command), ``files`` (paths, writing, comparing), ``pipeline`` (the
sequence of steps both ``sync_types`` and ``--watch`` run), ``watch`` and ``child`` (the
watcher and its fresh interpreter per generation), ``runserver`` (``SYNC_TYPES_ON_RUNSERVER``).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: Public names -> the module that defines them, imported on first use: the generation child
#: (``python -m django_typed_api.typesync.child``) must import this package before Django's
#: apps are ready.
_EXPORTS = {
    "canonical": "..openapi.generation",
    "generate_schema": "..openapi.generation",
    "render_schema": "..openapi.generation",
    "Output": ".files",
    "SyncError": ".files",
    "app_folder": ".files",
    "display": ".files",
    "resolve_path": ".files",
    "schema_format": ".files",
    "Targets": ".pipeline",
    "sync": ".pipeline",
    "SchemaWarnings": ".schema",
    "build_schema": ".schema",
    "changes": ".schema",
    "first_error_line": ".typescript",
    "generate_types": ".typescript",
    "typescript_generator": ".typescript",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name], __name__), name)


__all__ = [
    "Output",
    "SchemaWarnings",
    "SyncError",
    "Targets",
    "app_folder",
    "build_schema",
    "canonical",
    "changes",
    "display",
    "first_error_line",
    "generate_schema",
    "generate_types",
    "render_schema",
    "resolve_path",
    "schema_format",
    "sync",
    "typescript_generator",
]
