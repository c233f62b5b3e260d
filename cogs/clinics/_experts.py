"""The one seam to the expertise directory: the people a clinic suggests, ranked as `/expertise who` ranks.

The ranking runs as a viewer who sees no confidential partnership, because the suggestions are
posted where everyone in the clinic can read them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from cogs.clinics._suggest import RankedExpert
from cogs.expertise._search import who
from cogs.expertise._terms import short_label
from core.errors import UserError
from db.areas import Area
from db.database import Database
from db.expertise import PeopleFilter
from db.partnerships import Viewer

PUBLIC_VIEWER = Viewer(user_id=0, is_coordinator=False)


async def ranked_experts(
    database: Database,
    guild_id: int,
    area: Area,
    intake_text: str,
    *,
    now: datetime,
    is_present: Callable[[int], bool],
) -> list[RankedExpert]:
    """The best people for the area and the intake, best first (the area's name leads the query)."""
    try:
        answer = await who(
            database,
            guild_id,
            PUBLIC_VIEWER,
            f"{short_label(area)} {intake_text}",
            PeopleFilter(),
            now=now,
            is_present=is_present,
        )
    except UserError:  # no topic words at all: nobody to suggest
        return []
    return [RankedExpert(person.user_id, person.candidate.available) for person in answer.people]
