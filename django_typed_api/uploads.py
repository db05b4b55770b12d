"""Typed file uploads: a bounded multipart parser, a file field that sniffs what it is given,
and the statuses that tell a client which limit it hit.

- :class:`TypedMultiPartParser`: DRF's ``MultiPartParser`` that refuses a body whose declared
  length is over the view's ``max_upload_size`` (plus room for the other form fields) with a
  413 before reading it. Set it in ``parser_classes`` of the views that take files only; the
  preset stays JSON-only. drf-spectacular documents the body as ``multipart/form-data`` and a
  file field as ``format: binary``, so openapi-typescript types it and a client sends FormData.
- :class:`SniffedFileField`: the file's type is read from its first bytes, never taken from
  the client's Content-Type or file name; the stored name is generated (a UUID and the sniffed
  type's extension), so no name the client sends reaches the disk.
- :class:`UploadStatusMixin` (on the serializer): validation errors keep DRF's field structure,
  and the status says which rule failed: 413 ``file_too_large`` when a file is over its limit,
  415 ``unsupported_file_type`` when its content is not an accepted type, 400 otherwise.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import MultiPartParser

from .errors.exceptions import RequestTooLarge

#: Default per-file limit (bytes) of :class:`SniffedFileField` and the parser.
DEFAULT_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
#: What the other fields of a multipart form may add to the file's size.
FORM_OVERHEAD = 64 * 1024

#: Content types recognised by their first bytes, with the extension a stored file gets.
SIGNATURES: tuple[tuple[str, str, tuple[bytes, ...]], ...] = (
    ("image/png", "png", (b"\x89PNG\r\n\x1a\n",)),
    ("image/jpeg", "jpg", (b"\xff\xd8\xff",)),
    ("image/gif", "gif", (b"GIF87a", b"GIF89a")),
    ("application/pdf", "pdf", (b"%PDF-",)),
)
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
PDF_TYPES = ("application/pdf",)
EXTENSIONS = {content_type: ext for content_type, ext, _ in SIGNATURES} | {"image/webp": "webp"}


def sniff(file: File) -> str | None:
    """The content type the file's first bytes show, or None; the file is rewound."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for content_type, _ext, magics in SIGNATURES:
        if any(head.startswith(magic) for magic in magics):
            return content_type
    return None


def generated_name(content_type: str) -> str:
    """``<uuid>.<ext>``: nothing of the client's file name is kept (the model field's
    ``upload_to`` adds the folder)."""
    return f"{uuid.uuid4().hex}.{EXTENSIONS[content_type]}"


class FileTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The file is too large.")
    default_code = "file_too_large"


class UnsupportedFileType(exceptions.APIException):
    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    default_detail = _("The file's type is not accepted.")
    default_code = "unsupported_file_type"


class SniffedFileField(serializers.FileField):
    """A file of one of ``content_types`` (by content), at most ``max_size`` bytes, renamed
    ``<uuid>.<ext>`` whatever name the client gave it."""

    default_error_messages = {
        "file_too_large": _("The file is {size}; the limit is {max_size}."),
        "unsupported_file_type": _("The file is not one of the accepted types: {types}."),
    }

    def __init__(
        self,
        *,
        content_types: Iterable[str],
        max_size: int = DEFAULT_MAX_UPLOAD_SIZE,
        **kwargs: Any,
    ) -> None:
        self.content_types = tuple(content_types)
        self.max_size = max_size
        kwargs.setdefault("use_url", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> File:
        file = super().to_internal_value(data)
        if file.size is not None and file.size > self.max_size:
            self.fail(
                "file_too_large",
                size=filesizeformat(file.size),
                max_size=filesizeformat(self.max_size),
            )
        content_type = sniff(file)
        if content_type not in self.content_types:
            self.fail("unsupported_file_type", types=", ".join(self.content_types))
        assert content_type is not None
        file.name = generated_name(content_type)
        if isinstance(file, UploadedFile):
            file.content_type = content_type
        return file


class UploadStatusMixin:
    """``is_valid(raise_exception=True)`` answers 413 or 415 when a file broke its rule.

    The body is the usual field-keyed envelope either way; only the status and code differ,
    so a client shows the message under the field and can still branch on the status.
    """

    def is_valid(self, *, raise_exception: bool = False) -> bool:
        valid = super().is_valid(raise_exception=False)  # type: ignore[misc]
        if not valid and raise_exception:
            errors = self.errors  # type: ignore[attr-defined]
            codes = set(_codes(errors))
            if "file_too_large" in codes:
                raise FileTooLarge(errors)
            if "unsupported_file_type" in codes:
                raise UnsupportedFileType(errors)
            raise serializers.ValidationError(errors)
        return valid


def _codes(errors: Any) -> Iterable[str]:
    if isinstance(errors, dict):
        for value in errors.values():
            yield from _codes(value)
    elif isinstance(errors, list):
        for value in errors:
            yield from _codes(value)
    else:
        code = getattr(errors, "code", None)
        if code:
            yield code


class TypedMultiPartParser(MultiPartParser):
    """``MultiPartParser`` with a bound: a declared body over the view's ``max_upload_size``
    (default :data:`DEFAULT_MAX_UPLOAD_SIZE`) plus :data:`FORM_OVERHEAD` is a 413 before a byte
    of it is read. Django reads no more than the declared length, so the bound holds."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        context = parser_context or {}
        view, request = context.get("view"), context.get("request")
        limit = getattr(view, "max_upload_size", DEFAULT_MAX_UPLOAD_SIZE) + FORM_OVERHEAD
        try:
            declared = int(getattr(request, "META", {}).get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise RequestTooLarge()
        return super().parse(stream, media_type, parser_context)
