"""Moved to ``django_typed_api.openapi.errors`` in 0.2; this old path is kept for one release."""

from django_typed_api._moved import forward

__getattr__ = forward(
    __name__,
    [
        "django_typed_api.openapi.errors",
        "django_typed_api.openapi.field_errors",
        "django_typed_api.errors.catalogue",
    ],
)
