"""What every /partnership command module can rely on: the bot and the area taxonomy."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from db import areas

if TYPE_CHECKING:
    from core.bot import PartnershipsBot


class PartnershipCommands:
    """Base of the mixins that make up the cog (one module per job)."""

    bot: PartnershipsBot

    async def taxonomy(self) -> dict[str, areas.Area]:
        return {area.slug: area for area in await areas.all_areas(self.bot.database)}

    async def area_choices(self, current: str) -> list[app_commands.Choice[str]]:
        """Autocomplete for a comma-separated list of areas: completes the word being typed."""
        done, _, typing = current.rpartition(",")
        prefix = f"{done.strip()}, " if done.strip() else ""
        word = typing.strip().casefold()
        options = []
        for area in (await self.taxonomy()).values():
            if not word or word in area.label.casefold() or any(word in synonym for synonym in area.synonyms):
                value = (prefix + area.label)[:100]
                options.append(app_commands.Choice(name=value, value=value))
        return options[:25]


def guild_of(interaction: discord.Interaction) -> int:
    """The guild id of a guild-only command (the group is guild_only, so it is always set)."""
    assert interaction.guild_id is not None
    return interaction.guild_id
