"""The exceptions DRF lacks, each an ``APIException`` with a status and code from the
catalogue (:mod:`.catalogue`), so the handler and the formatter treat them like DRF's own."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status


class BadRequest(exceptions.APIException):
    """A request Django refused before it was parsed (bad Host header, too many fields)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("The request is malformed.")
    default_code = "bad_request"


class InvalidValue(exceptions.APIException):
    """The database refused a value from the request, e.g. a NUL character on PostgreSQL."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("A value in this request cannot be stored or searched for.")
    default_code = "invalid"


class Conflict(exceptions.APIException):
    """The request collides with existing data, typically a unique value already taken."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This request conflicts with existing data.")
    default_code = "conflict"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"


class ServerError(exceptions.APIException):
    status_code = status.HTTP_500_INTERNAL_SERVER_ERROR
    default_detail = _("A server error occurred.")
    default_code = "server_error"


class PreconditionFailed(exceptions.APIException):
    """``If-Match`` named a version that is no longer current (a lost update avoided)."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The resource was changed by someone else. Reload it and try again.")
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    """``TYPED_API["REQUIRE_IF_MATCH"]`` is on and the write sent no ``If-Match``."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _("This request must send an If-Match header with the resource's ETag.")
    default_code = "precondition_required"


class HttpError(exceptions.APIException):
    """Any other status Django answered with; the code is the reason phrase in snake case."""

    def __init__(self, status_code: int, reason: str) -> None:
        self.status_code = status_code
        super().__init__(reason, code=reason.lower().replace(" ", "_").replace("-", "_"))


class ServiceUnavailable(exceptions.APIException):
    """A database or cache the API depends on is unreachable; retry after ``wait`` seconds."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The service is temporarily unavailable. Try again shortly.")
    default_code = "service_unavailable"
    #: Seconds in ``Retry-After`` (DRF's handler and the middleware send it).
    wait: float | None = 5
