"""The typed resource layer: TypeScript query and mutation options rendered from the schema.

``manage.py sync_types`` writes, next to the types file, a ``generated/`` folder with one
module per resource (tag) and an ``index.ts``:

- ``{operationId}Options`` per read (``listVacanciesOptions(params)``,
  ``retrieveVacancyOptions(id)`` with its ETag, ``searchJobsOptions(body)`` for ``x-query``
  POSTs), on the templates' query keys and stale times;
- ``{operationId}Mutation`` per write, invalidating exactly the resource's keys, sending
  ``If-Match`` where the schema takes it, with opt-in optimistic updates and rollback;
- ``{operationId}Error``: the operation's errors, narrowed by status;
- ``enums.ts``: the TextChoices with their values and labels at run time.

No Node generator is involved: the package knows which operations form a resource and what
each one does (see :mod:`.model`); :mod:`.render` writes the text. Turn it off with
``sync_types --no-resources`` or ``TYPED_API["RESOURCE_LAYER"] = False``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import GeneratorError, Resource, read_enums, read_resources
from .render import HEADER, ResourceRenderer, check_unique, render_enums, render_index

if TYPE_CHECKING:  # typesync imports the schema machinery, which needs configured settings
    from ..typesync import Output

__all__ = [
    "HEADER",
    "GeneratorError",
    "ResourceLayer",
    "render_resource_layer",
    "resource_layer_outputs",
    "write_resource_layer",
]


class ResourceLayer:
    """Schema in, ``{file name: TypeScript}`` out. Subclass to change what is generated."""

    #: Tags left to the hand-written templates: the auth store owns login, refresh and logout.
    skip_tags: frozenset[str] = frozenset({"auth"})
    renderer_class = ResourceRenderer

    def render(self, schema: dict[str, Any]) -> dict[str, str]:
        resources = read_resources(schema, self.skip_tags)
        by_tag = {resource.tag: resource for resource in resources}
        files: dict[str, str] = {}
        exported: dict[str, str] = {}
        # The item type is exported by the resource that owns it (vacancies, not jobs).
        owners_first = sorted(resources, key=lambda r: r.keys_owner != r.tag)
        claimed = {r.tag for r in owners_first if self._claim_item(exported, r)}
        for resource in resources:
            owner = by_tag[resource.keys_owner]
            renderer = self.renderer_class(resource, owner)
            files[f"{resource.module}.ts"] = renderer.render(resource.tag in claimed)
            check_unique(exported, resource.module, self._names(resource))
        enums = read_enums(schema)
        modules = [resource.module for resource in resources]
        if enums:
            check_unique(exported, "enums", (enum.name for enum in enums))
            files["enums.ts"] = render_enums(enums)
            modules.append("enums")
        files["index.ts"] = render_index(modules)
        return dict(sorted(files.items()))

    def _claim_item(self, exported: dict[str, str], resource: Resource) -> bool:
        """Export the item type from the first module that reads it."""
        name = resource.item_schema
        if not name or name in exported:
            return False
        exported[name] = resource.module
        return True

    def _names(self, resource: Resource) -> list[str]:
        names = [resource.keys_name] if resource.keys_owner == resource.tag else []
        for op in resource.operations:
            suffix = "Options" if op.kind in ("list", "retrieve", "read", "search") else "Mutation"
            names += [f"{op.operation_id}{suffix}", f"{op.pascal}Error"]
            if op.has_query:
                names.append(f"{op.pascal}Params")
            if op.has_body:
                names.append(f"{op.pascal}Body")
            if suffix == "Mutation":
                names.append(f"{op.pascal}Variables")
        return names


def render_resource_layer(schema: dict[str, Any]) -> dict[str, str]:
    """The generated files for ``schema``, by file name (deterministic: same schema, same bytes)."""
    return ResourceLayer().render(schema)


def resource_layer_outputs(schema: dict[str, Any], out_dir: Path) -> list[Output]:
    """The layer as ``sync_types`` outputs: written with the types, compared by ``--check``."""
    from ..typesync import Output

    files = render_resource_layer(schema)
    return [Output(out_dir / name, text.encode("utf-8")) for name, text in files.items()]


def write_resource_layer(schema: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write the layer into ``out_dir``; return the files that changed.

    Generated files of resources that left the schema are removed (only files that start with
    the generated header: a file the user put there is never touched).
    """
    files = render_resource_layer(schema)
    out_dir.mkdir(parents=True, exist_ok=True)
    changed: list[Path] = []
    for name, text in files.items():
        path = out_dir / name
        content = text.encode("utf-8")
        if not path.exists() or path.read_bytes() != content:
            path.write_bytes(content)
            changed.append(path)
    for path in sorted(out_dir.glob("*.ts")):
        if path.name not in files and path.read_text(encoding="utf-8").startswith(HEADER):
            path.unlink()
            changed.append(path)
    return changed
