"""Strictness: what the schema documents is what the API accepts, and nothing else.

DRF is lenient by design: it coerces JSON types (``0`` for a boolean), ignores an invalid filter
value, falls back to the default page size and drops unknown ordering fields. A typed client
never sends any of these, so when one arrives it is a client bug that leniency would hide, and
the answer is a 400 with the field's error instead. Two settings switch it, one per place a
request carries values:

- ``TYPED_API["STRICT_QUERY_PARAMS"]``: query parameters (:mod:`.query`, used by the filter
  backends and the paginator);
- ``TYPED_API["STRICT_JSON_TYPES"]``: JSON bodies (:mod:`.json_types`, used by the parser).
"""

from .json_types import check_json_types, type_errors
from .query import query_value

__all__ = ["check_json_types", "query_value", "type_errors"]
