"""Load: wrk against gunicorn (4 workers) on PostgreSQL: list, retrieve and create.

The testproject is served with DEBUG off from a fresh database seeded with 200 vacancies
(tests/live_server.py). Each scenario runs for LOAD_SECONDS (5 in ``make test-load``, part of
``make test``; 20 in ``make load``) with 2 wrk threads and 16 connections; the Lua scripts in
tests/load/ count responses by status. Every scenario must end with zero socket errors, zero
timeouts and zero non-2xx responses (so zero 5xx), and every created vacancy must be in the
database. ``make load`` (LOAD_RECORD=1) writes the throughput to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from benchmarks.results import write_section

from .conftest import require
from .live_server import LiveServer, live_server

pytestmark = [pytest.mark.load, pytest.mark.integration]

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "tests" / "load"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
HEADING = "## Reliability: load (wrk, gunicorn 4 workers, PostgreSQL)"
PORTS = range(8701, 8720)
SECONDS = int(os.environ.get("LOAD_SECONDS", "5"))
THREADS, CONNECTIONS = 2, 16


@dataclass
class Run:
    scenario: str
    requests: int
    rate: float
    status: dict[str, int]
    socket_errors: str | None
    p50: str
    p99: str


@dataclass
class Target:
    server: LiveServer
    token: str
    vacancy_id: str
    company_id: str


RUNS: list[Run] = []


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    require(shutil.which("wrk") is not None, "wrk is needed (make wrk-install)")
    with live_server("typed_api_load", ports=PORTS, seed=200, workers=4, threads=1) as server:
        token = server.login()["access"]
        vacancy = requests.get(f"{server.url}/api/vacancies/", timeout=30).json()["results"][0]
        yield Target(server, token, vacancy["id"], vacancy["company"]["id"])
    if os.environ.get("LOAD_RECORD") == "1" and len(RUNS) == 3:
        record(RUNS)


def wrk(target: Target, scenario: str, path: str, script: str) -> Run:
    env = {
        **os.environ,
        "LOAD_LUA_DIR": str(LUA),
        "LOAD_TOKEN": target.token,
        "LOAD_COMPANY_ID": target.company_id,
    }
    result = subprocess.run(
        [
            "wrk",
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA / script),
            f"{target.server.url}{path}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=SECONDS + 60,
    )
    output = result.stdout + result.stderr
    print(f"\n--- {scenario} ---\n{output}")
    assert result.returncode == 0, output
    status = re.search(r"STATUS 2xx=(\d+) 4xx=(\d+) 5xx=(\d+) other=(\d+)", output)
    latency = re.search(r"LATENCY p50=(\S+) p99=(\S+)", output)
    total = re.search(r"(\d+) requests in", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    assert status and latency and total and rate, output
    socket_errors = re.search(r"Socket errors: (.*)", output)
    run = Run(
        scenario,
        int(total.group(1)),
        float(rate.group(1)),
        dict(zip(("2xx", "4xx", "5xx", "other"), map(int, status.groups()), strict=True)),
        socket_errors.group(1) if socket_errors else None,
        latency.group(1),
        latency.group(2),
    )
    RUNS.append(run)
    return run


def assert_clean(run: Run, target: Target) -> None:
    assert run.socket_errors is None, f"{run.scenario}: socket errors {run.socket_errors}"
    assert run.status["5xx"] == 0, f"{run.scenario}: {run.status}\n{target.server.log_tail()}"
    assert run.status["4xx"] == 0 and run.status["other"] == 0, run.status
    assert run.status["2xx"] >= run.requests > 0  # wrk counts finished requests only


def test_list_under_load(target: Target) -> None:
    assert_clean(wrk(target, "list", "/api/vacancies/", "read.lua"), target)


def test_retrieve_under_load(target: Target) -> None:
    assert_clean(
        wrk(target, "retrieve", f"/api/vacancies/{target.vacancy_id}/", "read.lua"), target
    )


def test_create_under_load(target: Target) -> None:
    before = requests.get(f"{target.server.url}/api/vacancies/?page_size=1", timeout=30)
    run = wrk(target, "create", "/api/vacancies/", "create.lua")
    assert_clean(run, target)
    after = requests.get(f"{target.server.url}/api/vacancies/?page_size=1", timeout=30)
    # Every 201 is a row; up to one request per connection was still in flight when wrk
    # stopped reading, and the server finished it.
    created = after.json()["count"] - before.json()["count"]
    assert run.status["2xx"] <= created <= run.status["2xx"] + CONNECTIONS


def record(runs: list[Run]) -> None:
    """Replace this section of benchmarks/RESULTS.md, leaving the others alone."""
    lines = [
        HEADING,
        "",
        f"`make load`: wrk {THREADS} threads, {CONNECTIONS} connections, {SECONDS} s per scenario,"
        " against gunicorn (4 sync workers) on 127.0.0.1 with DEBUG off, PostgreSQL seeded with"
        " 200 vacancies, on the shared 2-core machine (wrk and the server share the cores).",
        "",
        "| scenario | requests | requests/s | p50 | p99 | 2xx | 4xx | 5xx | socket errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        *(
            f"| {r.scenario} | {r.requests} | {r.rate:.0f} | {r.p50} | {r.p99} | {r.status['2xx']}"
            f" | {r.status['4xx']} | {r.status['5xx']} | {r.socket_errors or 'none'} |"
            for r in runs
        ),
        "",
        "list: `GET /api/vacancies/` (20 per page, nested company/location/skills/requirements);"
        " retrieve: `GET /api/vacancies/{id}/`; create: `POST /api/vacancies/` with a JWT and a"
        " unique title per request (tests/load/create.lua).",
        "",
    ]
    write_section(HEADING, "\n".join(lines), RESULTS)
