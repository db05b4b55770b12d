"""The context of an operation, for telling apart operations that would share an id.

:mod:`.operation_ids` decides *when* context is needed and in which order; this mixin reads
it off the view and the route: the parent of a nested route, the API version, the viewset's
own name, the format suffix and the path. It also holds what naming needs to know about a
view class regardless of the operation (its model, whether it is a function view, the id the
``TYPED_API["OPERATION_IDS"]`` registry gives it).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.generics import GenericAPIView
from rest_framework.viewsets import ViewSetMixin

from .. import naming
from ..conf import typed_api_settings
from .generation import memo
from .operation_ids import NamedOperation, OperationIdRegistry, OperationName


def view_model(view: Any) -> type[models.Model] | None:
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer_class = getattr(view, "serializer_class", None)
    meta = getattr(serializer_class, "Meta", None)
    return getattr(meta, "model", None)


def is_function_view(view: Any) -> bool:
    """``@api_view`` wraps a function in a class whose ``__qualname__`` stays put."""
    return view.__class__.__qualname__ == "WrappedAPIView"


def registered_operation_id(view: Any, method: str) -> str | None:
    """The id ``TYPED_API["OPERATION_IDS"]`` gives this view class or a base of it."""
    table = typed_api_settings.OPERATION_IDS
    for cls in type(view).__mro__:
        entry = table.get(f"{cls.__module__}.{cls.__qualname__}")
        if isinstance(entry, dict):
            entry = entry.get(method.lower())
        if entry:
            return str(entry)
    return None


def view_label(view: Any) -> str:
    """``app.views.BookViewSet``; ``app.views.search_jobs`` for a function view."""
    cls = view.__class__
    return f"{cls.__module__}.{cls.__name__ if is_function_view(view) else cls.__qualname__}"


def own_view_class(view: Any) -> type:
    """The view's class, skipping the ``Fixed`` class an ``OpenApiViewExtension`` puts in
    its place (drf-spectacular's contrib for dj-rest-auth, or a project's own)."""
    for cls in type(view).__mro__:
        if ".view_replacement.<locals>." not in cls.__qualname__:
            return cls
    return type(view)


_FORMAT_EXTENSION = re.compile(r"\.([A-Za-z0-9]+)/?$")
_LOOKUP_SUFFIX = re.compile(r"_(pk|id|slug|uuid)$")


def _new_id_registry() -> OperationIdRegistry:
    """A generation starts: traces a failed generation left behind (drf-spectacular pushes
    one per view and pops it only on success) would prefix every later warning, so keep only
    the current view's."""
    del GENERATOR_STATS._traces[:-1]
    return OperationIdRegistry()


class OperationContextMixin:
    """AutoSchema mixin: registers each operation with its context, so the ids of a whole
    generation are made unique (:class:`.operation_ids.OperationIdRegistry`)."""

    registry: Any
    view: Any
    method: str
    path: str

    def get_operation_name(self) -> OperationName:
        raise NotImplementedError

    # -- unique ids ------------------------------------------------------------------------

    def get_operation(
        self,
        path: str,
        path_regex: str,
        path_prefix: str,
        method: str,
        registry: Any,
    ) -> dict[str, Any] | None:
        ids = memo(registry, "operation_ids", _new_id_registry)  # first: before any warning
        operation: dict[str, Any] | None = super().get_operation(  # type: ignore[misc]
            path, path_regex, path_prefix, method, registry
        )
        if operation is not None:
            ids.add(self.named_operation(str(operation.get("operationId", "")), operation))
        return operation

    def named_operation(
        self, operation_id: str, operation: dict[str, Any] | None = None
    ) -> NamedOperation:
        """This operation as :mod:`.operation_ids` resolves it: its id and its context."""
        named = NamedOperation(
            key=(self.path, self.method.upper()),
            operation_id=operation_id,
            label=f"{self.method.upper()} {self.path} ({view_label(self.view)})",
            operation=operation,
        )
        registered = registered_operation_id(self.view, self.method)
        name = OperationName.parse(registered) if registered else self.get_operation_name()
        if (registered or name.render()) != operation_id:
            return named  # set by hand: @extend_schema(operation_id=...) or an override
        named.name = name
        named.context = {
            "parent": self._parent_word(),
            "version": self._version_word(),
            "view": self._view_word(),
            "format": self._format_word(),
        }
        named.path_words = tuple(naming.pascal(w) for w in self._path_words())
        return named

    def _path_segments(self) -> list[str]:
        prefix = getattr(self, "path_prefix", "") or ""
        path = re.sub(prefix, "", self.path, flags=re.IGNORECASE) if prefix else self.path
        return [s for s in path.strip("/").split("/") if s]

    def _path_words(self) -> list[str]:
        """Static segments after the path prefix, without versions and format suffixes."""
        words = []
        for segment in self._path_segments():
            segment = _FORMAT_EXTENSION.sub("", segment.split("{", 1)[0])
            if segment and not naming.VERSION_SEGMENT.match(segment):
                words.append(segment)
        return words

    def _parent_word(self) -> str:
        """``/authors/{author_pk}/books/`` -> ``Author``: the resource owning a nested route."""
        segments = self._path_segments()
        variables = [i for i, s in enumerate(segments) if s.startswith("{") and s.endswith("}")]
        own = self._own_lookup_names()
        version_param = getattr(getattr(self.view, "versioning_class", None), "version_param", "")
        parents = [
            i
            for i in variables
            if segments[i][1:-1] not in own and segments[i][1:-1] != version_param
        ]
        if not own and variables and variables[-1] == len(segments) - 1 and parents:
            parents = parents[:-1]  # a plain APIView: a trailing variable is its own lookup
        if not parents:
            return ""
        index = parents[-1]
        for segment in reversed(segments[:index]):
            if not segment.startswith("{") and not naming.VERSION_SEGMENT.match(segment):
                return naming.singularize(segment)
        return naming.pascal(_LOOKUP_SUFFIX.sub("", segments[index][1:-1]))

    def _own_lookup_names(self) -> set[str]:
        if not isinstance(self.view, GenericAPIView):
            return set()
        lookup = self.view.lookup_url_kwarg or self.view.lookup_field
        names = {lookup}
        if lookup == "pk":  # DRF's SCHEMA_COERCE_PATH_PK writes {pk} as {id}
            names.add("id")
        return names

    def _version_word(self) -> str:
        request = getattr(self.view, "request", None)
        version = getattr(request, "version", None) if self.view.versioning_class else None
        if version:
            return naming.version_word(str(version))
        for segment in self._path_segments():
            if naming.VERSION_SEGMENT.match(segment):
                return naming.version_word(segment)
        return ""

    def _view_word(self) -> str:
        """``ArchivedBookViewSet`` on ``Book`` -> ``Archived``: a second viewset's own name."""
        if not isinstance(self.view, ViewSetMixin) or getattr(self.view, "noun", None):
            return ""
        own = naming.split_words(naming.strip_view_suffix(own_view_class(self.view).__name__))
        model = view_model(self.view)
        noun = naming.split_words(model.__name__) if model is not None else []
        for start in range(len(own) - len(noun) + 1):
            if noun and own[start : start + len(noun)] == noun:
                return naming.pascal(*own[:start], *own[start + len(noun) :])
        return naming.pascal(*own)

    def _format_word(self) -> str:
        match = _FORMAT_EXTENSION.search(self.path)
        if match:
            return naming.pascal(match.group(1).lower())
        if "drf_format_suffix" in (getattr(self, "path_regex", "") or "") or "{format}" in (
            self.path
        ):
            return "Formatted"
        return ""
