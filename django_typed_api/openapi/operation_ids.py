"""operationIds unique by construction: a would-be collision is resolved from context.

Two operations that would get one id (a nested route and the top-level one, a second viewset
on one model, ``/v1/`` beside ``/v2/``, ``schema.json`` beside ``schema.yaml``) are told apart
by the first context that differs, in this order:

=========  ======================================================  ===========================
level      word added                                              example
=========  ======================================================  ===========================
parent     the parent of a nested route, singular                  ``listAuthorBooks``
version    the API version (a ``v2`` segment or the request's)     ``listBooksV2``
view       the viewset's own name beside its model's               ``listArchivedBooks``
format     the format suffix of the route                          ``retrieveSchemaJson``
path       the path segments the name does not already say         ``listArchiveBooks``
=========  ======================================================  ===========================

Only the operations that collide get a word, and only until they stop colliding, so a
schema without collisions (one version's schema, a project without nesting) keeps its plain
names. The result depends only on the colliding operations themselves, never on URL order.
Ids set by hand (``@extend_schema(operation_id=...)``) are never changed: two of them that
collide are what the E002 system check reports.

Resolution needs every operation, but drf-spectacular builds them one at a time; a
:class:`OperationIdRegistry` per generation (kept on drf-spectacular's ``ComponentRegistry``)
re-resolves a group each time it grows and rewrites the ids of the operation dicts already
handed back, which drf-spectacular only copies after the last one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import naming

#: Levels in the order they are tried, and whether each one's word goes before the noun.
LEVELS: tuple[tuple[str, bool], ...] = (
    ("parent", True),
    ("version", False),
    ("view", True),
    ("format", False),
    ("path", True),
)


@dataclass(frozen=True)
class OperationName:
    """An operationId in two parts, so context can be put between them:
    ``OperationName("list", "Books")`` -> ``listBooks`` -> ``listAuthorBooks``."""

    verb: str
    noun: str = ""

    def render(self, before: Sequence[str] = (), after: Sequence[str] = ()) -> str:
        return naming.camel(self.verb, *before, self.noun, *after)

    @classmethod
    def parse(cls, operation_id: str) -> OperationName:
        """``obtainTokenPair`` -> ``OperationName("obtain", "TokenPair")``."""
        head, *rest = naming.split_words(operation_id) or [operation_id]
        return cls(head, naming.pascal(*rest))


@dataclass
class NamedOperation:
    """One operation as the resolution sees it."""

    key: tuple[str, str]  # (path, METHOD): unique in a schema
    operation_id: str  # the id without context
    label: str  # "GET /books/ (app.views.BookViewSet)", for messages
    name: OperationName | None = None  # None: set by hand, never changed
    context: dict[str, str] = field(default_factory=dict)  # level -> word
    path_words: tuple[str, ...] = ()  # static path segments after the prefix
    operation: dict[str, Any] | None = None  # the dict to rewrite during generation


def resolve(group: Iterable[NamedOperation]) -> dict[tuple[str, str], str]:
    """Final ids of operations that share one ``operation_id``: each colliding subgroup gets
    the next level's words until its ids differ (see the module docstring)."""
    members = sorted(group, key=lambda op: op.key)
    names = {op.key: op.operation_id for op in members}
    added: dict[tuple[str, str], list[tuple[str, bool]]] = {op.key: [] for op in members}
    pending = [members] if len(members) > 1 else []
    for level, before in LEVELS:
        if not pending:
            break
        still: list[list[NamedOperation]] = []
        for subgroup in pending:
            for op in subgroup:
                word = _word(op, level, subgroup, names[op.key])
                if op.name is not None and word:
                    added[op.key].append((word, before))
                    names[op.key] = op.name.render(
                        [w for w, b in added[op.key] if b], [w for w, b in added[op.key] if not b]
                    )
            still.extend(_colliding(subgroup, names))
        pending = still
    return names


def _word(op: NamedOperation, level: str, subgroup: list[NamedOperation], current: str) -> str:
    if level != "path":
        return op.context.get(level, "")
    # Path segments that neither the id nor every other colliding operation already has.
    said = {w.lower() for w in naming.split_words(current)}
    common = set.intersection(*(set(o.path_words) for o in subgroup))
    words = [
        w
        for w in op.path_words
        if w not in common
        and not {s.lower() for s in naming.split_words(w)} <= said
        and naming.singularize(w).lower() not in said
    ]
    return naming.pascal(*words)


def _colliding(
    members: list[NamedOperation], names: dict[tuple[str, str], str]
) -> list[list[NamedOperation]]:
    by_name: dict[str, list[NamedOperation]] = defaultdict(list)
    for op in members:
        by_name[names[op.key]].append(op)
    return [ops for ops in by_name.values() if len(ops) > 1]


def resolve_all(operations: Iterable[NamedOperation]) -> dict[tuple[str, str], str]:
    """Final ids of a whole schema's operations."""
    groups: dict[str, list[NamedOperation]] = defaultdict(list)
    for op in operations:
        groups[op.operation_id].append(op)
    names: dict[tuple[str, str], str] = {}
    for group in groups.values():
        names.update(resolve(group))
    return names


class OperationIdRegistry:
    """The operations of one generation, grouped by their id without context."""

    def __init__(self) -> None:
        self.groups: dict[str, list[NamedOperation]] = defaultdict(list)

    def add(self, op: NamedOperation) -> None:
        group = self.groups[op.operation_id]
        group.append(op)
        if len(group) < 2:
            return
        for key, name in resolve(group).items():
            member = next(o for o in group if o.key == key)
            if member.operation is not None:
                member.operation["operationId"] = name
