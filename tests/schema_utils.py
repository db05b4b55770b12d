"""Build an OpenAPI schema for a handful of views, the way ``manage.py spectacular`` does."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.routers import SimpleRouter


def schema_for(patterns: list[URLPattern | URLResolver]) -> dict[str, Any]:
    GENERATOR_STATS.reset()
    return SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)


def router_patterns(*registrations: tuple[str, type]) -> list[URLPattern | URLResolver]:
    router = SimpleRouter()
    for prefix, viewset in registrations:
        router.register(prefix, viewset, basename=prefix)
    return list(router.urls)


def operations(schema: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(METHOD, path) -> operation."""
    return {
        (method.upper(), path): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }


def operation_ids(schema: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {key: op["operationId"] for key, op in operations(schema).items()}


def warnings() -> list[str]:
    return list(GENERATOR_STATS._warn_cache)
