"""Reading and writing ``assessments/openssf.yml``: the OpenSSF tracks and capabilities.

Like ``bot.data.codec``: ``principles_from_data`` validates while it converts and collects one
problem per mistake; ``principles_to_data`` gives the mapping the store writes, keys in canonical
order. Capability ids must differ from every control id (history and forms name both).
"""

from __future__ import annotations

from typing import Any

from bot.data.field_reader import FieldReader
from bot.data.model import STATUSES, Catalog, Status
from bot.data.principles import Capability, Principles, PrinciplesSource, Track
from bot.errors import Problem
from bot.suggest import not_one_of

LEVELS = (1, 2, 3)
"""The levels the Principles define."""


def principles_from_data(
    data: Any, source: str, catalog: Catalog, problems: list[Problem]
) -> Principles:
    """The Principles of ``data``; every problem appended to ``problems``."""
    top = FieldReader(data, source, "", problems)
    top.only(("source", "tracks", "capabilities"))
    tracks = tuple(_track(item) for item in top.items("tracks", required=True))
    track_ids = tuple(t.id for t in tracks)
    capabilities = tuple(
        _capability(item, track_ids, catalog) for item in top.items("capabilities", required=True)
    )
    _unique(top, "tracks", [t.id for t in tracks])
    _unique(top, "capabilities", [c.id for c in capabilities])
    for index, capability in enumerate(capabilities):
        if capability.id in catalog.ids():
            top.problem(f"capabilities[{index}].id", "is also a control id; choose another")
    return Principles(_source(top.sub("source")), tracks, capabilities)


def _source(f: FieldReader) -> PrinciplesSource:
    f.only(("title", "version", "published", "url"))
    return PrinciplesSource(
        title=f.text("title", limit=120),
        version=f.text("version", limit=20),
        published=f.date("published", required=False),
        url=f.url("url"),
    )


def _track(f: FieldReader) -> Track:
    f.only(("id", "title", "applies", "needs_accounts", "needs_uploads"))
    return Track(
        id=f.ident("id"),
        title=f.text("title", limit=60),
        applies=f.text("applies", limit=200),
        needs_accounts=f.typed("needs_accounts", bool, False),
        needs_uploads=f.typed("needs_uploads", bool, False),
    )


def _capability(f: FieldReader, tracks: tuple[str, ...], catalog: Catalog) -> Capability:
    f.only(("id", "track", "level", "title", "definition", "rubric", "controls"))
    track = f.choice("track", tracks) or ""
    level = f.typed("level", int, 1)
    if level not in LEVELS:
        f.problem("level", f"{level} is not a level of the Principles; allowed: 1, 2, 3")
    rubric_fields = f.sub("rubric")
    rubric_fields.only(STATUSES)
    rubric = {
        Status(k): rubric_fields.text(k, limit=600) for k in STATUSES if k in rubric_fields.data
    }
    controls = f.texts("controls", limit=64, required=False)
    for index, control in enumerate(controls):
        if control not in catalog.ids():
            f.problem(f"controls[{index}]", not_one_of(control, catalog.ids(), "a control"))
    return Capability(
        id=f.ident("id"),
        track=track,
        level=level,
        title=f.text("title", limit=80),
        definition=f.text("definition", limit=400),
        rubric=rubric,
        controls=controls,
    )


def _unique(f: FieldReader, key: str, ids: list[str]) -> None:
    for twice in sorted({i for i in ids if ids.count(i) > 1}):
        f.problem(key, f"id {twice!r} appears more than once")


def principles_to_data(principles: Principles) -> dict[str, Any]:
    """The canonical mapping of ``principles`` (what the store writes)."""
    source = principles.source
    return {
        "source": {
            "title": source.title,
            "version": source.version,
            "published": source.published,
            "url": source.url,
        }
        if source
        else {},
        "tracks": [_track_data(t) for t in principles.tracks],
        "capabilities": [_capability_data(c) for c in principles.capabilities],
    }


def _track_data(track: Track) -> dict[str, Any]:
    return {
        "id": track.id,
        "title": track.title,
        "applies": track.applies,
        "needs_accounts": track.needs_accounts,
        "needs_uploads": track.needs_uploads,
    }


def _capability_data(capability: Capability) -> dict[str, Any]:
    rubric = capability.rubric
    return {
        "id": capability.id,
        "track": capability.track,
        "level": capability.level,
        "title": capability.title,
        "definition": capability.definition,
        "rubric": {s.value: rubric[s] for s in Status if s in rubric},
        "controls": list(capability.controls),
    }
