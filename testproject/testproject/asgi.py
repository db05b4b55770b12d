"""ASGI entry point of the testproject (for uvicorn, daphne, hypercorn)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testproject.settings")

# Requests with a Content-Type charset that is not a text encoding are answered with the
# 415 envelope instead of crashing before Django's error handling (django_typed_api.asgi).
from django_typed_api.asgi import get_asgi_application

application = get_asgi_application()
