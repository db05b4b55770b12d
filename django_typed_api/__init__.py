"""django-typed-api: a DRF + drf-spectacular backend made for typed TypeScript clients."""

__version__ = "0.1.0"
