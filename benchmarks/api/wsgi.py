"""gunicorn entry point for the throughput run (``benchmarks.api.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.api.settings")
application = get_wsgi_application()
