"""Fetch and run drf-spectacular's own test suite against the package.

``prepare()`` downloads the sdist of the drf-spectacular version the project's venv has
(``pip download --no-binary :all:``), checks that it is that version, unpacks it and builds a
venv for it (the package editable, the same Django/DRF/drf-spectacular as the project's venv,
and the peer's contrib dependencies from requirements.txt). ``run_modes()`` runs the peer
suite once per mode, in parallel, with ``peer_plugin`` recording every schema. All of it lives
in ``tests/compat/.cache`` (git-ignored) and is reused while the versions stay put.

    python tests/compat/peer.py            # prepare and run the three modes
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CACHE = HERE / ".cache"
VENV = CACHE / "venv"
#: stock is the upstream baseline; stock-preset is the baseline for preset (see peer_plugin).
MODES = ("stock", "typed", "preset", "stock-preset")
#: Pinned to what the project's venv has, so the peer suite tests the versions users get.
PINNED = ("drf-spectacular", "Django", "djangorestframework")
PEER_ARGS = (
    # the peer's own options: GIS needs the GDAL system library; without it those tests are
    # expected to fail (upstream's switch for exactly this)
    "--allow-skip-extra-system-req",
)


#: Runs that do not involve the package's schema class: reused while their inputs are equal.
BASELINES = ("stock", "stock-preset")
PACKAGE = "django_typed_api"


def preset_spectacular_settings() -> dict[str, object]:
    """The package's SPECTACULAR_SETTINGS preset, from presets.py or (before issue 12's
    rename) defaults.py."""
    from importlib import import_module

    for module in (f"{PACKAGE}.presets", f"{PACKAGE}.defaults"):
        try:
            return dict(import_module(module).SPECTACULAR_SETTINGS)
        except (ImportError, AttributeError):
            continue
    raise RuntimeError(f"no SPECTACULAR_SETTINGS preset in {PACKAGE}.presets or .defaults")


def baseline_key(mode: str) -> str:
    """What a baseline run depends on: versions, contrib pins, the plugin, the preset."""
    parts = [
        mode,
        *(f"{d}=={installed_version(d)}" for d in PINNED),
        (HERE / "requirements.txt").read_text(),
        (HERE / "peer_plugin.py").read_text(),
        (HERE / "peer.py").read_text(),
    ]
    if mode == "stock-preset":
        parts.append(json.dumps(preset_spectacular_settings(), sort_keys=True, default=str))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def installed_version(dist: str) -> str:
    return importlib.metadata.version(dist)


def peer_dir() -> Path:
    return CACHE / f"drf_spectacular-{installed_version('drf-spectacular')}"


def _sdist_version(pkg_info: Path) -> str:
    for line in pkg_info.read_text().splitlines():
        if line.startswith("Version:"):
            return line.split(":", 1)[1].strip()
    raise RuntimeError(f"no Version in {pkg_info}")


def prepare() -> Path:
    """The unpacked peer sdist, checked to be the installed drf-spectacular version."""
    version = installed_version("drf-spectacular")
    CACHE.mkdir(exist_ok=True)
    target = peer_dir()
    if not target.exists():
        archive = CACHE / f"drf_spectacular-{version}.tar.gz"
        if not archive.exists():
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "-q", "--no-binary", ":all:",
                 "--no-deps", f"drf-spectacular=={version}", "-d", str(CACHE)],
                check=True,
            )  # fmt: skip
        with tarfile.open(archive) as tar:
            tar.extractall(CACHE, filter="data")
    found = _sdist_version(target / "PKG-INFO")
    if found != version:
        raise RuntimeError(f"peer sdist is drf-spectacular {found}, installed is {version}")
    _prepare_venv()
    return target


def _prepare_venv() -> None:
    pins = [f"{dist}=={installed_version(dist)}" for dist in PINNED]
    requirements = HERE / "requirements.txt"
    stamp = VENV / ".compat-installed"
    wanted = "\n".join([*pins, requirements.read_text()])
    if stamp.exists() and stamp.read_text() == wanted:
        return
    uv = [str(Path(sys.executable).parent / "uv")]
    if not VENV.exists():
        subprocess.run([*uv, "venv", "-q", "--python", sys.executable, str(VENV)], check=True)
    subprocess.run(
        [*uv, "pip", "install", "-q", "--python", str(VENV / "bin" / "python"),
         "-e", str(ROOT), *pins, "-r", str(requirements)],
        check=True,
    )  # fmt: skip
    stamp.write_text(wanted)


def out_dir(mode: str) -> Path:
    return CACHE / "out" / mode


def run_modes(modes: tuple[str, ...] = MODES) -> dict[str, float]:
    """Run the peer suite once per mode (in parallel); returns each mode's seconds.

    A baseline run (stock, stock-preset) whose inputs did not change since its last run is
    reused (its seconds are reported as 0); ``COMPAT_FRESH=1`` runs it again anyway."""
    target = prepare()
    fresh = os.environ.get("COMPAT_FRESH") == "1"
    keys = {mode: baseline_key(mode) for mode in modes if mode in BASELINES}
    reused = {
        mode
        for mode, key in keys.items()
        if not fresh
        and (out_dir(mode) / "tests.json").exists()
        and (out_dir(mode) / "baseline.key").exists()
        and (out_dir(mode) / "baseline.key").read_text() == key
    }
    ini = CACHE / "peer-pytest.ini"
    ini.write_text("[pytest]\n")  # not the project's pyproject (its addopts, its markers)
    started: dict[str, tuple[subprocess.Popen[bytes], float]] = {}
    for mode in modes:
        if mode in reused:
            continue
        out = out_dir(mode)
        out.mkdir(parents=True, exist_ok=True)
        for stale in ("tests.json", "baseline.key"):
            (out / stale).unlink(missing_ok=True)
        env = {
            **os.environ,
            "COMPAT_MODE": mode,
            "COMPAT_OUT": str(out),
            "PYTHONPATH": str(HERE),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        cmd = [
            str(VENV / "bin" / "python"), "-m", "pytest", "-c", str(ini),
            f"--rootdir={target}", f"--confcutdir={target}", "-p", "peer_plugin",
            "-p", "no:cacheprovider", "-q", "--tb=short", "-W", "ignore", *PEER_ARGS, "tests",
        ]  # fmt: skip
        with open(out / "pytest.log", "wb") as log:
            proc = subprocess.Popen(cmd, cwd=target, env=env, stdout=log, stderr=subprocess.STDOUT)
        started[mode] = (proc, time.monotonic())
    seconds: dict[str, float] = dict.fromkeys(reused, 0.0)
    for mode, (proc, start) in started.items():
        proc.wait(timeout=600)
        seconds[mode] = time.monotonic() - start
        if not (out_dir(mode) / "tests.json").exists():
            log_tail = (out_dir(mode) / "pytest.log").read_text()[-3000:]
            raise RuntimeError(f"peer suite did not finish in mode {mode}:\n{log_tail}")
        if mode in keys:
            (out_dir(mode) / "baseline.key").write_text(keys[mode])
    return seconds


if __name__ == "__main__":
    print(run_modes(tuple(sys.argv[1:]) or MODES))
