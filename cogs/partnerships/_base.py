"""What every /partnership command module can rely on: the bot and the area taxonomy."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from core.vocabulary import WIKIMEDIA_PROJECTS
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
        return list_choices(
            current,
            [
                (area.label, (area.label.casefold(), *area.synonyms))
                for area in (await self.taxonomy()).values()
            ],
        )


def list_choices(current: str, options: list[tuple[str, tuple[str, ...]]]) -> list[app_commands.Choice[str]]:
    """Complete the last item of a comma-separated list: ``options`` are (name, words it matches)."""
    done, _, typing = current.rpartition(",")
    prefix = f"{done.strip()}, " if done.strip() else ""
    word = typing.strip().casefold()
    found = []
    for name, words in options:
        if not word or any(word in candidate for candidate in words):
            value = (prefix + name)[:100]
            found.append(app_commands.Choice(name=value, value=value))
    return found[:25]


def project_choices(current: str) -> list[app_commands.Choice[str]]:
    return list_choices(current, [(project, (project.casefold(),)) for project in WIKIMEDIA_PROJECTS])


def guild_of(interaction: discord.Interaction) -> int:
    """The guild id of a guild-only command (the group is guild_only, so it is always set)."""
    assert interaction.guild_id is not None
    return interaction.guild_id
