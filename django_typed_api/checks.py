"""System checks: mistakes a user can make fail at ``manage.py check`` with the fix."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from .conf import DEFAULTS


@register()
def check_settings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    user = getattr(settings, "TYPED_API", {}) or {}
    if not isinstance(user, dict):
        return [
            Error(
                "settings.TYPED_API must be a dict.",
                hint='Use e.g. TYPED_API = {"MAX_PAGE_SIZE": 100}.',
                id="django_typed_api.E001",
            )
        ]
    unknown = sorted(set(user) - set(DEFAULTS))
    return [
        Error(
            f"Unknown TYPED_API setting {key!r}.",
            hint=f"Valid keys: {', '.join(sorted(DEFAULTS))}.",
            id="django_typed_api.E001",
        )
        for key in unknown
    ]


def collect_operation_ids() -> dict[str, list[str]]:
    """operationId -> ["GET /api/x/ (module.View)", ...] for every endpoint of the schema."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.openapi import AutoSchema
    from drf_spectacular.plumbing import ComponentRegistry
    from drf_spectacular.settings import spectacular_settings

    generator: SchemaGenerator = spectacular_settings.DEFAULT_GENERATOR_CLASS()
    found: dict[str, list[str]] = defaultdict(list)
    with GENERATOR_STATS.silence():
        generator._initialise_endpoints()
        for path, path_regex, method, view in generator._get_paths_and_endpoints():
            schema = view.schema
            if not isinstance(schema, AutoSchema):
                continue
            view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
            schema.registry = ComponentRegistry()
            schema.path, schema.path_regex, schema.path_prefix = path, path_regex, ""
            schema.method = method.upper()
            if schema.is_excluded():
                continue
            cls = view.__class__
            found[schema.get_operation_id()].append(
                f"{method.upper()} {path} ({cls.__module__}.{cls.__qualname__})"
            )
    return found


@register(Tags.urls)
def check_unique_operation_ids(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if "drf_spectacular" not in settings.INSTALLED_APPS:
        return []
    return [
        Error(
            f'Duplicate operationId "{op_id}" for: {"; ".join(views)}.',
            hint=(
                "Generated clients would get two functions with one name. Rename one: set "
                '`noun = "..."` on the viewset, or @extend_schema(operation_id="...").'
            ),
            id="django_typed_api.E002",
        )
        for op_id, views in sorted(collect_operation_ids().items())
        if len(views) > 1
    ]
