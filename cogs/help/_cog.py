"""/help: what the bot does and the commands this member may use."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs.help._catalog import catalog
from core.permissions import Level, level_of
from core.replies import respond
from core.text import pack_lines

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

INTRO = (
    "I keep the partnerships community's knowledge where it talks: the partnerships members run, "
    "who knows what, clinics for peer help, and check-ins that keep every record current."
)
LEVEL_NOTES = {
    Level.COORDINATOR: "coordinators",
    Level.ADMIN: "server admins",
}
FIELD_LIMIT = 1024


class HelpCog(commands.Cog):
    def __init__(self, bot: PartnershipsBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What Partnerships Bot does and the commands you can use")
    async def help(self, interaction: discord.Interaction) -> None:
        level = await level_of(interaction)
        groups = catalog(self.bot.tree.get_commands(), level)
        embed = discord.Embed(title="Partnerships Bot", description=INTRO, colour=discord.Colour.blurple())
        for top, entries in groups.items():
            lines = []
            for entry in entries:
                note = f" *({LEVEL_NOTES[entry.level]})*" if entry.level in LEVEL_NOTES else ""
                lines.append(f"`/{entry.name}` {entry.description}{note}")
            for index, value in enumerate(pack_lines(lines, FIELD_LIMIT)):
                embed.add_field(name=f"/{top}" if index == 0 else f"/{top} (more)", value=value, inline=False)
        embed.set_footer(text=f"You are using me as: {level.label}")
        await respond(interaction, embed=embed)
