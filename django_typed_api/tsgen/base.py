"""The shared half of a resource module's renderer (see :mod:`.render`)."""

from __future__ import annotations

import textwrap

from .model import Operation, Resource
from .text import HEADER, TYPES, Imports, query_fn, ts_string, type_alias

#: A request body sent as FormData (files and fields), through the templates' `multipart()`.
MULTIPART = "multipart/form-data"


class RendererBase:
    """What every part of a resource module needs: the resource, its imports, shared pieces."""

    def __init__(self, resource: Resource, owner: Resource) -> None:
        self.resource = resource
        self.owner = owner  # whose query keys the reads use
        self.imports = Imports()
        self.keys = owner.keys_name
        self.item = resource.item_schema
        self.detail_versioned = any(
            o.kind == "retrieve" and o.returns_etag for o in owner.operations
        )

    # -- the module ------------------------------------------------------------------------

    def render(self, item_exported: bool) -> str:
        blocks: list[str] = []
        if self.item:
            self.imports.type(TYPES, "components")
            export = "export " if item_exported else ""
            blocks.append(f"{export}type {self.item} = components['schemas']['{self.item}'];\n")
        if self.owner is self.resource:
            self.imports.value("../query-keys", "createQueryKeys")
            blocks.append(
                f"/** Query keys of {self.resource.tag}: `all` > `lists()` > `list(params)`, "
                "`details()` > `detail(id)`. */\n"
                f"export const {self.keys} = createQueryKeys({ts_string(self.resource.tag)});\n"
            )
        else:
            self.imports.value(f"./{self.owner.module}", self.keys)
            blocks.append(
                f"// Results are {self.owner.tag}: their writes refresh these reads "
                f"({self.keys}).\n"
            )
        for operation in self.resource.operations:
            method = getattr(self, f"render_{operation.kind}", self.render_action)
            blocks.append(method(operation))
        return HEADER + self.imports.render() + "\n" + "\n".join(blocks)

    # -- shared pieces ---------------------------------------------------------------------

    def op_type(self, operation: Operation) -> str:
        self.imports.type(TYPES, "operations")
        return f"operations['{operation.operation_id}']"

    def aliases(self, operation: Operation) -> str:
        """``{Op}Params``, ``{Op}Body`` and ``{Op}Error`` for one operation."""
        op = self.op_type(operation)
        name = operation.pascal
        lines = []
        if operation.has_query:
            lines.append(type_alias(f"{name}Params", f"NonNullable<{op}['parameters']['query']>"))
        if operation.has_body and operation.body_media == MULTIPART:
            # Files where the schema says binary; sent as FormData by the request below.
            self.imports.type("../uploads", "WithFiles")
            lines.append(
                type_alias(
                    f"{name}Fields", f"NonNullable<{op}['requestBody']>['content']['{MULTIPART}']"
                )
            )
            lines.append(type_alias(f"{name}Body", f"WithFiles<{name}Fields>"))
        elif operation.has_body:
            media = operation.body_media
            lines.append(
                type_alias(f"{name}Body", f"NonNullable<{op}['requestBody']>['content']['{media}']")
            )
        self.imports.type("../resource", "OperationError")
        lines.append(f"export type {name}Error = OperationError<{op}>;")
        return "\n".join(lines) + "\n"

    def doc(self, operation: Operation, extra: str = "") -> str:
        summary = operation.summary or operation.operation_id
        text = f"{summary}: `{operation.method.upper()} {operation.path}`.{extra}"
        if len(text) + 7 <= 100:
            return f"/** {text} */\n"
        wrapped = textwrap.wrap(text, 96, break_long_words=False, break_on_hyphens=False)
        return "/**\n" + "".join(f" * {line}\n" for line in wrapped) + " */\n"

    def path_args(self, operation: Operation) -> list[str]:
        return [f"{name}: {operation.path_types[name]}" for name in operation.path_params]

    def request(self, operation: Operation, signal: bool, indent: int = 12) -> str:
        """``apiClient.GET('/path/{id}/', { params: {...}, body, signal })``."""
        self.imports.value("../client", "apiClient")
        params = []
        if operation.path_params:
            params.append(f"path: {{ {', '.join(operation.path_params)} }}")
        if operation.has_query:
            params.append("query: params")
        if operation.sends_if_match:
            self.imports.value("../versioned", "ifMatch")
            params.append("header: ifMatch(etag)")
        init = []
        if params:
            init.append(f"params: {{ {', '.join(params)} }}")
        if operation.has_body and operation.body_media == MULTIPART:
            self.imports.value("../uploads", "multipart")
            init.append(f"...multipart<{operation.pascal}Fields>(body)")
        elif operation.has_body:
            init.append("body")
        if signal:
            init.append("signal")
        args = f", {{ {', '.join(init)} }}" if init else ""
        head = f"apiClient.{operation.method.upper()}({ts_string(operation.path)}"
        if operation.returns_etag:
            self.imports.value("../versioned", "unwrapVersioned")
            unwrapper = "unwrapVersioned"
        else:
            self.imports.value("../errors", "unwrap")
            unwrapper = "unwrap"
        line = f"{unwrapper}({head}{args}))"
        if len(line) + indent <= 100:
            return line
        pad = "\t" * (indent // 4)
        fields = f",\n{pad}\t\t".join(init)
        return f"{unwrapper}(\n{pad}\t{head}, {{\n{pad}\t\t{fields}\n{pad}\t}})\n{pad})"

    def detail_key(self, operation: Operation) -> str:
        names = operation.path_params
        if not names:
            return f"{self.keys}.details()"
        parts = [n if operation.path_types[n] == "string" else f"String({n})" for n in names]
        ident = parts[0] if len(parts) == 1 else f"[{', '.join(parts)}].join('/')"
        return f"{self.keys}.detail({ident})"

    def query(
        self, operation: Operation, args: list[str], key: str, stale: str, keep_previous: bool
    ) -> tuple[str, str]:
        """The request and its ``{Op}Data`` type, and the ``queryOptions`` call typed with
        ``{Op}Error``: TanStack infers the data from ``queryFn`` but cannot know what it throws,
        so without the explicit type ``query.error`` would not narrow per status."""
        self.imports.value("@tanstack/svelte-query", "queryOptions")
        self.imports.value("../query-keys", stale)
        name, op_id = operation.pascal, operation.operation_id
        parameters = [arg.split(" = ")[0] for arg in args] + ["signal?: AbortSignal"]
        passed = [arg.split(":")[0] for arg in args] + ["signal"]
        fetch = self.request(operation, True, indent=4)
        head = f"const {op_id}Request = ({', '.join(parameters)}) =>"
        if len(head) > 100:
            head = f"const {op_id}Request = (\n\t" + ",\n\t".join(parameters) + "\n) =>"
        request = (
            f"\n{head}\n\t{fetch};\n"
            f"export type {name}Data = Awaited<ReturnType<typeof {op_id}Request>>;\n"
        )
        lines = [
            f"\treturn queryOptions<{name}Data, {name}Error>({{",
            f"\t\tqueryKey: {key},",
            query_fn(f"{op_id}Request({', '.join(passed)})"),
            f"\t\tstaleTime: {stale}" + ("," if keep_previous else ""),
        ]
        if keep_previous:
            self.imports.value("@tanstack/svelte-query", "keepPreviousData")
            lines.append("\t\tplaceholderData: keepPreviousData")
        lines.append("\t});")
        return request, "\n".join(lines)

    def signature(self, name: str, args: list[str]) -> str:
        joined = ", ".join(args)
        line = f"export function {name}({joined}) {{"
        if len(line) <= 100:
            return line
        return f"export function {name}(\n\t" + ",\n\t".join(args) + "\n) {"

    # -- reads -----------------------------------------------------------------------------

    def has_retrieve(self) -> bool:
        return any(o.kind == "retrieve" for o in self.owner.operations)

    def render_action(self, operation: Operation) -> str:
        """Any write without a kind of its own (see :class:`.writes.WritesMixin`)."""
        raise NotImplementedError
