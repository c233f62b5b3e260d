"""Resolving 'which partnership' from a command option, for a given viewer."""

from __future__ import annotations

import discord

from core.errors import UserError
from core.permissions import Level, level_of
from db import partnerships
from db.database import Database
from db.partnerships import Partnership, Viewer


async def viewer_for(interaction: discord.Interaction) -> Viewer:
    level = await level_of(interaction)
    return Viewer(user_id=interaction.user.id, is_coordinator=level >= Level.COORDINATOR)


def parse_reference(value: str) -> int | None:
    """Autocomplete sends the id; members may also type '#12' or '12'."""
    cleaned = value.strip().lstrip("#")
    return int(cleaned) if cleaned.isdigit() else None


async def visible_partnership(database: Database, guild_id: int, viewer: Viewer, value: str) -> Partnership:
    """The partnership the option names, if the viewer may see it; the same message otherwise."""
    partnership_id = parse_reference(value)
    found = None
    if partnership_id is not None:
        found = await partnerships.get_visible(database, guild_id, partnership_id, viewer)
    else:
        matches = await partnerships.autocomplete(database, guild_id, viewer, value)
        exact = [
            record
            for record in matches
            if value.strip().casefold() in (record.name.casefold(), record.partner_name.casefold())
        ]
        found = exact[0] if len(exact) == 1 else None
    if found is None:
        raise UserError(
            f"I can't find a partnership “{value[:80]}” that you can see. Pick one from the list."
        )
    return found
