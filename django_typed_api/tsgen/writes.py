"""Writes: ``{operationId}Mutation`` with ``If-Match``, invalidation and optimistic updates."""

from __future__ import annotations

from .base import RendererBase
from .model import Operation
from .text import generic_args, ts_string

ETAG_DOC = "The ETag of the version the user saw; a newer one on the server means 412."
UPDATE_NOTE = "Sends `If-Match`; refreshes the lists; `optimistic` patches the caches."


class WritesMixin(RendererBase):
    """Mutation options that invalidate exactly the resource's keys."""

    def variables(self, operation: Operation) -> str:
        fields = [f"\t{a};" for a in self.path_args(operation)]
        if operation.has_query:
            fields.append(f"\tparams?: {operation.pascal}Params;")
        if operation.has_body:
            fields.append(f"\tbody: {operation.pascal}Body;")
        if operation.sends_if_match:
            fields.append(f"\t/** {ETAG_DOC} */")
            fields.append("\tetag?: string | null;")
        if not fields:
            return f"export type {operation.pascal}Variables = void;\n"
        return f"export interface {operation.pascal}Variables {{\n" + "\n".join(fields) + "\n}\n"

    def destructured(self, operation: Operation) -> str:
        names = [*operation.path_params]
        if operation.has_query:
            names.append("params = {}")
        if operation.has_body:
            names.append("body")
        if operation.sends_if_match:
            names.append("etag")
        return f"{{ {', '.join(names)} }}: {operation.pascal}Variables" if names else ""

    def optimistic_type(self, operation: Operation) -> str:
        item = self.item
        if not item or operation.kind not in ("create", "update", "partialUpdate", "destroy"):
            return "never"
        if operation.kind == "destroy":
            return "boolean"
        if operation.kind == "create":
            return f"(body: {operation.pascal}Body) => {item}"
        return f"(item: {item}, body: {operation.pascal}Body) => {item}"

    def matches_row(self, operation: Operation) -> str | None:
        """``row.id === id`` when the list rows carry the path parameter, else None."""
        if (
            len(operation.path_params) == 1
            and operation.path_params[0] in self.resource.item_fields
        ):
            name = operation.path_params[0]
            return f"row.{name} === {name}"
        return None

    def mutation(self, operation: Operation, on_mutate: str, on_success: str, settled: str) -> str:
        name = operation.pascal
        op_id = operation.operation_id
        self.imports.value("@tanstack/svelte-query", "mutationOptions")
        self.imports.type("@tanstack/svelte-query", "QueryClient")
        self.imports.type("../resource", "MutationSettings", "Optimism")
        self.imports.value("../resource", "restore")
        self.imports.value("../errors", "handleApiError")
        fetch = self.request(operation, False, indent=4)
        success_args = "variables, optimism" if "optimism" in on_success else "variables"
        data = f"{name}Data"
        optimism = f"Optimism<{self.item}>" if self.item else "Optimism"
        generics = generic_args([data, f"{name}Error", f"{name}Variables", optimism], 1, 30)
        settings = "MutationSettings" + generic_args(
            [data, f"{name}Error", f"{name}Variables", self.optimistic_type(operation)], 1, 30
        )
        return (
            self.aliases(operation)
            + self.variables(operation)
            + f"\nconst {op_id}Request = ({self.destructured(operation)}) =>\n\t{fetch};\n"
            + f"export type {data} = Awaited<ReturnType<typeof {op_id}Request>>;\n\n"
            + self.doc(operation, " " + self.write_note(operation))
            + f"export function {op_id}Mutation(\n"
            + "\tqueryClient: QueryClient,\n"
            + f"\tsettings: {settings} = {{}}\n"
            + ") {\n"
            + f"\treturn mutationOptions{generics}({{\n"
            + f"\t\tmutationKey: [...{self.keys}.all, {ts_string(op_id)}],\n"
            + f"\t\tmutationFn: {op_id}Request,\n"
            + on_mutate
            + f"\t\tonSuccess: (data, {success_args}) => {{\n"
            + on_success
            + "\t\t\treturn settings.onSuccess?.(data, variables);\n"
            + "\t\t},\n"
            + "\t\tonError: (error, variables, optimism) => {\n"
            + "\t\t\trestore(queryClient, optimism?.saved);\n"
            + "\t\t\treturn (settings.onError ?? handleApiError)(error, variables);\n"
            + "\t\t},\n"
            + f"\t\tonSettled: () => {settled}\n"
            + "\t});\n"
            + "}\n"
        )

    def write_note(self, operation: Operation) -> str:
        notes = {
            "create": "Refreshes the lists; `optimistic` shows the row at once.",
            "update": UPDATE_NOTE,
            "partialUpdate": UPDATE_NOTE,
            "destroy": "Refreshes the lists; `optimistic: true` hides the row at once.",
        }
        note = notes.get(operation.kind, "Refreshes everything cached for the resource.")
        return (
            note if operation.sends_if_match or "If-Match" not in note else note.split("; ", 1)[1]
        )

    def invalidate(self, key: str) -> str:
        return f"queryClient.invalidateQueries({{ queryKey: {key} }})"

    def render_create(self, operation: Operation) -> str:
        lists = f"{self.keys}.lists()"
        on_mutate = on_success = ""
        if self.item:
            self.imports.value("../resource", "snapshot", "updateLists", "sameRow")
            item = self.item
            data = "data.item" if operation.returns_etag else "data"
            on_mutate = (
                "\t\tonMutate: async ({ body }) => {\n"
                "\t\t\tconst optimistic = settings.optimistic;\n"
                "\t\t\tif (!optimistic) return { saved: [] };\n"
                f"\t\t\tconst saved = await snapshot(queryClient, [{lists}]);\n"
                "\t\t\tconst shown = optimistic(body);\n"
                f"\t\t\tupdateLists<{item}>(queryClient, {lists}, (rows) => [shown, ...rows]);\n"
                "\t\t\treturn { saved, shown };\n"
                "\t\t},\n"
            )
            on_success = (
                "\t\t\t// The row shown before the answer becomes the server's.\n"
                "\t\t\tconst shown = optimism?.shown;\n"
                "\t\t\tif (shown) {\n"
                f"\t\t\t\tupdateLists<{item}>(queryClient, {lists}, (rows) =>\n"
                f"\t\t\t\t\trows.map((row) => (sameRow(row, shown) ? {data} : row))\n"
                "\t\t\t\t);\n"
                "\t\t\t}\n"
            )
        return self.mutation(operation, on_mutate, on_success, self.invalidate(lists))

    def render_update(self, operation: Operation) -> str:
        lists = f"{self.keys}.lists()"
        detail = self.detail_key(operation)
        on_mutate = on_success = ""
        match = self.matches_row(operation)
        if self.item:
            self.imports.value("../resource", "snapshot", "updateDetail")
            item = self.item
            arg = "{ " + ", ".join([*operation.path_params, "body"]) + " }"
            lines = [
                f"\t\tonMutate: async ({arg}) => {{",
                "\t\t\tconst optimistic = settings.optimistic;",
                "\t\t\tif (!optimistic) return { saved: [] };",
                f"\t\t\tconst saved = await snapshot(queryClient, [{detail}, {lists}]);",
                f"\t\t\tupdateDetail<{item}>(queryClient, {detail}, (item) =>"
                " optimistic(item, body));",
            ]
            if match:
                self.imports.value("../resource", "updateLists")
                lines.append(
                    f"\t\t\tupdateLists<{item}>(queryClient, {lists}, (rows) =>\n"
                    f"\t\t\t\trows.map((row) => ({match} ? optimistic(row, body) : row))\n"
                    "\t\t\t);"
                )
            lines += ["\t\t\treturn { saved };", "\t\t},"]
            on_mutate = "\n".join(lines) + "\n"
        if operation.returns_etag == self.detail_versioned and self.has_retrieve():
            destructure = ", ".join(operation.path_params)
            on_success = (
                f"\t\t\tconst {{ {destructure} }} = variables;\n" if destructure else ""
            ) + f"\t\t\tqueryClient.setQueryData({detail}, data);\n"
            settled = self.invalidate(lists)
        else:
            settled = self.invalidate(f"{self.keys}.all")
        return self.mutation(operation, on_mutate, on_success, settled)

    render_partialUpdate = render_update

    def render_destroy(self, operation: Operation) -> str:
        lists = f"{self.keys}.lists()"
        detail = self.detail_key(operation)
        on_mutate = ""
        match = self.matches_row(operation)
        if self.item and match:
            self.imports.value("../resource", "snapshot", "updateLists")
            arg = "{ " + ", ".join(operation.path_params) + " }"
            on_mutate = (
                f"\t\tonMutate: async ({arg}) => {{\n"
                "\t\t\tif (!settings.optimistic) return { saved: [] };\n"
                f"\t\t\tconst saved = await snapshot(queryClient, [{lists}]);\n"
                f"\t\t\tupdateLists<{self.item}>(queryClient, {lists}, (rows) =>\n"
                f"\t\t\t\trows.filter((row) => {match.replace(' === ', ' !== ')})\n"
                "\t\t\t);\n"
                "\t\t\treturn { saved };\n"
                "\t\t},\n"
            )
        destructure = ", ".join(operation.path_params)
        on_success = (
            f"\t\t\tconst {{ {destructure} }} = variables;\n" if destructure else ""
        ) + f"\t\t\tqueryClient.removeQueries({{ queryKey: {detail} }});\n"
        return self.mutation(operation, on_mutate, on_success, self.invalidate(lists))

    def render_action(self, operation: Operation) -> str:
        return self.mutation(operation, "", "", self.invalidate(f"{self.keys}.all"))
