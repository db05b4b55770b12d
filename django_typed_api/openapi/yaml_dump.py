"""The schema as YAML, byte for byte what drf-spectacular's ``OpenApiYamlRenderer`` writes, faster.

drf-spectacular dumps through PyYAML's generic machinery: every value goes through
``represent_data`` (an alias check, an MRO walk, a representer call), and libyaml asks the
Python resolver twice per scalar whether its tag is implicit. A 1,200-operation schema has
about 220,000 values and 390,000 such questions; rendering cost more than a second.

:class:`SchemaDumper` builds the same nodes directly for the types a generated schema holds
(``dict``, ``list``, ``str``, ``int``, ``float``, ``bool``, ``None``) and remembers the
resolver's answers within one dump (they depend only on the scalar's text). Any other type
(``Decimal``, ``UUID``, lazy text that escaped normalization, ...) makes :func:`dump_yaml`
hand the whole document to drf-spectacular's renderer, so its representers stay the only
definition of how those look.
"""

from __future__ import annotations

from typing import Any

import yaml
from drf_spectacular.renderers import OpenApiYamlRenderer
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

try:
    from yaml import CSafeDumper as _SafeDumper
except ImportError:  # pragma: no cover (PyYAML without libyaml, as drf-spectacular allows)
    from yaml import SafeDumper as _SafeDumper  # type: ignore[assignment]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class NotPlain(Exception):
    """A value the fast path does not represent; drf-spectacular's renderer does."""


class SchemaDumper(_SafeDumper):
    """drf-spectacular's dumper settings: no aliases, block style, keys unsorted, and
    multi-line strings as ``|`` literals."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._resolved: dict[tuple[str, tuple[bool, bool]], str] = {}

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def represent_data(self, data: Any) -> Any:
        kind = type(data)
        if kind is str:
            return ScalarNode(_STR, data, style="|" if "\n" in data else None)
        if kind is dict:
            return MappingNode(
                _MAP,
                [(self.represent_data(k), self.represent_data(v)) for k, v in data.items()],
                flow_style=False,
            )
        if kind is list:
            return SequenceNode(_SEQ, [self.represent_data(v) for v in data], flow_style=False)
        if kind is bool:
            return ScalarNode(_BOOL, "true" if data else "false")
        if kind is int:
            return ScalarNode(_INT, str(data))
        if data is None:
            return ScalarNode(_NULL, "null")
        if kind is float:
            return self.represent_float(data)
        raise NotPlain(kind.__name__)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not ScalarNode or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = self._resolved[key] = super().resolve(kind, value, implicit)
        return tag


def dump_yaml(data: Any) -> bytes:
    """``OpenApiYamlRenderer().render(data)``'s bytes."""
    try:
        text = yaml.dump(
            data,
            Dumper=SchemaDumper,
            default_flow_style=False,
            sort_keys=False,
            allow_unicode=True,
        )
    except NotPlain:
        return OpenApiYamlRenderer().render(data, renderer_context={})
    return text.encode("utf-8")
