"""The machine-readable export: one JSON document other tools consume.

Format ``packman-export``, version 1 (documented in docs/export.md, described by
schemas/export.schema.json). Adding a key is compatible; removing or renaming one bumps
``version``. ``data_date`` is the date of the data's commit, passed in by ``packman site`` (the
committed docs/packman.json cannot hold the date of its own commit: there it is null).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import PurePosixPath
from typing import Any

from bot import escape
from bot.data import codec, levels, tiers
from bot.data.levels import TrackLevel
from bot.data.model import Catalog, Dataset, Registry, Status, TierRule, in_order
from bot.data.principles import Principles
from bot.data.principles_codec import principles_to_data

EXPORT = PurePosixPath("docs/packman.json")
FORMAT = "packman-export"
REGISTRY_FORMAT = "packman-registry"
VERSION = 1


class Written(str):
    """A registry's entry already written as JSON text (at its depth in :func:`dumps`)."""

    __slots__ = ()


def registry_entry(registry: Registry, dataset: Dataset) -> Written:
    """One registry's entry of the export, written: :func:`build` with ``entries`` reuses it."""
    return Written(_dump(_registry(registry, dataset), 2))


def build(
    dataset: Dataset, entries: list[Written] | None = None, data_date: dt.date | None = None
) -> dict[str, Any]:
    """The export document of the whole dataset (``entries``: every registry's, in order, from
    :func:`registry_entry`, so an unchanged registry need not be written again; ``data_date``:
    the data's commit date)."""
    catalog = dataset.catalog
    rules = {
        "statuses": [s.value for s in Status],
        "controls": [_control(c) for c in codec.catalog_to_data(catalog)["controls"]],
        "tiers": [_tier(rule, catalog) for rule in dataset.policy.tiers],
        "stale_after_days": dataset.policy.stale_after_days,
        "openssf": _principles(dataset.principles),
    }
    return {
        "format": FORMAT,
        "version": VERSION,
        "data_date": data_date,
        "catalog_version": catalog_version(rules),
        **rules,
        "registries": (
            entries if entries is not None else [_registry(r, dataset) for r in dataset.registries]
        ),
    }


def catalog_version(rules: dict[str, Any]) -> str:
    """A digest of the controls, tiers and OpenSSF catalog: it changes exactly when they do."""
    text = json.dumps(rules, sort_keys=True, ensure_ascii=False, default=_json_value)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def registry_document(document: dict[str, Any], registry_id: str) -> dict[str, Any]:
    """One registry of an export as a document of its own, with the export's dates."""
    found = next(r for r in document["registries"] if r["id"] == registry_id)
    return {
        "format": REGISTRY_FORMAT,
        "version": VERSION,
        "data_date": document["data_date"],
        "catalog_version": document["catalog_version"],
        "registry": found,
    }


def _principles(principles: Principles) -> dict[str, Any]:
    """The OpenSSF catalog: its source, tracks and capabilities (keys as in openssf.yml)."""
    return principles_to_data(principles)


def _control(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "openssf": data.get("openssf", []), "scvs": data.get("scvs", [])}


def _tier(rule: TierRule, catalog: Catalog) -> dict[str, Any]:
    return {
        "tier": rule.tier,
        "title": rule.title,
        "summary": rule.summary,
        "requires": list(rule.required(catalog)),
        "satisfied_by": in_order(rule.satisfied_by),
    }


def _registry(registry: Registry, dataset: Dataset) -> dict[str, Any]:
    result = tiers.compute(registry, dataset.policy, dataset.catalog)
    data = codec.registry_to_data(registry)
    openssf = {
        "profile": data.pop("profile", None),
        "levels": [_level(level) for level in levels.compute(registry, dataset.principles)],
        "capabilities_met": levels.capabilities_met(registry, dataset.principles)[0],
        "capabilities_applicable": levels.capabilities_met(registry, dataset.principles)[1],
        "capabilities": data.pop("capabilities", {}),
    }
    data.setdefault("identifiers", {"purl": None, "osv": None, "depsdev": None})
    data.setdefault("lifecycle", None)
    gap = [
        {
            "control": u.control,
            "status": u.status.value,
            "tier": u.tier,
            "needed": in_order(u.needed),
        }
        for u in result.gap
    ]
    return {
        "id": registry.id,
        "name": registry.name,
        "tier": result.tier,
        "tier_title": result.title,
        "controls_met": tiers.met_count(registry, dataset.policy),
        "gap": gap,
        **{k: v for k, v in data.items() if k not in ("id", "name")},
        "openssf": openssf,
    }


def _level(level: TrackLevel) -> dict[str, Any]:
    return {
        "track": level.track.id,
        "level": level.level,
        "next_level": level.next_level,
        "gap": [
            {"capability": m.capability, "level": m.level, "status": m.status.value}
            for m in level.gap
        ],
    }


def _json_value(value: Any) -> Any:
    """Dates as ISO text; anything else JSON cannot hold is a bug."""
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__}")


def dumps(document: dict[str, Any]) -> str:
    """The export as JSON text: indented down to each rating, compact below (fast, and diffs stay
    readable). Every string goes through :func:`bot.escape.plain`, the rules of notes: no
    invisible characters, and no raw U+2028 / U+2029 (which end a line in JavaScript before
    ES2019 and in some line-based tools)."""
    return _plain_strings(_dump(document, 0)) + "\n"


_UNUSUAL = re.compile(r"[^\n\x20-\x7e]+")
"""Runs of characters outside printable ASCII. The JSON encoder writes C0 controls as escapes
and its own layout is ASCII, so these runs lie inside strings."""


def _plain_strings(text: str) -> str:
    """JSON text whose strings went through :func:`bot.escape.plain` (it works character by
    character, so cleaning each run is cleaning each string); a separator it turns into a line
    break is written as the escape ``\\n``."""
    if text.isascii() and "\x7f" not in text:  # the common case, checked in C
        return text
    if text.replace("\n", "").isprintable():
        return text
    return _UNUSUAL.sub(_plain_run, text)


def _plain_run(run: re.Match[str]) -> str:
    found = run.group()
    return found if found.isprintable() else escape.plain(found).replace("\n", "\\n")


_OPEN_DEPTH = 4
"""Containers nested deeper than this (inside a rating) are written on one line."""


_ENCODE = json.JSONEncoder(ensure_ascii=False, default=_json_value).encode


def _dump(value: Any, depth: int) -> str:
    if isinstance(value, Written):
        return value
    if depth >= _OPEN_DEPTH or not isinstance(value, dict | list) or not value:
        return _ENCODE(value)
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, list):
        return "[\n" + ",\n".join(inner + _dump(v, depth + 1) for v in value) + f"\n{pad}]"
    items = (f"{inner}{_ENCODE(k)}: {_dump(v, depth + 1)}" for k, v in value.items())
    return "{\n" + ",\n".join(items) + f"\n{pad}}}"
