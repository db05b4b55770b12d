"""The TypeScript step of type sync: openapi-typescript, kept running in one Node process.

By default (``TYPED_API["TYPESCRIPT_COMMAND"] = None``) the types come from
:class:`NodeWorker`: ``node/worker.mjs`` (shipped in this package) loads openapi-typescript's
JS API once and answers one request per schema, so a change costs the generation only (about
0.3 s on the test project) instead of Node's and npx's start-up (about 3 s). Which
openapi-typescript it loads:

1. the front end's own, when ``node_modules/openapi-typescript`` is found from the folder of
   ``TYPES_PATH`` upwards (the version the app pinned in its lockfile);
2. else this package's pinned one: ``node/package.json`` and ``node/package-lock.json``,
   installed once with ``npm ci`` into a cache folder (:func:`pinned_install`).

A custom ``TYPESCRIPT_COMMAND`` (any program that reads ``{schema}`` and writes ``{output}``)
is run as a subprocess per generation instead (:class:`CommandGenerator`).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import shlex
import shutil
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Protocol

from ..conf import typed_api_settings
from .files import SyncError

NODE_DIR = Path(__file__).resolve().parent / "node"
WORKER = NODE_DIR / "worker.mjs"

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class TypeScriptGenerator(Protocol):
    """Turns the rendered schema into the TypeScript types file's content."""

    def generate(self, schema: bytes, fmt: str) -> str: ...

    def close(self) -> None: ...


def typescript_generator(types_path: Path) -> CommandGenerator | NodeWorker:
    """The generator the settings ask for, for types written to ``types_path``."""
    command = typed_api_settings.TYPESCRIPT_COMMAND
    if command:
        return CommandGenerator(command, cwd=existing_parent(types_path))
    return NodeWorker(types_path)


def generate_types(
    schema_bytes: bytes,
    fmt: str,
    types_path: Path,
    command: Sequence[str] | None = None,
    timeout: float | None = None,
) -> str:
    """One generation, start to finish (``sync_types`` without ``--watch``)."""
    if command is not None:
        generator: CommandGenerator | NodeWorker = CommandGenerator(
            command, cwd=existing_parent(types_path), timeout=timeout
        )
    else:
        generator = typescript_generator(types_path)
    with generator:
        return generator.generate(schema_bytes, fmt)


# -- the long-lived Node worker ------------------------------------------------------------


class NodeWorker:
    """A Node process running ``worker.mjs``: started on first use, one JSON line per schema."""

    def __init__(self, types_path: Path, timeout: float | None = None) -> None:
        self.types_path = types_path
        self.timeout = timeout or typed_api_settings.TYPESCRIPT_TIMEOUT
        self.options: dict[str, Any] = dict(typed_api_settings.TYPESCRIPT_OPTIONS)
        self.process: subprocess.Popen[str] | None = None
        self.version = ""
        self.source: Path | None = None
        #: CPU seconds Node spent on the last generation.
        self.cpu = 0.0
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: deque[str] = deque(maxlen=20)

    def __enter__(self) -> NodeWorker:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def start(self) -> None:
        node = shutil.which("node")
        if node is None:
            raise SyncError(
                "'node' was not found on PATH. Install Node.js 20 or newer or set "
                "TYPED_API['TYPESCRIPT_COMMAND'] (or pass --schema-only to skip the TypeScript "
                "types)."
            )
        app = app_package_dir(self.types_path)
        search = [app] if app else [pinned_install(self.timeout)]
        self.process = subprocess.Popen(
            [node, str(WORKER), *map(str, search)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        assert self.process.stdout is not None and self.process.stderr is not None
        _pump(self.process.stdout, self._lines.put, then=None)
        _pump(self.process.stderr, self._stderr.append)
        ready = self._read("start")
        if not ready.get("ready"):
            self.close()
            raise SyncError(f"The TypeScript worker could not start: {ready.get('error')}")
        self.version, self.source = ready["version"], Path(ready["from"])

    def generate(self, schema: bytes, fmt: str) -> str:
        if self.process is None or self.process.poll() is not None:
            self.start()
        assert self.process is not None and self.process.stdin is not None
        request = {"schema": schema.decode("utf-8"), "options": self.options}
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except OSError:
            self.close()
            raise SyncError(f"The TypeScript worker exited: {self._last_error()}") from None
        answer = self._read("generate the types")
        if not answer.get("ok"):
            raise SyncError(f"openapi-typescript {self.version} failed: {answer.get('error')}")
        types: str = answer["types"]
        self.cpu = answer.get("cpu_ms", 0.0) / 1000
        return types

    def _read(self, doing: str) -> dict[str, Any]:
        try:
            line = self._lines.get(timeout=self.timeout)
        except queue.Empty:
            self.close()
            raise SyncError(
                f"The TypeScript worker did not {doing} in {self.timeout:.0f} s "
                "(TYPED_API['TYPESCRIPT_TIMEOUT'])."
            ) from None
        if line is None:
            self.close()
            raise SyncError(f"The TypeScript worker exited: {self._last_error()}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _last_error(self) -> str:
        return first_error_line("\n".join(self._stderr))

    def close(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.stdin:
            with contextlib.suppress(OSError):
                process.stdin.close()
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _pump(stream: IO[str], sink: Any, then: Any = ...) -> None:
    """Copy ``stream``'s lines into ``sink`` from a daemon thread (``then`` at the end)."""

    def run() -> None:
        for line in stream:
            sink(line.rstrip("\n"))
        if then is not ...:
            sink(then)

    threading.Thread(target=run, daemon=True).start()


def app_package_dir(types_path: Path) -> Path | None:
    """The nearest folder of ``types_path`` from which Node resolves openapi-typescript."""
    for folder in [types_path.parent, *types_path.parent.parents]:
        if (folder / "node_modules" / "openapi-typescript" / "package.json").is_file():
            return folder
    return None


def pinned_version() -> str:
    manifest = json.loads((NODE_DIR / "package.json").read_text())
    version: str = manifest["dependencies"]["openapi-typescript"]
    return version


def cache_dir() -> Path:
    """Where the pinned openapi-typescript is installed: ``$XDG_CACHE_HOME`` or ``~/.cache``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "django-typed-api" / f"openapi-typescript-{pinned_version()}"


def pinned_install(timeout: float | None = None) -> Path:
    """The folder holding this package's pinned openapi-typescript, ``npm ci``-installed from
    the shipped lockfile on first use (into a temporary folder renamed into place, so two
    processes installing at once never see half an install)."""
    target = cache_dir()
    if (target / "node_modules" / "openapi-typescript" / "package.json").is_file():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise SyncError(
            "openapi-typescript is not installed in the front end and 'npm' was not found on "
            "PATH to install the pinned one: install Node.js 20 or newer."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".install-", dir=target.parent))
    try:
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(NODE_DIR / name, work / name)
        try:
            result = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
                cwd=work,
                capture_output=True,
                text=True,
                timeout=timeout or typed_api_settings.TYPESCRIPT_TIMEOUT,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            raise SyncError(f"npm ci (openapi-typescript) took over {exc.timeout:.0f} s.") from None
        if result.returncode != 0:
            reason = first_error_line(result.stderr or result.stdout)
            raise SyncError(f"Installing openapi-typescript {pinned_version()} failed: {reason}")
        try:
            work.rename(target)
        except OSError:  # another process installed it meanwhile
            if not target.is_dir():
                raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return target


# -- any command ---------------------------------------------------------------------------


class CommandGenerator:
    """Runs ``TYPED_API["TYPESCRIPT_COMMAND"]`` once per schema, in a temporary folder (so
    ``--check`` writes nothing next to the real files), from ``cwd``."""

    def __init__(
        self, command: str | Sequence[str], cwd: Path, timeout: float | None = None
    ) -> None:
        parts = shlex.split(command) if isinstance(command, str) else [str(p) for p in command]
        if not parts:
            raise SyncError("TYPED_API['TYPESCRIPT_COMMAND'] is empty.")
        self.parts, self.cwd = parts, cwd
        self.timeout = timeout or typed_api_settings.TYPESCRIPT_TIMEOUT

    def __enter__(self) -> CommandGenerator:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        pass

    def generate(self, schema: bytes, fmt: str) -> str:
        parts = self.parts
        executable = shutil.which(parts[0])
        if executable is None:
            hint = " Install Node.js 20 or newer" if parts[0] in ("npx", "node", "npm") else ""
            raise SyncError(
                f"{parts[0]!r} was not found on PATH.{hint} or set "
                "TYPED_API['TYPESCRIPT_COMMAND'] (or pass --schema-only to skip the TypeScript "
                "types)."
            )
        with tempfile.TemporaryDirectory(prefix="typed-api-") as tmp:
            schema_file = Path(tmp) / f"schema.{fmt}"
            output_file = Path(tmp) / "types.d.ts"
            schema_file.write_bytes(schema)
            args = [executable] + [
                p.replace("{schema}", str(schema_file)).replace("{output}", str(output_file))
                for p in parts[1:]
            ]
            try:
                result = subprocess.run(
                    args,
                    cwd=self.cwd,
                    capture_output=True,
                    text=True,
                    timeout=self.timeout,
                    stdin=subprocess.DEVNULL,
                )
            except subprocess.TimeoutExpired as exc:
                raise SyncError(
                    f"{shlex.join(parts)} did not finish in {exc.timeout:.0f} s."
                ) from exc
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


def existing_parent(path: Path) -> Path:
    for candidate in [path.parent, *path.parent.parents]:
        if candidate.is_dir():
            return candidate
    return Path.cwd()
