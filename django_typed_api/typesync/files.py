"""The files ``sync_types`` manages: where they go, and writing or comparing them."""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

#: File extension -> schema format.
FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


class SyncError(Exception):
    """A problem the user can fix, stated in one line (missing Node, failing generator)."""


# -- schema files --------------------------------------------------------------------------


def schema_format(path: Path | str) -> str:
    """``yaml`` or ``json`` from a file name; anything else is a user error."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise SyncError(
            f"Schema path {str(path)!r} must end in .yaml, .yml or .json "
            f"(set TYPED_API['SCHEMA_PATH'])."
        )
    return FORMATS[suffix]


# -- paths and settings --------------------------------------------------------------------


def resolve_path(value: str | os.PathLike[str]) -> Path:
    """Relative paths are relative to ``settings.BASE_DIR`` (else the working directory)."""
    path = Path(value)
    if path.is_absolute():
        return path
    base = getattr(settings, "BASE_DIR", None)
    return Path(base) / path if base else Path.cwd() / path


def display(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it (shorter output)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def app_folder(path: Path) -> Path | None:
    """The nearest folder above ``path`` holding a ``package.json``: the front end it is in."""
    for candidate in path.parents:
        if (candidate / "package.json").is_file():
            return candidate
    return None


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
