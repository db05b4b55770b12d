"""One error envelope everywhere: ``{"error", "status_code", "message", "code"}``.

The pipeline, one module per step, each replaceable by a setting:

- :mod:`.catalogue`: every status and code the API answers (read by the schema and the docs);
- :mod:`.exceptions`: the ``APIException`` subclasses DRF lacks;
- :mod:`.outages`: which exceptions mean a database or cache is down (503, not 500);
- :mod:`.handler`: DRF's ``EXCEPTION_HANDLER``, turning any exception into one of those
  (``TYPED_API["ERROR_HANDLER"]``);
- :mod:`.formatter`: the envelope's body and its schema (``TYPED_API["ERROR_FORMATTER"]``);
- :mod:`.middleware`: the envelope for errors that never reach a DRF view;
- :mod:`.coverage`: whether the configured handler answers the envelope (the schema and
  system check W011 ask), and the ``DEBUG`` warning for hand-built error responses.
"""

from .exceptions import (
    BadRequest,
    Conflict,
    HttpError,
    InvalidValue,
    PreconditionFailed,
    PreconditionRequired,
    RequestTooLarge,
    ServerError,
    ServiceUnavailable,
)
from .formatter import ErrorFormatter, get_formatter
from .handler import ErrorHandler, envelope_response, exception_handler, get_handler
from .middleware import ErrorEnvelopeMiddleware

__all__ = [
    "BadRequest",
    "Conflict",
    "ErrorEnvelopeMiddleware",
    "ErrorFormatter",
    "ErrorHandler",
    "HttpError",
    "InvalidValue",
    "PreconditionFailed",
    "PreconditionRequired",
    "RequestTooLarge",
    "ServerError",
    "ServiceUnavailable",
    "envelope_response",
    "exception_handler",
    "get_formatter",
    "get_handler",
]
