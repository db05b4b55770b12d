"""A serializer class's field set, built once and copied cheaply for every serializer.

DRF's ``Serializer.fields`` calls ``get_fields()`` for every serializer instance: a
``ModelSerializer`` introspects its model and builds each field anew, and declared fields are
deep-copied (every field's ``__init__`` runs again). The result depends on the class alone as
long as the class keeps DRF's own field-building methods, so it is built once per class (the
*prototype*, never bound, never handed out) and every serializer gets a private copy: a new
object per field with a copy of its attributes, nested fields and serializers copied the same
way, lists and dicts (validators, error messages, choices) copied, querysets re-chained. The
copies are then bound by DRF's own ``BindingDict``, so ``parent``, ``root``, ``context`` and
``partial`` are the serializer's own, per request and per thread, exactly as with DRF.

Anything that could make the field set depend on the instance keeps DRF's path: a class that
overrides ``fields``, ``get_fields`` or one of ``ModelSerializer``'s ``build_*``/``get_*``
hooks, and a serializer whose ``fields`` were already built (its ``__init__`` read them). A
field whose class has its own ``__init__`` or ``__deepcopy__`` is copied with
``copy.deepcopy``, as DRF does.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.fields import Field, SerializerMethodField
from rest_framework.utils.serializer_helpers import BindingDict

#: The methods whose result ``get_fields()`` depends on; a class that overrides one of them
#: (e.g. to read the request) builds its fields per instance, as in DRF.
FIELD_BUILDING_METHODS = (
    "get_fields",
    "get_field_names",
    "get_default_field_names",
    "build_field",
    "build_standard_field",
    "build_relational_field",
    "build_nested_field",
    "build_property_field",
    "build_url_field",
    "build_unknown_field",
    "include_extra_kwargs",
    "get_extra_kwargs",
    "get_uniqueness_extra_kwargs",
)

#: serializer class -> (its signature, its prototype field set); None: its fields cannot be
#: prebound (DRF's own ``bind`` must raise its own error).
_PROTOTYPES: dict[type, tuple[tuple[Any, ...], dict[str, Field] | None]] = {}
_LOCK = threading.Lock()
#: Field.bind and the overrides whose result depends on the field name alone.
_NAME_ONLY_BINDS = (Field.bind, SerializerMethodField.bind)


def reusable_field_set(serializer_class: type) -> bool:
    """Whether ``serializer_class``'s fields depend on the class alone."""
    if not issubclass(serializer_class, serializers.Serializer):
        return False
    if serializer_class.fields is not serializers.Serializer.fields:
        return False
    base: type = (
        serializers.ModelSerializer
        if issubclass(serializer_class, serializers.ModelSerializer)
        else serializers.Serializer
    )
    return all(
        getattr(serializer_class, name, None) is getattr(base, name, None)
        for name in FIELD_BUILDING_METHODS
    )


def install_fields(
    serializer: serializers.Serializer, on_copy: Callable[[Field], Any] | None = None
) -> bool:
    """Give ``serializer`` its field set from its class's prototype: a
    :class:`LazyBindingDict`, copied and bound on first use (nested serializers get theirs
    then; ``on_copy`` is called with every copied field). False, and nothing changed, where
    DRF's own path must run."""
    if "fields" in serializer.__dict__ or not reusable_field_set(type(serializer)):
        return False
    prototype = prototype_of(serializer)
    if prototype is None:
        return False
    serializer.__dict__["fields"] = LazyBindingDict(
        serializer, prototype, on_copy or install_nested
    )
    return True


class LazyBindingDict(BindingDict):
    """DRF's ``BindingDict`` whose fields are copied from the prototype when first used: a
    serializer that is only rendered with its class's plan (:mod:`.plans`) never copies
    them. Any use (``serializer.fields[...]``, validation, a user's code) copies and binds
    them exactly as DRF's would be."""

    def __init__(
        self,
        serializer: serializers.Serializer,
        prototype: dict[str, Field],
        on_copy: Callable[[Field], Any],
    ) -> None:
        self.serializer = serializer
        self.prototype = prototype
        self._on_copy = on_copy
        self._fields: dict[str, Field] | None = None

    @property
    def copied(self) -> bool:
        return self._fields is not None

    @property
    def fields(self) -> dict[str, Field]:
        if self._fields is None:
            self._fields = {}
            _bind_copies(self, self._fields)
        return self._fields

    @fields.setter
    def fields(self, value: dict[str, Field]) -> None:
        self._fields = value


def _bind_copies(bound: LazyBindingDict, target: dict[str, Field]) -> None:
    memo: dict[int, Any] = {}
    serializer = bound.serializer
    for name, field in bound.prototype.items():
        new = _copy(field, memo)
        # A copy of the attributes keeps the prototype's binding; a deep copy (a field with
        # its own __init__) is a new, unbound field and is bound like DRF binds it.
        if type(field).bind in _NAME_ONLY_BINDS and new.__dict__.get("field_name") == name:
            new.parent = serializer  # the rest of bind() was done on the prototype
            target[name] = new
        else:
            bound[name] = new
    for field in target.values():
        bound._on_copy(field)


def install_nested(field: Field) -> None:
    """Install the field sets of the serializers inside ``field`` (a nested serializer, or
    the child of a ``many=True`` one)."""
    if isinstance(field, serializers.ListSerializer):
        field = field.child  # type: ignore[assignment]
    if isinstance(field, serializers.Serializer):
        install_fields(field)


def prototype_of(serializer: serializers.Serializer) -> dict[str, Field] | None:
    """The class's field set, built once (None: DRF's own ``bind`` must raise its error)."""
    cls = type(serializer)
    signature = class_signature(cls)
    known = _PROTOTYPES.get(cls)
    if known is not None and known[0] == signature:  # compared in C: no per-request copies
        return known[1]
    signature = _snapshot(signature)
    built: dict[str, Field] | None = dict(serializer.get_fields())  # DRF's call, once per class
    try:
        for name, field in built.items():  # type: ignore[union-attr]
            if type(field).bind in _NAME_ONLY_BINDS:
                field.bind(field_name=name, parent=None)  # type: ignore[arg-type]
    except AssertionError:  # e.g. a redundant source=: DRF's own bind() raises it per request
        built = None
    with _LOCK:
        _PROTOTYPES[cls] = (signature, built)
    return built


#: The ``Meta`` options ``ModelSerializer.get_fields()`` reads.
META_OPTIONS = ("model", "fields", "exclude", "read_only_fields", "extra_kwargs", "depth")


def class_signature(cls: type) -> tuple[Any, ...]:
    """What the class's field set is built from: a class changed at run time (a test
    renaming a field, a plugin adding one) gets a new prototype. Compared with ``==``
    against the :func:`_snapshot` taken when the prototype was built."""
    meta = getattr(cls, "Meta", None)
    return (
        cls._declared_fields,  # type: ignore[attr-defined]
        tuple(getattr(meta, option, None) for option in META_OPTIONS),
    )


def _snapshot(signature: tuple[Any, ...]) -> tuple[Any, ...]:
    """A copy that the class's later changes leave alone: the declared fields by identity
    (a field compares equal only to itself), the Meta options' lists and dicts by value."""
    declared, options = signature
    return (dict(declared), _copy_containers(options))


def _copy_containers(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return type(value)(_copy_containers(item) for item in value)
    if isinstance(value, dict):
        return {key: _copy_containers(item) for key, item in value.items()}
    return value  # a model, a string, a queryset: compared as they compare (by identity)


def _plain(cls: type) -> bool:
    """True when copying the attributes is what DRF's deep copy amounts to: the class builds
    itself with DRF's own ``__init__``/``__deepcopy__`` (re-running a user ``__init__`` is
    left to ``copy.deepcopy``)."""
    plain = _PLAIN.get(cls)
    if plain is None:
        plain = all(_defined_by_drf(cls, name) for name in ("__init__", "__deepcopy__", "__new__"))
        _PLAIN[cls] = plain
    return plain


_PLAIN: dict[type, bool] = {}


def _defined_by_drf(cls: type, name: str) -> bool:
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__module__.split(".")[0] in ("rest_framework", "builtins")
    return True


Template = tuple[bool, tuple[str, ...], tuple[str, ...], tuple[str, ...]]
#: id of a prototype field -> (the field, how to copy it: plain class, keys holding fields,
#: keys holding lists or dicts, keys holding querysets). The entry holds the field, so its id
#: stays its own.
_TEMPLATES: dict[int, tuple[Field, Template]] = {}


def _template(field: Field) -> Template:
    entry = _TEMPLATES.get(id(field))
    if entry is not None and entry[0] is field:
        return entry[1]
    items = field.__dict__.items()
    template = (
        _plain(type(field)),
        tuple(key for key, value in items if isinstance(value, Field)),
        tuple(key for key, value in items if type(value) is list or type(value) is dict),
        tuple(key for key, value in items if isinstance(value, QuerySet)),
    )
    _TEMPLATES[id(field)] = (field, template)
    return template


def _copy(field: Field, memo: dict[int, Any]) -> Any:
    """A private copy of a prototype field (see the module docstring)."""
    known = memo.get(id(field))
    if known is not None:
        return known
    plain, field_keys, container_keys, queryset_keys = _template(field)
    if not plain:
        new = copy.deepcopy(field)
        memo[id(field)] = new
        return new
    new = object.__new__(type(field))
    memo[id(field)] = new
    attributes = field.__dict__.copy()
    for key in container_keys:
        attributes[key] = attributes[key].copy()
    for key in queryset_keys:
        attributes[key] = attributes[key].all()  # never share a result cache between requests
    for key in field_keys:
        attributes[key] = _copy(attributes[key], memo)
    new.__dict__.update(attributes)
    return new
