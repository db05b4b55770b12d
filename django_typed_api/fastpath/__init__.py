"""The serializer fast path: DRF's output, without rebuilding the same work on every request.

- :mod:`.fields`: a serializer class's field set is built once (``get_fields()``: model
  introspection and deep copies) and each serializer gets cheap private copies of it, made
  when something first uses them;
- :mod:`.plans`: a class whose fields are all DRF's plain ones renders from a plan built once
  per class, so a serializer that is only rendered never copies its fields; :mod:`.compiled`
  turns the plan into one generated function;
- :mod:`.representation`: ``to_representation`` compiled once per serializer into a list of
  steps, with DRF's own field methods wherever a field is not one of DRF's plain ones;
- :mod:`.converters` and :mod:`.timezones`: what DRF's field methods amount to, shared by
  both (a ``DateTimeField`` reads the active timezone once per render);
- :mod:`.mixins`: :class:`FastSerializationMixin`, which applies both to the serializers a
  viewset creates (part of every Typed viewset; no change to user serializers).

The JSON renderer that goes with it is :mod:`django_typed_api.renderers`.
"""

from .fields import install_fields, reusable_field_set
from .mixins import FastSerializationMixin, accelerate
from .representation import FastRepresentation

__all__ = [
    "FastRepresentation",
    "FastSerializationMixin",
    "accelerate",
    "install_fields",
    "reusable_field_set",
]
