"""Resolving 'which partnership' from a command option, for the member asking.

``PartnershipOption`` is the one way a command takes a partnership: it offers autocomplete
(only what the asker may see, their own first) and hands the command a record the asker may see,
or refuses with the same message whether the record is hidden or absent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from cogs.partnerships._render import choice_label
from core.errors import PermissionDenied, UserError
from core.permissions import Level, level_of, may_change_record
from db import partnerships
from db.database import Database
from db.partnerships import Partnership, Viewer

if TYPE_CHECKING:
    from core.bot import PartnershipsBot


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


async def ensure_can_change(interaction: discord.Interaction, record: Partnership) -> Level:
    """Owners, co-owners and coordinators change a record; anyone else is refused. Return the level."""
    level = await level_of(interaction)
    if not may_change_record(interaction.user.id, level, record.owner_ids):
        raise PermissionDenied(
            f"Only the owners of “{record.name}” and coordinators can change it. "
            "Ask an owner to add you with `/partnership co-owner`."
        )
    return level


class PartnershipOption(app_commands.Transformer):
    """A partnership option: autocomplete over what the asker may see, resolved to a visible record."""

    async def transform(self, interaction: discord.Interaction, value: str) -> Partnership:
        if interaction.guild_id is None:
            raise UserError("Partnerships belong to a server; use this command there.")
        bot: PartnershipsBot = interaction.client  # type: ignore[assignment]
        return await visible_partnership(
            bot.database, interaction.guild_id, await viewer_for(interaction), value
        )

    own_only = False  # offer only the asker's own partnerships

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        bot: PartnershipsBot = interaction.client  # type: ignore[assignment]
        found = await partnerships.autocomplete(
            bot.database, interaction.guild_id, await viewer_for(interaction), value, own_only=self.own_only
        )
        return [app_commands.Choice(name=choice_label(record), value=str(record.id)) for record in found[:25]]


class OwnPartnershipOption(PartnershipOption):
    """For what only owners may do (a check-in): typing offers the asker's own partnerships. Any
    visible one still resolves, so a pasted id gets the owners-only message, not "not found"."""

    own_only = True


# Annotations for command parameters: ``partnership: VisiblePartnership`` (or ``OwnPartnership``).
VisiblePartnership = app_commands.Transform[Partnership, PartnershipOption]
OwnPartnership = app_commands.Transform[Partnership, OwnPartnershipOption]
