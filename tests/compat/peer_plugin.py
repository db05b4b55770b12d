"""pytest plugin loaded into drf-spectacular's own test suite (``-p peer_plugin``).

It changes the peer's settings only by the mode under test and records, without changing any
peer test, what each test did:

- ``COMPAT_MODE=stock``: nothing changed (the baseline).
- ``COMPAT_MODE=typed``: ``DEFAULT_SCHEMA_CLASS`` is ``TypedAutoSchema`` and
  ``django_typed_api`` is installed, as docs/migrating.md step 1 says.
- ``COMPAT_MODE=preset``: as ``typed``, plus the package's ``SPECTACULAR_SETTINGS`` preset
  (and ``drf_spectacular_sidecar``, which the preset requires) and the package's
  ``EXCEPTION_HANDLER`` (docs/migrating.md step 3), so the error envelope is documented: the
  package adds error responses only where its handler answers.
- ``COMPAT_MODE=stock-preset``: the baseline for ``preset``: drf-spectacular's own AutoSchema
  with the preset's drf-spectacular settings (``COMPONENT_SPLIT_REQUEST``,
  ``SERVE_INCLUDE_SCHEMA``...) but without the package's own postprocessing hooks, so that
  what the settings do to plain drf-spectacular is not counted as the package's difference.

Every ``SchemaGenerator.get_schema`` call is recorded (rendered to JSON exactly as the peer's
``assert_schema`` renders it, or the exception it raised, plus the warnings it emitted) into
``$COMPAT_OUT/schemas.jsonl``, keyed by test id and call index; each test's outcome goes to
``$COMPAT_OUT/tests.json``. ``compare.py`` pairs the typed records with the stock ones.
"""

from __future__ import annotations

import json
import os
import traceback
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from peer import preset_spectacular_settings

MODE = os.environ.get("COMPAT_MODE", "stock")
OUT = Path(os.environ.get("COMPAT_OUT", "compat-out"))
PACKAGE = "django_typed_api"
HANDLER = f"{PACKAGE}.errors.exception_handler"


def typed_schema_class() -> str:
    """Dotted path of TypedAutoSchema: ``schema.py``, or ``openapi/schema.py`` after issue 12's
    restructure (found without importing it: Django is not configured yet)."""
    for module in (f"{PACKAGE}.schema", f"{PACKAGE}.openapi.schema"):
        try:
            if find_spec(module) is not None:
                return f"{module}.TypedAutoSchema"
        except ModuleNotFoundError:
            continue
    raise RuntimeError(f"TypedAutoSchema not found in {PACKAGE}.schema or .openapi.schema")


_state: dict[str, Any] = {"test": "<collection>", "index": {}, "warnings": None}
_tests: dict[str, dict[str, Any]] = {}


def mode_settings(options: dict[str, Any]) -> dict[str, Any]:
    """The peer's ``settings.configure(**options)`` with the mode's changes applied."""
    if MODE == "stock":
        return options
    options = dict(options)
    apps = list(options.get("INSTALLED_APPS", ()))
    if MODE in ("typed", "preset"):
        options["REST_FRAMEWORK"] = {
            **options.get("REST_FRAMEWORK", {}),
            "DEFAULT_SCHEMA_CLASS": typed_schema_class(),
        }
        apps.append(PACKAGE)
    if MODE in ("preset", "stock-preset"):
        preset = preset_spectacular_settings()
        if MODE == "stock-preset":
            preset["POSTPROCESSING_HOOKS"] = [
                hook
                for hook in preset.get("POSTPROCESSING_HOOKS", [])
                if not (isinstance(hook, str) and hook.startswith(PACKAGE))
            ] or ["drf_spectacular.hooks.postprocess_schema_enums"]
        options["SPECTACULAR_SETTINGS"] = {**options.get("SPECTACULAR_SETTINGS", {}), **preset}
        apps.append("drf_spectacular_sidecar")
    if MODE == "preset":
        options["REST_FRAMEWORK"] = {**options["REST_FRAMEWORK"], "EXCEPTION_HANDLER": HANDLER}
    options["INSTALLED_APPS"] = tuple(apps)
    return options


def _install_settings_hook() -> None:
    from django.conf import LazySettings

    configure = LazySettings.configure

    def configure_for_mode(self: Any, default_settings: Any = None, **options: Any) -> None:
        if default_settings is None:
            configure(self, **mode_settings(options))
        else:
            configure(self, default_settings, **mode_settings(options))

    LazySettings.configure = configure_for_mode  # type: ignore[method-assign]


def _package_frames(tb: Any) -> list[str]:
    return [
        f"{frame.filename.split('site-packages/')[-1]}:{frame.lineno} {frame.name}"
        for frame in traceback.extract_tb(tb)
        if f"/{PACKAGE}/" in frame.filename
    ]


def _write(record: dict[str, Any]) -> None:
    with open(OUT / "schemas.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, sort_keys=True, default=str) + "\n")


def _install_recorder() -> None:
    from drf_spectacular.drainage import GeneratorStats
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    emit = GeneratorStats.emit

    def recording_emit(self: Any, msg: str, severity: str) -> None:
        if _state["warnings"] is not None:
            _state["warnings"].append(f"{severity}: {msg}")
        emit(self, msg, severity)

    GeneratorStats.emit = recording_emit  # type: ignore[method-assign]
    get_schema = SchemaGenerator.get_schema

    def recording_get_schema(self: Any, *args: Any, **kwargs: Any) -> Any:
        test = _state["test"]
        index = _state["index"].get(test, 0)
        _state["index"][test] = index + 1
        record: dict[str, Any] = {"test": test, "index": index}
        from drf_spectacular.settings import spectacular_settings

        # Enum names the project chose: a typed schema must keep them.
        record["enum_overrides"] = sorted(spectacular_settings.ENUM_NAME_OVERRIDES or {})
        outer, _state["warnings"] = _state["warnings"], []
        try:
            schema = get_schema(self, *args, **kwargs)
        except BaseException as exc:
            record["crash"] = f"{type(exc).__name__}: {exc}"
            record["crash_frames"] = _package_frames(exc.__traceback__)
            record["warnings"] = _state["warnings"]
            _state["warnings"] = outer
            _write(record)
            raise
        record["warnings"] = _state["warnings"]
        _state["warnings"] = outer
        try:
            record["schema"] = json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))
        except Exception as exc:  # unrenderable: the peer's assert_schema would fail as well
            record["crash"] = f"render {type(exc).__name__}: {exc}"
            record["crash_frames"] = _package_frames(exc.__traceback__)
        _write(record)
        return schema

    SchemaGenerator.get_schema = recording_get_schema  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "schemas.jsonl").write_text("")


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    # The peer's conftest has configured Django by now (its pytest_configure).
    _install_recorder()


def pytest_runtest_logstart(nodeid: str, location: Any) -> None:
    _state["test"] = nodeid


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    outcome = yield
    report = outcome.get_result()
    entry = _tests.setdefault(item.nodeid, {"outcome": "passed"})
    if report.when == "call" or report.outcome != "passed":
        if report.skipped:
            entry["outcome"] = "xfailed" if hasattr(report, "wasxfail") else "skipped"
        elif report.failed:
            entry["outcome"] = "failed" if report.when == "call" else "error"
        elif hasattr(report, "wasxfail"):
            entry["outcome"] = "xpassed"
    if call.excinfo is not None and report.failed:
        exc = call.excinfo.value
        entry["exception"] = f"{type(exc).__name__}: {str(exc)[:300]}"
        frames = _package_frames(call.excinfo.tb)
        # A crash: anything but a failed assertion, raised from inside the package.
        if frames and not isinstance(exc, AssertionError):
            entry["crash"] = True
            entry["crash_frames"] = frames


def pytest_sessionfinish(session: pytest.Session) -> None:
    (OUT / "tests.json").write_text(json.dumps(_tests, indent=1, sort_keys=True))


_install_settings_hook()
