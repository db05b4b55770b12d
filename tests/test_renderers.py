"""TypedJSONRenderer writes the very bytes DRF's JSONRenderer writes, for every setting."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections import OrderedDict
from typing import Any

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from django_typed_api.renderers import TypedJSONRenderer

#: Everything DRF's encoder turns into JSON, raw (not through a serializer) on purpose.
AWKWARD: dict[str, Any] = {
    "ascii": "plain",
    "non_ascii": "Zürich, 東京, emoji 🚀",
    "separators": "line\u2028para\u2029end",
    "controls": 'quote " backslash \\ tab \t newline \n nul \x00',
    "int": 12,
    "big": 2**70,
    "float": 0.1,
    "exponent": 1e16,
    "negative_zero": -0.0,
    "bool": True,
    "none": None,
    "decimal": decimal.Decimal("1234.5600"),
    "datetime": datetime.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.timezone.utc),
    "naive": datetime.datetime(2026, 1, 2, 3, 4, 5),
    "date": datetime.date(2026, 1, 2),
    "time": datetime.time(3, 4, 5, 600),
    "duration": datetime.timedelta(days=1, seconds=5, microseconds=7),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "bytes": b"raw",
    "tuple": (1, "two"),
    "set_free_list": [1, [2, [3, {"deep": "é"}]]],
    "ordered": OrderedDict([("b", 1), ("a", 2)]),
    "empty": {},
}

SETTINGS = [
    {"ensure_ascii": ensure_ascii, "compact": compact, "strict": strict}
    for ensure_ascii in (True, False)
    for compact in (True, False)
    for strict in (True, False)
]


def renderers(**attributes: Any) -> tuple[JSONRenderer, JSONRenderer]:
    """DRF's renderer and ours with the same class attributes (what UNICODE_JSON,
    COMPACT_JSON and STRICT_JSON set)."""
    drf = type("DRF", (JSONRenderer,), attributes)()
    ours = type("Ours", (TypedJSONRenderer,), attributes)()
    return drf, ours


@pytest.mark.parametrize(
    "attributes", SETTINGS, ids=lambda a: "-".join(f"{k}={v}" for k, v in a.items())
)
def test_the_bytes_equal_drfs_under_every_json_setting(attributes: dict[str, Any]) -> None:
    drf, ours = renderers(**attributes)
    expected = drf.render(AWKWARD, "application/json")
    assert ours.render(AWKWARD, "application/json") == expected
    assert ours.render(AWKWARD, "application/json") == expected  # the shared encoder again


@pytest.mark.parametrize("strict", [True, False])
def test_nan_is_refused_or_written_as_drf_does(strict: bool) -> None:
    drf, ours = renderers(strict=strict)
    data = {"nan": float("nan"), "inf": float("inf")}
    if strict:
        with pytest.raises(ValueError):
            drf.render(data)
        with pytest.raises(ValueError):
            ours.render(data)
    else:
        assert ours.render(data) == drf.render(data)


@pytest.mark.parametrize("media_type", ["application/json; indent=4", "application/json; indent=0"])
def test_an_indent_asked_for_in_accept_is_honoured_like_drf(media_type: str) -> None:
    drf, ours = renderers()
    assert ours.render(AWKWARD, media_type) == drf.render(AWKWARD, media_type)


def test_an_indent_from_the_renderer_context_is_honoured_like_drf() -> None:
    drf, ours = renderers()
    context = {"indent": 2}
    assert ours.render(AWKWARD, None, context) == drf.render(AWKWARD, None, context)


@pytest.mark.parametrize(
    "media_type",
    ["application/json", "application/json; charset=utf-8", "application/json;indent=2"],
)
def test_a_media_type_without_an_indent_renders_compact_like_drf(media_type: str) -> None:
    drf, ours = renderers()
    assert ours.render(AWKWARD, media_type, {}) == drf.render(AWKWARD, media_type, {})


def test_a_subclass_with_its_own_get_indent_is_asked() -> None:
    """The shortcut for a media type without parameters is DRF's get_indent only."""

    class AlwaysIndented(TypedJSONRenderer):
        def get_indent(self, accepted_media_type: str, renderer_context: Any) -> int:
            return 3

    class DRFAlwaysIndented(JSONRenderer):
        def get_indent(self, accepted_media_type: str, renderer_context: Any) -> int:
            return 3

    expected = DRFAlwaysIndented().render(AWKWARD, "application/json", {})
    assert b"\n   " in expected
    assert AlwaysIndented().render(AWKWARD, "application/json", {}) == expected


def test_none_is_an_empty_body_and_drfs_return_containers_render_as_plain_ones() -> None:
    drf, ours = renderers()
    assert ours.render(None) == drf.render(None) == b""
    data = ReturnList([ReturnDict({"a": "ä"}, serializer=None)], serializer=None)
    assert ours.render(data) == drf.render(data)


def test_a_renderer_with_its_own_encoder_class_uses_it() -> None:
    from rest_framework.utils.encoders import JSONEncoder

    class Shouting(JSONEncoder):
        def default(self, obj: Any) -> Any:
            if isinstance(obj, decimal.Decimal):
                return "DECIMAL"
            return super().default(obj)

    drf, ours = renderers(encoder_class=Shouting)
    data = {"d": decimal.Decimal("1.5")}
    assert ours.render(data) == drf.render(data) == b'{"d":"DECIMAL"}'


def test_the_preset_renders_with_typed_json_renderer() -> None:
    from django_typed_api import presets

    assert presets.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"][0] == (
        "django_typed_api.renderers.TypedJSONRenderer"
    )
