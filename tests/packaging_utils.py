"""Build the distributions once per test session and install the wheel into fresh venvs.

Shared by the packaging tests and the docs tests, which both need "the package as a user gets
it from PyPI": the wheel built by ``python -m build`` from this checkout, installed with its
runtime dependencies only, in a virtual environment that has never seen the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
_cache: dict[str, Path] = {}


@dataclass(frozen=True)
class Dists:
    wheel: Path
    sdist: Path


def uv() -> str:
    """uv from this venv (``make install`` puts it there) or from PATH."""
    candidate = Path(sys.executable).with_name("uv")
    found = str(candidate) if candidate.exists() else shutil.which("uv")
    if not found:
        pytest.fail("uv is needed to create fresh venvs: pip install uv")
    return found


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment minus what ties a child to the checkout (pytest-django's
    settings module, PYTHONPATH, the dev venv)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH", "VIRTUAL_ENV"}
    }
    env.update(extra)
    return env


def _run(cmd: list[str], cwd: Path, timeout: float, env: dict[str, str]) -> Any:
    return subprocess.run(
        [str(part) for part in cmd],
        cwd=cwd,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def run(cmd: list[str], cwd: Path, timeout: float = 300, **env: str) -> str:
    """Run a command, failing the test with its output when it fails."""
    proc = _run(cmd, cwd, timeout, env)
    if proc.returncode != 0:
        pytest.fail(
            f"`{' '.join(map(str, cmd))}` exited {proc.returncode}\n"
            f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
        )
    return proc.stdout + proc.stderr


def run_failing(cmd: list[str], cwd: Path, timeout: float = 300, **env: str) -> str:
    """Run a command that must fail; its output."""
    proc = _run(cmd, cwd, timeout, env)
    if proc.returncode == 0:
        pytest.fail(f"`{' '.join(map(str, cmd))}` should have failed:\n{proc.stdout}")
    return proc.stdout + proc.stderr


def build_dists(tmp_path_factory: pytest.TempPathFactory) -> Dists:
    """``python -m build`` (sdist, then the wheel from the sdist, as PyPI users get it).

    ``DIST_DIR`` names distributions built already: ``make test-packaging`` and the release
    workflow test the very files ``make dist`` built (and the release publishes).
    """
    if "dist" not in _cache:
        if os.environ.get("DIST_DIR"):
            _cache["dist"] = Path(os.environ["DIST_DIR"]).resolve()
        else:
            out = tmp_path_factory.mktemp("dist")
            command = [sys.executable, "-m", "build", "--installer", "uv", "--outdir", str(out)]
            run([*command, "."], ROOT)
            _cache["dist"] = out
    out = _cache["dist"]
    wheels = sorted(out.glob("*.whl"))
    sdists = sorted(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in out.iterdir())
    return Dists(wheel=wheels[0], sdist=sdists[0])


def fresh_venv(directory: Path) -> Path:
    """An empty venv on this interpreter (no pip, no repository on sys.path)."""
    run([uv(), "venv", "--quiet", "--python", sys.executable, str(directory)], directory.parent)
    return directory


def pip_venv(directory: Path) -> Path:
    """A venv with pip and nothing else, as ``python -m venv`` gives a reader."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    run(
        [uv(), "venv", "--quiet", "--seed", "--python", sys.executable, str(directory)],
        directory.parent,
    )
    return directory


def install_command(venv: Path, wheel: Path) -> list[str]:
    return [uv(), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), str(wheel)]


def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One venv per session with the built wheel and its runtime dependencies installed.

    Each test makes its own project directory; sharing the venv saves an install per test.
    """
    if "venv" not in _cache:
        dists = build_dists(tmp_path_factory)
        venv = fresh_venv(tmp_path_factory.mktemp("wheel-venv") / "venv")
        run(install_command(venv, dists.wheel), venv.parent)
        _cache["venv"] = venv
    return _cache["venv"]
