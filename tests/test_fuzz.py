"""Schema fuzzing: schemathesis against the testproject, anonymous and with a JWT.

gunicorn serves the testproject on 127.0.0.1 with DEBUG off and a fresh, migrated and seeded
PostgreSQL database (tests/live_server.py). Schemathesis reads the served schema and runs every
operation through its phases (examples, coverage, fuzzing, stateful) with every check
(``--checks all``: server errors, documented status codes, content types, headers and bodies,
schema-valid requests accepted, schema-violating ones refused, auth enforced, ...) plus
``no_internals_leaked`` (tests/fuzz/hooks.py), from a fixed seed, for a bounded number of
examples and seconds. Any failure fails the test with schemathesis' report, which has a curl
command to reproduce it.

What the configuration narrows, and why, is written next to it in tests/fuzz/schemathesis.toml
and tests/fuzz/hooks.py. Run by ``make test-fuzz`` (part of ``make test``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from .live_server import LiveServer, live_server

pytestmark = [pytest.mark.fuzz, pytest.mark.integration]

ROOT = Path(__file__).resolve().parent.parent
FUZZ = ROOT / "tests" / "fuzz"
PORTS = range(8701, 8720)
#: Fixed, so a failure reproduces; FUZZ_SEED=N explores elsewhere.
SEED = int(os.environ.get("FUZZ_SEED", "20261124"))
#: Per operation and phase; the time bound below usually ends a run first.
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "40"))
#: Hard bound per run (anonymous, authenticated), seconds.
MAX_SECONDS = int(os.environ.get("FUZZ_MAX_SECONDS", "90"))


@dataclass
class FuzzTarget:
    server: LiveServer
    access_token: str
    relations: Path


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzTarget]:
    # An access token that outlives both runs; logging in first, because the anonymous run
    # fuzzes the login endpoint until its throttle answers 429.
    env = {"E2E_ACCESS_TOKEN_SECONDS": "1800"}
    # gunicorn refuses request lines over 4094 bytes with its own HTML 414 before Django sees
    # them; array query parameters of generated unicode pass that. The API is under test, not
    # gunicorn's limit (a deployment sets its own at its proxy): no limit here.
    gunicorn = ["--limit-request-line", "0"]
    with live_server(
        "typed_api_fuzz", ports=PORTS, seed=20, workers=2, env=env, gunicorn_args=gunicorn
    ) as server:
        access = server.login()["access"]
        relations = tmp_path_factory.mktemp("fuzz") / "relations.json"
        relations.write_text(
            server.manage(
                "shell",
                "-c",
                "import json; from vacancies.models import Company, Location, Skill; "
                "print(json.dumps({"
                "'companies': [str(pk) for pk in Company.objects.values_list('pk', flat=True)], "
                "'locations': [str(pk) for pk in Location.objects.values_list('pk', flat=True)], "
                "'skills': list(Skill.objects.values_list('slug', flat=True))}))",
            ).splitlines()[-1]
        )
        yield FuzzTarget(server, access, relations)


def fuzz(target: FuzzTarget, tmp_path: Path, *options: str) -> tuple[str, dict[str, int]]:
    """Run schemathesis; its output and the counts of its summary."""
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(FUZZ / "schemathesis.toml"),
        "run",
        f"{target.server.url}/api/schema/",
        "--checks",
        "all",
        "--seed",
        str(SEED),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--max-time",
        str(MAX_SECONDS),
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
        *options,
    ]
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": str(FUZZ / "hooks.py"),
        "FUZZ_RELATIONS": str(target.relations),
    }
    result = subprocess.run(
        command,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=MAX_SECONDS + 120,
    )
    output = result.stdout + result.stderr
    print(summary(output))
    assert result.returncode == 0, (
        failures(output) + "\n--- server log ---\n" + target.server.log_tail()
    )
    return output, counts(output)


def failures(output: str) -> str:
    """What went wrong first (schemathesis' failures and errors, each with its curl command),
    then the summary: a CI log cut to its first lines still shows the cause."""
    start = output.find("FAILURES")
    errors = output.find("ERRORS")
    starts = [i for i in (start, errors) if i != -1]
    head = output[min(starts) :] if starts else output
    return head[:15000] + "\n" + summary(output)


def summary(output: str) -> str:
    start = output.rfind("SUMMARY")
    return output[start:] if start != -1 else output[-3000:]


def counts(output: str) -> dict[str, int]:
    """``6508 generated, 9 found 9 unique failures, 12 skipped`` and ``Tested: 18``."""
    found = {
        name: int(number)
        for number, name in re.findall(r"(\d+) (generated|skipped|unique failures)", output)
    }
    tested = re.search(r"Tested: (\d+)", output)
    filtered = re.search(r"Filtered: (\d+)", output)
    found["operations"] = int(tested.group(1)) if tested else 0
    found["filtered"] = int(filtered.group(1)) if filtered else 0
    return found


def operation_count(target: FuzzTarget) -> int:
    schema = requests.get(f"{target.server.url}/api/schema/?format=json", timeout=30).json()
    return sum(
        1
        for item in schema["paths"].values()
        for method in item
        if method in {"get", "put", "post", "patch", "delete"}
    )


def test_anonymous_fuzzing_finds_nothing(target: FuzzTarget, tmp_path: Path) -> None:
    output, found = fuzz(target, tmp_path)
    assert "No issues found" in output or found.get("unique failures", 0) == 0
    assert found["operations"] == operation_count(target)
    assert found["generated"] >= 1000


def test_authenticated_fuzzing_finds_nothing(target: FuzzTarget, tmp_path: Path) -> None:
    # logoutAll would end the fuzzer's own session and leave every later case a 401; the
    # anonymous run fuzzes it, tests/test_auth_revocation.py covers what it does.
    output, found = fuzz(
        target,
        tmp_path,
        "--header",
        f"Authorization: Bearer {target.access_token}",
        "--exclude-operation-id",
        "logoutAll",
    )
    assert "No issues found" in output or found.get("unique failures", 0) == 0
    assert found["operations"] == operation_count(target) - 1
    assert found["generated"] >= 1000
    # The token worked: the signed-in user's profile was reached, not only its 401.
    assert "Authentication failed" not in output or "GET /api/user/profile/" not in output
