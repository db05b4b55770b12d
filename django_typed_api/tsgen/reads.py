"""Reads: ``{operationId}Options`` for lists, details and ``x-query`` searches."""

from __future__ import annotations

from .base import RendererBase
from .model import Operation


class ReadsMixin(RendererBase):
    """Query options on the resource's keys, with the templates' stale times."""

    def render_list(self, operation: Operation) -> str:
        name = operation.pascal
        args = [*self.path_args(operation)]
        if operation.has_query:
            args.append(f"params: {name}Params = {{}}")
        key = f"{self.keys}.list({'params' if operation.has_query else '{}'})"
        if operation.path_params:
            key = f"{self.keys}.list({{ {', '.join(operation.path_params)}, ...params }})"
            if not operation.has_query:
                key = f"{self.keys}.list({{ {', '.join(operation.path_params)} }})"
        request, body = self.query(operation, args, key, "LIST_STALE_TIME", True)
        return (
            self.aliases(operation)
            + request
            + "\n"
            + self.doc(operation)
            + self.signature(f"{operation.operation_id}Options", args)
            + f"\n{body}\n}}\n"
        )

    def render_retrieve(self, operation: Operation) -> str:
        args = self.path_args(operation)
        key = self.detail_key(operation)
        if operation.has_query:
            args.append(f"params: {operation.pascal}Params = {{}}")
            key = f"[...{key}, params] as const"
        extra = (
            " Returns `{ item, etag }`: send the tag back as `If-Match`."
            if operation.returns_etag
            else ""
        )
        request, body = self.query(operation, args, key, "DETAIL_STALE_TIME", False)
        return (
            self.aliases(operation)
            + request
            + "\n"
            + self.doc(operation, extra)
            + self.signature(f"{operation.operation_id}Options", args)
            + f"\n{body}\n}}\n"
        )

    render_read = render_retrieve

    def render_search(self, operation: Operation) -> str:
        name = operation.pascal
        args = [*self.path_args(operation), f"body: {name}Body"]
        criteria = ["...params"] if operation.has_query else []
        criteria += [*operation.path_params, "body"]
        if operation.has_query:
            args.append(f"params: {name}Params = {{}}")
        key = f"{self.keys}.search({{ {', '.join(criteria)} }})"
        request, body = self.query(operation, args, key, "LIST_STALE_TIME", True)
        return (
            self.aliases(operation)
            + request
            + "\n"
            + self.doc(operation, " A read-only POST (`x-query`): a query keyed by its criteria.")
            + self.signature(f"{operation.operation_id}Options", args)
            + f"\n{body}\n}}\n"
        )

    # -- writes ----------------------------------------------------------------------------
