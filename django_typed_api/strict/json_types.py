"""JSON request bodies must carry the JSON types the schema documents.

DRF's fields coerce what they are given: a ``BooleanField`` takes ``0`` and ``"yes"``, a
``CharField`` takes ``7``, an ``IntegerField`` takes ``"7"``, a ``ChoiceField`` of integers
takes ``"1"``, and a relation takes ``""`` for null. The schema says ``boolean``, ``string``,
``integer``, ``format: uuid``; a typed client never sends anything else, so a body that does
comes from a client with a bug, which coercion would hide (schema fuzzing reports each of these
as "schema-violating request accepted").

:func:`check_json_types` checks a parsed JSON body against the operation's request serializer
(the one the schema documents, ``extend_schema(request=...)`` included). It runs after
authentication, permissions and throttles: :class:`StrictJSONTypesMixin` (part of every Typed
viewset) runs it at the end of ``initial()``, so an anonymous POST with bad types is a 401,
not a 400 that describes the body. In other views the JSON parser runs it when the body is
first read (normally by the handler, after those checks too). A mismatch is a 400 ``invalid``
with field errors, like any other validation error.

Switches, from the broadest: ``TYPED_API["STRICT_JSON_TYPES"] = False`` for the project;
``Meta.strict_json_types = False`` on one serializer (e.g. one that takes ids for nested
objects); and a field or serializer with its own ``to_internal_value`` is never type-checked,
since it decides itself what it accepts.

Lists are bounded whatever the switches say: a list longer than its field's ``max_length`` (or
``TYPED_API["MAX_LIST_ITEMS"]``) is refused with one error before any item is validated, and
at most ``MAX_ITEM_ERRORS`` item errors are reported, so the work and the answer stay in
proportion to a legitimate request.

Only JSON types are checked here (and the empty string for a relation); formats, lengths and
choices stay with the serializer, which reports them in its own words.
"""

from __future__ import annotations

import copy
import uuid
import weakref
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import fields, relations, serializers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.request import Request

from ..conf import typed_api_settings

#: Methods whose body the schema documents as required (PATCH is partial).
REQUIRED_BODY_METHODS = frozenset({"POST", "PUT"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

MESSAGES = {
    "boolean": _("Must be a boolean (true or false)."),
    "string": _("Must be a string."),
    "integer": _("Must be an integer."),
    "number": _("Must be a number."),
    "array": _("Must be a list."),
    "object": _("Must be an object."),
    "uuid": _("Must be a valid UUID."),
    "max_length": _("Ensure this field has no more than {max_length} elements."),
}

#: The key that sums up the item errors past ``MAX_ITEM_ERRORS``.
MORE_ERRORS_KEY = "..."

Errors = dict[Any, Any] | list[Any] | None


#: (view class, action, method) -> the body's serializer, for views whose answer cannot
#: change between requests (no ``get_serializer_class`` of their own).
_SERIALIZERS: dict[tuple[type, str | None, str], Any] = {}


def request_serializer(view: Any, request: Request) -> Any:
    """The serializer the schema documents as this request's body, or None.

    Asks a copy of the view's drf-spectacular inspector, so ``extend_schema(request=...)`` on
    an action or a function view is honoured; the copy keeps the shared inspector untouched
    by concurrent requests. The answer is remembered per view class, action and method,
    unless the view picks its serializer per request (its own ``get_serializer_class``), so
    the schema machinery runs once per operation and process, not on every write.
    """
    method = (request.method or "").upper()
    view_class = type(view)
    key = (view_class, getattr(view, "action", None), method)
    if key in _SERIALIZERS:
        return _SERIALIZERS[key]
    # Imported here: rest_framework.views loads DEFAULT_PARSER_CLASSES, which imports this.
    from rest_framework.generics import GenericAPIView

    found = _inspect_request_serializer(view, request, method)
    if getattr(view_class, "get_serializer_class", None) in (
        None,
        GenericAPIView.get_serializer_class,
    ):
        _SERIALIZERS[key] = found
    return found


def _inspect_request_serializer(view: Any, request: Request, method: str) -> Any:
    from drf_spectacular.openapi import AutoSchema

    # drf-spectacular keeps extend_schema() of an @action or an @api_view function on the
    # handler (``kwargs["schema"]``, a class); its schema generator looks there first too.
    handler = getattr(view, getattr(view, "action", None) or method.lower(), None)
    inspector = getattr(handler, "kwargs", {}).get("schema") or getattr(view, "schema", None)
    if isinstance(inspector, type) and issubclass(inspector, AutoSchema):
        inspector = inspector()
    elif isinstance(inspector, AutoSchema):
        inspector = copy.copy(inspector)
    else:
        return None
    inspector.view = view
    inspector.method = method
    inspector.path = request.path
    try:
        found = inspector.get_request_serializer()
    except Exception:  # an unusual view must not break parsing; the serializer still validates
        return None
    if isinstance(found, type) and issubclass(found, serializers.BaseSerializer):
        return found()
    return found if isinstance(found, serializers.BaseSerializer) else None


def check_json_types(view: Any, request: Request, data: Any) -> None:
    """Raise a 400 ``ValidationError`` if ``data`` has a JSON type the schema does not allow
    or a list longer than its bound."""
    if (request.method or "").upper() not in BODY_METHODS:
        return
    serializer = request_serializer(view, request)
    if serializer is None:
        return
    errors = BodyCheck(types=typed_api_settings.STRICT_JSON_TYPES).errors(serializer, data)
    if errors:
        raise ValidationError(_with_other_field_errors(serializer, view, request, data, errors))


class StrictJSONTypesMixin:
    """Checks the JSON body (:func:`check_json_types`) after authentication, permissions and
    throttles, instead of when the parser first reads it (an authentication class or a
    permission may read it earlier). Part of every Typed viewset; add it to an ``APIView``."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        method = (request.method or "").upper()
        if method not in BODY_METHODS or not hasattr(self, method.lower()):
            return  # no body here, or a method the view lacks: DRF answers 405
        if request_serializer(self, request) is None:
            return
        data = request.data  # parsed here if nothing read it yet
        if getattr(request, "_typed_api_json_body", False):
            check_json_types(self, request, data)
        elif (
            request.stream is None  # no body at all (DRF would read it as {})
            and (request.method or "").upper() in REQUIRED_BODY_METHODS
            and typed_api_settings.STRICT_JSON_TYPES
        ):
            raise ParseError(_("This request needs a JSON body; send {} to give no values."))


def _with_other_field_errors(
    serializer: Any, view: Any, request: Request, data: Any, errors: Errors
) -> Errors:
    """A form gets every field's error in one answer, not the type errors first and the rest
    after a second submit: on a create, the fields that are well typed are validated by the
    serializer too and its errors are merged in. (An update is not: without the instance the
    serializer would misjudge unique fields, so it reports the type errors alone.)"""
    if (request.method or "").upper() != "POST" or not (
        isinstance(errors, dict) and isinstance(data, dict)
    ):
        return errors
    well_typed = {key: value for key, value in data.items() if key not in errors}
    rest = type(serializer)(data=well_typed, context={"request": request, "view": view})
    try:
        rest.is_valid()
    except Exception:  # a serializer that cannot run here still gets its type errors reported
        return errors
    others = {key: value for key, value in rest.errors.items() if key not in errors}
    return {**others, **errors}


def type_errors(field: fields.Field, value: Any) -> Errors:
    """DRF-shaped errors for JSON type mismatches of ``value`` against ``field`` (and lists
    over their bound), else None.

    The messages are the field's own (``error_messages``), as if DRF had refused the value.
    """
    return BodyCheck(types=True).errors(field, value)


class BodyCheck:
    """One walk of a body against its serializer: list bounds always, JSON types if ``types``.

    Every step is cheap and the walk is linear in the body's size: a list over its bound is
    one error without looking at its items, and the item errors of a list stop being collected
    after ``MAX_ITEM_ERRORS`` (the rest are counted).
    """

    def __init__(self, *, types: bool = True) -> None:
        self.types = types
        self.max_items: int | None = typed_api_settings.MAX_LIST_ITEMS
        self.max_errors: int = typed_api_settings.MAX_ITEM_ERRORS

    def errors(self, field: fields.Field, value: Any) -> Errors:
        if value is None or getattr(field, "read_only", False) or not checked(field):
            return None  # null: the field's own allow_null check answers
        if isinstance(field, serializers.ListSerializer):
            return self.list(field, field.child, value) if field.child is not None else None
        if isinstance(field, serializers.Serializer):
            if not isinstance(value, dict):
                return _fail(field, "invalid", "object", value) if self.types else None
            nested = {
                name: errors
                for name, child in field.fields.items()
                if name in value and (errors := self.errors(child, value[name]))
            }
            return nested or None
        if isinstance(field, relations.ManyRelatedField):
            return self.list(field, field.child_relation, value)
        if isinstance(field, fields.MultipleChoiceField):
            return self.list(field, fields.ChoiceField(choices=field.choices), value)
        if isinstance(field, fields.ListField):
            return self.list(field, field.child, value)
        if isinstance(field, fields.DictField) and not isinstance(field, fields.HStoreField):
            if not isinstance(value, dict):
                return _fail(field, "not_a_dict", "object", value) if self.types else None
            return self.items(field.child, value.items())
        return scalar_type_errors(field, value) if self.types else None

    def list(self, field: fields.Field, child: fields.Field, value: Any) -> Errors:
        if not isinstance(value, list):
            return _fail(field, "not_a_list", "array", value) if self.types else None
        limit = getattr(field, "max_length", None) or self.max_items
        if limit is not None and len(value) > limit:
            return [too_many(field, limit)]
        return self.items(child, enumerate(value))

    def items(self, child: fields.Field, pairs: Any) -> Errors:
        nested: dict[Any, Any] = {}
        more = 0
        for key, item in pairs:
            errors = self.errors(child, item)
            if not errors:
                continue
            if len(nested) < self.max_errors:
                nested[key] = errors
            else:
                more += 1
        if more:
            nested[MORE_ERRORS_KEY] = [more_errors(more)]
        return nested or None


def checked(field: fields.Field) -> bool:
    """False for what decides itself what it accepts: a serializer with
    ``Meta.strict_json_types = False``, or a field or serializer whose ``to_internal_value``
    is not DRF's own (it may take an id for a nested object, or a number for a string).
    Both are properties of the class, so the answer is kept per class."""
    cls = type(field)
    known = _CHECKED.get(cls)
    if known is None:
        known = _class_checked(cls)
        _CHECKED[cls] = known
    return known


#: field or serializer class -> :func:`checked`'s answer (classes are few and live long).
_CHECKED: dict[type, bool] = {}


def _class_checked(cls: type) -> bool:
    meta = getattr(cls, "Meta", None)
    if meta is not None and getattr(meta, "strict_json_types", True) is False:
        return False
    for klass in cls.__mro__:
        if "to_internal_value" in klass.__dict__:
            return klass.__module__.split(".")[0] in ("rest_framework", "django_typed_api")
    return True


def too_many(field: fields.Field, limit: int) -> Any:
    """The field's own ``max_length`` message (ListField's), else DRF's words for it."""
    if "max_length" in getattr(field, "error_messages", {}):
        try:
            field.fail("max_length", max_length=limit)
        except ValidationError as exc:
            detail = exc.detail
            return detail[0] if isinstance(detail, list) else detail
        except (AssertionError, KeyError):
            pass
    return str(MESSAGES["max_length"]).format(max_length=limit)


def more_errors(count: int) -> str:
    return f"and {count} more error{'s' if count != 1 else ''}"


def scalar_type_errors(field: fields.Field, value: Any) -> Errors:
    """The JSON type error of a scalar field, else None."""
    try:
        expected = _EXPECTED[field]
    except KeyError:
        expected = _EXPECTED[field] = _expected_type(field)
    if expected is None:
        return None
    if not _is_json_type(value, expected):
        if isinstance(field, relations.RelatedField):
            return _fail(field, "incorrect_type", expected, value)
        if isinstance(field, fields.ChoiceField):
            return _fail(field, "invalid_choice", expected, value)
        if expected == "string":  # subclasses reuse "invalid" for their format (slug, UUID)
            return [fields.CharField.default_error_messages["invalid"]]
        return _fail(field, "invalid", expected, value)
    if expected == "uuid" and isinstance(field, relations.RelatedField):
        try:
            uuid.UUID(value)
        except ValueError:  # "" too, which DRF would read as null
            return [MESSAGES["uuid"]]
    return None


#: field -> the JSON type it takes, for as long as the field lives: the body's serializer is
#: kept per operation (``request_serializer``), so its fields are typed once per process.
_EXPECTED: weakref.WeakKeyDictionary[fields.Field, str | None] = weakref.WeakKeyDictionary()


def _fail(field: fields.Field, key: str, expected: str, value: Any) -> list[Any]:
    """The field's own message for ``key``; ours when it has none."""
    name = type(value).__name__
    try:
        field.fail(key, input=value, value=value, data_type=name, input_type=name, datatype=name)
    except ValidationError as exc:
        return list(exc.detail) if isinstance(exc.detail, list) else [exc.detail]
    except (AssertionError, KeyError):
        pass
    return [MESSAGES["string" if expected == "uuid" else expected]]


def _expected_type(field: fields.Field) -> str | None:
    """The JSON type the schema documents for a scalar field; None: not checked here."""
    if isinstance(field, fields.BooleanField):
        return "boolean"
    if isinstance(field, fields.ChoiceField):
        keys = list(field.choices)
        if keys and all(isinstance(k, int) and not isinstance(k, bool) for k in keys):
            return "integer"
        if keys and all(isinstance(k, str) for k in keys):
            return "string"
        return None
    if isinstance(field, fields.IntegerField):
        return "integer"
    if isinstance(field, fields.FloatField):
        return "number"
    if isinstance(field, relations.PrimaryKeyRelatedField):
        if field.pk_field is not None:
            return _expected_type(field.pk_field)
        queryset: Any = getattr(field, "queryset", None)
        pk = queryset.model._meta.pk if queryset is not None else None
        if isinstance(pk, models.IntegerField):  # AutoFields too
            return "integer"
        return "uuid" if isinstance(pk, models.UUIDField) else "string"
    if isinstance(field, relations.SlugRelatedField):
        return "string"
    if isinstance(
        field,
        (
            fields.CharField,
            fields.UUIDField,
            fields.DateField,
            fields.DateTimeField,
            fields.TimeField,
            fields.DurationField,
        ),
    ):
        return "string"
    return None  # DecimalField (string or number by settings), JSONField, files, custom fields


def _is_json_type(value: Any, expected: str) -> bool:
    if expected == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False  # JSON true is not 1
    if expected == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if expected == "number":
        return isinstance(value, (int, float))
    return isinstance(value, str)  # string, uuid
