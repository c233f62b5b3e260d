"""The taxonomy with its counts, for /expertise areas. Discord-free."""

from __future__ import annotations

from dataclasses import dataclass

from db import areas, expertise
from db.areas import Area
from db.database import Database
from db.partnerships import Viewer


@dataclass(frozen=True)
class AreaCount:
    area: Area
    members: int  # members still in the server who listed it
    partnerships: int  # partnerships tagged with it that the viewer may see
    open_clinics: int


async def area_counts(database: Database, guild_id: int, viewer: Viewer) -> list[AreaCount]:
    members = await expertise.members_per_area(database, guild_id)
    tagged = await expertise.partnerships_per_area(database, guild_id, viewer)
    clinics = await expertise.open_clinics_per_area(database, guild_id)
    return [
        AreaCount(area, members.get(area.slug, 0), tagged.get(area.slug, 0), clinics.get(area.slug, 0))
        for area in await areas.all_areas(database)
    ]
