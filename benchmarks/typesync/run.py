"""Edit -> types latency: how long a saved serializer takes to reach the TypeScript types.

Runs on a copy of the testproject's Python code (its front end's node_modules borrowed), so no
committed file is touched. Measured in one run, on the same machine and load:

* before, the seed's loop: ``manage.py sync_types --schema-only`` (the schema), openapi-typescript's
  CLI through ``npx`` (the TypeScript), and ``manage.py sync_types`` with that command (both);
* ``manage.py sync_types`` once, with the Node worker (the new default);
* ``manage.py sync_types --watch``: an edit of ``VacancySerializer``'s docstring (which reaches
  the types as a comment), timed from the write until the types file holds the new text,
  with the watcher's own split into schema and TypeScript and its CPU seconds. Edits come
  ``--pause`` seconds (10) after the previous types, as a developer's do (they read the
  result first), so the watcher's next interpreter has warmed up; an edit that comes sooner
  waits for that warm-up (a few CPU seconds: Django, DRF and drf-spectacular imported, the
  apps set up).

Prints medians and ratios against the seed's loop; exits 1 when the watch median is over the
target (1.5 s). ``--record`` writes benchmarks/RESULTS.md.

    python benchmarks/typesync/run.py [--rounds 10] [--baseline-rounds 3] [--record]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.results import write_section  # noqa: E402

TESTPROJECT = ROOT / "testproject"
NODE_MODULES = TESTPROJECT / "frontend" / "node_modules"
TYPES = "frontend/src/lib/api/backend-api-schema.d.ts"
TARGET_SECONDS = 1.5
SPLIT = re.compile(r"schema ([\d.]+) s \+ types ([\d.]+) s = [\d.]+ s, CPU ([\d.]+)")
DOCSTRING = '"""A vacancy with its company, location and requirements nested, skills as slugs'
NPX = [
    "npx", "--yes", "openapi-typescript@7.13.0", "{schema}", "--output", "{output}",
    "--default-non-nullable=false",
]  # fmt: skip
SETTINGS_HOOK = """

# benchmarks/typesync: the seed's generator (openapi-typescript's CLI through npx) on demand.
if os.environ.get("BENCH_TYPESCRIPT_COMMAND"):
    import json as _json

    TYPED_API["TYPESCRIPT_COMMAND"] = _json.loads(os.environ["BENCH_TYPESCRIPT_COMMAND"])
"""


def project_copy(where: Path) -> Path:
    copy = where / "project"
    ignore = shutil.ignore_patterns("frontend", "__pycache__", "*.sqlite3")
    shutil.copytree(TESTPROJECT, copy, ignore=ignore)
    (copy / "frontend").mkdir()
    (copy / "frontend" / "package.json").write_text('{"private": true}\n')
    (copy / "frontend" / "node_modules").symlink_to(NODE_MODULES)
    with (copy / "testproject" / "settings.py").open("a") as handle:
        handle.write(SETTINGS_HOOK)
    return copy


class Editor:
    """Rewrites the serializer's docstring with a new marker each round."""

    def __init__(self, project: Path) -> None:
        self.path = project / "vacancies" / "serializers.py"
        self.original = self.path.read_text()
        assert DOCSTRING in self.original
        self.round = 0

    def edit(self) -> str:
        self.round += 1
        marker = f"bench round {self.round} {time.time_ns()}"
        self.path.write_text(self.original.replace(DOCSTRING, f"{DOCSTRING} ({marker})", 1))
        return marker


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "DJANGO_DEBUG": "1", "PYTHONPATH": str(ROOT), **extra}


CPU: dict[str, list[float]] = {}


def timed(args: list[str], cwd: Path, label: str = "", **extra: str) -> float:
    """Wall seconds of a command; its CPU seconds (with its children's) go to CPU[label]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        args, cwd=cwd, env=environment(**extra), capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    CPU.setdefault(label, []).append(cpu)
    print(f"  {label or ' '.join(args[:3])}: {wall:.2f} s (CPU {cpu:.2f} s)", flush=True)
    return wall


def before(project: Path, editor: Editor, rounds: int) -> dict[str, list[float]]:
    """The seed's loop, one command per step, after an edit each round."""
    manage = [sys.executable, "manage.py", "sync_types"]
    npx = json.dumps(NPX)
    found: dict[str, list[float]] = {"schema": [], "typescript": [], "total": [], "once": []}
    for _ in range(rounds):
        editor.edit()
        found["schema"].append(timed([*manage, "--schema-only"], project, "schema"))
        schema = str(project / "schema.yaml")
        cli = [p.replace("{schema}", schema).replace("{output}", "/dev/null") for p in NPX]
        found["typescript"].append(timed(cli, project / "frontend", "npx"))
        editor.edit()
        found["total"].append(timed(manage, project, "total", BENCH_TYPESCRIPT_COMMAND=npx))
        editor.edit()
        found["once"].append(timed(manage, project, "once"))  # the Node worker, started once
    return found


def watch(project: Path, editor: Editor, rounds: int, pause: float) -> dict[str, list[float]]:
    """``sync_types --watch``: write the file, wait until the types hold the marker."""
    types = project / TYPES
    process = subprocess.Popen(
        [sys.executable, "-u", "manage.py", "sync_types", "--watch"],
        cwd=project,
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = Lines(process)
    found: dict[str, list[float]] = {"edit_to_types": [], "schema": [], "typescript": [], "cpu": []}
    try:
        lines.wait_for(r"^\[start\]", 300)
        for _ in range(rounds):
            time.sleep(pause)  # a developer reads the result before the next edit
            marker = editor.edit()
            started = time.perf_counter()
            while marker not in (types.read_text() if types.exists() else ""):
                if time.perf_counter() - started > 120:
                    raise SystemExit("the types never changed:\n" + "\n".join(lines.seen))
                time.sleep(0.005)
            found["edit_to_types"].append(time.perf_counter() - started)
            line = lines.wait_for(r"^\[vacancies/serializers\.py\]", 60)
            print(f"  edit -> types {found['edit_to_types'][-1]:.2f} s: {line.strip()}", flush=True)
            split = SPLIT.search(line)
            if split:
                found["schema"].append(float(split.group(1)))
                found["typescript"].append(float(split.group(2)))
                found["cpu"].append(float(split.group(3)))
    finally:
        process.terminate()
        process.wait(timeout=30)
    return found


class Lines:
    """The watcher's output lines, read by a thread (select() on a buffered pipe misses lines
    already in the buffer)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        stream = process.stdout

        def read() -> None:
            for line in stream:
                self.queue.put(line.rstrip())
            self.queue.put(None)

        threading.Thread(target=read, daemon=True).start()

    def wait_for(self, pattern: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=0.5)
            except queue.Empty:
                continue
            if line is None:
                break
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        raise SystemExit(f"no {pattern!r} from the watcher:\n" + "\n".join(self.seen))


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(old: dict[str, list[float]], new: dict[str, list[float]]) -> str:
    loop = median(old["total"])
    rows = [
        ("before: sync_types --schema-only (schema)", median(old["schema"])),
        ("before: npx openapi-typescript CLI (TypeScript)", median(old["typescript"])),
        ("before: sync_types through npx (both)", loop),
        ("now: sync_types once (Node worker)", median(old["once"])),
        ("now: --watch, schema (fresh interpreter)", median(new["schema"])),
        ("now: --watch, TypeScript (warm worker)", median(new["typescript"])),
        ("now: --watch, edit -> types file", median(new["edit_to_types"])),
    ]
    lines = [
        "| step | median | vs the seed's loop |",
        "| --- | --- | --- |",
        *(f"| {name} | {value:.2f} s | {value / loop:.2f}x |" for name, value in rows),
        "",
        "| CPU seconds (load-independent) | median |",
        "| --- | --- |",
        f"| before: sync_types through npx | {median(CPU.get('total', [])):.2f} s |",
        f"| now: sync_types once (Node worker) | {median(CPU.get('once', [])):.2f} s |",
        f"| now: --watch, one edit (interpreter + Node) | {median(new['cpu']):.2f} s |",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="watch edits (default 10)")
    parser.add_argument("--baseline-rounds", type=int, default=3, help="seed loop rounds")
    parser.add_argument(
        "--pause",
        type=float,
        default=10.0,
        help=(
            "seconds between the types of one edit and the next edit (default 10): the "
            "watcher warms its next interpreter meanwhile"
        ),
    )
    parser.add_argument("--record", action="store_true", help="write benchmarks/RESULTS.md")
    args = parser.parse_args()
    if not (NODE_MODULES / "openapi-typescript").is_dir():
        raise SystemExit(f"{NODE_MODULES} has no openapi-typescript: run `make frontend-install`")
    with tempfile.TemporaryDirectory(prefix="bench-typesync-") as tmp:
        project = project_copy(Path(tmp))
        editor = Editor(project)
        old = before(project, editor, args.baseline_rounds)
        new = watch(project, editor, args.rounds, args.pause)
    table = report(old, new)
    load = os.getloadavg()[0]
    print(f"\nEdit -> types on the testproject ({os.cpu_count()} CPUs, load {load:.1f}):\n")
    print(table)
    result = median(new["edit_to_types"])
    verdict = "PASS" if result <= TARGET_SECONDS else "FAIL"
    print(f"\n{verdict}: --watch edit -> types median {result:.2f} s (target {TARGET_SECONDS} s)")
    if args.record:
        write_section(
            "## Type sync",
            f"## Type sync\n\n`make bench-typesync`: {args.rounds} edits of a serializer with "
            f"`sync_types --watch` running, against the seed's loop measured in the same run "
            f"({os.cpu_count()} CPUs, load average {load:.1f}).\n\n{table}\n",
        )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
