"""Benchmark-only settings: the testproject, plus the baseline endpoints under /api/bench/.

Nothing here changes how the testproject's own endpoints run: same middleware, database,
REST_FRAMEWORK and renderer, so the ratios compare only the view layers.
"""

from datetime import timedelta

from testproject.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.api.urls"
DEBUG = False
# Anonymous GETs only; the login throttle and JWT settings are irrelevant here.
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

# Writes authenticate with one access token for the whole run (the preset's lasts 5 minutes).
SIMPLE_JWT = {**SIMPLE_JWT, "ACCESS_TOKEN_LIFETIME": timedelta(hours=2)}  # noqa: F405
