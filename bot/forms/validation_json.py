"""JSON views of validation results, for ``packman validate`` and the bot's logs."""

from __future__ import annotations

from typing import Any

from bot.data import codec
from bot.data.changes import Change, NewRegistry
from bot.forms.validate import FieldError, Validation


def validation(result: Validation) -> dict[str, Any]:
    """``{"ok", "errors", "notices", "change"}``."""
    return {
        "ok": result.ok,
        "errors": [error(e) for e in result.errors],
        "notices": list(result.notices),
        "change": change(result.change) if result.change else None,
    }


def error(item: FieldError) -> dict[str, Any]:
    """One error as data."""
    return {
        "field": item.field,
        "value": item.value,
        "message": item.message,
        "allowed": list(item.allowed),
        "suggestion": item.suggestion,
    }


def change(item: Change) -> dict[str, Any]:
    """A change as data."""
    if isinstance(item, NewRegistry):
        data = codec.registry_to_data(item.registry)
        return {
            "kind": "new-registry",
            "registry": {k: data[k] for k in ("id", "name", "languages", "clients", "homepage")},
            "why": item.why,
        }
    return {
        "kind": "ratings",
        "registry": item.registry,
        "ratings": [
            {
                "control": r.control,
                "status": r.status.value,
                "evidence": list(r.evidence),
                "notes": r.notes,
            }
            for r in item.ratings
        ],
    }
