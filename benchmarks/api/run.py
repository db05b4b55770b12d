"""Latency and throughput ratios of the vacancies API, measured in one run.

Four implementations of the same endpoints (bodies checked equal before timing):

- ``drf-naive``  plain DRF ``ModelViewSet``, ``Vacancy.objects.all()``
- ``drf-hand``   plain DRF ``ModelViewSet``, hand-written select_related/prefetch_related
- ``typed``      the testproject's ``TypedModelViewSet`` (no hand-written optimization)
- ``ninja``      django-ninja, hand-optimized, same JSON

Latency is measured in-process through Django's WSGI handler (the full middleware stack, no
network), interleaved: every round times each target once per scenario, in a shuffled order,
so load from other processes hits all targets alike. Reads: list-20, list-100, retrieve;
writes (typed and drf-hand, signed in with a JWT, strict JSON checks on): create and partial
update, each in a transaction rolled back after the response, so the data stays as seeded.
Throughput is wrk against gunicorn on 127.0.0.1, with the peak RSS of each worker after it.
Needs PostgreSQL (``DATABASE_URL``); the database is created, migrated and seeded with 1,000
vacancies when needed.

    python benchmarks/api/run.py                 # full run, writes benchmarks/RESULTS.md
    python benchmarks/api/run.py --check         # fast gate: the ratios of GATES
    python benchmarks/api/run.py --profile typed:list-100
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
sys.path[:0] = [str(ROOT / "testproject"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.api.settings")

from benchmarks.results import write_section  # noqa: E402

TARGETS = {
    "drf-naive": "/api/bench/drf-naive/vacancies/",
    "drf-hand": "/api/bench/drf-hand/vacancies/",
    "typed": "/api/vacancies/",
    "ninja": "/api/bench/ninja/vacancies/",
}
SCENARIOS = ("list-20", "list-100", "retrieve")
WRITE_SCENARIOS = ("create", "partial-update")
WRITE_TARGETS = ["drf-hand", "typed"]
BASELINE = "drf-hand"
#: The gate of ``--check`` (and of the full run): (scenario, baseline) -> the most typed's
#: median may be of the baseline's. Issue 17's targets are typed/ninja <= 1.00 and
#: typed/drf-hand <= 0.80 on reads, <= 1.05 on writes; the gate leaves headroom for a
#: 2-core CI machine shared with other jobs (see benchmarks/README.md).
GATES: dict[tuple[str, str], float] = {
    # Lists measure 0.70-0.78x drf-hand and 0.68-0.83x ninja since the deferred many-to-many
    # prefetch (session 6); the gates keep about 15% headroom.
    **{(scenario, "drf-hand"): 0.90 for scenario in ("list-20", "list-100")},
    **{(scenario, "ninja"): 1.00 for scenario in ("list-20", "list-100")},
    # Retrieve measures 0.73-0.78x drf-hand and 0.97-0.99x ninja since the templated
    # many-to-many prefetch queries (session 7); one row is a few ms of SQL, so runs minutes
    # apart differ by several percent (1.05-1.19x ninja was seen before, at 1.02-1.10 quiet).
    ("retrieve", "drf-hand"): 0.90,
    ("retrieve", "ninja"): 1.12,
    **{(scenario, "drf-hand"): 1.10 for scenario in WRITE_SCENARIOS},
}
SEED_COUNT = 1000
#: This benchmark's section of RESULTS.md (other benchmarks keep theirs).
HEADING = "## API: TypedModelViewSet vs plain DRF vs django-ninja"


# -- database --------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    """Create the benchmark database if it does not exist (PostgreSQL only)."""
    import psycopg
    from psycopg import sql

    match = re.match(r"postgres(?:ql)?://(?P<rest>[^/]*)/(?P<name>[^?]+)", url)
    if not match:
        sys.exit(f"DATABASE_URL must be a PostgreSQL URL with a database name, got {url!r}")
    name = match["name"]
    with psycopg.connect(url.replace(f"/{name}", "/postgres", 1), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare_data() -> str:
    """Migrate, seed 1,000 vacancies (idempotent) and return the id to retrieve."""
    from django.core.management import call_command
    from vacancies.models import Vacancy

    call_command("migrate", verbosity=0)
    call_command("seed_vacancies", count=SEED_COUNT, stdout=io.StringIO())
    total = Vacancy.objects.count()
    if total != SEED_COUNT:
        sys.exit(f"expected {SEED_COUNT} vacancies in the benchmark database, found {total}")
    vacancy = (
        Vacancy.objects.filter(location__isnull=False, requirements__isnull=False)
        .order_by("slug")
        .first()
    )
    assert vacancy is not None
    return str(vacancy.pk)


# -- in-process requests ---------------------------------------------------------------------


class Client:
    """Calls the WSGI application the way a server does, without the network."""

    def __init__(self) -> None:
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()

    def environ(
        self,
        url: str,
        method: str = "GET",
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        path, _, query = url.partition("?")
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
        if body:
            extra.update(CONTENT_TYPE="application/json", CONTENT_LENGTH=str(len(body)))
        return {
            **extra,
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_ACCEPT": "application/json",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }

    def get(
        self,
        url: str,
        method: str = "GET",
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> tuple[str, bytes]:
        status: list[str] = []

        def start_response(code: str, headers: Any, exc_info: Any = None) -> None:
            status.append(code)

        result = self.handler(self.environ(url, method, body, headers), start_response)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close:
                close()
        return status[0], body

    def timed(self, url: str) -> float:
        start = time.perf_counter()
        self.get(url)
        return time.perf_counter() - start

    def write(self, request: WriteRequest) -> tuple[str, bytes]:
        """The write, then (untimed by ``timed_write``) its undoing: a created vacancy is
        deleted; the patched one is put back by ``restore_patched`` at the end of the run."""
        answer = self.get(request.url, request.method, request.body, request.headers)
        undo(request, answer)
        return answer

    def timed_write(self, request: WriteRequest) -> float:
        start = time.perf_counter()
        answer = self.get(request.url, request.method, request.body, request.headers)
        elapsed = time.perf_counter() - start
        undo(request, answer)
        return elapsed


def undo(request: WriteRequest, answer: tuple[str, bytes]) -> None:
    from vacancies.models import Vacancy

    status, body = answer
    if not status.startswith("20"):
        sys.exit(f"{request.method} {request.url}: HTTP {status}: {body[:300]!r}")
    if request.method == "POST":
        Vacancy.objects.filter(pk=json.loads(body)["id"]).delete()


@dataclass
class WriteRequest:
    method: str
    url: str
    body: bytes
    headers: dict[str, str]


def write_request(target: str, scenario: str, fixtures: dict[str, Any]) -> WriteRequest:
    """The same body for every target: what the vacancy form sends."""
    headers = {"Authorization": f"Bearer {fixtures['token']}"}
    if scenario == "create":
        body = {
            "title": "Benchmark engineer",
            "description": "Écrit par le benchmark.",
            "company_id": fixtures["company"],
            "location_id": fixtures["location"],
            "skills": fixtures["skills"],
            "salary_min": 50000,
            "salary_max": 70000,
            "remote": True,
            "employment_type": "full_time",
        }
        return WriteRequest("POST", TARGETS[target], json.dumps(body).encode(), headers)
    body = {"title": "Renamed by the benchmark", "remote": False, "description": "Modifiée."}
    url = f"{TARGETS[target]}{fixtures['patched']}/"
    return WriteRequest("PATCH", url, json.dumps(body).encode(), headers)


def restore_patched(fixtures: dict[str, Any]) -> None:
    """The patched vacancy as seeded (the PATCH body's fields)."""
    from vacancies.models import Vacancy

    values = fixtures["patched_values"]
    Vacancy.objects.filter(pk=values["id"]).update(
        **{name: values[name] for name in ("title", "remote", "description", "updated_at")}
    )


def write_fixtures(vacancy_id: str) -> dict[str, Any]:
    """A signed-in user's token and the ids a write refers to."""
    from django.contrib.auth import get_user_model
    from rest_framework_simplejwt.tokens import AccessToken
    from vacancies.models import Vacancy

    user, _ = get_user_model().objects.get_or_create(username="bench-writer")
    vacancy = Vacancy.objects.select_related("company", "location").get(pk=vacancy_id)
    # PATCH another vacancy than the one the reads retrieve; restore_patched() puts it back.
    patched = Vacancy.objects.exclude(pk=vacancy_id).order_by("slug").values().first()
    assert patched is not None
    return {
        "patched": str(patched["id"]),
        "patched_values": patched,
        "token": str(AccessToken.for_user(user)),
        "company": str(vacancy.company.pk),
        "location": str(vacancy.location.pk) if vacancy.location else None,
        "skills": [skill.slug for skill in vacancy.skills.all()[:3]],
        "vacancy": vacancy_id,
    }


def scenario_url(target: str, scenario: str, vacancy_id: str) -> str:
    prefix = TARGETS[target]
    if scenario == "retrieve":
        return f"{prefix}{vacancy_id}/"
    return f"{prefix}?page_size={scenario.split('-')[1]}"


_MICROSECONDS = re.compile(r"(T\d\d:\d\d:\d\d\.\d{3})\d{3}")


def _comparable(data: Any) -> Any:
    """Timestamps cut to milliseconds: ninja's encoder (DjangoJSONEncoder) drops the rest,
    DRF keeps microseconds. Everything else must be equal."""
    return json.loads(_MICROSECONDS.sub(r"\1", json.dumps(data)))


def check_equivalent(client: Client, targets: list[str], vacancy_id: str) -> None:
    """Refuse to time endpoints that do not return the same data."""
    for scenario in SCENARIOS:
        bodies = {}
        for target in targets:
            status, body = client.get(scenario_url(target, scenario, vacancy_id))
            if not status.startswith("200"):
                sys.exit(f"{target} {scenario}: HTTP {status}: {body[:300]!r}")
            data = _comparable(json.loads(body))
            bodies[target] = data if scenario == "retrieve" else (data["count"], data["results"])
        reference = bodies[targets[0]]
        for target, data in bodies.items():
            if data != reference:
                sys.exit(f"{target} {scenario} returns different data than {targets[0]}")


def count_queries(client: Client, url: str | WriteRequest) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        if isinstance(url, WriteRequest):
            answer = client.get(url.url, url.method, url.body, url.headers)
        else:
            client.get(url)
    if isinstance(url, WriteRequest):
        undo(url, answer)
    return len(ctx.captured_queries)


# -- latency ---------------------------------------------------------------------------------


@dataclass
class Latency:
    samples: dict[tuple[str, str], list[float]] = field(default_factory=dict)

    def add(self, target: str, scenario: str, seconds: float) -> None:
        self.samples.setdefault((target, scenario), []).append(seconds)

    def median(self, target: str, scenario: str) -> float:
        return statistics.median(self.samples[(target, scenario)])

    def p95(self, target: str, scenario: str) -> float:
        return statistics.quantiles(self.samples[(target, scenario)], n=20)[18]

    def ratio(self, target: str, baseline: str, scenario: str) -> float:
        return self.median(target, scenario) / self.median(baseline, scenario)


def measure(
    client: Client,
    targets: list[str],
    scenarios: tuple[str, ...],
    vacancy_id: str,
    rounds: int,
    warmup: int,
    seed: int = 0,
    write_scenarios: tuple[str, ...] = (),
    fixtures: dict[str, Any] | None = None,
) -> Latency:
    rng = random.Random(seed)
    urls = {(t, s): scenario_url(t, s, vacancy_id) for t in targets for s in scenarios}
    for _ in range(warmup):
        for url in urls.values():
            client.get(url)
    writes = {
        (t, s): write_request(t, s, fixtures)
        for t in WRITE_TARGETS
        if t in targets
        for s in write_scenarios
    }
    for _ in range(warmup):
        for request in writes.values():
            client.write(request)
    latency = Latency()
    for _ in range(rounds):
        for scenario in scenarios:
            for target in rng.sample(targets, len(targets)):
                latency.add(target, scenario, client.timed(urls[(target, scenario)]))
        for scenario in write_scenarios:
            write_targets = [t for t in WRITE_TARGETS if t in targets]
            for target in rng.sample(write_targets, len(write_targets)):
                latency.add(target, scenario, client.timed_write(writes[(target, scenario)]))
    return latency


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def latency_table(
    latency: Latency, queries: dict[tuple[str, str], int], targets: list[str]
) -> list[str]:
    lines = [
        "| scenario | target | queries | median ms | p95 ms | vs drf-hand | vs ninja |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for scenario in (*SCENARIOS, *WRITE_SCENARIOS):
        for target in targets:
            if (target, scenario) not in latency.samples:
                continue
            vs_hand = latency.ratio(target, BASELINE, scenario)
            vs_ninja = (
                f"{latency.ratio(target, 'ninja', scenario):.2f}x"
                if ("ninja", scenario) in latency.samples
                else "-"
            )
            lines.append(
                f"| {scenario} | {target} | {queries[(target, scenario)]} "
                f"| {ms(latency.median(target, scenario))} | {ms(latency.p95(target, scenario))} "
                f"| {vs_hand:.2f}x | {vs_ninja} |"
            )
    return lines


# -- throughput (wrk against gunicorn) --------------------------------------------------------


def wrk_binary() -> str:
    path = shutil.which("wrk")
    if not path:
        sys.exit("wrk is not installed (Debian: apt-get install wrk; `make bench` does it)")
    return path


def start_gunicorn(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.api.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "testproject"), str(ROOT)]),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "benchmarks.api.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120  # a busy 2-core machine boots Django slowly
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/skills/", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    stop(process)
    sys.exit("gunicorn did not answer within 120 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@dataclass
class WrkRun:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(url: str, seconds: int, connections: int) -> WrkRun:
    out = subprocess.run(
        [
            wrk_binary(),
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        sys.exit(f"wrk saw errors from {url}:\n{out}")
    total = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", out)
    assert total, out
    duration = float(total[2]) * {"ms": 0.001, "s": 1.0, "m": 60.0}[total[3]]
    # The "Latency Distribution" lines ("     50%  153.22ms"), not a "71.50%" stdev column.
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    assert p50 and p99, out
    return WrkRun(int(total[1]), duration, _ms(p50[1]), _ms(p99[1]))


def throughput(
    targets: list[str],
    scenarios: tuple[str, ...],
    vacancy_id: str,
    seconds: int,
    port: int,
    workers: int,
    connections: int,
) -> list[str]:
    """wrk per target and scenario, ``seconds`` in all per target, in interleaved slices.

    One long run per target would give each its own stretch of the shared machine's load;
    slices of at most 5 s in a rotating order spread the load over all targets.
    """
    wrk_binary()
    slices = max(1, seconds // 5)
    slice_seconds = max(1, seconds // slices)
    process = start_gunicorn(port, workers)
    lines = [
        f"wrk -t1 -c{connections}, {slices * slice_seconds} s per target and scenario in "
        f"{slices} interleaved slices of {slice_seconds} s, against gunicorn ({workers} sync "
        "workers) on 127.0.0.1, after 1 s of untimed warm-up per target. p50/p99: median "
        "and worst of the slices.",
        "",
        "| scenario | target | requests/s | p50 ms | p99 ms | vs drf-hand |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    try:
        for scenario in scenarios:
            for target in targets:  # warm both workers up (connections, caches); untimed
                run_wrk(
                    f"http://127.0.0.1:{port}{scenario_url(target, scenario, vacancy_id)}",
                    1,
                    connections,
                )
            runs: dict[str, list[WrkRun]] = {target: [] for target in targets}
            for k in range(slices):
                order = targets[k % len(targets) :] + targets[: k % len(targets)]
                for target in order:
                    url = f"http://127.0.0.1:{port}{scenario_url(target, scenario, vacancy_id)}"
                    runs[target].append(run_wrk(url, slice_seconds, connections))
            rps = {
                t: sum(r.requests for r in rs) / sum(r.seconds for r in rs)
                for t, rs in runs.items()
            }
            for target in targets:
                p50 = statistics.median(r.p50_ms for r in runs[target])
                p99 = max(r.p99_ms for r in runs[target])
                vs = rps[target] / rps[BASELINE] if rps.get(BASELINE) else float("nan")
                lines.append(
                    f"| {scenario} | {target} | {rps[target]:.1f} | {p50:.1f} | {p99:.1f} "
                    f"| {vs:.2f}x |"
                )
                print(f"  wrk {scenario:9} {target:10} {rps[target]:8.1f} req/s", flush=True)
        lines += ["", *peak_rss(process)]
    finally:
        stop(process)
    return lines


def peak_rss(process: subprocess.Popen[bytes]) -> list[str]:
    """The peak resident set (VmHWM) of each gunicorn worker, after every target ran in it."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    pids = children.read_text().split() if children.exists() else []
    peaks = []
    for pid in pids:
        status = Path(f"/proc/{pid}/status")
        match = (
            re.search(r"^VmHWM:\s+(\d+) kB", status.read_text(), re.M) if status.exists() else None
        )
        if match:
            peaks.append(int(match[1]) / 1024)
    if not peaks:
        return ["Peak RSS per worker: not readable here (no /proc)."]
    figures = ", ".join(f"{mb:.1f} MB" for mb in peaks)
    print(f"  peak RSS per worker: {figures}", flush=True)
    return [
        f"Peak RSS per gunicorn worker (VmHWM, all targets served by the same workers): {figures}."
    ]


# -- profiling ----------------------------------------------------------------------------------


def profile(client: Client, spec: str, vacancy_id: str, requests: int) -> None:
    target, scenario = spec.split(":")
    url = scenario_url(target, scenario, vacancy_id)
    for _ in range(20):
        client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs().sort_stats("cumulative")
    stats.print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


# -- main ---------------------------------------------------------------------------------------


def environment() -> list[str]:
    import django
    import ninja
    import rest_framework
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Python {platform.python_version()}, Django {django.get_version()}, "
        f"DRF {rest_framework.VERSION}, django-ninja {ninja.__version__}, PostgreSQL {pg}",
        f"- {os.cpu_count()} CPUs, load average before the run: {load} "
        "(the machine is shared: read the ratios, not the absolute numbers)",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fast gate, no RESULTS.md")
    parser.add_argument("--rounds", type=int, help="timed rounds (default 300, check 150)")
    parser.add_argument("--warmup", type=int, help="untimed rounds first (default 30, check 15)")
    parser.add_argument("--wrk-seconds", type=int, help="per target (default 20, check 3)")
    parser.add_argument("--no-wrk", action="store_true")
    parser.add_argument("--port", type=int, default=8301)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--profile", metavar="TARGET:SCENARIO")
    parser.add_argument("--profile-requests", type=int, default=300)
    parser.add_argument("--output", type=Path, help=f"results file (full run: {RESULTS})")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(
            "set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/typed_api_bench"
        )
    ensure_database(url)

    import django

    django.setup()
    vacancy_id = prepare_data()
    client = Client()
    if args.profile:
        profile(client, args.profile, vacancy_id, args.profile_requests)
        return 0

    # drf-naive (300+ queries a page) is left to the full run: it would dominate the time.
    targets = ["drf-hand", "typed", "ninja"] if args.check else list(TARGETS)
    rounds = args.rounds or (150 if args.check else 300)
    args.warmup = args.warmup if args.warmup is not None else (15 if args.check else 30)
    check_equivalent(client, ["typed", *[t for t in targets if t != "typed"]], vacancy_id)
    fixtures = write_fixtures(vacancy_id)
    queries = {
        (t, s): count_queries(client, scenario_url(t, s, vacancy_id))
        for t in targets
        for s in SCENARIOS
    }
    queries.update(
        {
            (t, s): count_queries(client, write_request(t, s, fixtures))
            for t in WRITE_TARGETS
            for s in WRITE_SCENARIOS
        }
    )
    started = time.monotonic()
    print(f"latency: {rounds} interleaved rounds after {args.warmup} warm-up rounds", flush=True)
    latency = measure(
        client, targets, SCENARIOS, vacancy_id, rounds, args.warmup, 0, WRITE_SCENARIOS, fixtures
    )
    restore_patched(fixtures)
    failures = over_gate(latency)
    if failures:
        # One more, longer measurement of what failed: a 2-core machine shared with other
        # processes has bad moments; a real regression fails twice.
        print(
            "over the gate on "
            + "; ".join(f"{s} ({', '.join(r)})" for s, r in failures.items())
            + "; measuring those again",
            flush=True,
        )
        reads = tuple(s for s in SCENARIOS if s in failures)
        writes = tuple(s for s in WRITE_SCENARIOS if s in failures)
        again = measure(client, targets, reads, vacancy_id, rounds * 2, 10, 1, writes, fixtures)
        restore_patched(fixtures)
        for key, samples in again.samples.items():
            latency.samples[key] = samples
        failures = over_gate(latency)
    elapsed = time.monotonic() - started

    lines = [
        HEADING,
        "",
        "Generated by `make bench` (`benchmarks/api/run.py`); see benchmarks/README.md.",
        "",
        *environment(),
        f"- {SEED_COUNT} seeded vacancies; {rounds} interleaved rounds after {args.warmup} "
        f"warm-up rounds ({elapsed:.0f} s); in-process WSGI, full middleware stack",
        "",
        "### Latency",
        "",
        *latency_table(latency, queries, targets),
        "",
    ]
    summary = [
        "typed / drf-hand: "
        + ", ".join(
            f"{s} {latency.ratio('typed', BASELINE, s):.3f}x (gate {GATES[(s, BASELINE)]})"
            for s in (*SCENARIOS, *WRITE_SCENARIOS)
        ),
        "typed / ninja:    "
        + ", ".join(
            f"{s} {latency.ratio('typed', 'ninja', s):.3f}x (gate {GATES[(s, 'ninja')]})"
            for s in SCENARIOS
        ),
    ]
    if not args.no_wrk:
        seconds = args.wrk_seconds or (3 if args.check else 20)
        wrk_targets = targets
        lines += [
            "### Throughput",
            "",
            *throughput(
                wrk_targets,
                SCENARIOS,
                vacancy_id,
                seconds,
                args.port,
                args.workers,
                args.connections,
            ),
            "",
        ]
    print("\n".join(lines))
    print("\n".join(summary))
    output = args.output or (None if args.check else RESULTS)
    if output:
        write_section(HEADING, "\n".join(lines), output)
        print(f"wrote {output}")
    if failures:
        print(
            "FAIL: TypedModelViewSet over the gate on "
            + ", ".join(f"{s} ({', '.join(r)})" for s, r in failures.items()),
            file=sys.stderr,
        )
        return 1
    print("OK: TypedModelViewSet within every gate (GATES in benchmarks/api/run.py)")
    return 0


def over_gate(latency: Latency) -> dict[str, list[str]]:
    """scenario -> the gates typed's median is over, e.g. {"retrieve": ["1.21x ninja"]}."""
    failures: dict[str, list[str]] = {}
    for (scenario, baseline), limit in GATES.items():
        if ("typed", scenario) not in latency.samples or (
            baseline,
            scenario,
        ) not in latency.samples:
            continue
        ratio = latency.ratio("typed", baseline, scenario)
        if ratio > limit:
            failures.setdefault(scenario, []).append(f"{ratio:.2f}x {baseline} > {limit}")
    return failures


if __name__ == "__main__":
    sys.exit(main())
