"""``sync_types --watch``: regenerate the schema and the types whenever the project's code changes.

The watcher polls the modification times of the project's Python files that the last
generation imported (a tenth of a second apart), runs each generation in a fresh interpreter
(:mod:`.child`, started ahead of time), feeds the schema to one long-lived TypeScript
generator (:class:`~.typescript.NodeWorker`) and writes through :func:`.pipeline.sync`, the
same steps as a one-off ``sync_types``. A failed generation prints one line and keeps the
previous good files.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings

from .files import SyncError, display
from .pipeline import Targets, sync
from .schema import changes
from .typescript import TypeScriptGenerator, typescript_generator

#: Seconds between two looks at the files, and the quiet time after a change (an editor
#: saving several files, or writing one in two steps).
POLL_INTERVAL = 0.1
SETTLE = 0.05


def project_root() -> Path:
    base = getattr(settings, "BASE_DIR", None)
    return Path(base).resolve() if base else Path.cwd().resolve()


def child_environment() -> dict[str, str]:
    """The environment of a generation: this one, with the settings module and the import
    path entries that are not the interpreter's own (the project's folder, say)."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = settings.SETTINGS_MODULE
    prefixes = tuple({sys.prefix, sys.base_prefix, sys.exec_prefix})
    extra = [p for p in sys.path if p and not os.path.abspath(p).startswith(prefixes)]
    if env.get("PYTHONPATH"):
        extra.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(extra)
    return env


class Child:
    """A fresh interpreter that will run one generation (see :mod:`.child`)."""

    def __init__(self, root: Path, prewarm: list[str], timeout: float = 300) -> None:
        self.timeout = timeout
        self.prewarmed = bool(prewarm)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "django_typed_api.typesync.child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=child_environment(),
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr: deque[str] = deque(maxlen=200)
        assert self.process.stdout and self.process.stderr
        _pump(self.process.stdout, self.lines.put, end=True)
        _pump(self.process.stderr, self.stderr.append)
        self._send({"root": str(root), "prewarm": prewarm})
        self.loaded: set[str] | None = None
        self.clean = True

    def _send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin
        try:
            self.process.stdin.write(json.dumps(message) + "\n")
            self.process.stdin.flush()
        except OSError:
            pass  # it died: reading its answer says so

    def _receive(self) -> dict[str, Any]:
        try:
            line = self.lines.get(timeout=self.timeout)
        except queue.Empty:
            line = None
        if line is None:
            self.lines.put(None)  # it stays ended for the next read too
            self.stop()
            tail = [line for line in self.stderr if line.strip()]
            reason = tail[-1] if tail else "no output"
            return {"ok": False, "ready": False, "error": f"the generation stopped: {reason}"}
        answer: dict[str, Any] = json.loads(line)
        return answer

    def wait_ready(self) -> set[str]:
        """The project files it imported while getting ready (a change to one makes it stale)."""
        if self.loaded is None:
            answer = self._receive()
            self.loaded = set(answer.get("files", [])) if answer.get("ready") else set()
            self.clean = bool(answer.get("clean"))
        return self.loaded

    def generate(self, request: dict[str, Any]) -> dict[str, Any]:
        self.wait_ready()
        self._send(request)
        answer = self._receive()
        # Its interpreter takes a few tenths of a second to shut down; the types need not wait.
        threading.Thread(target=self.stop, daemon=True).start()
        return answer

    def stop(self) -> None:
        if self.process.poll() is None:
            if self.process.stdin:
                with contextlib.suppress(OSError):
                    self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _pump(stream: Any, sink: Callable[[Any], None], end: bool = False) -> None:
    def run() -> None:
        for line in stream:
            sink(line.rstrip("\n"))
        if end:
            sink(None)

    threading.Thread(target=run, daemon=True).start()


class Watcher:
    """Regenerates on every change until ``stop`` is set (or forever)."""

    def __init__(
        self,
        targets: Targets,
        *,
        write: Callable[[str], None],
        lang: str | None = None,
        validate: bool = False,
        allow_warnings: bool = False,
    ) -> None:
        self.targets = targets
        self.write = write
        self.request = {
            "fmt": targets.fmt,
            "lang": lang,
            "validate": validate,
            "allow_warnings": allow_warnings,
        }
        self.root = project_root()
        self.mtimes: dict[str, tuple[int, int] | None] = {}
        self.prewarm: list[str] = []
        self.previous: dict[str, Any] | None = None
        self.spare: Child | None = None
        self.typescript: TypeScriptGenerator | None = None

    def run(self, stop: threading.Event | None = None) -> None:
        stop = stop or threading.Event()
        if self.targets.types is not None:
            self.typescript = typescript_generator(self.targets.types)
        self.spare = Child(self.root, self.prewarm)
        types = display(self.targets.types) if self.targets.types else "no types"
        self.write(f"Watching {self.root} (schema {display(self.targets.schema)}, {types}).")
        try:
            self.generation([])
            while not stop.is_set():
                changed = self.changed_files()
                if changed:
                    time.sleep(SETTLE)
                    changed += [path for path in self.changed_files() if path not in changed]
                    self.generation(changed)
                else:
                    stop.wait(POLL_INTERVAL)
        finally:
            if self.spare:
                self.spare.stop()
            if self.typescript:
                self.typescript.close()

    # -- one generation --------------------------------------------------------------------

    def generation(self, changed: list[str]) -> None:
        started = time.perf_counter()
        spare = self.spare or Child(self.root, self.prewarm)
        self.spare = None
        if changed and (spare.wait_ready() & set(changed) or not spare.clean):
            # It imported a file before it changed, or its setup failed on the old code.
            spare.stop()
            spare = Child(self.root, self.prewarm)
        before = self.snapshot(self.mtimes)
        answer = spare.generate(self.request)
        self.track(answer, before)
        label = ", ".join(self.short(path) for path in changed) or "start"
        try:
            if not answer.get("ok"):
                self.report_failure(label, answer)
                return
            schema_seconds = time.perf_counter() - started
            schema, text = answer["schema"], answer["text"].encode("utf-8")
            try:
                _, written = sync(schema, text, self.targets, self.typescript)
            except SyncError as exc:
                self.write(f"[{label}] error: {exc} The previous files are kept.")
                return
            total = time.perf_counter() - started
            what = changes(self.previous, schema).summary() if self.previous else "generated"
            self.previous = schema
            files = ", ".join(display(o.path) for o in written) or "files unchanged"
            cpu = answer.get("cpu", 0.0) + getattr(self.typescript, "cpu", 0.0)
            self.write(
                f"[{label}] {what}: {files} (schema {schema_seconds:.2f} s + types "
                f"{total - schema_seconds:.2f} s = {total:.2f} s, CPU {cpu:.2f} s)"
            )
        finally:
            self.prewarm = answer.get("modules") or self.prewarm
            self.spare = Child(self.root, self.prewarm)

    def report_failure(self, label: str, answer: dict[str, Any]) -> None:
        where = answer.get("where")
        place = ""
        if where:
            path, line = where.rsplit(":", 1)
            place = f"{self.short(path)}:{line}: "
        self.write(f"[{label}] error: {place}{answer.get('error')}")
        for message in answer.get("warnings", [])[:10]:
            self.write(f"  {message}")
        self.write("  The previous schema and types are kept.")

    # -- files -----------------------------------------------------------------------------

    def track(self, answer: dict[str, Any], before: dict[str, tuple[int, int] | None]) -> None:
        """Watch what this generation imported, plus what the last one did and a broken file
        (a syntax error must be watched to see it fixed)."""
        files = set(answer.get("files", [])) | set(self.mtimes)
        if answer.get("broken"):
            files.add(answer["broken"])
        self.mtimes = {path: before.get(path, _stat(path)) for path in files}

    def changed_files(self) -> list[str]:
        changed = []
        for path, seen in self.mtimes.items():
            now = _stat(path)
            if now != seen:
                changed.append(path)
                self.mtimes[path] = now
        return changed

    @staticmethod
    def snapshot(paths: Iterable[str]) -> dict[str, tuple[int, int] | None]:
        return {path: _stat(path) for path in paths}

    def short(self, path: str) -> str:
        try:
            return str(Path(path).relative_to(self.root))
        except ValueError:
            return path


def _stat(path: str) -> tuple[int, int] | None:
    try:
        result = os.stat(path)
    except OSError:
        return None
    return result.st_mtime_ns, result.st_size
