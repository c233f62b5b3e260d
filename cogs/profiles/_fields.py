"""Profile values from what a member typed, and timezone suggestions. Discord-free.

Every parser takes the option's text and returns the value to store, or raises ``UserError``
saying what to fix. ``none`` (or ``-``) clears a field, as in /partnership edit: a slash command
option can't be left empty.
"""

from __future__ import annotations

from collections.abc import Iterable

from cogs.partnerships import _validate as validate
from core.clock import parse_timezone, timezone_names
from core.errors import UserError

# Limits shown in the option descriptions and the README.
AFFILIATION_MAX = 100
REGION_MAX = validate.REGION_MAX
LANGUAGES_MAX = 10
LANGUAGE_MAX = 30
CLEAR = "none"
SUGGESTIONS_MAX = 25


_clears = validate.clears


def parse_affiliation(value: str) -> str | None:
    return None if _clears(value) else validate.text(value, field="Affiliation", limit=AFFILIATION_MAX)


def parse_region(value: str) -> str | None:
    return None if _clears(value) else validate.text(value, field="Region", limit=REGION_MAX)


def parse_languages(value: str) -> tuple[str, ...]:
    """Comma-separated languages: spaces tidied, repeats (in any case) dropped, the first spelling kept."""
    if _clears(value):
        return ()
    languages: dict[str, str] = {}
    for raw in value.split(","):
        language = " ".join(raw.split())
        if not language:
            continue
        if len(language) > LANGUAGE_MAX:
            raise UserError(
                f"The language “{language[:LANGUAGE_MAX]}…” is too long; "
                f"each is at most {LANGUAGE_MAX} characters."
            )
        languages.setdefault(language.casefold(), language)
    if not languages:
        raise UserError(f"List languages separated by commas (or `{CLEAR}` to clear them).")
    if len(languages) > LANGUAGES_MAX:
        raise UserError(f"That's {len(languages)} languages; list at most {LANGUAGES_MAX}.")
    return tuple(languages.values())


def parse_timezone_name(value: str) -> str | None:
    """A known IANA name, as the database spells it; None (clear) for ``-``."""
    if _clears(value):
        return None
    try:
        return parse_timezone(value).key
    except ValueError as error:
        raise UserError(
            f"{error}. Pick one from the list as you type, e.g. “berlin” for Europe/Berlin."
        ) from None


def timezone_suggestions(typed: str, *, first: Iterable[str] = ()) -> list[str]:
    """Zone names containing what was typed (any case; a space matches '_'), best matches first.

    With nothing typed, offer ``first`` (the member's current zone, the server default).
    """
    needle = "_".join(typed.casefold().split())
    if not needle:
        return list(dict.fromkeys(name for name in first if name))[:SUGGESTIONS_MAX]

    def rank(name: str) -> tuple[bool, bool, bool, str]:
        folded = name.casefold()
        place = folded.rpartition("/")[2]
        return (folded != needle, place != needle, not place.startswith(needle), name)

    matches = [name for name in timezone_names() if needle in name.casefold()]
    return sorted(matches, key=rank)[:SUGGESTIONS_MAX]
