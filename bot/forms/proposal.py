"""The proposal form: a new registry, with every control and capability unknown."""

from __future__ import annotations

import unicodedata

from bot.data.changes import NewRegistry
from bot.data.codec import IDENTIFIER, IDENTIFIER_RULE
from bot.data.field_reader import MAX_URL, is_https_url
from bot.data.model import UNASSESSED, Identifiers, Registry
from bot.escape import plain
from bot.forms.checker import Checker, Validation
from bot.forms.names import MAX_NAME, check_name, slug

MAX_WHY = 2000


def proposal_form(check: Checker) -> Validation:
    name = " ".join(unicodedata.normalize("NFKC", check.text("name", limit=MAX_NAME)).split())
    languages = _comma_list(check, "languages")
    clients = _comma_list(check, "clients")
    homepage = check.text("homepage", limit=MAX_URL)
    why = check.text("why", limit=MAX_WHY)
    if homepage and not is_https_url(homepage):
        check.error(
            "homepage",
            homepage,
            "is not a well-formed https:// link (an ASCII host name, no spaces "
            "or invisible characters)",
        )
    check_name(check, name)
    identifiers = Identifiers(*(_identifier(check, key) for key in ("purl", "osv", "depsdev")))
    if check.errors:
        return check.result(None)
    catalog = check.dataset.catalog
    registry = Registry(
        id=slug(name),
        name=name,
        languages=languages,
        clients=clients,
        homepage=homepage,
        lead="",
        controls=dict.fromkeys(catalog.ids(), UNASSESSED),
        capabilities=dict.fromkeys(check.dataset.principles.ids(), UNASSESSED),
        identifiers=identifiers,
    )
    return check.result(NewRegistry(registry, " ".join(why.split())))


def _identifier(check: Checker, key: str) -> str | None:
    value = check.text(key, required=False, limit=40)
    if value and not IDENTIFIER.fullmatch(value):
        check.error(key, value, IDENTIFIER_RULE)
    return value or None


def _comma_list(check: Checker, key: str) -> tuple[str, ...]:
    items = tuple(i.strip() for i in check.text(key, limit=300).split(",") if i.strip())
    for item in items:
        if len(item) > 40:
            check.error(key, item, "each entry may have at most 40 characters")
        if plain(item) != item:
            check.error(
                key,
                item,
                "holds invisible characters (zero-width, bidi controls, line separators or "
                "similar); type the name again without them",
            )
    if len(items) > 8:
        check.error(key, None, f"lists {len(items)} entries; at most 8 are allowed")
    return items
