"""The testproject served by gunicorn on 127.0.0.1 with its own PostgreSQL database.

Shared by the suites that drive a real server (error envelope, schema fuzzing, load): each
gets a fresh database (created, migrated, seeded, dropped afterwards, also when the suite
fails) and a gunicorn with ``DEBUG`` off, so they see what production would answer::

    with live_server("typed_api_fuzz", ports=range(8701, 8720), workers=2) as server:
        requests.get(f"{server.url}/api/vacancies/")

Not a pytest fixture itself: suites wrap it in fixtures of the scope they need. A missing
PostgreSQL skips locally and fails under ``CI=true`` (``conftest.require``).
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
TESTPROJECT = ROOT / "testproject"
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
#: What no response may contain with DEBUG off: a traceback, a Python file path, SQL, driver or
#: exception class names.
LEAKS = re.compile(
    r"Traceback|File \"|\.py\b|/usr/|/srv/|site-packages|\b(SELECT|INSERT|UPDATE|WHERE)\b"
    r"|psycopg|IntegrityError|DataError|RuntimeError|violates|constraint",
)
#: The demo user ``manage.py seed_vacancies`` creates.
DEMO_CREDENTIALS = {"username": "demo", "password": "demo-password"}


@dataclass
class LiveServer:
    url: str
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes]
    database: str
    _tokens: dict[str, str] = field(default_factory=dict)

    def manage(self, *args: str) -> str:
        """``manage.py`` against the server's database (same settings and environment)."""
        return manage(self.env, *args)

    def login(self, credentials: Mapping[str, str] = DEMO_CREDENTIALS) -> dict[str, str]:
        """Tokens from ``POST /api/auth/login/``, as a client would get them."""
        response = requests.post(f"{self.url}/api/auth/login/", json=dict(credentials), timeout=30)
        assert response.status_code == 200, response.text[:500]
        return dict(response.json())

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


def database_url(name: str, pg_url: str = PG_URL) -> str:
    return urlunsplit(urlsplit(pg_url)._replace(path=f"/{name}"))


def psql(sql: str, pg_url: str = PG_URL) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as connection:
        connection.execute(sql)


def free_port(ports: Iterable[int]) -> int:
    """The first port of ``ports`` nobody listens on and that can be bound."""
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports}")


def manage(env: Mapping[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=TESTPROJECT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _wait_until_up(server: LiveServer, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(f"{server.url}/api/skills/", timeout=30).status_code == 200:
                return
        except requests.RequestException:
            pass
        assert server.process.poll() is None, f"gunicorn exited:\n{server.log_tail()}"
        assert time.monotonic() < deadline, f"gunicorn did not answer in {timeout:.0f} s"
        time.sleep(0.3)


@contextmanager
def live_server(
    name: str,
    *,
    ports: Iterable[int],
    seed: int = 20,
    workers: int = 1,
    threads: int = 4,
    env: Mapping[str, str] | None = None,
    gunicorn_args: Iterable[str] = (),
    pg_url: str = PG_URL,
) -> Iterator[LiveServer]:
    """gunicorn on a fresh database ``<name>_<pid>`` seeded with ``seed`` vacancies.

    ``env`` adds or overrides environment variables of ``manage.py`` and gunicorn (a value
    of ``""`` removes one). ``REDIS_URL`` is removed unless given: each worker then has its
    own memory cache. ``pg_url`` names another PostgreSQL server (e.g. a private one a test
    stops and starts).
    """
    from .conftest import require

    try:
        psql("SELECT 1", pg_url)
    except Exception as exc:
        require(False, f"PostgreSQL at {pg_url} is needed: {exc}")
    database = f"{name}_{os.getpid()}"
    psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', pg_url)
    psql(f'CREATE DATABASE "{database}"', pg_url)
    server_env = {
        **os.environ,
        "DATABASE_URL": database_url(database, pg_url),
        "DJANGO_DEBUG": "0",
        # The project's own settings (the suite's tests.settings only adds a key) and the
        # suite's random key, or the servers refuse to start with DEBUG off.
        "DJANGO_SETTINGS_MODULE": "testproject.settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "PYTHONPATH": f"{TESTPROJECT}{os.pathsep}{ROOT}",
    }
    server_env.pop("REDIS_URL", None)
    for key, value in (env or {}).items():
        if value:
            server_env[key] = value
        else:
            server_env.pop(key, None)
    process = None
    log_dir = Path(tempfile.mkdtemp(prefix=f"{name}-gunicorn-"))
    log = log_dir / "gunicorn.log"
    try:
        manage(server_env, "migrate", "--noinput", "-v0")
        manage(server_env, "seed_vacancies", "--count", str(seed))
        port = free_port(ports)
        with log.open("w") as log_file:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "testproject.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(workers),
                    "--threads",
                    str(threads),
                    "--timeout",
                    "60",
                    "--no-control-socket",  # gunicorn >= 27: one shared path for every server
                    *gunicorn_args,
                ],
                cwd=TESTPROJECT,
                env=server_env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        server = LiveServer(f"http://127.0.0.1:{port}", server_env, log, process, database)
        _wait_until_up(server)
        yield server
    finally:
        if process is not None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', pg_url)
