"""System checks of the error envelope: it must be whole, or the API answers HTML sometimes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

MIDDLEWARE = "django_typed_api.errors.ErrorEnvelopeMiddleware"
#: Older spellings of the middleware that still work.
MIDDLEWARE_ALIASES = {MIDDLEWARE, "django_typed_api.errors.middleware.ErrorEnvelopeMiddleware"}
HANDLERS = {
    "django_typed_api.errors.exception_handler",
    "django_typed_api.exceptions.exception_handler",
}


@register()
def check_error_middleware(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The REST_FRAMEWORK preset makes DRF's errors envelopes; without the middleware an
    unknown ``/api/`` URL, a CSRF failure or a crash outside DRF would still be Django's HTML
    page, which a generated client cannot read."""
    handler = getattr(settings, "REST_FRAMEWORK", {}).get("EXCEPTION_HANDLER")
    if handler not in HANDLERS:
        return []
    if MIDDLEWARE_ALIASES & set(getattr(settings, "MIDDLEWARE", None) or []):
        return []
    return [
        Error(
            "The error envelope is DRF's EXCEPTION_HANDLER but ErrorEnvelopeMiddleware is not "
            "installed: unknown API URLs and errors outside DRF views would answer HTML.",
            hint=f'Add it first: MIDDLEWARE = ["{MIDDLEWARE}", *MIDDLEWARE]',
            id="django_typed_api.E020",
        )
    ]
