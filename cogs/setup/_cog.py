"""/setup: channels and coordinator roles, per guild. Admins only."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs.setup._render import settings_embed
from cogs.setup._requirements import PURPOSES, describe_types, missing_permissions, type_fits
from core.errors import UserError
from core.permissions import Level, command_group
from core.replies import respond
from db import settings
from db.settings import ChannelPurpose

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

PURPOSE_CHOICES = [
    app_commands.Choice(name=f"{spec.label}: {spec.explanation}"[:100], value=purpose.value)
    for purpose, spec in PURPOSES.items()
]


class SetupCog(commands.Cog):
    setup_group = command_group("setup", "Configure Partnerships Bot for this server", level=Level.ADMIN)

    def __init__(self, bot: PartnershipsBot) -> None:
        self.bot = bot

    @setup_group.command(
        name="channel", description="Choose the channel for a purpose (leave empty to unset)"
    )
    @app_commands.describe(purpose="What the channel is for", channel="The channel; omit it to unset")
    @app_commands.choices(purpose=PURPOSE_CHOICES)
    async def channel(
        self,
        interaction: discord.Interaction,
        purpose: app_commands.Choice[str],
        channel: discord.TextChannel | discord.ForumChannel | None = None,
    ) -> None:
        assert interaction.guild is not None
        chosen = ChannelPurpose(purpose.value)
        spec = PURPOSES[chosen]
        if channel is None:
            removed = await settings.clear_channel(self.bot.database, interaction.guild.id, chosen)
            text = f"{spec.label} channel unset." if removed else f"No {spec.label.lower()} channel was set."
            await respond(interaction, text)
            return
        if not type_fits(chosen, channel.type):
            raise UserError(f"The {spec.label.lower()} channel must be {describe_types(chosen)}.")
        await settings.set_channel(
            self.bot.database,
            interaction.guild.id,
            chosen,
            channel.id,
            by=interaction.user.id,
            at=self.bot.clock(),
        )
        text = f"{spec.label} channel set to {channel.mention} ({spec.explanation})."
        missing = missing_permissions(chosen, channel.type, channel.permissions_for(interaction.guild.me))
        if missing:
            text += f"\n⚠️ I'm missing these permissions there: {', '.join(missing)}. Please grant them."
        await respond(interaction, text)

    @setup_group.command(name="coordinator-role", description="Add or remove a coordinator role")
    @app_commands.describe(role="The role whose members are coordinators", remove="Remove the role instead")
    async def coordinator_role(
        self, interaction: discord.Interaction, role: discord.Role, remove: bool = False
    ) -> None:
        assert interaction.guild is not None
        guild_id = interaction.guild.id
        if remove:
            removed = await settings.remove_coordinator_role(self.bot.database, guild_id, role.id)
            await respond(
                interaction,
                f"{role.mention} is no longer a coordinator role."
                if removed
                else f"{role.mention} wasn't a coordinator role.",
            )
            return
        if role.is_default():
            raise UserError("@everyone can't be the coordinator role: everyone would see confidential data.")
        if role.managed:
            raise UserError(f"{role.mention} is managed by an integration; choose a role people are given.")
        added = await settings.add_coordinator_role(
            self.bot.database, guild_id, role.id, by=interaction.user.id, at=self.bot.clock()
        )
        await respond(
            interaction,
            f"Members with {role.mention} are now coordinators."
            if added
            else f"{role.mention} is already a coordinator role.",
        )

    @setup_group.command(name="show", description="What is configured, what is missing, what I can't do")
    async def show(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        current = await settings.load(self.bot.database, interaction.guild.id)
        await respond(interaction, embed=settings_embed(interaction.guild, current))
