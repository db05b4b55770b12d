"""Build, render and compare the schema and its TypeScript types, with no server involved.

``manage.py sync_types`` and the schema view both go through here, so the file on disk, the
bytes served at ``/api/schema/`` and their ETag all come from one rendering.

Why not ``manage.py spectacular``: it turns on drf-spectacular's source line tracing, which
re-parses the module of every view and serializer it meets (``inspect.getsourcelines``) just
to prefix warnings with ``file:line``; on a few hundred viewsets that is most of its run time.
Warnings here still name the view and serializer ("[VacancyViewSet > VacancySerializer]").
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.settings import spectacular_settings
from rest_framework.utils.encoders import JSONEncoder

from .conf import typed_api_settings
from .generation import paused_gc

#: File extension -> schema format.
FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class SyncError(Exception):
    """A problem the user can fix, stated in one line (missing Node, failing generator)."""


# -- schema ------------------------------------------------------------------------------


def generate_schema(
    *,
    request: Any = None,
    public: bool = True,
    urlconf: Any = None,
    api_version: str | None = None,
    patterns: Any = None,
) -> dict[str, Any]:
    """The schema as drf-spectacular's configured generator builds it, made deterministic."""
    generator = spectacular_settings.DEFAULT_GENERATOR_CLASS(
        urlconf=urlconf, api_version=api_version, patterns=patterns
    )
    with paused_gc():
        return canonical(generator.get_schema(request=request, public=public))


def canonical(schema: dict[str, Any]) -> dict[str, Any]:
    """Sort what has no meaningful order, so output does not depend on hash seeds or on the
    order apps registered extensions: component sections and the components in each."""
    components = schema.get("components")
    if isinstance(components, dict):
        schema["components"] = {
            section: dict(sorted(items.items())) if isinstance(items, dict) else items
            for section, items in sorted(components.items())
        }
    return schema


def schema_format(path: Path | str) -> str:
    """``yaml`` or ``json`` from a file name; anything else is a user error."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise SyncError(
            f"Schema path {str(path)!r} must end in .yaml, .yml or .json "
            f"(set TYPED_API['SCHEMA_PATH'])."
        )
    return FORMATS[suffix]


def render_schema(schema: dict[str, Any], fmt: str) -> bytes:
    """YAML exactly as ``manage.py spectacular`` writes it; JSON indented, UTF-8, one
    trailing newline. Both end in ``\\n`` so the files diff cleanly."""
    if fmt == "yaml":
        with paused_gc():
            return OpenApiYamlRenderer().render(schema, renderer_context={})
    if fmt == "json":
        text = json.dumps(schema, cls=JSONEncoder, indent=2, ensure_ascii=False)
        return (text + "\n").encode("utf-8")
    raise ValueError(f"unknown schema format {fmt!r}")


# -- paths and settings --------------------------------------------------------------------


def resolve_path(value: str | os.PathLike[str]) -> Path:
    """Relative paths are relative to ``settings.BASE_DIR`` (else the working directory)."""
    path = Path(value)
    if path.is_absolute():
        return path
    base = getattr(settings, "BASE_DIR", None)
    return Path(base) / path if base else Path.cwd() / path


def typescript_command() -> list[str]:
    command = typed_api_settings.TYPESCRIPT_COMMAND
    parts = shlex.split(command) if isinstance(command, str) else [str(p) for p in command]
    if not parts:
        raise SyncError("TYPED_API['TYPESCRIPT_COMMAND'] is empty.")
    return parts


# -- TypeScript ----------------------------------------------------------------------------


def generate_types(
    schema_bytes: bytes,
    fmt: str,
    types_path: Path,
    command: Sequence[str] | None = None,
    timeout: float | None = None,
) -> str:
    """Run the TypeScript generator on ``schema_bytes`` and return what it wrote.

    Works in a temporary folder, so ``--check`` writes nothing next to the real files. Runs
    from the nearest existing folder of ``types_path``: npx then prefers the frontend's own
    installed (pinned) openapi-typescript over a download.
    """
    parts = list(command) if command is not None else typescript_command()
    executable = shutil.which(parts[0])
    if executable is None:
        hint = " Install Node.js 20 or newer" if parts[0] in ("npx", "node", "npm") else ""
        raise SyncError(
            f"{parts[0]!r} was not found on PATH.{hint} or set TYPED_API['TYPESCRIPT_COMMAND'] "
            "(or pass --schema-only to skip the TypeScript types)."
        )
    with tempfile.TemporaryDirectory(prefix="typed-api-") as tmp:
        schema_file = Path(tmp) / f"schema.{fmt}"
        output_file = Path(tmp) / types_path.name
        schema_file.write_bytes(schema_bytes)
        args = [executable] + [
            p.replace("{schema}", str(schema_file)).replace("{output}", str(output_file))
            for p in parts[1:]
        ]
        try:
            result = subprocess.run(
                args,
                cwd=_existing_parent(types_path),
                capture_output=True,
                text=True,
                timeout=timeout or typed_api_settings.TYPESCRIPT_TIMEOUT,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            raise SyncError(f"{shlex.join(parts)} did not finish in {exc.timeout:.0f} s.") from exc
        except OSError as exc:
            raise SyncError(f"{shlex.join(parts)} could not start: {exc.strerror}.") from exc
        if result.returncode != 0:
            reason = first_error_line(result.stderr or result.stdout)
            raise SyncError(f"{shlex.join(parts)} failed (exit {result.returncode}): {reason}")
        if not output_file.exists():
            raise SyncError(f"{shlex.join(parts)} wrote no {{output}} file; check the command.")
        return output_file.read_text(encoding="utf-8")


def first_error_line(output: str) -> str:
    """The most telling line of a tool's output: the first that says error, else the last."""
    lines = [_ANSI.sub("", line).strip() for line in output.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return "no output"
    for line in lines:
        if re.search(r"\berror\b", line, re.IGNORECASE):
            return line[:300]
    return lines[-1][:300]


def _existing_parent(path: Path) -> Path:
    for candidate in [path.parent, *path.parent.parents]:
        if candidate.is_dir():
            return candidate
    return Path.cwd()


# -- comparing and writing -----------------------------------------------------------------


@dataclass(frozen=True)
class Output:
    """One file ``sync_types`` manages: where it goes and what it should contain."""

    path: Path
    content: bytes

    def current(self) -> bytes | None:
        return self.path.read_bytes() if self.path.exists() else None

    @property
    def stale(self) -> bool:
        return self.current() != self.content

    def diff(self, max_lines: int = 40) -> str:
        """A short unified diff, current file -> expected, cut after ``max_lines`` lines."""
        old = (self.current() or b"").decode("utf-8", "replace").splitlines(keepends=True)
        new = self.content.decode("utf-8", "replace").splitlines(keepends=True)
        lines = list(
            difflib.unified_diff(
                old, new, f"{self.path} (committed)", f"{self.path} (generated)", n=2
            )
        )
        if len(lines) > max_lines:
            lines = [*lines[:max_lines], f"... ({len(lines) - max_lines} more diff lines)\n"]
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)

    def write(self) -> bool:
        """Write atomically (a reader never sees half a file); False when already current."""
        if not self.stale:
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(self.content)
            mode = self.path.stat().st_mode & 0o777 if self.path.exists() else 0o644
            os.chmod(tmp, mode)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return True
