"""The ASGI entry point: Django's, with requests that refuse a non-text charset with 415.

In ``asgi.py``::

    from django_typed_api.asgi import get_asgi_application

    application = get_asgi_application()

Why: see ``django_typed_api.handlers``.
"""

from __future__ import annotations

import django

from .handlers import TypedASGIHandler, TypedASGIRequest

__all__ = ["TypedASGIHandler", "TypedASGIRequest", "get_asgi_application"]


def get_asgi_application() -> TypedASGIHandler:
    """Django's ``get_asgi_application()`` with :class:`TypedASGIRequest`."""
    django.setup(set_prefix=False)
    return TypedASGIHandler()
