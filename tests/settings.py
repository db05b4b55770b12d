"""The testproject's settings for the in-process suite.

The testproject refuses to start with DEBUG off and no ``DJANGO_SECRET_KEY``; the suite runs
with DEBUG off, so it brings a random key of its own. It is set in the environment, so the
servers and ``manage.py`` runs the suite starts share it (tokens minted here verify there).
"""

import os
import secrets

os.environ.setdefault("DJANGO_SECRET_KEY", f"tests-{secrets.token_urlsafe(40)}")

from testproject.settings import *  # noqa: F403
