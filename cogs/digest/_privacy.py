"""Whether the digest channel is private to coordinators, so the digest may name confidential records.

The rule, checked when each digest is posted, errs towards hiding:

* @everyone can't view the channel;
* no role can view it except coordinator roles, roles that make their members admins (Manage
  Server or Administrator, who are coordinators) and the bot's own role;
* every member-specific overwrite that lets someone view it is for a coordinator or the bot.

Roles are judged by what they grant, not by who holds them today, so the channel stays private
when a member is later given a role. Anything the rule can't see (a member overwrite for someone
not in the member cache) counts as not private.
"""

from __future__ import annotations

from collections.abc import Iterable

import discord

from core.permissions import Level, level_for


def _admin_role(role: discord.Role) -> bool:
    return role.permissions.manage_guild or role.permissions.administrator


def is_private_to_coordinators(channel: discord.TextChannel, coordinator_role_ids: Iterable[int]) -> bool:
    guild = channel.guild
    coordinator_roles = frozenset(coordinator_role_ids)
    if channel.permissions_for(guild.default_role).view_channel:
        return False
    for role in guild.roles:
        if role.is_default() or role.id in coordinator_roles or _admin_role(role) or role == guild.self_role:
            continue
        if channel.permissions_for(role).view_channel:
            return False
    for target, overwrite in channel.overwrites.items():
        if isinstance(target, discord.Role) or not overwrite.view_channel:
            continue
        if target.id == guild.me.id:
            continue
        if not isinstance(target, discord.Member) or level_for(target, coordinator_roles) < Level.COORDINATOR:
            return False
    return True
