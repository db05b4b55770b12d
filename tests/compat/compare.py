"""Pair the typed peer runs with the stock one and explain every difference.

Each schema a peer test generated in a typed mode is compared with the schema the same test
generated at the same call index in the stock run. The structural diff is a list of
:class:`Diff` entries (``added``, ``removed``, ``changed``, ``renamed`` component, ``warning``
emitted). An entry is

- **lost information** when something stock documents is gone or weakened in typed (a
  removed key, a changed constraint such as ``pattern``/``format``/``type``, a description
  whose words are no longer in the operation's summary + description);
- **explained** when a category of ``expectations.yaml`` matches it (path glob, kind, value
  regex), each category with the reason it is by design;
- **unexplained** otherwise.

Crashes (an exception from ``get_schema`` that stock did not raise) and operationId
collisions (duplicates or drf-spectacular's ``_2`` suffixes, more than stock has) are
counted per schema. ``python tests/compat/compare.py`` prints the summary of the last run.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
EXPECTATIONS = HERE / "expectations.yaml"
Key = tuple[str, int]
#: Which run each typed mode is compared with.
BASELINES = {"typed": "stock", "preset": "stock-preset"}

#: Keys whose value constrains or types the data: any change of them loses what stock said.
CONSTRAINT_KEYS = {
    "type", "format", "pattern", "enum", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "multipleOf",
    "nullable", "readOnly", "writeOnly", "items", "additionalProperties", "default",
}  # fmt: skip
#: Keys whose removal is tracked one level up (a list that changed as a whole).
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Diff:
    path: tuple[str, ...]
    kind: str  # added | removed | changed | renamed | override-ignored | warning
    stock: Any = None
    typed: Any = None

    def where(self) -> str:
        return " > ".join(self.path)

    def short(self) -> str:
        def clip(value: Any) -> str:
            text = json.dumps(value, sort_keys=True, default=str)
            return text if len(text) <= 120 else text[:117] + "..."

        if self.kind == "changed":
            return f"{self.where()}: {clip(self.stock)} -> {clip(self.typed)}"
        if self.kind in ("renamed", "override-ignored"):
            return f"{self.where()}: component {self.stock} -> {self.typed}"
        value = self.stock if self.kind == "removed" else self.typed
        return f"{self.kind} {self.where()}: {clip(value)}"


# -- the structural diff -----------------------------------------------------------------------


def _list_key(path: tuple[str, ...], item: Any) -> str | None:
    if isinstance(item, dict) and path and path[-1] == "parameters" and "name" in item:
        return f"{item.get('in')}:{item['name']}"
    return None


def diff(stock: Any, typed: Any, path: tuple[str, ...] = ()) -> list[Diff]:
    if isinstance(stock, dict) and isinstance(typed, dict):
        out: list[Diff] = []
        for key in stock:
            if key not in typed:
                out.append(Diff((*path, str(key)), "removed", stock[key], None))
            else:
                out.extend(diff(stock[key], typed[key], (*path, str(key))))
        out.extend(Diff((*path, str(k)), "added", None, typed[k]) for k in typed if k not in stock)
        return out
    if isinstance(stock, list) and isinstance(typed, list):
        if path and path[-1] in ("required", "tags", "security"):
            s = [json.dumps(i, sort_keys=True) for i in stock]
            t = [json.dumps(i, sort_keys=True) for i in typed]
            return [Diff((*path, i), "removed", json.loads(i)) for i in s if i not in t] + [
                Diff((*path, i), "added", None, json.loads(i)) for i in t if i not in s
            ]
        keys_s = [_list_key(path, i) for i in stock]
        keys_t = [_list_key(path, i) for i in typed]
        if stock and all(keys_s) and all(keys_t):
            return diff(
                dict(zip(keys_s, stock, strict=True)), dict(zip(keys_t, typed, strict=True)), path
            )
        if len(stock) == len(typed):
            out = []
            for i, (s_item, t_item) in enumerate(zip(stock, typed, strict=True)):
                out.extend(diff(s_item, t_item, (*path, str(i))))
            return out
    if stock != typed:
        return [Diff(path, "changed", stock, typed)]
    return []


def _rewrite_refs(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            k: (
                "#/components/schemas/" + names.get(v.rsplit("/", 1)[1], v.rsplit("/", 1)[1])
                if k == "$ref" and isinstance(v, str) and v.startswith("#/components/schemas/")
                else _rewrite_refs(v, names)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(v, names) for v in node]
    return node


def _enum_body(body: Any) -> Any:
    if isinstance(body, dict) and "enum" in body:
        return (body.get("type"), json.dumps(body["enum"], sort_keys=True, default=str))
    return json.dumps(body, sort_keys=True, default=str)


def component_renames(stock: dict[str, Any], typed: dict[str, Any]) -> dict[str, str]:
    """typed name -> stock name for components that only changed their name: the same body,
    else the same enum values (drf-spectacular's enum names vs the package's); among several
    candidates the stock name the new name ends with (FooEnum -> XFooEnum)."""
    s_comp = stock.get("components", {}).get("schemas", {})
    t_comp = typed.get("components", {}).get("schemas", {})
    gone = [n for n in s_comp if n not in t_comp]
    new = [n for n in t_comp if n not in s_comp]
    renames: dict[str, str] = {}
    for same in (
        lambda a, b: (
            json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)
        ),
        lambda a, b: _enum_body(a) == _enum_body(b),
    ):
        for t_name in new:
            if t_name in renames:
                continue
            taken = set(renames.values())
            match = [s for s in gone if s not in taken and same(s_comp[s], t_comp[t_name])]
            if len(match) > 1:
                match = [s for s in match if t_name.endswith(s)] or match
            if len(match) == 1:
                renames[t_name] = match[0]
    return renames


def schema_diff(
    stock: dict[str, Any], typed: dict[str, Any], enum_overrides: list[str] = ()
) -> list[Diff]:
    """The diff after undoing component renames; a renamed component whose stock name the
    project chose in ENUM_NAME_OVERRIDES is reported as ``override-ignored`` instead."""
    renames = component_renames(stock, typed)
    if renames:
        typed = _rewrite_refs(typed, renames)
        comps = typed["components"]["schemas"]
        typed["components"]["schemas"] = {renames.get(k, k): v for k, v in comps.items()}
    renamed = [
        Diff(
            ("components", "schemas", s),
            "override-ignored" if s in enum_overrides else "renamed",
            s,
            t,
        )
        for t, s in sorted(renames.items())
    ]
    return renamed + diff(stock, typed)


# -- classification ----------------------------------------------------------------------------


@dataclass
class Category:
    name: str
    reason: str
    kind: list[str]
    path: list[str]
    value: str | None = None
    not_value: str | None = None
    #: A removal/weakening this category explains (e.g. a preset setting that hides an
    #: endpoint); without it, anything stock documents and typed does not is lost information.
    by_design_loss: bool = False
    unless_sibling: str | None = None
    #: regex stock's value must match (a ``changed`` entry): e.g. a suffix stock had too
    old_value: str | None = None

    def matches(self, entry: Diff, typed: dict[str, Any]) -> bool:
        if entry.kind not in self.kind or not _glob(self.path, list(entry.path)):
            return False
        if self.unless_sibling is not None:
            parent = _node(typed, entry.path[:-1])
            sibling = self.unless_sibling.replace("{0}", re.escape(entry.path[-1][:1]))
            if isinstance(parent, dict) and any(re.search(sibling, k) for k in parent):
                return False
        value = entry.typed if entry.kind != "removed" else entry.stock
        text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
        if self.value is not None and not re.search(self.value, text):
            return False
        if self.old_value is not None:
            old = entry.stock
            old_text = old if isinstance(old, str) else json.dumps(old, sort_keys=True, default=str)
            if not re.search(self.old_value, old_text):
                return False
        return not (self.not_value is not None and re.search(self.not_value, text))


def _glob(pattern: list[str], path: list[str]) -> bool:
    if not pattern:
        return not path
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_glob(rest, path[i:]) for i in range(len(path) + 1))
    if not path:
        return False
    if head.startswith("re:"):
        hit = re.fullmatch(head[3:], path[0]) is not None
    else:
        hit = fnmatch.fnmatchcase(path[0], head)
    return hit and _glob(rest, path[1:])


def load_expectations(path: Path = EXPECTATIONS) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    data["categories"] = [
        Category(
            name=c["name"],
            reason=c["reason"],
            kind=c["match"]["kind"]
            if isinstance(c["match"]["kind"], list)
            else [c["match"]["kind"]],
            path=c["match"]["path"],
            value=c["match"].get("value"),
            not_value=c["match"].get("not_value"),
            by_design_loss=bool(c.get("by_design_loss", False)),
            unless_sibling=c["match"].get("unless_sibling"),
            old_value=c["match"].get("old_value"),
        )
        for c in data["categories"]
    ]
    return data


def _node(schema: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if isinstance(schema, dict):
            schema = schema.get(part)
        elif isinstance(schema, list) and part.isdigit() and int(part) < len(schema):
            schema = schema[int(part)]
        else:
            return None
    return schema


def _words(text: Any) -> Counter[str]:
    return Counter(WORD.findall(str(text or "").lower()))


def _ref_target(typed: dict[str, Any], node: Any) -> dict[str, Any]:
    ref = node.get("$ref") if isinstance(node, dict) else None
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        found = _node(typed, ("components", "schemas", ref.rsplit("/", 1)[1]))
        return found if isinstance(found, dict) else {}
    return {}


#: The alternative that lets a string schema also accept ``""`` (drf-spectacular's own form).
BLANK_ALTERNATIVE = {"type": "string", "maxLength": 0}


def _ref_targets(typed: dict[str, Any], owner: dict[str, Any]) -> list[dict[str, Any]]:
    """The components a property points at: ``$ref``, and refs inside ``allOf``/``oneOf``."""
    nodes = [owner, *owner.get("allOf", []), *owner.get("oneOf", [])]
    return [_ref_target(typed, node) for node in nodes]


def _same_meaning(entry: Diff, typed: dict[str, Any]) -> bool:
    """A removal that only changes how the same thing is said: an enum referenced with a plain
    ``$ref`` instead of ``allOf: [$ref]``, ``nullable`` as ``oneOf [..., NullEnum]``, a field's
    description kept on the enum it references, a string's ``type``/``format``/... moved into
    the first branch of ``oneOf: [<it>, {type: string, maxLength: 0}]`` (a blank value the
    server returns, documented beside it)."""
    key = entry.path[-1]
    owner = _node(typed, entry.path[:-1])
    if not isinstance(owner, dict):
        return False
    alternatives = owner.get("oneOf")
    if (
        isinstance(alternatives, list)
        and len(alternatives) == 2
        and alternatives[1] == BLANK_ALTERNATIVE
        and isinstance(alternatives[0], dict)
        and key in alternatives[0]
        and alternatives[0][key] == entry.stock
    ):
        return True
    if key == "allOf" and isinstance(entry.stock, list) and len(entry.stock) == 1:
        return owner.get("$ref") == entry.stock[0].get("$ref") or (
            owner.get("oneOf", [None])[0] == entry.stock[0]
        )
    if key == "nullable" and entry.stock is True:
        return any(
            _ref_target(typed, o).get("enum") in ([None], ["null"]) for o in owner.get("oneOf", [])
        )
    if key == "description" and isinstance(entry.stock, str):
        targets = [owner, *(_ref_target(typed, o) for o in [owner, *owner.get("oneOf", [])])]
        kept = sum(
            (_words(t.get("summary")) + _words(t.get("description")) for t in targets), Counter()
        )
        return not (_words(entry.stock) - kept)
    return False


def is_loss(entry: Diff, typed: dict[str, Any], stock: dict[str, Any] | None = None) -> bool:
    """Something stock documents that typed does not (any more)."""
    key = entry.path[-1] if entry.path else ""
    if entry.kind == "removed":
        return not _same_meaning(entry, typed)
    if entry.kind != "changed":
        return False
    if key == "description" and isinstance(entry.stock, str):
        # Moving a docstring's first line into the summary keeps it; dropping it does not;
        # a property's list of choices kept on the enum component it references keeps it.
        owner = _node(typed, entry.path[:-1]) or {}
        kept = _words(owner.get("summary")) + _words(entry.typed)
        kept += sum((_words(t.get("description")) for t in _ref_targets(typed, owner)), Counter())
        return bool(_words(entry.stock) - kept)
    if key == "$ref" and stock is not None:
        # An enum referenced under another name must still have the same values.
        before = _ref_target(stock, {"$ref": entry.stock})
        # (a component renamed back to its stock name is not in typed under that name; its
        # stock body has the same values, or it would not have been paired)
        after = _ref_target(typed, {"$ref": entry.typed}) or _ref_target(
            stock, {"$ref": entry.typed}
        )
        return "enum" in before and before.get("enum") != after.get("enum")
    if key == "pattern" and isinstance(entry.typed, str) and isinstance(entry.stock, str):
        return entry.stock not in entry.typed
    return key in CONSTRAINT_KEYS


@dataclass
class Collision:
    ids: list[str]
    stock_ids: list[str]


def collisions(schema: dict[str, Any] | None, warnings: list[str]) -> list[str]:
    """operationIds that collided: duplicates, and drf-spectacular's numeral suffixes."""
    if not schema:
        return []
    ids = [
        op["operationId"]
        for item in schema.get("paths", {}).values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    ]
    counts = Counter(ids)
    collided = {i for i, n in counts.items() if n > 1}
    for warning in warnings:
        m = re.search(r'operationId "([^"]+)" has collisions', warning)
        if m:
            collided |= {
                i
                for i in ids
                if i == m.group(1) or re.fullmatch(re.escape(m.group(1)) + r"_\d+", i)
            }
    return sorted(collided)


@dataclass
class ModeResult:
    mode: str
    tests: dict[str, dict[str, Any]]
    compared: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    unexplained: list[tuple[str, Diff]] = field(default_factory=list)
    lost: list[tuple[str, Diff]] = field(default_factory=list)
    crashes: list[tuple[str, str]] = field(default_factory=list)
    collisions: list[tuple[str, list[str], list[str]]] = field(default_factory=list)
    stock_collisions: int = 0
    not_reached: list[str] = field(default_factory=list)


def load_run(out: Path) -> tuple[dict[str, Any], dict[Key, dict[str, Any]]]:
    tests = json.loads((out / "tests.json").read_text())
    records: dict[Key, dict[str, Any]] = {}
    with open(out / "schemas.jsonl", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            records[record["test"], record["index"]] = record
    return tests, records


def _label(key: Key) -> str:
    return key[0] if key[1] == 0 else f"{key[0]} (schema #{key[1] + 1})"


def compare(
    mode: str, stock_out: Path, typed_out: Path, expectations: dict[str, Any]
) -> ModeResult:
    _, stock_records = load_run(stock_out)
    tests, typed_records = load_run(typed_out)
    result = ModeResult(mode, tests)
    categories: list[Category] = expectations["categories"]
    for key, typed in sorted(typed_records.items()):
        stock = stock_records.get(key)
        label = _label(key)
        if stock is None:
            continue
        if "crash" in typed:
            if "crash" not in stock or stock["crash"] != typed["crash"]:
                result.crashes.append(
                    (label, typed["crash"] + " at " + ", ".join(typed["crash_frames"][-1:]))
                )
            continue
        if "crash" in stock:
            continue
        result.compared += 1
        s_ids = collisions(stock["schema"], stock["warnings"])
        t_ids = collisions(typed["schema"], typed["warnings"])
        result.stock_collisions += bool(s_ids)
        if len(t_ids) > len(s_ids):
            result.collisions.append((label, t_ids, s_ids))
        entries = schema_diff(stock["schema"], typed["schema"], stock.get("enum_overrides", []))
        new_warnings = [
            w
            for w in typed["warnings"]
            if w not in stock["warnings"] and "has collisions" not in w  # counted as collisions
        ]
        entries += [Diff(("<warnings>",), "warning", None, w) for w in dict.fromkeys(new_warnings)]
        for entry in entries:
            category = next((c for c in categories if c.matches(entry, typed["schema"])), None)
            if is_loss(entry, typed["schema"], stock["schema"]) and not (
                category and category.by_design_loss
            ):
                result.lost.append((label, entry))
            elif category is None:
                result.unexplained.append((label, entry))
            else:
                result.by_category[category.name] += 1
    result.not_reached = [_label(k) for k in stock_records if k not in typed_records]
    return result


def outcome_counts(tests: dict[str, dict[str, Any]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for entry in tests.values():
        counts["crash" if entry.get("crash") else entry["outcome"]] += 1
    return counts


def summary(
    stock_tests: dict[str, Any], results: list[ModeResult], seconds: dict[str, float] | None = None
) -> str:
    lines = ["drf-spectacular peer suite (tests/compat)"]
    stock = outcome_counts(stock_tests)
    lines.append(f"  peer tests run: {len(stock_tests)}")
    lines.append(f"  stock: {dict(sorted(stock.items()))}")
    for r in results:
        counts = outcome_counts(r.tests)
        lines.append(f"  {r.mode}: {dict(sorted(counts.items()))}")
    for r in results:
        lines.append(
            f"\n[{r.mode}] schemas compared: {r.compared}; schema crashes: {len(r.crashes)}; "
            f"lost information: {len(r.lost)}; unexplained differences: {len(r.unexplained)}"
        )
        lines.append(
            f"  collisions: {len(r.collisions)} schemas "
            f"({sum(len(t) for _, t, _ in r.collisions)} ids) more than stock; "
            f"stock schemas with collisions: {r.stock_collisions}"
        )
        for name, n in r.by_category.most_common():
            lines.append(f"  explained {name}: {n}")
        if r.not_reached:
            lines.append(f"  schemas stock generated but typed never reached: {len(r.not_reached)}")
    if seconds:
        lines.append(
            "\nseconds per mode (run in parallel): "
            + ", ".join(f"{m} {s:.0f}" for m, s in seconds.items())
        )
    return "\n".join(lines)


def details(r: ModeResult, limit: int = 400) -> str:
    lines = []
    for title, rows in (
        ("crashes", [f"{t}: {c}" for t, c in r.crashes]),
        ("collisions", [f"{t}: typed {ids} vs stock {s}" for t, ids, s in r.collisions]),
        ("lost information", [f"{t}: {d.short()}" for t, d in r.lost]),
        ("unexplained differences", [f"{t}: {d.short()}" for t, d in r.unexplained]),
    ):
        if rows:
            lines.append(f"[{r.mode}] {title} ({len(rows)}):")
            lines.extend("  " + row for row in rows[:limit])
            if len(rows) > limit:
                lines.append(
                    f"  ... {len(rows) - limit} more in tests/compat/.cache/out/{r.mode}/report.txt"
                )
    return "\n".join(lines)


def run_comparison(
    out_root: Path, modes: tuple[str, ...] = ("typed", "preset")
) -> tuple[dict[str, Any], list[ModeResult]]:
    expectations = load_expectations()
    stock_tests, _ = load_run(out_root / "stock")
    results = [compare(m, out_root / BASELINES[m], out_root / m, expectations) for m in modes]
    for r in results:
        (out_root / r.mode / "report.txt").write_text(details(r, limit=10**6) + "\n")
    return stock_tests, results


if __name__ == "__main__":
    out_root = HERE / ".cache" / "out"
    stock_tests, results = run_comparison(out_root)
    print(summary(stock_tests, results))
