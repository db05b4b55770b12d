"""Prints the peer suite's summary at the end of ``make test-compat``."""

from __future__ import annotations

from typing import Any

import pytest

#: Filled by test_compat.peer_results; printed whether the checks pass or fail.
SUMMARY: list[str] = []


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if SUMMARY:
        terminalreporter.write_sep("=", "drf-spectacular compatibility summary")
        terminalreporter.write_line(SUMMARY[0])
