"""The JWT auth under attack and outage, through gunicorn on PostgreSQL (DEBUG off), issue 14:

- login throttling cannot be sidestepped with invented ``X-Forwarded-For`` addresses, and the
  admin's login counts against the same limits;
- N concurrent refreshes with one refresh token give exactly one new pair;
- revocation survives the cache: a Redis restart, or per-process caches, revive no
  logged-out token; ``logoutAll`` and a password change end every session;
- outages answer 503 ``service_unavailable`` with ``Retry-After``: Redis down (authenticated
  requests keep working from the database, revoked tokens stay refused, login fails closed),
  PostgreSQL down (and the first request after it is back succeeds, no restart);
- every 500 is logged with its traceback.

Redis and the PostgreSQL that a test stops are private processes on ports 9400-9499, started
and killed here: the machine's shared servers are never touched. Runs in ``make test-auth``
(marker ``auth_redis``); every measured figure is printed (``-s``).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier
from typing import Any

import pytest
import requests

from .conftest import require
from .live_server import LEAKS, LiveServer, free_port, live_server

pytestmark = [pytest.mark.auth_redis, pytest.mark.integration]

SERVER_PORTS = range(9400, 9440)
REDIS_PORTS = range(9440, 9470)
PG_PORTS = range(9470, 9499)
ADDRESS_RATE = 20  # the preset's TYPED_API["AUTH_LOGIN_THROTTLE_RATES"], per minute
USERNAME_RATE = 5
PROFILE = "/api/user/profile/"


# -- private servers ----------------------------------------------------------------------


class PrivateRedis:
    """A redis-server of our own, without persistence: stopping it is an outage, starting it
    again is a restart that lost every key."""

    def __init__(self) -> None:
        require(shutil.which("redis-server") is not None, "redis-server is not installed")
        self.port = free_port(REDIS_PORTS)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.ping():
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.2).ping())
        except redis.RedisError:
            return False

    def flush(self) -> None:
        import redis

        redis.Redis(port=self.port).flushdb()


class PrivatePostgres:
    """A PostgreSQL cluster of our own in a temporary directory, run as the postgres user."""

    def __init__(self) -> None:
        require(shutil.which("initdb") is not None, "PostgreSQL's initdb is not installed")
        self.port = free_port(PG_PORTS)
        self.dir = Path(tempfile.mkdtemp(prefix="typed-api-pg-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        self.as_postgres("initdb", "-D", f"{self.dir}/data", "-A", "trust", "-U", "postgres")

    def as_postgres(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if shutil.which("runuser") else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    def pg_ctl(self, *args: str) -> None:
        self.as_postgres("pg_ctl", "-D", f"{self.dir}/data", "-w", *args)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self.pg_ctl("-o", options, "-l", f"{self.dir}/log", "start")

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def redis_server() -> Iterator[PrivateRedis]:
    redis = PrivateRedis()
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@pytest.fixture(scope="module")
def server(redis_server: PrivateRedis) -> Iterator[LiveServer]:
    """Three workers sharing the private Redis, with the failing-on-purpose probes."""
    env = {"REDIS_URL": redis_server.url, "TESTPROJECT_ERROR_PROBES": "1"}
    with live_server("typed_api_auth_hardening", ports=SERVER_PORTS, workers=3, env=env) as s:
        yield s


@pytest.fixture
def fresh_counters(redis_server: PrivateRedis) -> None:
    """Every test starts with no login attempts counted (and nothing cached)."""
    if not redis_server.ping():
        redis_server.start()
    redis_server.flush()


# -- helpers ----------------------------------------------------------------------------------


def in_a_fresh_window() -> None:
    """The counters reset on the minute; start well inside one so a burst is not split."""
    if time.time() % 60 > 40:
        time.sleep(60.5 - time.time() % 60)


def login(server: LiveServer, username: str, password: str, **headers: str) -> Any:
    return requests.post(
        f"{server.url}/api/auth/login/",
        json={"username": username, "password": password},
        headers=headers,
        timeout=30,
    )


def get_profile(server: LiveServer, access: str) -> Any:
    return requests.get(
        f"{server.url}{PROFILE}", headers={"Authorization": f"Bearer {access}"}, timeout=30
    )


def refresh(server: LiveServer, refresh_token: str) -> Any:
    return requests.post(
        f"{server.url}/api/auth/refresh/", json={"refresh": refresh_token}, timeout=30
    )


def create_user(server: LiveServer, password: str) -> str:
    username = f"user-{uuid.uuid4().hex[:8]}"
    server.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_user({username!r}, password={password!r})",
    )
    return username


def concurrent_refreshes(server: LiveServer, token: str, count: int) -> list[Any]:
    """``count`` refreshes with one token, sent at the same instant from ``count`` threads."""
    barrier = Barrier(count)

    def attempt(_: int) -> Any:
        barrier.wait()
        return refresh(server, token)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(attempt, range(count)))


def assert_envelope(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text[:500]
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error", "status_code", "message", "code"}
    assert (body["status_code"], body["code"]) == (status, code), body
    assert not LEAKS.search(response.text), response.text
    return dict(body)


def assert_unavailable(response: Any) -> None:
    assert_envelope(response, 503, "service_unavailable")
    assert 1 <= int(response.headers["Retry-After"]) <= 60


# -- 3. login throttling that cannot be sidestepped ------------------------------------------


def test_invented_forwarded_addresses_do_not_escape_the_address_throttle(
    server: LiveServer, fresh_counters: None
) -> None:
    in_a_fresh_window()
    statuses = Counter(
        login(server, f"guess-{n}", "wrong", **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code
        for n in range(30)
    )
    print(f"\n30 logins, each with an invented X-Forwarded-For: {dict(statuses)}")
    assert statuses == {401: ADDRESS_RATE, 429: 30 - ADDRESS_RATE}


def test_the_admin_login_is_throttled_with_the_api_login_counters(
    server: LiveServer, fresh_counters: None
) -> None:
    in_a_fresh_window()
    username = f"victim-{uuid.uuid4().hex[:8]}"
    api = [login(server, username, "wrong").status_code for _ in range(3)]
    browser = requests.Session()
    browser.get(f"{server.url}/admin/login/", timeout=30)
    admin = []
    for n in range(4):
        response = browser.post(
            f"{server.url}/admin/login/",
            data={
                "username": username,
                "password": f"guess-{n}",
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            },
            timeout=30,
        )
        admin.append(response.status_code)
    print(f"\n{username}: API login {api}, then admin login {admin}")
    assert api == [401, 401, 401]
    assert admin == [200, 200, 429, 429]  # 200: the form again, "enter a correct username"
    assert 1 <= int(response.headers["Retry-After"]) <= 60


# -- 4. refresh-token rotation race ---------------------------------------------------------


def test_eight_concurrent_refreshes_with_one_token_give_exactly_one_new_pair(
    server: LiveServer, fresh_counters: None
) -> None:
    pairs = []
    for _ in range(3):
        responses = concurrent_refreshes(server, server.login()["refresh"], 8)
        winners = [r for r in responses if r.status_code == 200]
        pairs.append(len(winners))
        for response in responses:
            if response.status_code != 200:
                assert_envelope(response, 401, "token_not_valid")
        assert get_profile(server, winners[0].json()["access"]).status_code == 200
    print(f"\n8 concurrent refreshes with one token, 3 rounds: new pairs {pairs}")
    assert pairs == [1, 1, 1]


# -- 5. revocation that survives the cache ----------------------------------------------------


def test_a_logged_out_access_token_stays_refused_after_redis_restarts(
    server: LiveServer, redis_server: PrivateRedis, fresh_counters: None
) -> None:
    tokens = server.login()
    logout = requests.post(
        f"{server.url}/api/auth/logout/",
        json={"refresh": tokens["refresh"]},
        headers={"Authorization": f"Bearer {tokens['access']}"},
        timeout=30,
    )
    assert logout.status_code == 204

    redis_server.stop()
    redis_server.start()  # empty: no persistence

    statuses = Counter(get_profile(server, tokens["access"]).status_code for _ in range(12))
    print(f"\nlogged-out access token after a Redis restart, 12 requests: {dict(statuses)}")
    assert statuses == {401: 12}
    assert get_profile(server, tokens["access"]).json()["message"] == "Token has been revoked."


def test_logout_all_ends_every_session_of_the_user(
    server: LiveServer, fresh_counters: None
) -> None:
    password = "first-password"
    username = create_user(server, password)
    phone, laptop = (login(server, username, password).json() for _ in range(2))

    response = requests.post(
        f"{server.url}/api/auth/logout-all/",
        headers={"Authorization": f"Bearer {phone['access']}"},
        timeout=30,
    )
    assert response.status_code == 204

    for session in (phone, laptop):
        assert_envelope(get_profile(server, session["access"]), 401, "token_not_valid")
        assert_envelope(refresh(server, session["refresh"]), 401, "token_not_valid")
    again = login(server, username, password).json()
    assert get_profile(server, again["access"]).status_code == 200
    assert refresh(server, again["refresh"]).status_code == 200


def test_a_password_change_revokes_the_users_access_and_refresh_tokens(
    server: LiveServer, fresh_counters: None
) -> None:
    username = create_user(server, "old-password")
    tokens = login(server, username, "old-password").json()
    assert get_profile(server, tokens["access"]).status_code == 200

    server.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"u = User.objects.get(username={username!r}); u.set_password('new-password'); u.save()",
    )

    assert_envelope(get_profile(server, tokens["access"]), 401, "token_not_valid")
    assert_envelope(refresh(server, tokens["refresh"]), 401, "token_not_valid")
    fresh = login(server, username, "new-password").json()
    assert get_profile(server, fresh["access"]).status_code == 200


# -- 6. outages answer 503 ------------------------------------------------------------------


def test_while_redis_is_down_tokens_work_from_the_database_and_login_answers_503(
    server: LiveServer, redis_server: PrivateRedis, fresh_counters: None
) -> None:
    valid = server.login()
    revoked = server.login()
    requests.post(
        f"{server.url}/api/auth/logout/",
        json={"refresh": revoked["refresh"]},
        headers={"Authorization": f"Bearer {revoked['access']}"},
        timeout=30,
    )
    redis_server.stop()
    try:
        started = time.monotonic()
        valid_statuses = Counter(get_profile(server, valid["access"]).status_code for _ in range(9))
        per_request = (time.monotonic() - started) / 9
        revoked_statuses = Counter(
            get_profile(server, revoked["access"]).status_code for _ in range(9)
        )
        print(
            f"\nRedis down: valid token {dict(valid_statuses)} ({per_request * 1000:.0f} ms "
            f"each), revoked token {dict(revoked_statuses)}"
        )
        assert valid_statuses == {200: 9}
        assert revoked_statuses == {401: 9}
        assert refresh(server, valid["refresh"]).status_code == 200
        assert_unavailable(login(server, "demo", "demo-password"))
        assert_unavailable(requests.get(f"{server.url}/api/_probes/cache/", timeout=30))
        assert_unavailable(requests.get(f"{server.url}/api/_probes/django-cache/", timeout=30))
    finally:
        redis_server.start()
    assert login(server, "demo", "demo-password").status_code == 200


def test_every_server_error_is_logged_with_its_traceback(server: LiveServer) -> None:
    response = requests.get(f"{server.url}/api/_probes/crash/", timeout=30)
    assert_envelope(response, 500, "server_error")
    deadline = time.monotonic() + 5
    while "RuntimeError" not in server.log_tail(20000) and time.monotonic() < deadline:
        time.sleep(0.1)
    log = server.log_tail(20000)
    assert "ERROR django.request: Internal Server Error: /api/_probes/crash/" in log
    assert "Traceback (most recent call last)" in log
    assert "RuntimeError: probe-secret" in log


# -- per-process caches -------------------------------------------------------------------


def test_with_per_process_caches_a_logout_holds_in_every_worker() -> None:
    with live_server("typed_api_auth_locmem", ports=SERVER_PORTS, workers=4) as server:
        tokens = server.login()
        # Every worker sees the token as valid (and caches what it may) before the logout.
        assert Counter(get_profile(server, tokens["access"]).status_code for _ in range(16)) == {
            200: 16
        }
        logout = requests.post(
            f"{server.url}/api/auth/logout/",
            json={"refresh": tokens["refresh"]},
            headers={"Authorization": f"Bearer {tokens['access']}"},
            timeout=30,
        )
        assert logout.status_code == 204
        statuses = Counter(get_profile(server, tokens["access"]).status_code for _ in range(32))
    print(f"\nlogged-out token, 4 workers with LocMemCache, 32 requests: {dict(statuses)}")
    assert statuses == {401: 32}


# -- PostgreSQL down ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivatePostgres]:
    postgres = PrivatePostgres()
    postgres.start()
    try:
        yield postgres
    finally:
        try:
            postgres.stop()
        finally:
            postgres.remove()


def test_while_postgresql_is_down_requests_answer_503_and_recover_without_restart(
    private_postgres: PrivatePostgres,
) -> None:
    with live_server(
        "typed_api_pg_outage", ports=SERVER_PORTS, workers=2, pg_url=private_postgres.url
    ) as server:
        tokens = server.login()
        private_postgres.stop()
        try:
            started = time.monotonic()
            down = [
                requests.get(f"{server.url}/api/vacancies/", timeout=30),
                get_profile(server, tokens["access"]),
                login(server, "demo", "demo-password"),
            ]
            elapsed = (time.monotonic() - started) / len(down)
            print(
                f"\nPostgreSQL down: {[r.status_code for r in down]} ({elapsed * 1000:.0f} ms each)"
            )
            for response in down:
                assert_unavailable(response)
        finally:
            private_postgres.start()
        # Every worker, each with a persistent connection that died: no request fails.
        after = Counter(
            response.status_code
            for _ in range(6)
            for response in (
                requests.get(f"{server.url}/api/vacancies/", timeout=30),
                get_profile(server, tokens["access"]),
            )
        )
        print(f"PostgreSQL back, no restart: {dict(after)}")
        assert after == {200: 12}
