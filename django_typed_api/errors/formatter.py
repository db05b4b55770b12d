"""How an error becomes the envelope: the one place that decides ``error``, ``message`` and
``code``, and what the envelope looks like in the schema.

``TYPED_API["ERROR_FORMATTER"]`` names the class (default :class:`ErrorFormatter`). Override
one method at a time, e.g. a message that also says how many other errors there are::

    class MyFormatter(ErrorFormatter):
        def message(self, exc, error):
            return f"{super().message(exc, error)} ({count_leaves(error) - 1} more)"

A formatter that changes the *shape* of the envelope overrides :meth:`envelope` and
:meth:`envelope_schema` together, so the schema (and the TypeScript generated from it) keeps
describing what the API really sends.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.encoding import force_str
from rest_framework.exceptions import APIException, ErrorDetail
from rest_framework.settings import api_settings

from ..conf import typed_api_settings
from .catalogue import all_codes

#: Keys of the envelope; a custom :meth:`ErrorFormatter.envelope` may add more.
ENVELOPE_KEYS = ("error", "status_code", "message", "code")


class ErrorFormatter:
    """Builds ``{"error", "status_code", "message", "code"}`` from an ``APIException``.

    By the time a formatter sees an exception, :mod:`.handler` has turned
    Django's and the database's exceptions into ``APIException`` subclasses, so one code path
    serves every error.
    """

    # -- the four parts ------------------------------------------------------------------------

    def error(self, exc: APIException) -> Any:
        """DRF's detail structure: field errors stay a dict, a bare message becomes
        ``{"detail": ...}`` and a top-level list becomes ``{"non_field_errors": [...]}`` (the
        key DRF itself uses for errors that belong to no field), so ``error`` is always an
        object and a client never has to test for an array."""
        detail = exc.detail
        if isinstance(detail, Mapping):
            return cap_item_errors(detail, typed_api_settings.MAX_ITEM_ERRORS)
        if isinstance(detail, list):
            return {api_settings.NON_FIELD_ERRORS_KEY: detail}
        return {"detail": detail}

    def code(self, exc: APIException, error: Any) -> str:
        """DRF's machine code. A validation error is ``invalid`` as a whole (each field keeps
        its own code in ``error``); otherwise the detail's own code wins, so
        ``AuthenticationFailed(code="user_inactive")`` and simplejwt's ``token_not_valid``
        (carried inside its ``{"detail", "code", "messages"}`` dict) come through unchanged."""
        detail = exc.detail
        if isinstance(detail, ErrorDetail) and detail.code:
            return str(detail.code)
        if isinstance(detail, Mapping) and isinstance(detail.get("code"), str):
            return str(detail["code"])
        return str(exc.default_code)

    def message(self, exc: APIException, error: Any) -> str:
        """One human sentence. For field errors it names the field of the first error
        (``"title: This field is required."``, nested as ``"skills.0: ..."``); for everything
        else it is the detail, capitalised and punctuated."""
        if isinstance(error, Mapping) and isinstance(error.get("detail"), str):
            return sentence(error["detail"])
        for path, text in leaf_errors(error):
            fields = [part for part in path if part != api_settings.NON_FIELD_ERRORS_KEY]
            prefix = ".".join(fields)
            return f"{prefix}: {sentence(text)}" if prefix else sentence(text)
        return sentence(force_str(exc.default_detail))

    # -- the envelope and its schema ---------------------------------------------------------

    def envelope(
        self, *, exc: APIException, status_code: int, error: Any, message: str, code: str
    ) -> dict[str, Any]:
        return {"error": error, "status_code": status_code, "message": message, "code": code}

    def format(self, exc: APIException, status_code: int | None = None) -> dict[str, Any]:
        """The response body for ``exc`` (the handler's single entry point)."""
        error = self.error(exc)
        return self.envelope(
            exc=exc,
            status_code=status_code or exc.status_code,
            error=error,
            message=self.message(exc, error),
            code=self.code(exc, error),
        )

    def envelope_schema(self, error_schema: dict[str, Any]) -> dict[str, Any]:
        """OpenAPI schema of :meth:`envelope`'s result, given the schema of ``error``."""
        return {
            "type": "object",
            "description": (
                "The error envelope every failure answers with. `error` keeps DRF's detail "
                "structure, `message` is one human sentence, `code` is machine-readable."
            ),
            "properties": {
                "error": error_schema,
                "status_code": {
                    "type": "integer",
                    "description": "The HTTP status code, repeated for logs and clients.",
                },
                "message": {
                    "type": "string",
                    "description": "One human sentence; for field errors it names the field.",
                },
                "code": {
                    "type": "string",
                    "description": f"Machine-readable reason: {', '.join(all_codes())}, ...",
                },
            },
            "required": list(ENVELOPE_KEYS),
        }


#: The key that sums up the item errors past ``TYPED_API["MAX_ITEM_ERRORS"]``.
MORE_ERRORS_KEY = "..."


def cap_item_errors(error: Any, limit: int) -> Any:
    """``error`` with at most ``limit`` item errors per list (``{0: [...], 7: [...]}``, DRF's
    shape for a ListField's items); the rest become ``"...": ["and N more errors"]``, so one
    bad list cannot make the answer as large as the request."""
    if not isinstance(error, Mapping):
        return error
    capped = {key: cap_item_errors(value, limit) for key, value in error.items()}
    indexes = [key for key in capped if isinstance(key, int) or str(key).isdigit()]
    if len(indexes) <= limit or len(indexes) != len(capped):
        return capped
    more = len(indexes) - limit
    kept = {key: capped[key] for key in indexes[:limit]}
    kept[MORE_ERRORS_KEY] = [f"and {more} more error{'s' if more != 1 else ''}"]
    return kept


def leaf_errors(error: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """``(path, message)`` for every message in a nested DRF error structure, in order."""
    if isinstance(error, Mapping):
        for key, value in error.items():
            yield from leaf_errors(value, (*path, str(key)))
    elif isinstance(error, (list, tuple)):
        for index, value in enumerate(error):
            # A list of strings belongs to the field; a list of dicts (a many=True nested
            # serializer) is indexed, and empty dicts stand for items without errors.
            if isinstance(value, (Mapping, list, tuple)):
                yield from leaf_errors(value, (*path, str(index)))
            else:
                yield from leaf_errors(value, path)
    elif error is not None:
        yield path, force_str(error)


def sentence(text: str) -> str:
    """``"given token not valid"`` -> ``"Given token not valid."``"""
    text = " ".join(force_str(text).split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else f"{text}."


def get_formatter() -> ErrorFormatter:
    """The configured formatter (``TYPED_API["ERROR_FORMATTER"]``), instantiated."""
    formatter = typed_api_settings.ERROR_FORMATTER
    return formatter() if isinstance(formatter, type) else formatter
