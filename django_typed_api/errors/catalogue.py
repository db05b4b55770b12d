"""Every error the API answers, in one table: status -> code -> schema component -> meaning.

The schema's error responses (:mod:`django_typed_api.openapi.errors`), the envelope's
``code`` description (:mod:`.formatter`) and the documentation's table of codes
(``docs/reference/errors.md``, generated) all read :data:`CATALOGUE`; a test checks that every
code DRF, simplejwt and this package can raise is in it. A project that raises its own codes
extends nothing here: its codes come through the envelope unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorCode:
    """One machine-readable ``code`` and when the API answers it."""

    code: str
    when: str


@dataclass(frozen=True)
class ErrorStatus:
    """One HTTP status: its shared response component in the schema and its codes."""

    status: int
    component: str
    summary: str
    codes: tuple[ErrorCode, ...]

    @property
    def description(self) -> str:
        """The schema's response description: the summary and the codes it can carry."""
        if not self.codes:
            return f"{self.summary}."
        codes = ", ".join(f"`{c.code}`" for c in self.codes)
        return f"{self.summary} (code {codes})."


CATALOGUE: tuple[ErrorStatus, ...] = (
    ErrorStatus(
        400,
        "BadRequest",
        "Invalid query parameters or request",
        (
            ErrorCode(
                "invalid",
                "validation errors (body fields, `non_field_errors`), a JSON value of another "
                'type than the schema says (`0` for a boolean, `"7"` for an integer, `""` '
                "for a relation; `STRICT_JSON_TYPES`), a list longer than its `maxItems` "
                "(`MAX_LIST_ITEMS`; one error for the list, and at most `MAX_ITEM_ERRORS` item "
                'errors per list, then `"...": ["and N more errors"]`), invalid query '
                "parameters (unknown filter choice, `remote=maybe`, `page=abc`, `page_size=abc` "
                "or over `MAX_PAGE_SIZE`, unknown `ordering` field), a Django "
                "`ValidationError`, a value the database refuses (a NUL character on PostgreSQL)",
            ),
            ErrorCode(
                "parse_error",
                "malformed JSON, JSON nested deeper than Python's recursion limit, a string "
                "with a lone surrogate (`\\ud800`, not Unicode)",
            ),
            ErrorCode(
                "bad_request",
                "a request Django refused before parsing it: a `Host` header not in "
                "`ALLOWED_HOSTS`, too many fields, another `SuspiciousOperation` (its text is "
                "not echoed)",
            ),
        ),
    ),
    ErrorStatus(
        401,
        "Unauthorized",
        "Missing, invalid or expired credentials",
        (
            ErrorCode("not_authenticated", "no credentials where they are needed"),
            ErrorCode(
                "no_active_account",
                "login with a wrong username or password, or for an inactive user (one answer "
                "for both, so it does not reveal which usernames exist); refresh for a deleted "
                "user",
            ),
            ErrorCode(
                "token_not_valid",
                "an access or refresh token that is expired, tampered with, signed with "
                "another algorithm (`alg: none` included), of the wrong type, blacklisted, "
                "revoked by logout, `logoutAll` or a password change, or a refresh token "
                "another concurrent refresh already used",
            ),
            ErrorCode("user_inactive", "a valid access token whose user has been deactivated"),
            ErrorCode("user_not_found", "a valid access token whose user no longer exists"),
            ErrorCode(
                "bad_authorization_header",
                "`Authorization: Bearer` followed by other than exactly one token",
            ),
            ErrorCode(
                "password_changed",
                "with simplejwt's `CHECK_REVOKE_TOKEN` on, a token issued before the user's "
                "password changed",
            ),
            ErrorCode(
                "authentication_failed",
                "DRF's generic authentication failure (other authentication classes)",
            ),
        ),
    ),
    ErrorStatus(
        403,
        "Forbidden",
        "Not allowed, or not authenticated where the API sends no authentication challenge",
        (
            ErrorCode(
                "permission_denied",
                "a permission class refused, Django's `PermissionDenied`, or a CSRF failure "
                "outside DRF",
            ),
            ErrorCode(
                "csrf_failed",
                "refresh-cookie mode: refresh or logout without the `X-CSRFToken` header",
            ),
        ),
    ),
    ErrorStatus(
        404,
        "NotFound",
        "No such object or page",
        (ErrorCode("not_found", "no such object, page number or URL (`Http404` included)"),),
    ),
    ErrorStatus(
        405,
        "MethodNotAllowed",
        "The path exists, the method does not",
        (ErrorCode("method_not_allowed", "the path exists, the method does not"),),
    ),
    ErrorStatus(
        406,
        "NotAcceptable",
        "The Accept header cannot be satisfied",
        (ErrorCode("not_acceptable", "the `Accept` header cannot be satisfied"),),
    ),
    ErrorStatus(
        409,
        "Conflict",
        "A unique value is already taken",
        (
            ErrorCode(
                "conflict",
                "a unique value is already taken, whether the serializer's `UniqueValidator` "
                "or the database's constraint noticed (`error` still names the field)",
            ),
        ),
    ),
    ErrorStatus(
        412,
        "PreconditionFailed",
        "The If-Match header does not match the current version",
        (ErrorCode("precondition_failed", "`If-Match` names an outdated `ETag`"),),
    ),
    ErrorStatus(
        413,
        "RequestTooLarge",
        "The request body is too large",
        (
            ErrorCode(
                "request_too_large",
                "a body over `DATA_UPLOAD_MAX_MEMORY_SIZE` (2.5 MB by default), refused "
                "before it is read in full",
            ),
            ErrorCode(
                "file_too_large",
                "an uploaded file over its field's limit (`django_typed_api.uploads`); `error` "
                "names the field",
            ),
        ),
    ),
    ErrorStatus(
        415,
        "UnsupportedMediaType",
        "The body's Content-Type is not accepted",
        (
            ErrorCode(
                "unsupported_media_type",
                "a body that is not JSON; a `Content-Type` charset that is not a text encoding "
                "(`charset=zlib`, an unknown name)",
            ),
            ErrorCode(
                "unsupported_file_type",
                "an uploaded file whose content (sniffed, not its name or declared type) is not "
                "one its field accepts; `error` names the field",
            ),
        ),
    ),
    ErrorStatus(
        428,
        "PreconditionRequired",
        "This request must send an If-Match header",
        (
            ErrorCode(
                "precondition_required", "`REQUIRE_IF_MATCH` is on and a write sent no `If-Match`"
            ),
        ),
    ),
    ErrorStatus(
        429,
        "Throttled",
        "Too many requests; retry after the Retry-After header's seconds",
        (
            ErrorCode(
                "throttled",
                "a throttle refused the request; the `Retry-After` header says when to retry",
            ),
        ),
    ),
    ErrorStatus(
        500,
        "ServerError",
        "Unexpected server error; details are logged",
        (ErrorCode("server_error", "an unhandled exception"),),
    ),
    ErrorStatus(
        503,
        "ServiceUnavailable",
        "The database or the cache is unavailable; retry after the Retry-After header's seconds",
        (
            ErrorCode(
                "service_unavailable",
                "the database or the cache is down (connection refused or lost, timeout); "
                "the `Retry-After` header says when to retry",
            ),
        ),
    ),
)

_BY_STATUS = {entry.status: entry for entry in CATALOGUE}


def for_status(status: int) -> ErrorStatus:
    """The catalogue entry of ``status``; an uncatalogued one gets a generic entry."""
    return _BY_STATUS.get(status) or ErrorStatus(status, f"Error{status}", f"Error {status}", ())


def all_codes() -> list[str]:
    """Every catalogued code, in status order."""
    return [code.code for entry in CATALOGUE for code in entry.codes]
