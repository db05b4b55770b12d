"""One schema generation in a fresh interpreter, for ``sync_types --watch``.

Like runserver's autoreloader, every generation runs in a new Python process, so an edited
module is really re-imported (no stale classes, registries or caches). To keep that fast, the
watcher starts the process *before* the next change (a "spare"): it imports the third-party
modules the previous generation used (Django, DRF, drf-spectacular, ...) and populates the
apps (``django.setup()``: the settings, the models, the admin), then waits. On a change it
generates, which imports the URLconf, the views and the serializers fresh. The spare reports
every project file it imported, and the watcher discards a spare that had imported a file
that changed since (an edit of a model or the settings costs a cold start).

Protocol, one JSON object per line:
    stdin  {"root": ..., "prewarm": [module, ...]}     stdout {"ready": true, "clean": true,
                                                               "files": [...]}
    stdin  {"fmt": "yaml", "lang": null, ...}          stdout {"ok": true, "schema": {...},
                                                               "text": ..., "files": [...], ...}
Everything else the project prints goes to stderr.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

#: The first spare's imports, before any generation has said which modules it needs.
DEFAULT_PREWARM = [
    "django.db.models",
    "django.contrib.auth.base_user",
    "rest_framework.serializers",
    "rest_framework.viewsets",
    "rest_framework.routers",
    "drf_spectacular.openapi",
    "drf_spectacular.generators",
    "yaml",
]

#: Path parts that mark a file as not the project's own code.
NOT_PROJECT = {"site-packages", "dist-packages", "node_modules", "__pypackages__"}


def is_project_file(path: Path, root: Path) -> bool:
    return path.is_relative_to(root) and not NOT_PROJECT.intersection(path.parts)


def _module_paths(root: Path) -> Iterator[tuple[str, Path | None, bool]]:
    """Each imported module's name, resolved file and whether it is the project's.

    Folders are resolved once each (a project imports ~1,300 modules from ~150 folders):
    resolving every file took a quarter of a second, which the edit -> types loop paid."""
    folders: dict[str, Path] = {}
    verdicts: dict[Path, bool] = {}
    for name, module in list(sys.modules.items()):
        filename = getattr(module, "__file__", None)
        if not filename:
            yield name, None, False
            continue
        folder, base = os.path.split(filename)
        resolved = folders.get(folder)
        if resolved is None:
            resolved = folders[folder] = Path(folder).resolve()
        if resolved not in verdicts:
            verdicts[resolved] = is_project_file(resolved / "x", root)
        path = resolved / base
        if path.is_symlink():  # rare: the file itself links elsewhere
            path = path.resolve()
            yield name, path, is_project_file(path, root)
        else:
            yield name, path, verdicts[resolved]


def imported(root: Path) -> tuple[list[str], list[str]]:
    """The project's Python files this interpreter has imported (what the watcher polls) and
    the other modules, in import order (the next spare imports them ahead of time)."""
    listing = list(_module_paths(root))
    files = sorted({str(path) for _, path, own in listing if own})
    modules = [
        name
        for name, _, own in listing
        if not own and name != "__main__" and not name.startswith("django_typed_api.typesync.child")
    ]
    return files, modules


def prewarm(modules: list[str]) -> None:
    """Settings, then every module that imports without the app registry; failures are
    expected (a module that needs the apps) and harmless."""
    from django.conf import settings

    settings.INSTALLED_APPS  # noqa: B018 (imports the settings module)
    for name in modules:
        if name in sys.modules:
            continue
        try:
            importlib.import_module(name)
        except Exception:
            continue


def setup() -> BaseException | None:
    """``django.setup()`` ahead of the change; a failure is the generation's to report."""
    import django

    try:
        django.setup()
    except Exception as exc:  # a broken model: reported when the change comes
        return exc
    return None


def generate(request: dict[str, Any], root: Path) -> dict[str, Any]:
    started, cpu = time.perf_counter(), time.process_time()
    from rest_framework.utils.encoders import JSONEncoder

    from django_typed_api.openapi.generation import render_schema
    from django_typed_api.typesync.schema import build_schema

    schema = build_schema(
        lang=request.get("lang"),
        validate=request.get("validate", False),
        allow_warnings=request.get("allow_warnings", False),
    )
    text = render_schema(schema, request["fmt"]).decode("utf-8")
    return {
        "ok": True,
        "schema": json.loads(json.dumps(schema, cls=JSONEncoder)),
        "text": text,
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
    }


def failure(exc: BaseException, root: Path) -> dict[str, Any]:
    """One line for the error and the place in the project's code it came from."""
    from django_typed_api.typesync.files import SyncError
    from django_typed_api.typesync.schema import SchemaWarnings

    answer: dict[str, Any] = {"ok": False, "error": str(exc)}
    if isinstance(exc, SchemaWarnings):
        answer["warnings"] = exc.messages
        return answer
    if isinstance(exc, SyncError):
        return answer
    answer["error"] = f"{type(exc).__name__}: {exc}"
    where = None
    if isinstance(exc, SyntaxError) and exc.filename:
        where = f"{exc.filename}:{exc.lineno}"
        answer["broken"] = str(Path(exc.filename).resolve())
    else:
        for frame in traceback.extract_tb(exc.__traceback__):
            if is_project_file(Path(frame.filename).resolve(), root):
                where = f"{frame.filename}:{frame.lineno}"
    answer["where"] = where
    return answer


def main() -> int:
    protocol: IO[str] = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # the project's prints must not corrupt the protocol
    sys.stdout = sys.stderr

    def send(message: dict[str, Any]) -> None:
        protocol.write(json.dumps(message) + "\n")
        protocol.flush()

    def receive() -> dict[str, Any] | None:
        line = sys.stdin.readline()
        return json.loads(line) if line.strip() else None

    first = receive()
    if first is None:
        return 0
    root = Path(first["root"]).resolve()
    with contextlib.suppress(Exception):  # a broken settings module: reported by setup()
        prewarm(first.get("prewarm") or DEFAULT_PREWARM)
    broken = setup()
    send({"ready": True, "clean": broken is None, "files": imported(root)[0]})
    request = receive()
    if request is None:
        return 0
    try:
        if broken is not None:
            raise broken
        answer = generate(request, root)
    except BaseException as exc:  # every failure is one answer, never a traceback wall
        answer = failure(exc, root)
    answer["files"], answer["modules"] = imported(root)
    send(answer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
