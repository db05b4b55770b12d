"""``manage.py sync_types --watch`` and ``SYNC_TYPES_ON_RUNSERVER`` on a copy of the testproject
(``make test-typesync``): real edits, a real Node worker, the output a developer reads."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .conftest import require
from .test_sync_types import TESTPROJECT, TYPES

pytestmark = [pytest.mark.typesync, pytest.mark.integration]

FRONTEND_MODULES = TESTPROJECT / "frontend" / "node_modules"


def project_copy(tmp_path: Path) -> Path:
    """The testproject's Python code in ``tmp_path`` with an empty front end (its
    node_modules borrowed from the real one when installed), so edits touch no real file."""
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns("frontend", "__pycache__", "*.sqlite3")
    shutil.copytree(TESTPROJECT, copy, ignore=ignore)
    (copy / "frontend").mkdir()
    (copy / "frontend" / "package.json").write_text('{"private": true}\n')
    if FRONTEND_MODULES.is_dir():
        (copy / "frontend" / "node_modules").symlink_to(FRONTEND_MODULES)
    return copy


class Watching:
    """A ``manage.py`` command running in a project (``sync_types --watch`` by default), its
    output read line by line."""

    def __init__(self, project: Path, *args: str) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-u", "manage.py", *(args or ("sync_types", "--watch"))],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "DJANGO_DEBUG": "1", "PYTHONPATH": str(TESTPROJECT.parent)},
            start_new_session=True,  # stop() ends runserver's reloader and its server
        )
        self.queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout
        for line in self.process.stdout:
            self.queue.put(line.rstrip("\n"))
        self.queue.put(None)

    def wait_for(self, pattern: str, timeout: float = 300) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                break
            self.lines.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(self.lines))

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    time.sleep(0.05)  # a distinct modification time even on coarse file systems
    path.write_text(text.replace(old, new, 1))


def test_watch_regenerates_after_an_edit_says_what_changed_and_survives_a_broken_file(
    tmp_path: Path,
) -> None:
    require(shutil.which("node") is not None, "Node.js is needed for the TypeScript types")
    project = project_copy(tmp_path)
    types = project / "frontend" / "src" / "lib" / "api" / "backend-api-schema.d.ts"
    serializers_py = project / "vacancies" / "serializers.py"
    watching = Watching(project)
    try:
        watching.wait_for(r"^\[start\] generated: .*backend-api-schema\.d\.ts")
        assert types.read_bytes() == TYPES.read_bytes()  # the committed types, byte for byte

        edit(serializers_py, '"remote",', '"remote",\n            "remote_policy",')
        edit(serializers_py, "    class Meta:\n        model = Vacancy",
             "    remote_policy = serializers.CharField(read_only=True, default='hybrid')\n\n"
             "    class Meta:\n        model = Vacancy")  # fmt: skip
        line = watching.wait_for(r"^\[vacancies/serializers\.py\]")
        assert "changed component Vacancy" in line and "backend-api-schema.d.ts" in line
        assert "remote_policy: string;" in types.read_text()

        good = types.read_bytes()
        edit(serializers_py, "class VacancySerializer(", "class VacancySerializer((")
        line = watching.wait_for(r"error:")
        assert re.search(r"error: vacancies/serializers\.py:\d+: SyntaxError", line), line
        assert "Traceback" not in "\n".join(watching.lines)
        watching.wait_for("The previous schema and types are kept.")
        assert types.read_bytes() == good

        edit(serializers_py, "class VacancySerializer((", "class VacancySerializer(")
        line = watching.wait_for(r"^\[vacancies/serializers\.py\]")
        assert "no API change" in line and "files unchanged" in line
    finally:
        watching.stop()


def test_runserver_keeps_the_types_in_sync_when_the_setting_is_on(tmp_path: Path) -> None:
    """The testproject turns SYNC_TYPES_ON_RUNSERVER on with DEBUG: one command for a backend
    developer, and the watcher outlives the server's restart after the edit."""
    require(shutil.which("node") is not None, "Node.js is needed for the TypeScript types")
    project = project_copy(tmp_path)
    types = project / "frontend" / "src" / "lib" / "api" / "backend-api-schema.d.ts"
    server = Watching(project, "runserver", "127.0.0.1:9157")
    try:
        server.wait_for(r"^sync_types: \[start\] generated: .*backend-api-schema\.d\.ts")
        edit(project / "vacancies" / "serializers.py", '"""A vacancy with', '"""A job vacancy with')
        line = server.wait_for(r"^sync_types: \[vacancies/serializers\.py\]")
        assert re.search(r"\] changed .*\bcomponent Vacancy\b", line), line
        assert "A job vacancy with its company" in types.read_text()
    finally:
        server.stop()
