"""The /setup show embed."""

from __future__ import annotations

import discord

from cogs.setup._requirements import PURPOSES, missing_permissions
from db.settings import GuildSettings

OK_COLOUR = discord.Colour.green()
WARN_COLOUR = discord.Colour.orange()


def settings_embed(guild: discord.Guild, current: GuildSettings) -> discord.Embed:
    """What is set, what is missing, and where the bot lacks a permission it needs."""
    problems = 0
    lines = []
    for purpose, spec in PURPOSES.items():
        channel_id = current.channel_id(purpose)
        if channel_id is None:
            problems += 1
            lines.append(f"**{spec.label}**: not set. Use `/setup channel purpose:{purpose.value}`.")
            continue
        channel = guild.get_channel(channel_id)
        if channel is None:
            problems += 1
            lines.append(f"**{spec.label}**: the channel was deleted. Choose another with `/setup channel`.")
            continue
        missing = missing_permissions(purpose, channel.type, channel.permissions_for(guild.me))
        if missing:
            problems += 1
            lines.append(f"**{spec.label}**: {channel.mention}, but I'm missing: {', '.join(missing)}.")
        else:
            lines.append(f"**{spec.label}**: {channel.mention} ✓")

    role_mentions = [
        role.mention for role_id in sorted(current.coordinator_role_ids) if (role := guild.get_role(role_id))
    ]
    if role_mentions:
        roles_line = ", ".join(role_mentions)
    else:
        roles_line = (
            "none set, so only members with Manage Server act as coordinators. "
            "Add a role with `/setup coordinator-role`."
        )
    embed = discord.Embed(
        title="Partnerships Bot settings",
        description="\n".join(lines),
        colour=WARN_COLOUR if problems else OK_COLOUR,
    )
    embed.add_field(name="Coordinator roles", value=roles_line, inline=False)
    embed.set_footer(text=f"{problems} thing(s) to fix" if problems else "Everything is set up.")
    return embed
