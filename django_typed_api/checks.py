"""System checks: mistakes a user can make fail at ``manage.py check`` with the fix."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from .conf import DEFAULTS, RENAMED


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
    unknown = sorted(set(user) - set(DEFAULTS) - set(RENAMED))
    renamed: list[CheckMessage] = [
        Warning(
            f"TYPED_API[{old!r}] is now TYPED_API[{new!r}].",
            hint=f"Rename the key; {old!r} is still read until django-typed-api 0.3.",
            id="django_typed_api.W003",
        )
        for old, new in RENAMED.items()
        if old in user
    ]
    return renamed + [
        Error(
            f"Unknown TYPED_API setting {key!r}.",
            hint=f"Valid keys: {', '.join(sorted(DEFAULTS))}.",
            id="django_typed_api.E001",
        )
        for key in unknown
    ]


def duplicate_operation_ids() -> list[tuple[str, str | None, list[str]]]:
    """(operationId, version, ["GET /api/x/ (module.View)", ...]) for each id that two
    operations of one schema would share after the collisions that context resolves are
    resolved (as generation does), per API version: each version's schema on its own."""
    return _find_duplicates()[0]


def _find_duplicates() -> tuple[list[tuple[str, str | None, list[str]]], list[str]]:
    from drf_spectacular.drainage import GENERATOR_STATS

    failures: list[str] = []
    with GENERATOR_STATS.silence():
        per_version = _operation_ids_per_version(failures)
    duplicates = [
        (operation_id, version, labels)
        for version, ids in per_version.items()
        for operation_id, labels in sorted(ids.items())
        if len(labels) > 1
    ]
    return duplicates, failures


def _operation_ids_per_version(failures: list[str]) -> dict[str | None, dict[str, list[str]]]:
    """Walk the endpoints the way drf-spectacular's ``SchemaGenerator.parse`` does, once per
    API version (a versioned view is seen with its version's mock request: negotiated media
    type for AcceptHeaderVersioning, resolver match for NamespaceVersioning), without
    building whole operations. A view that cannot be inspected is added to ``failures``
    (schema generation will say more), never raised: a check must not stop runserver."""
    import posixpath
    import re

    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.openapi import AutoSchema
    from drf_spectacular.plumbing import (
        ComponentRegistry,
        is_versioning_supported,
    )
    from drf_spectacular.settings import spectacular_settings

    from .openapi.operation_context import view_label
    from .openapi.operation_ids import NamedOperation, resolve_all

    generator: SchemaGenerator = spectacular_settings.DEFAULT_GENERATOR_CLASS()
    generator._initialise_endpoints()
    endpoints = generator._get_paths_and_endpoints()
    prefix = spectacular_settings.SCHEMA_PATH_PREFIX
    if prefix is None:
        several = len({type(view) for _, _, _, view in endpoints}) > 1
        prefix = re.escape(posixpath.commonpath([p for p, *_ in endpoints])) if several else "/"
    if not prefix.startswith("^"):
        prefix = "^" + prefix

    versions: set[str | None] = set()
    for *_, view in endpoints:
        versioning = view.versioning_class
        if versioning and is_versioning_supported(versioning):
            versions.update(getattr(versioning, "allowed_versions", None) or [])
            versions.add(getattr(versioning, "default_version", None))
    versions.discard(None)
    result: dict[str | None, dict[str, list[str]]] = {}
    for version in sorted(versions, key=str) or [None]:
        registry = ComponentRegistry()
        typed: list[NamedOperation] = []
        fixed: list[tuple[str, str]] = []
        for path, path_regex, method, view in endpoints:
            schema = view.schema
            if not isinstance(schema, AutoSchema):
                continue
            try:
                found = _named(generator, registry, prefix, version, path, path_regex, method, view)
            except Exception as exc:
                label = f"{method.upper()} {path} ({view_label(view)})"
                failure = f"{label}: {type(exc).__name__}: {exc}"
                if failure not in failures:  # once, not once per version
                    failures.append(failure)
                continue
            if found is None:
                continue
            if isinstance(found, NamedOperation):
                typed.append(found)
            else:
                fixed.append(found)
        ids: dict[str, list[str]] = defaultdict(list)
        names = resolve_all(typed)
        for op in typed:
            ids[names[op.key]].append(op.label)
        for operation_id, label in fixed:
            ids[operation_id].append(label)
        result[version] = ids
    return result


def _named(
    generator: Any,
    registry: Any,
    prefix: str,
    version: str | None,
    path: str,
    path_regex: str,
    method: str,
    view: Any,
) -> Any:
    """One endpoint as ``SchemaGenerator.parse`` would see it in ``version``'s schema: a
    NamedOperation (typed schema), ``(id, label)`` (another AutoSchema), or None (not in it)."""
    from drf_spectacular.plumbing import (
        is_versioning_supported,
        modify_for_versioning,
        operation_matches_version,
    )
    from drf_spectacular.settings import spectacular_settings

    from .openapi.operation_context import view_label
    from .openapi.operations import OperationNamingMixin

    schema = view.schema
    view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
    versioning = view.versioning_class
    if versioning and is_versioning_supported(versioning):
        wanted = version or versioning.default_version
        if not wanted:
            return None
        path = modify_for_versioning(generator.inspector.patterns, method, path, view, wanted)
        if not operation_matches_version(view, wanted):
            return None
    schema.registry = registry
    schema.path, schema.path_regex, schema.path_prefix = path, path_regex, prefix
    schema.method = method.upper()
    if schema.is_excluded():
        return None
    operation_id = schema.get_operation_id()
    if isinstance(schema, OperationNamingMixin):
        return schema.named_operation(operation_id)
    return (operation_id, f"{method.upper()} {path} ({view_label(view)})")


_GENERATION_CHECKS_OPERATION_IDS: ContextVar[bool] = ContextVar(
    "typed_api_generation_checks_operation_ids", default=False
)


@contextmanager
def operation_ids_checked_by_generation() -> Iterator[None]:
    """For a command that generates the schema right after the system checks (``sync_types``):
    generation meets every operationId anyway, and drf-spectacular's warning on a collision
    fails it, so walking every endpoint beforehand only doubled the work (half a second on
    1,200 operations)."""
    token = _GENERATION_CHECKS_OPERATION_IDS.set(True)
    try:
        yield
    finally:
        _GENERATION_CHECKS_OPERATION_IDS.reset(token)


@register(Tags.urls)
def check_unique_operation_ids(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if "drf_spectacular" not in settings.INSTALLED_APPS or _GENERATION_CHECKS_OPERATION_IDS.get():
        return []
    duplicates, failures = _find_duplicates()
    messages: list[CheckMessage] = [
        Error(
            f'Duplicate operationId "{op_id}"'
            f"{f' in the {version!r} schema' if version else ''} for: {'; '.join(views)}.",
            hint=(
                "Generated clients would get two functions with one name, and nothing in the "
                "routes tells them apart (ids set by hand are never changed). Rename one: "
                '@extend_schema(operation_id="..."), `noun = "..."` on the viewset, or '
                'TYPED_API["OPERATION_IDS"].'
            ),
            id="django_typed_api.E002",
        )
        for op_id, version, views in duplicates
    ]
    messages.extend(
        Warning(
            f"Could not work out the operationId of {failure}.",
            hint=(
                "Its uniqueness is not checked. Generate the schema (manage.py spectacular "
                "--validate) to see where it fails."
            ),
            id="django_typed_api.W002",
        )
        for failure in failures
    )
    return messages


@register()
def check_cors_covers_api_paths(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """``presets.cors()`` is built before settings exist, so it cannot read API_PATHS."""
    import re

    from .conf import typed_api_settings

    pattern = getattr(settings, "CORS_URLS_REGEX", None)
    if "corsheaders" not in settings.INSTALLED_APPS or not isinstance(pattern, str):
        return []
    missing = [p for p in typed_api_settings.API_PATHS if not re.match(pattern, p)]
    if not missing:
        return []
    return [
        Warning(
            f"CORS_URLS_REGEX {pattern!r} does not cover the API paths {missing}.",
            hint=(
                'Build the CORS settings with presets.cors(..., api_paths=TYPED_API["API_PATHS"]).'
            ),
            id="django_typed_api.W004",
        )
    ]


# -- presets that would change behaviour silently ----------------------------------------------


def _spectacular_in_use() -> bool:
    return "drf_spectacular" in settings.INSTALLED_APPS


@register()
def check_component_split_request(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """A project's ``COMPONENT_SPLIT_REQUEST: False`` spread after the preset wins silently."""
    spectacular = getattr(settings, "SPECTACULAR_SETTINGS", {}) or {}
    if not _spectacular_in_use() or spectacular.get("COMPONENT_SPLIT_REQUEST", False):
        return []
    return [
        Warning(
            "SPECTACULAR_SETTINGS['COMPONENT_SPLIT_REQUEST'] is False: request bodies and "
            "responses share one component, so read-only fields are required in request types "
            "and response fields stay optional.",
            hint=(
                "Spread the preset last: SPECTACULAR_SETTINGS = {**SPECTACULAR_SETTINGS, "
                "**presets.SPECTACULAR_SETTINGS, 'TITLE': ...}, or set it to True."
            ),
            id="django_typed_api.W010",
        )
    ]


@register()
def check_exception_handler(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The schema documents the envelope only where our handler answers."""
    if not _spectacular_in_use():
        return []
    from rest_framework.settings import api_settings

    from .errors.coverage import handler_answers_envelope

    handler = api_settings.EXCEPTION_HANDLER
    if handler_answers_envelope(handler):
        return []
    name = f"{getattr(handler, '__module__', '?')}.{getattr(handler, '__qualname__', handler)}"
    return [
        Warning(
            f"REST_FRAMEWORK['EXCEPTION_HANDLER'] ({name}) does not answer the error "
            "envelope, so the schema documents no error responses.",
            hint=(
                "Set it to 'django_typed_api.errors.exception_handler', or call that from your "
                "handler (functools.wraps keeps it recognisable)."
            ),
            id="django_typed_api.W011",
        )
    ]


@register(Tags.urls)
def check_preset_pagination(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """List endpoints paginated only because the REST_FRAMEWORK preset sets
    DEFAULT_PAGINATION_CLASS: their response changes from a list to a page."""
    try:
        views = preset_paginated_list_views()
    except Exception:  # a check must never crash `manage.py check` (an odd urlconf)
        return []
    if not views:
        return []
    return [
        Warning(
            f"{len(views)} list endpoint(s) are paginated by the REST_FRAMEWORK preset's "
            f"DEFAULT_PAGINATION_CLASS: {'; '.join(views)}. Their responses change from a "
            "list to {count, next, previous, results}.",
            hint=(
                "Decide per view: `pagination_class = None` keeps a plain list, "
                "`pagination_class = TypedPageNumberPagination` (django_typed_api.pagination) "
                "accepts the page. Views built on django_typed_api's viewsets are exempt."
            ),
            id="django_typed_api.W012",
        )
    ]


def preset_paginated_list_views() -> list[str]:
    """``"GET /path/ (module.View)"`` for list endpoints whose pagination comes from the
    preset's default rather than from the view (or a typed viewset, made for it)."""
    from rest_framework import mixins
    from rest_framework.schemas.generators import EndpointEnumerator
    from rest_framework.settings import api_settings

    from .pagination import TypedPageNumberPagination
    from .viewsets import TypedGenericViewSet, TypedModelViewSet, TypedReadOnlyModelViewSet

    if api_settings.DEFAULT_PAGINATION_CLASS is not TypedPageNumberPagination:
        return []
    found: list[str] = []
    for path, method, callback in EndpointEnumerator().get_api_endpoints():
        cls = getattr(callback, "cls", None)
        if cls is None or method != "GET":
            continue
        actions = getattr(callback, "actions", None)
        if actions is not None:  # a viewset: {"get": "list", "post": "create"}
            is_list = actions.get("get") == "list"
        else:
            is_list = issubclass(cls, mixins.ListModelMixin)
        typed = (TypedGenericViewSet, TypedModelViewSet, TypedReadOnlyModelViewSet)
        if not is_list or issubclass(cls, typed) or _sets_pagination(cls):
            continue
        found.append(f"GET {path} ({cls.__module__}.{cls.__qualname__})")
    return found


def _sets_pagination(cls: type) -> bool:
    """Whether the view (not DRF's generic classes) chooses its ``pagination_class``."""
    return any(
        "pagination_class" in vars(klass)
        for klass in cls.__mro__
        if klass.__module__.split(".")[0] != "rest_framework"
    )
