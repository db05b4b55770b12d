"""The WSGI entry point: Django's, with requests that refuse a non-text charset with 415.

In ``wsgi.py``::

    from django_typed_api.wsgi import get_wsgi_application

    application = get_wsgi_application()

Why: see ``django_typed_api.handlers``.
"""

from __future__ import annotations

import django

from .handlers import TypedWSGIHandler, TypedWSGIRequest

__all__ = ["TypedWSGIHandler", "TypedWSGIRequest", "get_wsgi_application"]


def get_wsgi_application() -> TypedWSGIHandler:
    """Django's ``get_wsgi_application()`` with :class:`TypedWSGIRequest`."""
    django.setup(set_prefix=False)
    return TypedWSGIHandler()
