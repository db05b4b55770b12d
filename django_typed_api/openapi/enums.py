"""Deterministic, collision-free enum component names.

drf-spectacular names an enum after its field (``StatusEnum``) until a second model gets a
``status`` field, then renames the first to ``VacancyStatusEnum``: every generated client
changes when an unrelated model is added. Here a name never depends on other models:

* choices that come from a ``TextChoices`` / ``IntegerChoices`` class are named after the
  class (``Vacancy.Status`` -> ``VacancyStatusEnum``, ``EmploymentType`` ->
  ``EmploymentTypeEnum``), so every field sharing the class shares one enum;
* other model choices are ``{Model}{Field}Enum``;
* choices of plain serializers are ``{Component}{Field}Enum``.

Blank and null are not folded into the enum: the property becomes a union with ``BlankEnum``
/ ``NullEnum``, which openapi-typescript turns into ``VacancyStatusEnum | "" | null``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.db import models
from drf_spectacular.drainage import warn
from drf_spectacular.plumbing import (
    ResolvedComponent,
    is_jsonschema_compliant,
    list_hash,
    load_enum_name_overrides,
    safe_ref,
)
from drf_spectacular.settings import spectacular_settings

from .. import naming

#: Keys that stay on a property when its enum moves to a component (not min/max etc.).
_KEPT_PROPERTY_KEYS = ("readOnly", "writeOnly", "default", "title", "deprecated", "example")

#: Private key carrying the chosen name from field mapping to the postprocessing hook.
ENUM_NAME_KEY = "x-typed-api-enum-name"


def _choices_classes() -> Iterator[type[models.Choices]]:
    stack: list[type[models.Choices]] = list(models.Choices.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not cls.__module__.startswith("django."):
            yield cls


ChoicesIndex = dict[tuple[Any, ...], set[type[models.Choices]]]


def choices_index() -> ChoicesIndex:
    """values -> the ``Choices`` classes with exactly those values (build it once per schema
    generation: scanning every class for every field is quadratic on big projects)."""
    index: ChoicesIndex = {}
    for cls in _choices_classes():
        index.setdefault(tuple(cls.values), set()).add(cls)
    return index


def choices_class_for(
    values: tuple[Any, ...], index: ChoicesIndex | None = None
) -> type[models.Choices] | None:
    """The one ``Choices`` class whose values are exactly ``values``, if there is one."""
    matches = (choices_index() if index is None else index).get(values, set())
    return next(iter(matches)) if len(matches) == 1 else None


def choices_class_name(choices_class: type[models.Choices]) -> str:
    """``Vacancy.Status`` -> ``VacancyStatus``. A class defined inside a function is named
    from where it is defined on (``make_thing.<locals>.Thing.Type`` -> ``ThingType``):
    ``<`` and ``>`` are not allowed in component names."""
    qualname = choices_class.__qualname__.rsplit("<locals>.", 1)[-1]
    return naming.pascal(re.sub(r"[^0-9A-Za-z]+", "_", qualname))


def enum_name_for_field(field: Any, index: ChoicesIndex | None = None) -> str | None:
    """Base name (without the ``Enum`` suffix) for a serializer ``ChoiceField``."""
    values = tuple(k for k in field.choices if k not in ("", None))
    choices_class = choices_class_for(values, index)
    if choices_class is not None:
        return choices_class_name(choices_class)
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source = getattr(field, "source", None) or getattr(field, "field_name", "")
    if model is not None and source and "." not in source and source != "*":
        return naming.pascal(model.__name__, source)
    return None  # the hook names it from the component


def _component_base(component_name: str) -> str:
    if spectacular_settings.COMPONENT_SPLIT_PATCH:
        component_name = re.sub(r"^Patched(.+)", r"\1", component_name)
    if spectacular_settings.COMPONENT_SPLIT_REQUEST:
        component_name = re.sub(r"(.+)Request$", r"\1", component_name)
    return component_name


def _property_containers(schema: Any) -> Iterator[dict[str, Any]]:
    if isinstance(schema, list):
        for item in schema:
            yield from _property_containers(item)
    elif isinstance(schema, dict):
        if isinstance(schema.get("properties"), dict):
            yield schema["properties"]
        for key in ("oneOf", "allOf", "anyOf"):
            yield from _property_containers(schema.get(key, []))


def postprocess_enums(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """Replacement for drf-spectacular's ``postprocess_schema_enums`` (use one, not both)."""
    suffix = spectacular_settings.ENUM_SUFFIX
    schemas = result.get("components", {}).get("schemas", {})
    claimed: dict[str, list[Any]] = {}
    overrides = load_enum_name_overrides()  # {choices hash: name}: ENUM_NAME_OVERRIDES wins
    explicit_blank_null = spectacular_settings.ENUM_ADD_EXPLICIT_BLANK_NULL_CHOICE

    def register(name: str, schema: dict[str, Any]) -> dict[str, Any]:
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name
        )
        generator.registry.register_on_missing(component)
        return component.ref

    for component_name in sorted(schemas):
        for props in _property_containers(schemas[component_name]):
            for prop_name in sorted(props):
                prop = props[prop_name]
                is_array = prop.get("type") == "array"
                target = prop.get("items", {}) if is_array else prop
                if not isinstance(target, dict) or "enum" not in target:
                    continue
                base = target.pop(ENUM_NAME_KEY, None) or naming.pascal(
                    _component_base(component_name), prop_name
                )
                original = target["enum"]
                values = [v for v in original if v not in ("", None)]
                choices_hash = target.get("x-spec-enum-id") or list_hash([(v, v) for v in values])
                name = overrides.get(choices_hash) or f"{base}{suffix}"
                if claimed.setdefault(name, values) != values:
                    warn(
                        f'two different choice sets are both named "{name}" '
                        f"({component_name}.{prop_name}). Give one of them its own "
                        f"TextChoices class, or add it to ENUM_NAME_OVERRIDES."
                    )
                field_description, choices_description = _split_description(
                    target.get("description", "")
                )
                enum_schema = {k: target[k] for k in ("type",) if k in target}
                if choices_description:
                    enum_schema["description"] = choices_description
                enum_schema["enum"] = values
                if isinstance(enum_schema.get("type"), list):  # OAS 3.1 ["string", "null"]
                    enum_schema["type"] = next(t for t in enum_schema["type"] if t != "null")
                refs = [register(name, enum_schema)]
                if explicit_blank_null and "" in original:
                    refs.append(register(f"Blank{suffix}", {"enum": [""]}))
                if explicit_blank_null and None in original:
                    null = {"type": "null"} if is_jsonschema_compliant() else {"enum": [None]}
                    refs.append(register(f"Null{suffix}", null))
                rest = {k: v for k, v in target.items() if k in _KEPT_PROPERTY_KEYS}
                if field_description:  # the field's own words stay on the field
                    rest["description"] = field_description
                if not explicit_blank_null and "nullable" in target:  # no NullEnum to say it
                    rest["nullable"] = target["nullable"]
                rest.update(refs[0] if len(refs) == 1 else {"oneOf": refs})
                if is_array:
                    prop["items"] = safe_ref(rest)
                else:
                    props[prop_name] = safe_ref(rest)

    result["components"] = generator.registry.build(spectacular_settings.APPEND_COMPONENTS)
    _strip_enum_ids(result)
    return result


def _split_description(description: str) -> tuple[str, str]:
    """(the field's own description, the generated list of choices ``* `a` - A``).

    The list belongs to the shared enum component (when ``ENUM_GENERATE_CHOICE_DESCRIPTION``
    is on); a field's ``help_text`` is about the field and stays on the property, so one
    field's words are never written onto an enum other fields share."""
    if not description:
        return "", ""
    if not spectacular_settings.ENUM_GENERATE_CHOICE_DESCRIPTION:
        return description, ""
    if description.startswith("*"):
        return "", description
    own, separator, choices = description.partition("\n\n*")
    if separator:
        return own, "*" + choices
    return description, ""


def _strip_enum_ids(node: Any) -> None:
    """Remove the private keys left on enums outside components (query parameters)."""
    if isinstance(node, dict):
        node.pop("x-spec-enum-id", None)
        node.pop(ENUM_NAME_KEY, None)
        for value in node.values():
            _strip_enum_ids(value)
    elif isinstance(node, list):
        for value in node:
            _strip_enum_ids(value)
