"""Old import paths, kept for one release after the 0.2 layout (``openapi/``, ``errors/``,
``presets``): each old module forwards the names it used to define, with a
``DeprecationWarning`` that names the new home, so a project upgrades at its own pace."""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Sequence
from typing import Any

#: The release that removes the old paths.
REMOVED_IN = "0.3"


def forward(old: str, new: Sequence[str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``old`` that finds names in the ``new`` modules."""

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        found = [
            (target, getattr(module, name))
            for target in new
            if hasattr(module := importlib.import_module(target), name)
        ]
        if not found:
            raise AttributeError(f"module {old!r} has no attribute {name!r}")
        # Name the module that defines it, not one that merely imports it.
        home, value = next(((t, v) for t, v in found if getattr(v, "__module__", t) == t), found[0])
        warnings.warn(
            f"{old}.{name} moved to {home}.{name}; the old path is removed in "
            f"django-typed-api {REMOVED_IN}.",
            DeprecationWarning,
            stacklevel=2,
        )
        return value

    return __getattr__
