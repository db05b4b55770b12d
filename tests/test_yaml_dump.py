"""The schema's YAML is drf-spectacular's, byte for byte, through the fast dumper or not."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from drf_spectacular.renderers import OpenApiYamlRenderer

from django_typed_api.openapi.generation import generate_schema
from django_typed_api.openapi.yaml_dump import NotPlain, SchemaDumper, dump_yaml

TRICKY: dict[str, Any] = {
    "plain": "listVacancies",
    "looks like data": ["true", "no", "null", "~", "1", "1.5", "0x1F", "1e3", "2024-01-01", ""],
    "quoting": ["a: b", "- item", "#comment", "'single'", '"double"', "  padded  ", "{flow}"],
    "unicode": "Zürich, 東京, emoji 🎉, right-to-left \u202e",
    "control": "tab\there, bell\x07, nul\x00",
    "multi-line": "first line\nsecond line\n\n  indented\n",
    "trailing newline only": "text\n",
    "long": "word " * 40,
    "long without spaces": "x" * 200,
    "numbers": [0, -1, 10**20, 1.5, -0.0, 1e300, float("inf"), float("-inf")],
    "flags": [True, False, None],
    "empty": [{}, [], ""],
    "nested": {"a": [{"b": {"c": ["d", {"e": None}]}}]},
    "key: with colon": 1,
    "": "empty key",
    "123": "numeric-looking key",
}


def spectacular(data: Any) -> bytes:
    return OpenApiYamlRenderer().render(data, renderer_context={})


def test_tricky_values_render_exactly_as_drf_spectacular_renders_them() -> None:
    assert dump_yaml(TRICKY) == spectacular(TRICKY)


def test_the_testproject_schema_takes_the_fast_path_with_identical_bytes() -> None:
    import yaml

    schema = generate_schema()
    fast = yaml.dump(
        schema, Dumper=SchemaDumper, default_flow_style=False, sort_keys=False, allow_unicode=True
    )  # raises NotPlain if the schema held a type the fast path does not know
    assert fast.encode("utf-8") == spectacular(schema)


def test_other_types_fall_back_to_drf_spectacular_representers() -> None:
    import yaml

    data = {"maximum": Decimal("10"), "minimum": Decimal("0.5"), "nested": [Decimal("1.25")]}
    with pytest.raises(NotPlain):
        yaml.dump(data, Dumper=SchemaDumper)
    assert dump_yaml(data) == spectacular(data)
    assert b"maximum: 10\n" in dump_yaml(data)
