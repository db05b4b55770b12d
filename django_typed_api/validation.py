"""JSON request bodies must carry the JSON types the schema documents.

DRF's fields coerce what they are given: a ``BooleanField`` takes ``0`` and ``"yes"``, a
``CharField`` takes ``7``, an ``IntegerField`` takes ``"7"``, a ``ChoiceField`` of integers
takes ``"1"``, and a relation takes ``""`` for null. The schema says ``boolean``, ``string``,
``integer``, ``format: uuid``; a typed client never sends anything else, so a body that does
comes from a client with a bug, which coercion would hide (schema fuzzing reports each of these
as "schema-violating request accepted").

:class:`~django_typed_api.parsers.TypedJSONParser` calls :func:`check_json_types` on every
parsed JSON body with the operation's request serializer (the one the schema documents,
``extend_schema(request=...)`` included). A mismatch is a 400 ``invalid`` with field errors,
like any other validation error. ``TYPED_API["STRICT_JSON_TYPES"] = False`` turns it off.

Only JSON types are checked here (and the empty string for a relation); formats, lengths and
choices stay with the serializer, which reports them in its own words.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import fields, relations, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from .conf import typed_api_settings

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

MESSAGES = {
    "boolean": _("Must be a boolean (true or false)."),
    "string": _("Must be a string."),
    "integer": _("Must be an integer."),
    "number": _("Must be a number."),
    "array": _("Must be a list."),
    "object": _("Must be an object."),
    "uuid": _("Must be a valid UUID."),
}

INTEGER_PK_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.IntegerField,
)

Errors = dict[Any, Any] | list[Any] | None


def request_serializer(view: Any, request: Request) -> Any:
    """The serializer the schema documents as this request's body, or None.

    Asks a copy of the view's drf-spectacular inspector, so ``extend_schema(request=...)`` on
    an action or a function view is honoured; the copy keeps the shared inspector untouched
    by concurrent requests.
    """
    from drf_spectacular.openapi import AutoSchema

    method = (request.method or "").upper()
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
    """Raise a 400 ``ValidationError`` if ``data`` has a JSON type the schema does not allow."""
    if (
        not typed_api_settings.STRICT_JSON_TYPES
        or (request.method or "").upper() not in BODY_METHODS
    ):
        return
    serializer = request_serializer(view, request)
    if serializer is None:
        return
    errors = type_errors(serializer, data)
    if errors:
        raise ValidationError(_with_other_field_errors(serializer, view, request, data, errors))


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
    """DRF-shaped errors for JSON type mismatches of ``value`` against ``field``, else None.

    The messages are the field's own (``error_messages``), as if DRF had refused the value.
    """
    if value is None or getattr(field, "read_only", False):
        return None  # null: the field's own allow_null check answers
    if isinstance(field, serializers.ListSerializer):
        return _list_errors(field, field.child, value) if field.child is not None else None
    if isinstance(field, serializers.Serializer):
        if not isinstance(value, dict):
            return _fail(field, "invalid", "object", value)
        nested = {
            name: errors
            for name, child in field.fields.items()
            if name in value and (errors := type_errors(child, value[name]))
        }
        return nested or None
    if isinstance(field, relations.ManyRelatedField):
        return _list_errors(field, field.child_relation, value)
    if isinstance(field, fields.MultipleChoiceField):
        return _list_errors(field, fields.ChoiceField(choices=field.choices), value)
    if isinstance(field, fields.ListField):
        return _list_errors(field, field.child, value)
    if isinstance(field, fields.DictField) and not isinstance(field, fields.HStoreField):
        if not isinstance(value, dict):
            return _fail(field, "not_a_dict", "object", value)
        nested = {k: e for k, v in value.items() if (e := type_errors(field.child, v))}
        return nested or None
    expected = _expected_type(field)
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


def _list_errors(field: fields.Field, child: fields.Field, value: Any) -> Errors:
    if not isinstance(value, list):
        return _fail(field, "not_a_list", "array", value)
    nested = {i: errors for i, item in enumerate(value) if (errors := type_errors(child, item))}
    return nested or None


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


#: At least one character that Python's ``str.strip()`` keeps. Spelled out instead of ``\S``:
#: ECMAScript's ``\s`` (the dialect of JSON Schema patterns) lacks U+001C-U+001F and U+0085,
#: which Python strips, and has U+FEFF, which Python keeps.
NOT_BLANK = (
    "[^\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029"
    "\\u202f\\u205f\\u3000]"
)


class TrimmedStringSchemaMixin:
    """Documents that a required text field needs a non-blank value.

    DRF trims request strings (``trim_whitespace``) before it checks ``allow_blank``, so a
    ``"\\f"`` or ``"   "`` is refused as blank although the schema's ``minLength: 1`` allows it.
    Request bodies' plain string fields that are trimmed and may not be blank get a pattern
    (:data:`NOT_BLANK`: a character that is not whitespace), so the schema says what is
    accepted; TypeScript types are unchanged, validators generated from the schema check it.
    """

    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> Any:
        result = super()._map_serializer_field(field, direction, bypass_extensions)  # type: ignore[misc]
        if (
            direction == "request"
            and isinstance(field, fields.CharField)
            and field.trim_whitespace
            and not field.allow_blank
            and isinstance(result, dict)
            and result.get("type") == "string"
            and not {"pattern", "format", "enum"} & result.keys()
            and not any(isinstance(v, RegexValidator) for v in field.validators)  # has its own
        ):
            result = {**result, "pattern": NOT_BLANK}
        return result
