"""drf-spectacular's own test suite, run with TypedAutoSchema: what stays, what changes, why.

The peer suite runs in its own venv (see peer.py) in four modes; these tests check the
recorded results (see compare.py and expectations.yaml). Run with ``make test-compat``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from . import conftest
from .compare import ModeResult, details, load_expectations, outcome_counts, run_comparison, summary
from .peer import CACHE, run_modes

pytestmark = pytest.mark.compat

OUT = CACHE / "out"
TYPED_MODES = ("typed", "preset")
SHOWN = 200  # offenders listed in a failure message; all of them are in out/<mode>/report.txt


@pytest.fixture(scope="session")
def peer_results() -> tuple[dict[str, Any], dict[str, ModeResult]]:
    seconds = run_modes()
    stock_tests, results = run_comparison(OUT, TYPED_MODES)
    text = summary(stock_tests, results, seconds)
    (OUT / "summary.txt").write_text(text + "\n")
    conftest.SUMMARY[:] = [text]
    return stock_tests, {r.mode: r for r in results}


def _offenders(title: str, rows: list[str], mode: str) -> str:
    shown = "\n".join(f"  {row}" for row in rows[:SHOWN])
    more = f"\n  ... {len(rows) - SHOWN} more" if len(rows) > SHOWN else ""
    report = Path(OUT / mode / "report.txt")
    return f"[{mode}] {len(rows)} {title} (all in {report}):\n{shown}{more}"


def test_stock_run_fails_exactly_the_known_environment_failures(peer_results: Any) -> None:
    stock_tests, _ = peer_results
    known = load_expectations()["stock_known_failures"]
    failing = {t for t, e in stock_tests.items() if e["outcome"] in ("failed", "error")}
    assert failing == set(known), (
        f"stock drf-spectacular no longer matches upstream: newly failing "
        f"{sorted(failing - set(known))}, no longer failing {sorted(set(known) - failing)}"
    )
    assert outcome_counts(stock_tests)["passed"] > 500


@pytest.mark.parametrize("mode", TYPED_MODES)
def test_no_crash(peer_results: Any, mode: str) -> None:
    result: ModeResult = peer_results[1][mode]
    rows = [f"{t}: {c}" for t, c in result.crashes] + [
        f"{t}: test crashed: {e['exception']} at {e['crash_frames'][-1]}"
        for t, e in sorted(result.tests.items())
        if e.get("crash")
    ]
    if rows:
        pytest.fail(_offenders("crashes", rows, mode), pytrace=False)


@pytest.mark.parametrize("mode", TYPED_MODES)
def test_no_lost_information(peer_results: Any, mode: str) -> None:
    result: ModeResult = peer_results[1][mode]
    rows = [f"{t}: {d.short()}" for t, d in result.lost]
    if rows:
        pytest.fail(_offenders("pieces of lost information", rows, mode), pytrace=False)


@pytest.mark.parametrize("mode", TYPED_MODES)
def test_no_operation_id_collision_stock_does_not_have(peer_results: Any, mode: str) -> None:
    result: ModeResult = peer_results[1][mode]
    rows = [f"{t}: typed {ids} (stock {s or 'none'})" for t, ids, s in result.collisions]
    if rows:
        pytest.fail(
            _offenders("schemas with new operationId collisions", rows, mode), pytrace=False
        )


@pytest.mark.parametrize("mode", TYPED_MODES)
def test_every_difference_is_explained(peer_results: Any, mode: str) -> None:
    result: ModeResult = peer_results[1][mode]
    rows = [f"{t}: {d.short()}" for t, d in result.unexplained]
    if rows:
        pytest.fail(_offenders("unexplained differences", rows, mode), pytrace=False)


@pytest.mark.parametrize("mode", TYPED_MODES)
def test_every_schema_stock_generated_is_compared(peer_results: Any, mode: str) -> None:
    """A peer test that stops early in a typed mode hides its later schemas from the diff."""
    result: ModeResult = peer_results[1][mode]
    known = load_expectations().get("known_not_reached", {})
    rows = [label for label in result.not_reached if label.split(" (")[0] not in known]
    if rows:
        pytest.fail(_offenders("schemas never generated in this mode", rows, mode), pytrace=False)


def test_every_known_unreached_schema_is_still_unreached(peer_results: Any) -> None:
    known = load_expectations().get("known_not_reached", {})
    unreached = {label.split(" (")[0] for r in peer_results[1].values() for label in r.not_reached}
    stale = sorted(set(known) - unreached)
    if stale:
        pytest.fail(f"known_not_reached entries now compared (delete them): {stale}", pytrace=False)


def test_every_expectation_category_still_explains_something(peer_results: Any) -> None:
    """A category nothing matches any more is stale: delete it, or the suite explains too much."""
    used = {name for r in peer_results[1].values() for name in r.by_category}
    unused = [c.name for c in load_expectations()["categories"] if c.name not in used]
    if unused:
        pytest.fail(f"expectations.yaml categories that match nothing: {unused}", pytrace=False)


def test_reports_are_written(peer_results: Any) -> None:
    for mode, result in peer_results[1].items():
        assert (OUT / mode / "report.txt").read_text() == details(result, limit=10**6) + "\n"
