"""Vendor the part of GitHub's REST description that packman's GitHub backend uses.

Run by hand (not by pytest) from the repository root, after updating the shared copy of
GitHub's description::

    .venv/bin/python tests/github_api/vendor_openapi.py [SOURCE]

SOURCE defaults to ``../shared/github/openapi/api.github.com.json`` relative to the
repository. The output, ``tests/github_api/openapi-subset.json``, holds for each operation
the backend calls: its path template, method, operationId, every documented response
status with its description, one example body per success status (``$ref`` resolved
through ``components``), and, for error statuses, the property names of the error schema.
The cassette builder and the tests read only this file, so the suite runs on a fresh clone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO.parent / "shared" / "github" / "openapi" / "api.github.com.json"
TARGET = Path(__file__).resolve().parent / "openapi-subset.json"

OPERATIONS: tuple[tuple[str, str], ...] = (
    ("GET", "/repos/{owner}/{repo}/issues"),
    ("GET", "/repos/{owner}/{repo}/issues/{issue_number}"),
    ("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}"),
    ("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
    ("GET", "/repos/{owner}/{repo}/collaborators/{username}/permission"),
    ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
    ("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}"),
    ("POST", "/repos/{owner}/{repo}/labels"),
    ("POST", "/repos/{owner}/{repo}/git/trees"),
    ("POST", "/repos/{owner}/{repo}/git/commits"),
    ("PATCH", "/repos/{owner}/{repo}/git/refs/{ref}"),
    ("POST", "/repos/{owner}/{repo}/git/refs"),
    ("GET", "/repos/{owner}/{repo}/pulls"),
    ("POST", "/repos/{owner}/{repo}/pulls"),
    ("PATCH", "/repos/{owner}/{repo}/pulls/{pull_number}"),
)
"""(method, path template) of every request GitHubBackend makes."""


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow ``$ref`` pointers (``#/components/...``) until a node without one."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
            raise ValueError(f"unsupported or circular $ref: {ref!r}")
        seen.add(ref)
        node = spec
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def first_example(spec: dict[str, Any], content: dict[str, Any]) -> tuple[str, Any] | None:
    """The first named example of a JSON response body, resolved."""
    examples = content.get("examples") or {}
    for name, example in examples.items():
        value = resolve(spec, example).get("value")
        if isinstance(value, dict) and str(value.get("$ref", "")).startswith(
            "#/components/examples/"
        ):
            value = resolve(spec, value)["value"]  # GitHub points "value" at a whole Example Object
        return name, resolve(spec, value)
    if "example" in content:
        return "example", content["example"]
    return None


def error_properties(spec: dict[str, Any], content: dict[str, Any]) -> dict[str, list[str]]:
    """Property and required names of an error body's schema."""
    schema = resolve(spec, content.get("schema") or {})
    return {
        "properties": sorted(schema.get("properties") or {}),
        "required": sorted(schema.get("required") or []),
    }


def response(spec: dict[str, Any], status: str, raw: dict[str, Any]) -> dict[str, Any]:
    """One documented status: description, and an example (success) or the error schema's names."""
    node = resolve(spec, raw)
    out: dict[str, Any] = {"description": node.get("description", "")}
    content = (node.get("content") or {}).get("application/json")
    if content is None:
        return out
    if status.startswith("2"):
        found = first_example(spec, content)
        if found is None:
            raise ValueError(f"no example body for success status {status}")
        out["example_name"], out["example"] = found
    else:
        out["schema"] = error_properties(spec, content)
    return out


def operation(spec: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    """The vendored description of one operation."""
    try:
        raw = spec["paths"][path][method.lower()]
    except KeyError:
        raise SystemExit(f"{method} {path} is not in the source description") from None
    return {
        "method": method,
        "path": path,
        "operationId": raw["operationId"],
        "responses": {status: response(spec, status, r) for status, r in raw["responses"].items()},
    }


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else SOURCE
    spec = json.loads(source.read_text(encoding="utf-8"))
    subset: dict[str, Any] = {
        "source": {
            "file": source.name,
            "openapi": spec.get("openapi"),
            "info_title": spec["info"].get("title"),
            "info_version": spec["info"].get("version"),
            "note": "Generated by tests/github_api/vendor_openapi.py; do not edit by hand.",
        },
        "operations": [operation(spec, method, path) for method, path in OPERATIONS],
    }
    TARGET.write_text(json.dumps(subset, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    size = TARGET.stat().st_size
    print(
        f"wrote {TARGET.relative_to(REPO)}: {len(OPERATIONS)} operations, {size} bytes, "
        f"source version {subset['source']['info_version']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
