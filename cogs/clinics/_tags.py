"""Which forum tag stands for an area: Discord-free, from the tag names the forum has.

Forum tag names are at most 20 characters and a forum holds at most 20 tags, so an area's tag
is a short form of its label ("Digitisation and Commons uploads" → "Digitisation"). A tag an
admin made by hand counts too when its name is the area's slug, label or one of its synonyms.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.text import shorten
from db.areas import Area

TAG_NAME_MAX = 20  # Discord's limit on a forum tag's name
FORUM_TAGS_MAX = 20  # Discord's limit on tags per forum


def tag_name(area: Area) -> str:
    """The tag the bot creates for ``area``: the label before any parenthesis or "and", if short."""
    name = area.label.split(" (")[0].strip()
    if len(name) > TAG_NAME_MAX:
        name = name.split(" and ")[0].strip()
    return shorten(name, TAG_NAME_MAX)


def matching_tag(names: Sequence[str], area: Area) -> int | None:
    """The index of the first tag in ``names`` that stands for ``area``, or None."""
    ours = tag_name(area).casefold()
    for index, name in enumerate(names):
        if name.strip().casefold() == ours or area.matches(name):
            return index
    return None


def room_for_another(tag_count: int) -> bool:
    return tag_count < FORUM_TAGS_MAX
