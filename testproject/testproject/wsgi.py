import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testproject.settings")

# The package's WSGI handler: a Content-Type charset that is not a text encoding answers a
# 415 envelope instead of crashing before Django's error handling (django_typed_api.wsgi).
from django_typed_api.wsgi import get_wsgi_application

application = get_wsgi_application()
