"""What an operation is and what it is called: operationId, summary, description.

Every naming rule lives in :mod:`django_typed_api.naming` (pure functions on strings); this
mixin works out *what* a view is (a viewset action, a custom ``@action``, a function view or
an APIView) and which nouns it is about, then asks the rules for a name. The table of names is
in docs/concepts/naming.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drf_spectacular.drainage import warn
from drf_spectacular.plumbing import get_doc, is_list_serializer
from rest_framework.generics import GenericAPIView
from rest_framework.viewsets import ViewSetMixin

from .. import naming
from ..conf import typed_api_settings
from .generation import memo
from .operation_context import (
    OperationContextMixin,
    is_function_view,
    own_view_class,
    registered_operation_id,
    view_model,
)
from .operation_ids import OperationName

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


#: How a summary says a shape verb: ``partialUpdate`` reads "Partially update", ``destroy``
#: "Delete" (as the standard actions' SUMMARIES do).
_SUMMARY_VERBS = {"partialUpdate": "partially update", "destroy": "delete"}


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
        model = view_model(view) if isinstance(view, ViewSetMixin) else None
        if model is not None:
            singular = model.__name__
        else:
            singular = naming.strip_view_suffix(own_view_class(view).__name__)
            if isinstance(view, GenericAPIView):
                singular = _strip_suffixes(singular, ("List", "Detail")) or singular
    plural = getattr(view, "plural_noun", None) or typed_api_settings.PLURALIZER(singular)
    return Nouns(naming.pascal(singular), naming.pascal(plural))


def _strip_suffixes(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _is_library_code(handler: Any) -> bool:
    """Defined by DRF or by this package (``rest_framework_simplejwt`` is not DRF)."""
    module = getattr(handler, "__module__", None) or ""
    return any(module == m or module.startswith(f"{m}.") for m in _LIBRARIES)


_LIBRARIES = ("rest_framework", "django_typed_api")


class OperationNamingMixin(OperationContextMixin):
    """AutoSchema mixin: operationIds, summaries and descriptions made for generated clients.

    Override points: :meth:`get_nouns`, :meth:`get_action`, :meth:`get_operation_id`,
    :meth:`get_summary`. ``@extend_schema(operation_id=..., summary=...)`` always wins,
    because drf-spectacular applies it in a subclass of the schema class.
    """

    registry: Any
    view: Any
    method: str

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
        if method == "get" and self._is_list_view():  # type: ignore[attr-defined]
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
        registered = registered_operation_id(self.view, self.method)
        return registered or self.get_operation_name().render()

    def get_operation_name(self) -> OperationName:
        """The id in two parts (verb, noun), so context can go between them on a collision.

        Every name starts with a verb: a custom action or function named by a noun gets one
        from its HTTP method and response shape (:meth:`get_shape_verb`)."""
        if is_function_view(self.view):
            return self._function_view_name()
        nouns = self.get_nouns()
        action = self.get_action()
        if self.is_custom_action():
            return self._custom_action_name(action, nouns)
        verb = typed_api_settings.OPERATION_VERBS.get(action, action)
        return OperationName(verb, nouns.plural if action == "list" else nouns.singular)

    def get_shape_verb(self) -> str:
        """``list`` for a GET answering many objects, ``retrieve`` for one; the standard verb
        of the method otherwise (``create``, ``update``, ``partialUpdate``, ``destroy``)."""
        method = self.method.lower()
        if method == "get":
            action = "list" if self._returns_many() else "retrieve"
        else:
            action = METHOD_ACTIONS.get(method, method)
        return str(typed_api_settings.OPERATION_VERBS.get(action, action))

    def _custom_action_name(self, action: str, nouns: Nouns) -> OperationName:
        """``publish`` -> ``publishVacancy``; a noun action names *which* objects when it
        answers the viewset's own model (``related`` -> ``listRelatedBooks``, ``current`` ->
        ``retrieveCurrentShelf``) and *what of* the resource otherwise (``stats`` on people
        -> ``retrievePeopleStats``)."""
        resource = nouns.singular if getattr(self.view, "detail", False) else nouns.plural
        if self._is_verb_phrase(action):
            head, *rest = naming.split_words(action)
            verb = naming.camel(self._shared_method_prefix(action), head)
            return OperationName(verb, naming.pascal(*rest, resource))
        if self._answers_own_model():
            noun = nouns.plural if self._returns_many() else nouns.singular
            return OperationName(self.get_shape_verb(), naming.pascal(action, noun))
        return OperationName(self.get_shape_verb(), naming.pascal(resource, action))

    def _function_view_name(self) -> OperationName:
        """``search_jobs`` -> ``searchJobs``; ``profile`` -> ``retrieveProfile``; a wrapper
        (``view_func``, ``wrapper``) -> named from its URL path, ``/health/`` ->
        ``retrieveHealth``."""
        name = self.view.__class__.__name__
        if naming.is_generic_function_name(name):
            words = [w for w in self._path_words() if w]
            return OperationName(self.get_shape_verb(), naming.pascal(*words) or "Root")
        name = naming.strip_function_suffix(name)
        if self._is_verb_phrase(name):
            head, *rest = naming.split_words(name)
            verb = naming.camel(self._shared_method_prefix(name), head)
            return OperationName(verb, naming.pascal(*rest))
        noun = naming.pascal(name)
        if self._returns_many():
            noun = typed_api_settings.PLURALIZER(_strip_suffixes(noun, ("List",)))
        return OperationName(self.get_shape_verb(), noun)

    def _is_verb_phrase(self, name: str) -> bool:
        extra = frozenset(v.lower() for v in typed_api_settings.ACTION_VERBS)
        return naming.starts_with_verb(name, extra)

    def _naming_response(self) -> Any:
        """The main response serializer, as drf-spectacular picks it for list detection."""
        serializer = self.get_response_serializers()
        if isinstance(serializer, dict) and serializer:
            by_code = {str(code): s for code, s in serializer.items()}
            serializer = by_code[min(by_code)]
        return serializer

    def _returns_many(self) -> bool:
        if self.method.lower() != "get":
            return False
        if not isinstance(self.view, ViewSetMixin) and not is_function_view(self.view):
            return bool(self._is_list_view())  # type: ignore[attr-defined]
        return bool(is_list_serializer(self._naming_response()))

    def _answers_own_model(self) -> bool:
        serializer = self._naming_response()
        serializer = getattr(serializer, "child", serializer)
        meta = getattr(serializer, "Meta", None)
        model = getattr(meta, "model", None)
        own = view_model(self.view)
        return model is not None and own is not None and issubclass(own, model)

    def get_summary(self) -> str | None:
        doc_summary = naming.first_line(self._own_doc())
        if self._summary_from_doc():
            if doc_summary or self._has_own_name():
                return doc_summary or self._summary_from_name()
            return None
        nouns = self.get_nouns()
        template = typed_api_settings.SUMMARIES[self.get_action()]
        return naming.summary(template, nouns.singular, nouns.plural)

    def _has_own_name(self) -> bool:
        """Function views, custom actions and well-known views: named for what they do."""
        return bool(
            is_function_view(self.view)
            or self.is_custom_action()
            or registered_operation_id(self.view, self.method)
        )

    def _summary_from_doc(self) -> bool:
        """Whether the summary is the docstring's first line (else a SUMMARIES template)."""
        return self._has_own_name() or not typed_api_settings.SUMMARIES.get(self.get_action())

    def _summary_from_name(self) -> str:
        """``listRelatedBooks`` -> "List related books"."""
        registered = registered_operation_id(self.view, self.method)
        name = OperationName.parse(registered) if registered else self.get_operation_name()
        verb = _SUMMARY_VERBS.get(name.verb, naming.humanize(name.verb))
        text = f"{verb} {naming.humanize(name.noun)}".strip()
        return text[:1].upper() + text[1:]

    def get_description(self) -> str:
        """The rest of the handler's docstring after its summary line, or all of it when the
        summary is a template; else the view's docstring."""
        own = self._own_doc().strip()
        if own:
            if not self._summary_from_doc():
                return own
            rest = own.split("\n", 1)[1].strip() if "\n" in own else ""
            if rest:
                return rest
            if is_function_view(self.view) or self.is_custom_action():
                return ""
        return "" if is_function_view(self.view) else get_doc(self.view.__class__)

    def _own_doc(self) -> str:
        """Docstring of the handler itself: the custom action, the function view, a standard
        action the viewset overrides, or the APIView method (handlers DRF and this package
        define say nothing about the project's view, so the view's docstring stands in)."""
        if is_function_view(self.view):
            return get_doc(self.view.__class__)  # @api_view copies the function's docstring
        # Bound, so a docstring the method inherits is found (a view that drf-spectacular's
        # OpenApiViewExtension replaced by a subclass overriding the handler).
        if isinstance(self.view, ViewSetMixin):
            action = self.get_action()
            handler = getattr(self.view, action, None)
            if action in STANDARD_ACTIONS and _is_library_code(handler):
                return ""
            return get_doc(handler)
        handler = getattr(self.view, self.method.lower(), None)
        if _is_library_code(handler):
            return get_doc(self.view.__class__)
        return get_doc(handler) if handler else ""

    # -- silently wrong documentation ------------------------------------------------------

    def get_request_serializer(self) -> Any:
        self._warn_if_unannotated("request body")
        return super().get_request_serializer()  # type: ignore[misc]

    def get_response_serializers(self) -> Any:
        self._warn_if_unannotated("response")
        return super().get_response_serializers()  # type: ignore[misc]

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
