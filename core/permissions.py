"""Who may do what: member, owner, coordinator, admin — decided here and nowhere else.

``requires(level)`` both declares the permission to Discord (``default_permissions``, which only
hides the command and can be overridden by server admins) and enforces it at run time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import IntEnum
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

from core.errors import CheckCrashed, PermissionDenied
from db import settings

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

T = TypeVar("T")
_LEVEL_KEY = "core.permissions.level"  # where level_of keeps its answer in ``interaction.extras``


class Level(IntEnum):
    """Ordered: each level can do everything the levels below it can."""

    MEMBER = 0
    OWNER = 1  # a member who owns or co-owns the partnership at hand; decided per record
    COORDINATOR = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.lower()


DENIED = {
    Level.COORDINATOR: "Only coordinators can do this. Coordinators are members with a coordinator role "
    "(set by an admin with `/setup coordinator-role`) or the Manage Server permission.",
    Level.ADMIN: "Only server admins (members with the Manage Server permission) can do this.",
}


def level_for(member: discord.Member, coordinator_role_ids: Iterable[int]) -> Level:
    """Return the member's guild-wide level (never OWNER, which depends on a record)."""
    if member.guild_permissions.manage_guild or member.guild_permissions.administrator:
        return Level.ADMIN
    role_ids = set(coordinator_role_ids)
    if any(role.id in role_ids for role in member.roles):
        return Level.COORDINATOR
    return Level.MEMBER


async def level_of(interaction: discord.Interaction) -> Level:
    """The interacting member's level in the interaction's guild (MEMBER outside a guild).

    Decided once per interaction: the group's check, the partnership option and the command all
    ask, and the answer can't change within one interaction (a form's submission is a new one).
    """
    member = interaction.user
    if interaction.guild_id is None or not isinstance(member, discord.Member):
        return Level.MEMBER
    known = interaction.extras.get(_LEVEL_KEY)
    if isinstance(known, Level):
        return known
    bot: PartnershipsBot = interaction.client  # type: ignore[assignment]
    role_ids = await settings.coordinator_role_ids(bot.database, interaction.guild_id)
    level = interaction.extras[_LEVEL_KEY] = level_for(member, role_ids)
    return level


async def ensure_level(interaction: discord.Interaction, needed: Level) -> Level:
    """Raise PermissionDenied unless the member has at least ``needed``; return their level."""
    level = await level_of(interaction)
    if level < needed:
        raise PermissionDenied(DENIED.get(needed, "You can't do this."))
    return level


async def _enforce(interaction: discord.Interaction, needed: Level) -> bool:
    try:
        await ensure_level(interaction, needed)
    except PermissionDenied:
        raise
    except Exception as error:
        raise CheckCrashed("permission check failed") from error
    return True


def may_change_record(user_id: int, level: Level, owner_ids: Iterable[int]) -> bool:
    """Owners, co-owners and coordinators (and admins) may change a record."""
    return level >= Level.COORDINATOR or user_id in set(owner_ids)


def requires(needed: Level) -> Callable[[T], T]:
    """Enforce at run time the level one command needs, and record it for /help.

    Place it above ``@app_commands.command``. For a whole group use ``command_group``.
    """

    def decorator(command: Any) -> Any:
        async def predicate(interaction: discord.Interaction) -> bool:
            return await _enforce(interaction, needed)

        command.add_check(predicate)
        command.extras["level"] = needed
        return command

    return decorator


class LeveledGroup(app_commands.Group):
    """A slash command group whose every subcommand needs at least ``extras['level']``."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await _enforce(interaction, self.extras.get("level", Level.MEMBER))


def command_group(name: str, description: str, *, level: Level = Level.MEMBER) -> LeveledGroup:
    """A guild-only group; ADMIN groups are also hidden from non-admins by Discord's default permissions."""
    return LeveledGroup(
        name=name,
        description=description,
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True) if level >= Level.ADMIN else None,
        extras={"level": level},
    )


def command_level(command: app_commands.Command | app_commands.Group) -> Level:
    """The level a command needs, taking the strictest of it and its parent groups."""
    level = Level.MEMBER
    node: Any = command
    while node is not None:
        level = max(level, node.extras.get("level", Level.MEMBER))
        node = node.parent
    return level
