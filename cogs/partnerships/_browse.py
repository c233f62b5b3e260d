"""Reading the registry: show one record, list with filters, search."""

from __future__ import annotations

import discord
from discord import app_commands

from cogs.partnerships._access import VisiblePartnership
from cogs.partnerships._base import PartnershipCommands
from cogs.partnerships._group import group
from cogs.partnerships._render import partnership_embed
from core.replies import respond
from db import partnerships


class BrowseCommands(PartnershipCommands):
    @group.command(name="show", description="Show one partnership: stage, owners, health, targets, timeline")
    @app_commands.describe(partnership="The partnership (start typing its name)")
    async def show(self, interaction: discord.Interaction, partnership: VisiblePartnership) -> None:
        detail = await partnerships.detail(self.bot.database, partnership)
        await respond(interaction, embed=partnership_embed(detail, await self.taxonomy()))
