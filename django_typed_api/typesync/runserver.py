"""``TYPED_API["SYNC_TYPES_ON_RUNSERVER"]``: ``manage.py runserver`` also keeps the types in sync.

The watcher runs in a thread of runserver's *reloader* process, the parent that restarts the
server after each edit, so it lives as long as the command does and keeps its warm Node
worker across the server's restarts. (Overriding the ``runserver`` command instead would
fight ``django.contrib.staticfiles`` and other apps that override it.)
"""

from __future__ import annotations

import os
import sys
import threading

from django.utils import autoreload

from ..conf import typed_api_settings
from .files import SyncError
from .pipeline import Targets
from .watch import Watcher


def is_runserver_supervisor(argv: list[str]) -> bool:
    """True in the process that runs for the whole ``runserver`` command: the reloader's
    parent, or the only process with ``--noreload``."""
    return (
        len(argv) > 1
        and argv[1] == "runserver"
        and os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) != "true"
    )


def start_with_runserver(argv: list[str] | None = None) -> threading.Thread | None:
    """Start the watcher when the setting is on and this is runserver's supervisor."""
    if not typed_api_settings.SYNC_TYPES_ON_RUNSERVER:
        return None
    if not is_runserver_supervisor(sys.argv if argv is None else argv):
        return None

    def write(line: str) -> None:
        sys.stderr.write(f"sync_types: {line}\n")
        sys.stderr.flush()

    def run() -> None:
        try:
            targets = Targets.from_settings()
            if targets.note:
                write(targets.note)
            Watcher(targets, write=write).run()
        except SyncError as exc:
            write(f"error: {exc} Type sync is off until runserver restarts.")

    thread = threading.Thread(target=run, name="typed-api-sync-types", daemon=True)
    thread.start()
    return thread
