"""Moved to ``django_typed_api.openapi.generation`` in 0.2; this path is kept for one release."""

from django_typed_api._moved import forward

__getattr__ = forward(__name__, ["django_typed_api.openapi.generation"])
