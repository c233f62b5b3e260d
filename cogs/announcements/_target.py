"""Where an announcement goes and whom it pings, checked before anything is posted or written.

The same checks run when a coordinator previews, when they press Post, and when a scheduled
announcement falls due, so a problem is reported in the same words wherever it is found.
"""

from __future__ import annotations

from dataclasses import dataclass

import discord

from cogs.setup._requirements import missing_permissions, permission_label, type_fits
from core.errors import UserError
from db import settings
from db.database import Database
from db.settings import ChannelPurpose

NOT_CONFIGURED = (
    "Choose a channel, or ask an admin to set the announcements channel with "
    "`/setup channel purpose:announcements`."
)


class Unpostable(UserError):
    """The announcement can't go out until someone fixes the channel, a permission or the role."""


@dataclass(frozen=True)
class Target:
    channel: discord.TextChannel  # a text or announcement (news) channel
    role: discord.Role | None


async def default_channel_id(database: Database, guild_id: int) -> int:
    configured = (await settings.load(database, guild_id)).channel_id(ChannelPurpose.ANNOUNCEMENTS)
    if configured is None:
        raise UserError(f"No announcements channel is set up. {NOT_CONFIGURED}")
    return configured


def pingable_role(role: discord.Role) -> discord.Role:
    """Refuse roles that can't be one announcement's audience."""
    if role.is_default():
        raise UserError(
            "I don't ping @everyone. Choose a role for the people you want to reach, or leave “role” "
            "empty to ping nobody."
        )
    return role


def resolve(guild: discord.Guild, channel_id: int, role_id: int | None) -> Target:
    """The channel and role, if they exist and I may post there and ping the role; else ``Unpostable``."""
    channel = guild.get_channel(channel_id)
    if not isinstance(channel, discord.TextChannel) or not type_fits(
        ChannelPurpose.ANNOUNCEMENTS, channel.type
    ):
        raise Unpostable(
            f"The channel <#{channel_id}> no longer exists (or isn't a text or announcement channel)."
        )
    granted = channel.permissions_for(guild.me)
    problems = []
    missing = missing_permissions(ChannelPurpose.ANNOUNCEMENTS, channel.type, granted)
    if missing:
        problems.append(f"I can't post in {channel.mention}: I'm missing {', '.join(missing)} there.")
    role = None
    if role_id is not None:
        role = guild.get_role(role_id)
        if role is None:
            problems.append("The role to ping no longer exists.")
        elif not role.mentionable and not granted.mention_everyone:
            problems.append(
                f"I can't ping {role.mention} in {channel.mention}: the role isn't mentionable and I'm "
                f"missing {permission_label('mention_everyone')} there. Make the role mentionable "
                "(Server Settings → Roles) or give me that permission."
            )
    if problems:
        raise Unpostable(" ".join(problems))
    return Target(channel=channel, role=role)
