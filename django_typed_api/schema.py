"""``TypedAutoSchema``: drf-spectacular's AutoSchema with names made for TypeScript clients.

Every naming decision is delegated to :mod:`django_typed_api.naming`; this module only works
out *what* a view is (a viewset action, a custom ``@action``, a function view or an APIView)
and which nouns it is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from drf_spectacular.drainage import warn
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_doc
from drf_spectacular.settings import spectacular_settings
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.viewsets import ViewSetMixin

from . import naming
from .auth.schema import SecuritySchemaMixin
from .concurrency import ConditionalSchemaMixin
from .conf import typed_api_settings
from .enums import ENUM_NAME_KEY, choices_index, enum_name_for_field
from .error_schema import ErrorSchemaMixin
from .generation import memo
from .validation import TrimmedStringSchemaMixin

#: The standard viewset actions and the HTTP method that drives each one.
STANDARD_ACTIONS = ("list", "create", "retrieve", "update", "partial_update", "destroy")

#: Verbs for HTTP methods of views that have no action name (APIViews, extra methods).
METHOD_ACTIONS = {
    "get": "retrieve",
    "post": "create",
    "put": "update",
    "patch": "partial_update",
    "delete": "destroy",
}


@dataclass(frozen=True)
class Nouns:
    """The resource an operation is about, e.g. ``Nouns("Vacancy", "Vacancies")``."""

    singular: str
    plural: str


def view_nouns(view: Any) -> Nouns:
    """Nouns for a view: explicit ``noun`` / ``plural_noun`` attributes win, then the model
    (viewsets), then the class name (APIViews, ``VacancyList`` -> ``Vacancy``)."""
    singular = getattr(view, "noun", None)
    if not singular:
        model = _view_model(view) if isinstance(view, ViewSetMixin) else None
        if model is not None:
            singular = model.__name__
        else:
            singular = naming.strip_view_suffix(view.__class__.__name__)
            if isinstance(view, GenericAPIView):
                singular = _strip_suffixes(singular, ("List", "Detail")) or singular
    plural = getattr(view, "plural_noun", None) or typed_api_settings.PLURALIZER(singular)
    return Nouns(naming.pascal(singular), naming.pascal(plural))


def _strip_suffixes(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _view_model(view: Any) -> type[models.Model] | None:
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer_class = getattr(view, "serializer_class", None)
    meta = getattr(serializer_class, "Meta", None)
    return getattr(meta, "model", None)


def is_function_view(view: Any) -> bool:
    """``@api_view`` wraps a function in a class whose ``__qualname__`` stays put."""
    return view.__class__.__qualname__ == "WrappedAPIView"


class TypedAutoSchema(
    ErrorSchemaMixin,
    SecuritySchemaMixin,
    ConditionalSchemaMixin,
    TrimmedStringSchemaMixin,
    AutoSchema,
):
    """AutoSchema whose operationIds, summaries and descriptions follow DESIGN.md's table.

    Override points: :meth:`get_nouns`, :meth:`get_action`, :meth:`get_operation_id`,
    :meth:`get_summary`. ``@extend_schema(operation_id=..., summary=...)`` always wins,
    because drf-spectacular applies it in a subclass of this one.
    """

    # -- what the operation is -------------------------------------------------------------

    def get_nouns(self) -> Nouns:
        view_class = type(self.view)
        return memo(self.registry, ("nouns", view_class), lambda: view_nouns(self.view))

    def get_action(self) -> str:
        """The viewset action, or the standard action an APIView's method stands for."""
        action = getattr(self.view, "action", None)
        if action and isinstance(self.view, ViewSetMixin):
            return str(action)
        method = self.method.lower()
        if method == "get" and self._is_list_view():
            return "list"
        return METHOD_ACTIONS.get(method, method)

    def is_custom_action(self) -> bool:
        return isinstance(self.view, ViewSetMixin) and self.get_action() not in STANDARD_ACTIONS

    def _shared_method_prefix(self, name: str) -> str:
        """When one handler serves several HTTP methods, all but GET get a verb prefix, so
        ``@action(methods=["get", "put"]) notes`` gives ``notesVacancy`` and
        ``updateNotesVacancy``."""
        method = self.method.lower()
        if isinstance(self.view, ViewSetMixin):
            action_map = getattr(self.view, "action_map", None) or {}
            sharing = [m for m, a in action_map.items() if a == name]
        else:
            sharing = [m for m in self.view.http_method_names if m not in ("options", "head")]
        if len(sharing) > 1 and method != "get":
            return typed_api_settings.OPERATION_VERBS.get(METHOD_ACTIONS[method], method)
        return ""

    # -- names -----------------------------------------------------------------------------

    def get_operation_id(self) -> str:
        if is_function_view(self.view):
            name = self.view.__class__.__name__
            return naming.camel(self._shared_method_prefix(name), name)
        nouns = self.get_nouns()
        action = self.get_action()
        if self.is_custom_action():
            noun = nouns.singular if getattr(self.view, "detail", False) else nouns.plural
            return naming.camel(self._shared_method_prefix(action), action, noun)
        verb = typed_api_settings.OPERATION_VERBS.get(action, action)
        noun = nouns.plural if action == "list" else nouns.singular
        return naming.operation_id(verb, noun)

    def get_summary(self) -> str | None:
        doc_summary = naming.first_line(self._own_doc())
        if is_function_view(self.view):
            return doc_summary or naming.humanize(self.view.__class__.__name__).capitalize()
        nouns = self.get_nouns()
        action = self.get_action()
        if self.is_custom_action():
            noun = nouns.singular if getattr(self.view, "detail", False) else nouns.plural
            return doc_summary or naming.summary(f"{naming.humanize(action)} {{nouns}}", noun, noun)
        template = typed_api_settings.SUMMARIES.get(action)
        if template:
            return naming.summary(template, nouns.singular, nouns.plural)
        return doc_summary or None

    def get_description(self) -> str:  # type: ignore[override]
        """The rest of the action's docstring after its summary line, else the view's."""
        own = self._own_doc()
        if own:
            rest = own.strip().split("\n", 1)[1].strip() if "\n" in own.strip() else ""
            if rest:
                return rest
            if is_function_view(self.view) or self.is_custom_action():
                return ""
        return "" if is_function_view(self.view) else get_doc(self.view.__class__)

    def _own_doc(self) -> str:
        """Docstring of the handler itself: the custom action, the function view or the
        APIView method (standard viewset handlers belong to DRF and are skipped)."""
        if is_function_view(self.view):
            return get_doc(self.view.__class__)  # @api_view copies the function's docstring
        if isinstance(self.view, ViewSetMixin):
            action = self.get_action()
            if action in STANDARD_ACTIONS:
                return ""
            return get_doc(getattr(self.view, action, None))
        handler = getattr(self.view.__class__, self.method.lower(), None)
        if handler is not None and handler.__module__.startswith("rest_framework"):
            return get_doc(self.view.__class__)
        return get_doc(handler) if handler else ""

    # -- silently wrong documentation ------------------------------------------------------

    def get_request_serializer(self) -> Any:
        self._warn_if_unannotated("request body")
        return super().get_request_serializer()

    def get_response_serializers(self) -> Any:
        self._warn_if_unannotated("response")
        return super().get_response_serializers()

    def _warn_if_unannotated(self, what: str) -> None:
        """A custom action reached here without ``@extend_schema(request=/responses=)``, an
        ``@action(serializer_class=...)`` or a custom ``get_serializer_class``: it would be
        documented with the viewset's serializer, which is rarely right. Say so."""
        if not (typed_api_settings.REQUIRE_ACTION_ANNOTATIONS and self.is_custom_action()):
            return
        action = self.get_action()
        handler = getattr(self.view, action, None)
        if "serializer_class" in getattr(handler, "kwargs", {}):
            return
        view_class: Any = type(self.view)
        if view_class.get_serializer_class is not GenericAPIView.get_serializer_class:
            return
        view_name = self.view.__class__.__name__
        warn(
            f"{view_name}.{action}: the {what} of this custom action cannot be inferred and "
            f"would be documented as {self._serializer_name()}. Annotate it with "
            f"@extend_schema(request=..., responses=...) or pass serializer_class= to @action."
        )

    def _serializer_name(self) -> str:
        cls = getattr(self.view, "serializer_class", None)
        return cls.__name__ if cls else "nothing"

    # -- response components ---------------------------------------------------------------

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        """A model serializer always writes every readable field, so in responses they are
        all required: TypeScript gets ``salary_min: number | null``, not ``salary_min?:``."""
        schema: dict[str, Any] = super()._map_basic_serializer(serializer, direction)
        if (
            direction == "response"
            and spectacular_settings.COMPONENT_SPLIT_REQUEST
            and isinstance(serializer, serializers.ModelSerializer)
        ):
            readable = [
                name
                for name, prop in schema.get("properties", {}).items()
                if not (isinstance(prop, dict) and prop.get("writeOnly"))
            ]
            if readable:
                schema["required"] = sorted(set(schema.get("required", [])) | set(readable))
        return schema

    # -- enums -----------------------------------------------------------------------------

    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)
        if _is_nullable_nested_relation(field) and not schema.get("nullable"):
            # DRF writes null for an empty nullable FK even without allow_null=True.
            if "$ref" in schema:
                schema = {"allOf": [{"$ref": schema.pop("$ref")}], **schema}
            schema["nullable"] = True
        if isinstance(field, serializers.ChoiceField) and _enum_hook_installed():
            name = enum_name_for_field(field, memo(self.registry, "choices", choices_index))
            target = schema.get("items", schema) if schema.get("type") == "array" else schema
            if name and "enum" in target:
                target[ENUM_NAME_KEY] = name
        return schema


def _is_nullable_nested_relation(field: Any) -> bool:
    """A nested (non-list) serializer whose source is a nullable forward relation."""
    if not isinstance(field, serializers.BaseSerializer) or isinstance(
        field, serializers.ListSerializer
    ):
        return False
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    source = getattr(field, "source", "")
    if model is None or not source or "." in source or source == "*":
        return False
    try:
        model_field = model._meta.get_field(source)
    except Exception:  # not a model field (a property, an annotation)
        return False
    return bool(getattr(model_field, "null", False) and model_field.is_relation)


def _enum_hook_installed() -> bool:
    from .enums import postprocess_enums

    return postprocess_enums in spectacular_settings.POSTPROCESSING_HOOKS
