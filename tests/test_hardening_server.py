"""Hardening through a real server: gunicorn (4 sync workers) on PostgreSQL, DEBUG off.

The requests of issue 14's attack run that did not hold, sent again with ``requests`` (and a
raw socket where ``requests`` would clean the request up): each must answer a small 4xx
envelope quickly. The figures are measured and printed (``pytest -s``), not assumed.
Run by ``make test-errors``.
"""

from __future__ import annotations

import json
import secrets
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from .live_server import LEAKS, LiveServer, live_server

pytestmark = [pytest.mark.errors_integration, pytest.mark.integration]

PORTS = range(9710, 9730)
JSON = {"Content-Type": "application/json"}
SMALL = 16 * 1024
TWO_MB_OF_INTS = json.dumps({"skills": [1] * 1_000_000}, separators=(",", ":"))


@dataclass
class Server:
    live: LiveServer
    build: Path

    @property
    def url(self) -> str:
        return self.live.url

    def auth(self) -> dict[str, str]:
        return {**JSON, "Authorization": f"Bearer {self.live.login()['access']}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("spa")
    build = root / "build"
    build.mkdir()
    (build / "index.html").write_text("<!doctype html><title>Vacancies</title>")
    (root / "secret.txt").write_text("outside the build")
    env = {"TESTPROJECT_ERROR_PROBES": "1", "FRONTEND_BUILD_DIR": str(build)}
    # Four sync workers, as in the attack run: one slow request per worker froze them all.
    with live_server("h_harden", ports=PORTS, seed=10, workers=4, threads=1, env=env) as live:
        yield Server(live, build)


def envelope(response: requests.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text[:500]
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "status_code", "message", "code"}
    assert body["code"] == code, body
    assert not LEAKS.search(response.text), response.text[:500]
    return body


def timed(send: Any) -> tuple[requests.Response, float]:
    started = time.perf_counter()
    response = send()
    return response, time.perf_counter() - started


def raw(server: Server, request: bytes) -> bytes:
    """One HTTP/1.0 exchange over a socket (no chunked answer): the bytes go out exactly as
    written."""
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


# -- 1. error amplification -----------------------------------------------------------------


def search_with_two_mb_of_ints(server: Server) -> requests.Response:
    return requests.post(
        f"{server.url}/api/jobs/search/", data=TWO_MB_OF_INTS, headers=JSON, timeout=60
    )


def test_two_mb_of_ints_answer_fast_with_a_small_body(server: Server) -> None:
    search_with_two_mb_of_ints(server)  # each worker imports the schema side once
    response, elapsed = timed(lambda: search_with_two_mb_of_ints(server))
    print(
        f"\n2 MB of ints (anonymous search): {elapsed:.3f} s, {len(response.content)} bytes"
        f" (request {len(TWO_MB_OF_INTS)} bytes)"
    )
    envelope(response, 400, "invalid")
    assert elapsed < 1
    assert len(response.content) < SMALL


def test_a_create_with_240000_copies_of_a_slug_is_refused_at_once(server: Server) -> None:
    headers = server.auth()
    company = requests.get(f"{server.url}/api/companies/", timeout=30).json()["results"][0]
    slug = requests.get(f"{server.url}/api/skills/", timeout=30).json()[0]["slug"]
    body = {"title": "Backend developer", "company_id": company["id"], "skills": [slug] * 240_000}
    response, elapsed = timed(
        lambda: requests.post(
            f"{server.url}/api/vacancies/", json=body, headers=headers, timeout=60
        )
    )
    print(f"\n240,000 copies of a slug (create): {elapsed:.3f} s, {len(response.content)} bytes")
    error = envelope(response, 400, "invalid")["error"]
    assert error == {"skills": ["Ensure this field has no more than 1000 elements."]}
    assert elapsed < 1

    body["skills"] = [slug] * 1000  # at the bound: accepted, one lookup for all of them
    response, elapsed = timed(
        lambda: requests.post(
            f"{server.url}/api/vacancies/", json=body, headers=headers, timeout=60
        )
    )
    print(f"1,000 copies of a slug (create): {elapsed:.3f} s, status {response.status_code}")
    assert response.status_code == 201, response.text[:500]
    assert response.json()["skills"] == [slug]
    assert elapsed < 2


def test_a_normal_get_is_unaffected_by_four_attacks_in_parallel(server: Server) -> None:
    def get_list() -> float:
        return timed(lambda: requests.get(f"{server.url}/api/vacancies/", timeout=30))[1]

    quiet = min(get_list() for _ in range(3))
    with ThreadPoolExecutor(max_workers=5) as pool:
        attacks = [pool.submit(timed, lambda: search_with_two_mb_of_ints(server)) for _ in range(4)]
        time.sleep(0.05)
        during = get_list()
        answered = [future.result() for future in attacks]
    slowest = max(elapsed for _, elapsed in answered)
    print(
        f"\nGET /api/vacancies/: {quiet:.3f} s alone, {during:.3f} s during four 2 MB attacks"
        f" (slowest attack answered in {slowest:.3f} s)"
    )
    assert all(response.status_code == 400 for response, _ in answered)
    assert slowest < 3
    assert during < 3


# -- 2. cheap 500s --------------------------------------------------------------------------


def test_deeply_nested_json_is_a_parse_error(server: Server) -> None:
    body = "[" * 50_000 + "]" * 50_000
    response = requests.post(f"{server.url}/api/jobs/search/", data=body, headers=JSON, timeout=30)
    envelope(response, 400, "parse_error")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/auth/login/", '{"username": "\\ud800", "password": "x"}'),
        ("/api/jobs/search/", '{"employment_type": "\\ud800"}'),
    ],
    ids=["login username", "echoed choice"],
)
def test_a_lone_surrogate_is_a_parse_error(server: Server, path: str, body: str) -> None:
    response = requests.post(f"{server.url}{path}", data=body, headers=JSON, timeout=30)
    envelope(response, 400, "parse_error")


@pytest.mark.parametrize("charset", ["zlib", "bogus"])
def test_an_unknown_charset_with_a_non_ascii_query_is_415(server: Server, charset: str) -> None:
    answer = raw(
        server,
        b"GET /api/vacancies/?search=%C3%A9 HTTP/1.0\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json; charset=" + charset.encode() + b"\r\n"
        b"Connection: close\r\n\r\n",
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b" ", 2)[1] == b"415", answer[:300]
    assert b"Content-Type: application/json" in head
    assert json.loads(body)["code"] == "unsupported_media_type"


def test_every_500_is_logged_with_its_traceback(server: Server) -> None:
    before = server.live.log.read_text(errors="replace")
    response = requests.get(f"{server.url}/api/_probes/crash/", timeout=30)
    envelope(response, 500, "server_error")
    deadline = time.monotonic() + 5
    while (new := server.live.log.read_text(errors="replace")[len(before) :]) and (
        "Traceback" not in new and time.monotonic() < deadline
    ):
        time.sleep(0.1)
    assert "Traceback (most recent call last)" in new, new[-2000:]
    assert "/api/_probes/crash/" in new


# -- 7. secure by default -------------------------------------------------------------------


def test_anonymous_writes_are_refused(server: Server) -> None:
    vacancy = requests.get(f"{server.url}/api/vacancies/", timeout=30).json()["results"][0]
    url = f"{server.url}/api/vacancies/{vacancy['id']}/"
    for response in (
        requests.post(f"{server.url}/api/vacancies/", json={"title": "x"}, timeout=30),
        requests.patch(url, json={"title": "x"}, timeout=30),
        requests.delete(url, timeout=30),
    ):
        envelope(response, 401, "not_authenticated")


def test_a_browser_gets_json_and_never_the_browsable_api(server: Server) -> None:
    html = {"Accept": "text/html"}
    envelope(requests.get(f"{server.url}/api/nope/", headers=html, timeout=30), 404, "not_found")
    envelope(
        requests.get(f"{server.url}/api/vacancies/", headers=html, timeout=30),
        406,
        "not_acceptable",
    )
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    page = requests.get(f"{server.url}/api/vacancies/", headers=browser, timeout=30)
    assert page.headers["Content-Type"] == "application/json"


# -- 8. smaller items -----------------------------------------------------------------------


def test_a_page_that_is_not_a_number_is_400_and_past_the_end_404(server: Server) -> None:
    envelope(requests.get(f"{server.url}/api/vacancies/?page=abc", timeout=30), 400, "invalid")
    envelope(requests.get(f"{server.url}/api/vacancies/?page=999", timeout=30), 404, "not_found")


def test_a_closed_vacancy_cannot_be_reopened_then_deleted_by_non_staff(server: Server) -> None:
    headers = server.auth()
    company = requests.get(f"{server.url}/api/companies/", timeout=30).json()["results"][0]
    created = requests.post(
        f"{server.url}/api/vacancies/",
        json={"title": "Closed role", "company_id": company["id"], "status": "closed"},
        headers=headers,
        timeout=30,
    )
    assert created.status_code == 201, created.text[:300]
    url = f"{server.url}/api/vacancies/{created.json()['id']}/"
    reopen = requests.patch(url, json={"status": "published"}, headers=headers, timeout=30)
    envelope(reopen, 403, "permission_denied")
    envelope(requests.delete(url, headers=headers, timeout=30), 403, "permission_denied")
    assert requests.get(url, timeout=30).json()["status"] == "closed"


def test_the_spa_fallback_is_no_file_existence_oracle(server: Server) -> None:
    def answer(path: bytes) -> bytes:
        reply = raw(
            server, b"GET " + path + b" HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        head, _, body = reply.partition(b"\r\n\r\n")
        return head.split(b"\r\n", 1)[0] + b"|" + body

    existing = answer(b"/..%2Fsecret.txt")
    missing = answer(b"/..%2Fmissing-" + secrets.token_hex(4).encode() + b".txt")
    print(f"\n../secret.txt -> {existing[:40]!r}; ../missing -> {missing[:40]!r}")
    assert existing == missing
    assert existing.split(b" ", 2)[1] == b"200" and b"<title>Vacancies</title>" in existing
