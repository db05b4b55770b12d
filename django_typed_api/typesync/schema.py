"""The schema step of type sync: build it strictly, and say what changed between two builds.

Generation and rendering are :mod:`django_typed_api.openapi.generation`'s, the code the schema
endpoint uses too, so the file on disk and the bytes served at ``/api/schema/`` are identical.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from drf_spectacular.drainage import GENERATOR_STATS

from ..openapi.generation import generate_schema
from .files import SyncError

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class SchemaWarnings(SyncError):
    """drf-spectacular warned: a guessed type (an un-hinted ``SerializerMethodField`` becomes
    ``string``) silently reaches TypeScript, so a warning fails unless explicitly allowed."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__(
            f"Schema generation emitted {len(messages)} warning(s) or error(s); fix them "
            "(e.g. @extend_schema_field on a SerializerMethodField) or pass --allow-warnings."
        )


def build_schema(
    *, lang: str | None = None, validate: bool = False, allow_warnings: bool = False
) -> dict[str, Any]:
    """The project's schema; :class:`SchemaWarnings` unless ``allow_warnings``, a
    :class:`SyncError` when ``validate`` finds it is not valid OpenAPI."""
    GENERATOR_STATS.reset()  # count this generation's warnings only
    if lang:
        with translation.override(lang):
            schema = generate_schema()
    else:
        schema = generate_schema()
    messages = warning_messages()
    if messages:
        GENERATOR_STATS.emit_summary()
        if not allow_warnings:
            raise SchemaWarnings(messages)
    if validate:
        from drf_spectacular.validation import validate_schema

        try:
            validate_schema(schema)
        except Exception as exc:  # jsonschema's ValidationError: its first line is the point
            first = str(exc).splitlines()[0]
            raise SyncError(f"The schema is not valid OpenAPI: {first}") from None
    return schema


def warning_messages() -> list[str]:
    """The distinct warnings and errors of the last generation, without colour codes."""
    seen: Iterable[str] = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    return [_ANSI.sub("", message) for message in seen]


# -- what changed --------------------------------------------------------------------------


@dataclass
class Changes:
    """Operations (by operationId) and components added, removed or changed."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def summary(self, limit: int = 6) -> str:
        parts = []
        for verb, names in (("added", self.added), ("removed", self.removed)):
            if names:
                parts.append(f"{verb} {_names(names, limit)}")
        if self.changed:
            parts.append(f"changed {_names(self.changed, limit)}")
        return "; ".join(parts) if parts else "no API change"


def changes(old: dict[str, Any] | None, new: dict[str, Any]) -> Changes:
    """Compare two schemas by operation and by component (``schemas``, ``parameters``, ...)."""
    before, after = _items(old or {}), _items(new)
    return Changes(
        added=[name for name in after if name not in before],
        removed=[name for name in before if name not in after],
        changed=[name for name in after if name in before and before[name] != after[name]],
    )


def _items(schema: dict[str, Any]) -> dict[str, str]:
    items: dict[str, str] = {}
    for path, item in (schema.get("paths") or {}).items():
        for method in HTTP_METHODS:
            operation = (item or {}).get(method)
            if isinstance(operation, dict):
                name = operation.get("operationId") or f"{method.upper()} {path}"
                items[f"operation {name}"] = _dump(operation)
    for section, members in (schema.get("components") or {}).items():
        for name, value in (members or {}).items():
            label = "component" if section == "schemas" else section.rstrip("s")
            items[f"{label} {name}"] = _dump(value)
    return items


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _names(names: list[str], limit: int) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
