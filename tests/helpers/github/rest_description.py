"""GitHub's REST description (``../shared/github/openapi/api.github.com.json``), read at test time.

The description is third-party material: it is never copied into this repository. The reference
tests load it from the shared folder to check the cassettes against it: every request must be a
documented operation, every answer's body must fit the documented schema, and every field the
backend reads must be one the schema declares.

OpenAPI 3.0 schemas are turned into JSON Schema here (``nullable`` becomes a ``null`` type, each
component is converted once into ``$defs``, so recursive components stay finite).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.helpers.paths import SHARED

DESCRIPTION = SHARED / "github" / "openapi" / "api.github.com.json"
_KEEP = {"type", "properties", "items", "required", "enum", "additionalProperties", "anyOf",
         "oneOf", "allOf", "format", "minimum", "maximum"}  # fmt: skip


@functools.cache
def spec(path: Path = DESCRIPTION) -> dict[str, Any]:
    """The whole description (read once)."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class Operation:
    """One documented operation: its method, path template and responses by status."""

    method: str
    template: str
    responses: dict[str, Any]

    def matches(self, path: str) -> bool:
        """True when ``path`` (without the query) is an instance of this template."""
        return _pattern(self.template).fullmatch(path) is not None


def operations() -> Iterator[Operation]:
    """Every documented operation."""
    for template, item in spec()["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield Operation(method.upper(), template, operation["responses"])


def operation(method: str, path: str) -> Operation | None:
    """The one documented operation for ``method path`` (the most specific if several match)."""
    found = [op for op in _by_method(method) if op.matches(path)]
    # "/git/refs/heads/x" matches "{ref}" templates; prefer the one with fewest parameters.
    found.sort(key=lambda op: op.template.count("{"))
    return found[0] if found else None


@functools.cache
def _by_method(method: str) -> tuple[Operation, ...]:
    return tuple(op for op in operations() if op.method == method)


@functools.cache
def _pattern(template: str) -> re.Pattern[str]:
    pieces = re.split(r"\{(\w+)\}", template)
    parts = [re.escape(p) if n % 2 == 0 else (".+" if p == "ref" else "[^/]+")
             for n, p in enumerate(pieces)]  # fmt: skip
    return re.compile("".join(parts))


def resolve(node: Any) -> Any:
    """Follow ``$ref`` pointers (``#/components/...``) to the node they name."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if ref in seen:
            raise ValueError(f"circular $ref {ref}")
        seen.add(ref)
        node = spec()
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def response_schema(operation: Operation, status: int) -> dict[str, Any] | None:
    """The documented JSON schema of the answer with ``status``, or None when none is given."""
    response = resolve(operation.responses.get(str(status)))
    content = (response or {}).get("content", {}).get("application/json", {})
    schema = content.get("schema")
    return json_schema(schema) if schema is not None else None


def json_schema(schema: Any) -> dict[str, Any]:
    """An OpenAPI 3.0 schema as a self-contained JSON Schema (components in ``$defs``)."""
    defs: dict[str, Any] = {}
    root = _convert(schema, defs)
    return {**root, "$defs": defs}


def _convert(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name not in defs:
            defs[name] = {}  # placeholder: a recursive reference finds it
            defs[name] = _convert(resolve(node), defs)
        return {"$ref": f"#/$defs/{name}"}
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key not in _KEEP:
            continue
        if key == "properties":
            out[key] = {k: _convert(v, defs) for k, v in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            out[key] = _convert(value, defs)
        elif key in ("anyOf", "oneOf", "allOf"):
            out[key] = [_convert(v, defs) for v in value]
        else:
            out[key] = value
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def declares(schema: dict[str, Any], path: tuple[str, ...]) -> bool:
    """True when ``path`` (keys, with ``[]`` for a list item) names a field ``schema`` declares."""
    return _declares(schema, schema, path)


def _declares(root: dict[str, Any], node: Any, path: tuple[str, ...]) -> bool:
    node = _deref(root, node)
    if not path:
        return True
    if not isinstance(node, dict):
        return False
    for key in ("anyOf", "oneOf", "allOf"):
        if any(_declares(root, part, path) for part in node.get(key, [])):
            return True
    head, rest = path[0], path[1:]
    if head == "[]":
        return "items" in node and _declares(root, node["items"], rest)
    properties = node.get("properties", {})
    return head in properties and _declares(root, properties[head], rest)


def _deref(root: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node
