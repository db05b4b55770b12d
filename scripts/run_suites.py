#!/usr/bin/env python3
"""Run make targets (suites) side by side and report each one's log and time.

    scripts/run_suites.py [--jobs N] [--alone SUITE ...] [--logs DIR] SUITE ...

``make test`` uses it: ``--jobs`` suites run at once, started in the order given (list the
longest first), each as ``make SUITE`` with its output in ``DIR/SUITE.log``. When a suite ends
its whole log is printed as one block under a header with its time, so concurrent suites never
interleave. ``--alone`` suites (time-bounded ones that must not share the CPU) run one at a time
after the others. The run ends with a table of times and one closing line that adds up the
test counts of every log (pytest, Playwright); it exits non-zero when any suite failed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

#: pytest's closing line (``402 passed, 2 skipped, 59 deselected in 36.28s``, in tox's output
#: too) and Playwright's (``  12 passed (31.2s)``).
PYTEST_SUMMARY = re.compile(r"^=*\s*(?P<counts>\d+ \w+(?:, \d+ \w+)*) in [\d.]+s")
PLAYWRIGHT_SUMMARY = re.compile(r"^\s+(?P<count>\d+) (?P<what>passed|failed|skipped|flaky) \(")
COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped)")


@dataclass
class Result:
    suite: str
    returncode: int
    seconds: float
    log: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def counts(log: Path) -> dict[str, int]:
    """Tests passed / failed / skipped according to the runners' closing lines in a log."""
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    for line in log.read_text(errors="replace").splitlines():
        pytest_line = PYTEST_SUMMARY.match(line)
        if pytest_line:
            for number, what in COUNT.findall(pytest_line.group("counts")):
                key = "failed" if what.startswith("error") else what
                totals[key] += int(number)
            continue
        playwright_line = PLAYWRIGHT_SUMMARY.match(line)
        if playwright_line:
            what = playwright_line.group("what")
            totals["passed" if what == "flaky" else what] += int(playwright_line.group("count"))
    return totals


def make_variables() -> str:
    """MAKEFLAGS without the outer make's flags (-j and its jobserver do not reach us) but with
    its command-line variables (``make test PG_URL=...``)."""
    flags = os.environ.get("MAKEFLAGS", "")
    _, separator, variables = flags.partition("-- ")
    return f"-- {variables}" if separator and variables.strip() else ""


class SuiteRunner:
    def __init__(self, logs: Path, make: str) -> None:
        self.logs, self.make = logs, make
        self.results: list[Result] = []
        self.lock = threading.Lock()

    def run(self, suite: str) -> Result:
        log = self.logs / f"{suite}.log"
        with self.lock:
            print(f"--> {suite} started (log: {log})", flush=True)
        started = time.monotonic()
        with log.open("w") as out:
            proc = subprocess.run(
                [self.make, "--no-print-directory", suite],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "MAKEFLAGS": make_variables()},
            )
        result = Result(suite, proc.returncode, time.monotonic() - started, log)
        with self.lock:
            self.results.append(result)
            verdict = "passed" if result.ok else f"FAILED (exit {result.returncode})"
            print(f"\n>>>>> {suite}: {verdict} in {result.seconds:.0f} s", flush=True)
            sys.stdout.write(log.read_text(errors="replace"))
            print(f"<<<<< end of {suite}\n", flush=True)
        return result

    def pool(self, suites: list[str], jobs: int) -> None:
        queue = deque(suites)

        def worker() -> None:
            while True:
                with self.lock:
                    if not queue:
                        return
                    suite = queue.popleft()
                self.run(suite)

        threads = [threading.Thread(target=worker) for _ in range(min(jobs, len(suites)))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("suites", nargs="+")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--alone", action="append", default=[], help="run after, one at a time")
    parser.add_argument("--logs", type=Path, default=Path("build/test-logs"))
    parser.add_argument("--make", default=os.environ.get("MAKE", "make"))
    args = parser.parse_args()

    unknown = sorted(set(args.alone) - set(args.suites))
    together = [s for s in args.suites if s not in args.alone]
    alone = [s for s in args.suites if s in args.alone]
    args.logs.mkdir(parents=True, exist_ok=True)
    runner = SuiteRunner(args.logs, args.make)
    started = time.monotonic()
    print(f"Suites, {args.jobs} at a time: {' '.join(together)}", flush=True)
    if alone:
        print(f"Then alone: {' '.join(alone)}", flush=True)
    if unknown:
        print(f"(not selected: {' '.join(unknown)})", flush=True)
    runner.pool(together, args.jobs)
    runner.pool(alone, 1)
    wall = time.monotonic() - started

    totals = {"passed": 0, "failed": 0, "skipped": 0}
    print("\nsuite                  result    seconds  tests passed")
    for result in sorted(runner.results, key=lambda r: args.suites.index(r.suite)):
        found = counts(result.log)
        for key in totals:
            totals[key] += found[key]
        verdict = "ok" if result.ok else "FAILED"
        print(f"{result.suite:<22} {verdict:<9} {result.seconds:>7.0f}  {found['passed']:>12}")
    print(f"{'wall time':<22} {'':<9} {wall:>7.0f}")
    failed_suites = [r.suite for r in runner.results if not r.ok]
    if failed_suites:
        print(f"\nFailed suites: {' '.join(failed_suites)} (logs in {args.logs}/)")
    passed, failed, skipped = totals["passed"], totals["failed"], totals["skipped"]
    print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed_suites else 0


if __name__ == "__main__":
    sys.exit(main())
