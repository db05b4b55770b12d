"""Run the code blocks of a Markdown page in a fresh project, the way a reader would.

The conventions are the ones a reader follows anyway:

* a file block (``python``, ``ts``, ``svelte``, ...) whose first line is a comment naming a
  path (``# vacancies/models.py``, ``// src/routes/+page.ts``, ``<!-- src/routes/+page.svelte
  -->``) is written to that path; ``(add at the end)`` after the path appends instead, and
  ``(add after "TEXT")`` inserts the block's other lines after the one line of the existing
  file that contains TEXT (an edit of a generated file, showing only what is added);
* a ``bash`` block is run line by line, starting in the project directory, stopping at the
  first error; ``cd`` carries over to the following commands and blocks, as in a terminal.
  File paths are always relative to the project directory. Install lines run as written too
  (``pip install ../django-typed-api``: the test puts the checkout where a reader's clone is);
* a ``text`` block right after a ``bash`` block is that block's exact expected output;
* ``<!-- docs-test: skip (reason) -->`` right before a block marks it as not executable
  (a long-running server, an excerpt); every other block must be one of the above.

So a page cannot show a step the test does not take.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>```+)(?P<lang>[\w+-]*)[^\n]*\n"
    r"(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
SKIP = re.compile(r"<!--\s*docs-test:\s*skip\b(?P<reason>[^>]*)-->\s*$")
PATH_COMMENT = re.compile(
    r"^\s*(?:#|//|<!--)\s*(?P<path>[\w.+\-\[\]/]+\.[\w]+)(?P<append>\s*\(add at the end\))?"
    r"(?:\s*\(add after \"(?P<after>[^\"]+)\"\))?\s*(?:-->)?\s*$"
)
FILE_LANGS = {"python", "py", "ts", "typescript", "js", "javascript", "svelte", "json", "toml"}
SHELL_LANGS = {"bash", "sh", "shell"}
OUTPUT_LANGS = {"text"}


@dataclass
class Block:
    lang: str
    code: str
    line: int
    skip: str | None = None
    expected_output: str | None = None

    @property
    def where(self) -> str:
        return f"line {self.line}"


@dataclass
class FileStep:
    path: str
    append: bool
    block: Block
    after: str | None = None


@dataclass
class ShellStep:
    commands: list[str]
    block: Block
    expected_output: str | None = None


@dataclass
class Plan:
    steps: list[FileStep | ShellStep] = field(default_factory=list)
    skipped: list[Block] = field(default_factory=list)


def blocks(markdown: str, first_line: int = 1) -> list[Block]:
    """Fenced code blocks in order, with the skip marker that precedes each one."""
    found = []
    for match in FENCE.finditer(markdown):
        indent = match.group("indent")
        body = "".join(
            line[len(indent) :] if line.startswith(indent) else line
            for line in match.group("body").splitlines(keepends=True)
        )
        before = markdown[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        skip = SKIP.search(before)
        found.append(
            Block(
                lang=match.group("lang").lower(),
                code=body,
                line=first_line + markdown.count("\n", 0, match.start()),
                skip=(skip.group("reason").strip(" ()") or "skipped") if skip else None,
            )
        )
    return found


def section(markdown: str, heading: str) -> tuple[str, int]:
    """The text under ``## heading`` up to the next heading of the same or a higher level
    (``#`` lines inside code blocks are comments, not headings), and its first line number."""
    lines = markdown.splitlines(keepends=True)
    in_fence, start, level = False, None, 0
    for number, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        heading_match = None if in_fence else re.match(r"^(#+) (.*?)\s*$", line)
        if not heading_match:
            continue
        if start is None and heading_match.group(2) == heading:
            start, level = number + 1, len(heading_match.group(1))
        elif start is not None and len(heading_match.group(1)) <= level:
            return "".join(lines[start:number]), start + 1
    if start is None:
        raise AssertionError(f"no heading {heading!r}")
    return "".join(lines[start:]), start + 1


def plan(markdown: str, first_line: int = 1) -> Plan:
    """Turn a page into steps; any block that is neither a step nor skipped is an error."""
    result = Plan()
    last_shell: ShellStep | None = None
    for block in blocks(markdown, first_line):
        if block.skip:
            result.skipped.append(block)
            last_shell = None
            continue
        if block.lang in OUTPUT_LANGS:
            if last_shell is None or last_shell.expected_output is not None:
                raise AssertionError(
                    f"{block.where}: a text block must directly follow the bash block whose "
                    "output it shows"
                )
            last_shell.expected_output = block.code
            continue
        if block.lang in SHELL_LANGS:
            last_shell = ShellStep(shell_commands(block.code), block)
            result.steps.append(last_shell)
            continue
        last_shell = None
        first = block.code.split("\n", 1)[0]
        match = PATH_COMMENT.match(first)
        if block.lang in FILE_LANGS and match:
            result.steps.append(
                FileStep(
                    match.group("path"), bool(match.group("append")), block, match.group("after")
                )
            )
            continue
        raise AssertionError(
            f"{block.where}: a ```{block.lang} block the docs test cannot run. Start it with a "
            "comment naming the file it belongs to, or put <!-- docs-test: skip (why) --> "
            "before it."
        )
    return result


def shell_commands(code: str) -> list[str]:
    """Commands of a bash block: comments dropped, ``\\`` continuations joined."""
    commands: list[str] = []
    pending = ""
    for raw in code.splitlines():
        line = raw.rstrip()
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        commands.append(pending + line)
        pending = ""
    if pending:
        commands.append(pending.strip())
    return commands


@dataclass
class Runner:
    """Executes a :class:`Plan` in ``project`` with the ``bin`` directory of a fresh venv first
    on ``PATH``."""

    project: Path
    venv: Path
    timeout: float = 300
    env: dict[str, str] = field(default_factory=dict)
    transcript: list[str] = field(default_factory=list)
    cwd: Path = Path()

    def environment(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}
        }
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.venv)
        env.update(self.env)
        return env

    def run(self, steps: Plan) -> None:
        self.project.mkdir(parents=True, exist_ok=True)
        self.cwd = self.project
        for step in steps.steps:
            if isinstance(step, FileStep):
                self.write(step)
            else:
                self.shell(step)

    def write(self, step: FileStep) -> None:
        target = self.project / step.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if step.after is not None:
            lines = target.read_text().splitlines(keepends=True)
            hits = [i for i, line in enumerate(lines) if step.after in line]
            assert len(hits) == 1, (
                f"{step.block.where}: {step.path} has {len(hits)} lines containing "
                f"{step.after!r}, not one"
            )
            added = step.block.code.split("\n", 1)[1]
            lines.insert(hits[0] + 1, added)
            target.write_text("".join(lines))
            self.transcript.append(f"edit {step.path} (after {step.after!r})")
            return
        if step.append:
            with target.open("a") as handle:
                handle.write("\n" + step.block.code)
        else:
            target.write_text(step.block.code)
        self.transcript.append(f"{'append to' if step.append else 'write'} {step.path}")

    def shell(self, step: ShellStep) -> None:
        """Run each command like a terminal session would: ``cd`` carries over to the next
        command and the next block."""
        output = []
        for command in step.commands:
            self.transcript.append(f"$ {command}")
            started = time.monotonic()
            state = self.project / ".docs-test-cwd"
            script = f"cd {shlex.quote(str(self.cwd))}\n{command}\npwd > {shlex.quote(str(state))}"
            proc = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", script],
                cwd=self.project,
                env=self.environment(),
                capture_output=True,
                text=True,
                timeout=self.timeout,
                stdin=subprocess.DEVNULL,
            )
            self.transcript.append(
                f"({time.monotonic() - started:.1f} s)\n{proc.stdout}{proc.stderr}"
            )
            if proc.returncode != 0:
                raise AssertionError(
                    f"{step.block.where}: `{command}` exited {proc.returncode}\n"
                    f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
                )
            self.cwd = Path(state.read_text().strip())
            state.unlink()
            output.append(proc.stdout)
        if step.expected_output is not None:
            got = "".join(output).rstrip("\n").splitlines()
            want = step.expected_output.rstrip("\n").splitlines()
            assert got == want, (
                f"{step.block.where}: the output shown in the docs is not what the commands "
                f"print.\n--- documented\n" + "\n".join(want) + "\n--- actual\n" + "\n".join(got)
            )
