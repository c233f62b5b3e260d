"""Checking what a member typed for /expertise, with messages that say what to fix. Discord-free."""

from __future__ import annotations

from collections.abc import Sequence

from cogs.partnerships import _validate as registry
from core.errors import UserError
from db.areas import Area

NOTE_MAX = 200  # one or two sentences: the evidence lives in partnerships and clinics
AREAS_MAX = 20  # per member; past this a list stops saying what someone really knows
QUERY_MAX = 100
FILTER_MAX = registry.REGION_MAX


def parse_area(value: str, taxonomy: Sequence[Area]) -> str:
    """One area: a taxonomy slug, label or synonym becomes the slug; other words a free area."""
    cleaned = value.strip()
    if not cleaned:
        raise UserError("Choose an area from the list, or type your own (up to 40 characters).")
    if "," in cleaned:
        raise UserError("One area at a time, please: run the command again for each area.")
    slug = next((area.slug for area in taxonomy if area.slug == cleaned), None)
    if slug is not None:
        return slug
    (area,) = registry.parse_areas(cleaned, taxonomy)
    return area


def parse_note(value: str | None) -> str:
    return registry.text(value, field="The note", limit=NOTE_MAX) or ""


def parse_filter(value: str | None, *, field: str) -> str | None:
    return registry.text(value, field=field, limit=FILTER_MAX)


def parse_query(value: str) -> str:
    return registry.required_text(value, field="What you're looking for", limit=QUERY_MAX)
