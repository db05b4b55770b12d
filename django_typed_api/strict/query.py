"""Query parameters: one value each, and never an empty value where the type has none."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from ..conf import typed_api_settings


def query_value(request: Request, name: str, *, typed: bool = True) -> str | None:
    """The one value of query parameter ``name``, or None when it is absent.

    Strict (``TYPED_API["STRICT_QUERY_PARAMS"]``): a parameter given twice (``?page=1&page=2``)
    is a 400, since the schema documents one value; so is an empty value of a ``typed`` one
    (integer, boolean, enum, array of enum), which matches no value of its type. Lenient: the
    last value, and empty means absent, as in DRF.
    """
    values = request.query_params.getlist(name)
    if not values:
        return None
    if not typed_api_settings.STRICT_QUERY_PARAMS:
        return values[-1] or None
    if len(values) > 1:
        raise ValidationError({name: [_("Give this parameter once.")]}, code="invalid")
    if typed and values[0] == "":
        raise ValidationError({name: [_("This value may not be empty.")]}, code="invalid")
    return values[0]
