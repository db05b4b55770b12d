"""Read an OpenAPI schema into resources and operations: what the generator needs to know.

The package's schema says more than a generic generator can read: operationIds start with a
verb (``listVacancies``, ``partialUpdateVacancy``), tags group one resource, reads carry an
``ETag`` header, writes take ``If-Match``, read-only POSTs are marked ``x-query``, 400s name
the body's fields and enums carry their labels. This module turns that into plain data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django_typed_api import naming

METHODS = ("get", "post", "put", "patch", "delete")
IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_LABEL_LINE = re.compile(r"^\* `(?P<value>[^`]*)` - (?P<label>.*)$")


class GeneratorError(Exception):
    """A schema the resource layer cannot be generated from, said in one line."""


@dataclass
class Operation:
    operation_id: str
    method: str
    path: str
    kind: str  # list, retrieve, read, search, create, update, partialUpdate, destroy, action
    summary: str
    path_params: list[str]
    path_types: dict[str, str]  # name -> TypeScript type
    has_query: bool
    has_body: bool
    body_media: str  # the request body's media type, application/json first
    sends_if_match: bool
    returns_etag: bool
    item_schema: str | None  # component name of the item read, listed or written

    @property
    def pascal(self) -> str:
        return self.operation_id[0].upper() + self.operation_id[1:]


@dataclass
class Resource:
    tag: str
    module: str  # file name without .ts
    keys_name: str  # vacancyKeys
    item_schema: str | None
    operations: list[Operation] = field(default_factory=list)
    #: The item's property names (a list row is matched to a path parameter by name).
    item_fields: frozenset[str] = frozenset()
    #: The resource whose query keys this one's reads use (a search returning vacancies is
    #: refreshed by a vacancy write); itself unless shown otherwise.
    keys_owner: str = ""


@dataclass
class Enum:
    name: str  # VacancyStatus
    schema: str  # VacancyStatusEnum
    values: list[str | int]
    labels: dict[str | int, str]


def ref_name(schema: dict[str, Any] | None) -> str | None:
    if schema and isinstance(schema.get("$ref"), str):
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    return None


def _json_schema(container: dict[str, Any] | None) -> dict[str, Any] | None:
    content = (container or {}).get("content") or {}
    media = content.get("application/json") or next(iter(content.values()), None)
    return (media or {}).get("schema")


def _success(op: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    for status in sorted(op.get("responses", {})):
        if str(status).startswith("2"):
            return str(status), op["responses"][status]
    return None


def _list_item(schema: dict[str, Any] | None, components: dict[str, Any]) -> str | None:
    """The item component of a list response: a page's ``results`` or an array's items."""
    if not schema:
        return None
    name = ref_name(schema)
    if name:
        schema = components.get(name, {})
    if schema.get("type") == "array":
        return ref_name(schema.get("items"))
    results = (schema.get("properties") or {}).get("results")
    if results and results.get("type") == "array":
        return ref_name(results.get("items"))
    return None


def _ts_scalar(schema: dict[str, Any]) -> str:
    return "number" if schema.get("type") in ("integer", "number") else "string"


def _media(body: dict[str, Any] | None) -> str:
    content = list(((body or {}).get("content") or {}).keys())
    return "application/json" if "application/json" in content or not content else content[0]


def _kind(method: str, op: dict[str, Any], path_params: list[str], is_list: bool) -> str:
    if method == "get":
        if path_params:
            return "retrieve"
        return "list" if is_list else "read"
    if method == "post" and op.get("x-query"):
        return "search"
    if method == "put":
        return "update"
    if method == "patch":
        return "partialUpdate"
    if method == "delete":
        return "destroy"
    if method == "post" and not path_params and op["operationId"].startswith("create"):
        return "create"
    return "action"


def read_operations(schema: dict[str, Any]) -> list[tuple[str, Operation]]:
    """Every operation with its tag, in the schema's (path, method) order."""
    components = schema.get("components", {}).get("schemas", {})
    found: list[tuple[str, Operation]] = []
    for path, item in (schema.get("paths") or {}).items():
        for method in METHODS:
            op = item.get(method)
            if not op:
                continue
            operation_id = op.get("operationId")
            if not operation_id or not IDENTIFIER.match(operation_id):
                raise GeneratorError(
                    f"{method.upper()} {path}: operationId {operation_id!r} is not a "
                    "TypeScript identifier; set one with extend_schema(operation_id=...)."
                )
            params = [*item.get("parameters", []), *op.get("parameters", [])]
            path_params = [p["name"] for p in params if p.get("in") == "path"]
            for name in path_params:
                if not IDENTIFIER.match(name):
                    raise GeneratorError(
                        f"{operation_id}: path parameter {name!r} is not an identifier."
                    )
            success = _success(op)
            success_schema = _json_schema(success[1]) if success else None
            list_item = (
                _list_item(success_schema, components) if method in ("get", "post") else None
            )
            kind = _kind(method, op, path_params, list_item is not None)
            body = op.get("requestBody")
            headers = (success[1].get("headers") or {}) if success else {}
            listed = kind in ("list", "search")
            item_schema = list_item if listed else ref_name(success_schema)
            tags = op.get("tags") or [naming.camel(path.strip("/").split("/")[-1] or "api")]
            found.append(
                (
                    tags[0],
                    Operation(
                        operation_id=operation_id,
                        method=method,
                        path=path,
                        kind=kind,
                        summary=(op.get("summary") or "").strip(),
                        path_params=path_params,
                        has_query=any(p.get("in") == "query" for p in params),
                        path_types={
                            p["name"]: _ts_scalar(p.get("schema") or {})
                            for p in params
                            if p.get("in") == "path"
                        },
                        has_body=body is not None,
                        body_media=_media(body),
                        sends_if_match=any(
                            p.get("in") == "header" and p.get("name", "").lower() == "if-match"
                            for p in params
                        ),
                        returns_etag=any(name.lower() == "etag" for name in headers),
                        item_schema=item_schema,
                    ),
                )
            )
    return found


def _module_name(tag: str) -> str:
    return "-".join(word.lower() for word in naming.split_words(tag)) or "api"


def read_resources(schema: dict[str, Any], skip_tags: frozenset[str]) -> list[Resource]:
    """Operations grouped by their first tag, sorted by tag so the output is stable."""
    by_tag: dict[str, Resource] = {}
    for tag, operation in read_operations(schema):
        if tag in skip_tags:
            continue
        resource = by_tag.get(tag)
        if resource is None:
            singular = naming.singularize(tag)
            keys_name = naming.camel(singular) + "Keys"
            if not IDENTIFIER.match(keys_name):
                raise GeneratorError(f"Tag {tag!r} gives no identifier for its query keys.")
            resource = by_tag[tag] = Resource(
                tag=tag, module=_module_name(tag), keys_name=keys_name, item_schema=None
            )
        resource.operations.append(operation)
    resources = [by_tag[tag] for tag in sorted(by_tag)]
    components = schema.get("components", {}).get("schemas", {})
    for resource in resources:
        resource.item_schema = _resource_item(resource)
        if resource.item_schema:
            properties = components.get(resource.item_schema, {}).get("properties") or {}
            resource.item_fields = frozenset(properties)
    # A resource that only searches (``searchJobs``) what another one lists shares its keys.
    listed = {r.item_schema: r for r in resources if any(o.kind == "list" for o in r.operations)}
    for resource in resources:
        owner = resource
        if not any(o.kind == "list" for o in resource.operations):
            searched = {o.item_schema for o in resource.operations if o.kind == "search"}
            owners = [listed[s] for s in sorted(s for s in searched if s) if s in listed]
            if owners:
                owner = owners[0]
        resource.keys_owner = owner.tag
    return resources


def _resource_item(resource: Resource) -> str | None:
    for kind in ("retrieve", "list", "read", "search", "create"):
        for operation in resource.operations:
            if operation.kind == kind and operation.item_schema:
                return operation.item_schema
    return None


def enum_name(schema_name: str, taken: set[str]) -> str:
    """``VacancyStatusEnum`` -> ``VacancyStatus`` (unless a component already has that name)."""
    base = schema_name[: -len("Enum")] if schema_name.endswith("Enum") else schema_name
    return base if base and base not in taken else f"{base}Choices"


def read_enums(schema: dict[str, Any]) -> list[Enum]:
    """The named enums with their labels (drf-spectacular writes ``* `value` - Label`` lines).

    ``BlankEnum`` and ``NullEnum`` (the "" and null of an optional choice) are not choices.
    """
    components = schema.get("components", {}).get("schemas", {})
    taken = set(components)
    enums = []
    for name in sorted(components):
        component = components[name]
        values = component.get("enum")
        if not values or component.get("type") not in ("string", "integer"):
            continue
        if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
            continue
        described: dict[str, str] = {}
        for line in (component.get("description") or "").splitlines():
            match = _LABEL_LINE.match(line.strip())
            if match:
                described[match["value"]] = match["label"].strip()
        labels = {value: described.get(str(value), str(value)) for value in values}
        enums.append(Enum(enum_name(name, taken), name, list(values), labels))
    return enums
