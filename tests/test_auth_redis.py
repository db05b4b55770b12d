"""Two gunicorn processes sharing Redis: login throttling and logout hold across processes.

Each process has its own memory, so these pass only because the counters and the denylist
live in the shared cache; the LocMemCache control shows the same attack getting twice the
attempts through two processes. Runs only in ``make test-auth`` (marker ``auth_redis``), which
makes sure Redis is up; under CI=true a missing Redis fails the run instead of skipping.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from .conftest import require

pytestmark = [pytest.mark.auth_redis, pytest.mark.integration]

ROOT = Path(__file__).resolve().parent.parent
TESTPROJECT = ROOT / "testproject"
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/1"
USERNAME_RATE = 5  # the preset's TYPED_API["AUTH_LOGIN_THROTTLE_RATES"]["username"], per minute


def redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]


def server_env(database: Path, redis: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["SQLITE_NAME"] = str(database)
    env["CACHE_KEY_PREFIX"] = f"itest-{uuid.uuid4().hex}"  # fresh counters every run
    if redis:
        env["REDIS_URL"] = REDIS_URL
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [str(BIN / "python"), "manage.py", *args, "--skip-checks"],
        cwd=TESTPROJECT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


def start_servers(env: dict[str, str], count: int) -> Iterator[list[Server]]:
    """``count`` single-worker gunicorn processes with the same settings."""
    servers = []
    for _ in range(count):
        port = free_port()
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "testproject.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                "--workers=1",
                "--log-level=warning",
            ],
            cwd=TESTPROJECT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        servers.append(Server(f"http://127.0.0.1:{port}", process))
    try:
        for server in servers:
            wait_until_up(server)
        yield servers
    finally:
        for server in servers:
            server.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        for server in servers:
            server.process.wait(timeout=30)


def wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {server.process.stderr.read().decode()}")  # type: ignore[union-attr]
        try:
            if requests.get(f"{server.url}/api/skills/", timeout=10).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.url} did not come up in 60 s")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file with the demo user, shared by every server of the module."""
    path = tmp_path_factory.mktemp("auth-servers") / "db.sqlite3"
    env = server_env(path, redis=False)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_vacancies", "--count", "1")
    return path


@pytest.fixture(scope="module")
def redis_servers(database: Path) -> Iterator[list[Server]]:
    require(redis_is_up(), "Redis is not running on 127.0.0.1:6379 (make test-auth starts it)")
    yield from start_servers(server_env(database, redis=True), 2)


@pytest.fixture(scope="module")
def locmem_servers(database: Path) -> Iterator[list[Server]]:
    yield from start_servers(server_env(database, redis=False), 2)


def in_a_fresh_window() -> None:
    """The counters reset on the minute; start well inside one so the burst is not split."""
    if time.time() % 60 > 35:
        time.sleep(60.5 - time.time() % 60)


def hammer(servers: list[Server], username: str, attempts: int) -> list[tuple[int, Any]]:
    """``attempts`` wrong-password logins spread over the servers, four at a time."""

    def attempt(n: int) -> tuple[int, Any]:
        server = servers[n % len(servers)]
        response = requests.post(
            f"{server.url}/api/auth/login/",
            json={"username": username, "password": f"guess-{n}"},
            timeout=60,
        )
        return n % len(servers), response

    in_a_fresh_window()
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(attempt, range(attempts)))


def test_login_attempts_are_counted_once_across_two_processes(
    redis_servers: list[Server],
) -> None:
    results = hammer(redis_servers, f"victim-{uuid.uuid4().hex[:8]}", attempts=12)

    statuses = Counter(response.status_code for _, response in results)
    assert statuses == {401: USERNAME_RATE, 429: 12 - USERNAME_RATE}
    refused_by = {server for server, response in results if response.status_code == 429}
    assert refused_by == {0, 1}  # both processes saw the shared count
    for _, response in results:
        if response.status_code == 429:
            body = response.json()
            assert body["code"] == "throttled"
            assert body["status_code"] == 429
            assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_with_a_per_process_cache_each_process_counts_alone(
    locmem_servers: list[Server],
) -> None:
    """The control: the same attack on LocMemCache gets the rate once per process."""
    results = hammer(locmem_servers, f"victim-{uuid.uuid4().hex[:8]}", attempts=12)

    statuses = Counter(response.status_code for _, response in results)
    assert statuses == {401: 2 * USERNAME_RATE, 429: 12 - 2 * USERNAME_RATE}


def test_logout_in_one_process_revokes_the_access_token_in_the_other(
    redis_servers: list[Server],
) -> None:
    first, second = redis_servers
    tokens = requests.post(
        f"{first.url}/api/auth/login/",
        json={"username": "demo", "password": "demo-password"},
        timeout=60,
    ).json()
    auth = {"Authorization": f"Bearer {tokens['access']}"}
    assert requests.get(f"{second.url}/api/user/profile/", headers=auth, timeout=10).ok

    logout = requests.post(
        f"{first.url}/api/auth/logout/",
        json={"refresh": tokens["refresh"]},
        headers=auth,
        timeout=10,
    )
    assert logout.status_code == 204

    refused = requests.get(f"{second.url}/api/user/profile/", headers=auth, timeout=10)
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_not_valid"
    assert refused.json()["message"] == "Token has been revoked."
