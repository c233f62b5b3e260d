"""The Discord side of a clinic: the configured channel, the forum tag, the thread and its pin.

Opening never leaves anything half-made: if the intake can't be posted or pinned, the new thread
is deleted again before the error reaches the member.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from cogs.clinics._tags import matching_tag, room_for_another, tag_name
from cogs.setup._requirements import missing_permissions
from core.errors import UserError
from core.replies import NO_MENTIONS
from db import settings
from db.areas import Area
from db.settings import ChannelPurpose

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

log = logging.getLogger(__name__)

ClinicsChannel = discord.ForumChannel | discord.TextChannel
# The longest Discord allows: a quiet clinic stays visible until the idle steps decide.
AUTO_ARCHIVE_MINUTES = 10080
NOT_CONFIGURED = (
    "Clinics aren't set up on this server yet. An admin can choose a forum or text channel for them "
    "with `/setup channel purpose:clinics`."
)


@dataclass(frozen=True)
class TagChoice:
    tag: discord.ForumTag | None
    note: str | None  # why there is no tag, for the asker


async def clinics_channel(bot: PartnershipsBot, guild: discord.Guild) -> ClinicsChannel:
    """The configured clinics channel, if it exists and the bot may open threads there."""
    configured = (await settings.load(bot.database, guild.id)).channel_id(ChannelPurpose.CLINICS)
    if configured is None:
        raise UserError(NOT_CONFIGURED)
    channel = guild.get_channel(configured)
    if not isinstance(channel, ClinicsChannel):
        raise UserError(
            "The clinics channel chosen with `/setup` no longer exists. An admin can choose another "
            "with `/setup channel purpose:clinics`."
        )
    missing = missing_permissions(ChannelPurpose.CLINICS, channel.type, channel.permissions_for(guild.me))
    if missing:
        raise UserError(
            f"I can't open clinics in {channel.mention}: I'm missing {', '.join(missing)} there. "
            "An admin can fix this (`/setup show` lists what I need)."
        )
    return channel


async def forum_tag(forum: discord.ForumChannel, area: Area) -> TagChoice:
    """The forum's tag for the area; created if missing and allowed; otherwise why not."""
    index = matching_tag([tag.name for tag in forum.available_tags], area)
    if index is not None:
        return TagChoice(forum.available_tags[index], None)
    name = tag_name(area)
    if not forum.permissions_for(forum.guild.me).manage_channels:
        return TagChoice(
            None, f"No “{name}” tag: I need the Manage Channels permission in {forum.mention} to create it."
        )
    if not room_for_another(len(forum.available_tags)):
        return TagChoice(None, f"No “{name}” tag: {forum.mention} already has the 20 tags Discord allows.")
    try:
        return TagChoice(await forum.create_tag(name=name, reason="clinic area tag"), None)
    except discord.HTTPException as error:
        log.warning(
            "could not create forum tag guild=%s forum=%s status=%s", forum.guild.id, forum.id, error.status
        )
        return TagChoice(None, f"No “{name}” tag: Discord refused to create it.")


async def delete_quietly(thread: discord.Thread) -> None:
    """Undo a thread whose clinic could not be completed."""
    try:
        await thread.delete()
    except discord.HTTPException:
        log.warning("could not delete half-made clinic thread guild=%s thread=%s", thread.guild.id, thread.id)


async def start_thread(
    channel: ClinicsChannel,
    *,
    topic: str,
    content: str,
    embed: discord.Embed,
    tag: discord.ForumTag | None,
) -> tuple[discord.Thread, discord.Message]:
    """A forum post (the intake is its first message) or a public thread with the intake first; pinned."""
    if isinstance(channel, discord.ForumChannel):
        created = await channel.create_thread(
            name=topic,
            content=content,
            embed=embed,
            applied_tags=[tag] if tag else [],
            allowed_mentions=NO_MENTIONS,
            auto_archive_duration=AUTO_ARCHIVE_MINUTES,
        )
        thread, message = created.thread, created.message
    else:
        thread = await channel.create_thread(
            name=topic, type=discord.ChannelType.public_thread, auto_archive_duration=AUTO_ARCHIVE_MINUTES
        )
        try:
            message = await thread.send(content, embed=embed, allowed_mentions=NO_MENTIONS)
        except BaseException:
            await delete_quietly(thread)
            raise
    try:
        await message.pin(reason="clinic intake")
    except BaseException:
        await delete_quietly(thread)
        raise
    return thread, message


async def add_member_quietly(thread: discord.Thread, user_id: int) -> None:
    """Add the asker to the thread so replies notify them; not worth failing the clinic over."""
    try:
        await thread.add_user(discord.Object(user_id))
    except discord.HTTPException:
        log.warning(
            "could not add member to clinic thread guild=%s thread=%s user=%s",
            thread.guild.id,
            thread.id,
            user_id,
        )


async def find_thread(bot: PartnershipsBot, guild: discord.Guild, thread_id: int) -> discord.Thread | None:
    """The thread, archived or not (archived threads leave discord.py's cache); None if deleted."""
    cached = guild.get_thread(thread_id)
    if cached is not None:
        return cached
    try:
        fetched = await bot.fetch_channel(thread_id)
    except (discord.NotFound, discord.Forbidden):
        return None
    return fetched if isinstance(fetched, discord.Thread) else None


async def set_archived(thread: discord.Thread, *, archived: bool, locked: bool) -> bool:
    """Archive (and lock) or unarchive (and unlock); False when Discord refused."""
    try:
        await thread.edit(archived=archived, locked=locked)
    except discord.HTTPException as error:
        log.warning(
            "could not change clinic thread guild=%s thread=%s archived=%s status=%s",
            thread.guild.id,
            thread.id,
            archived,
            error.status,
        )
        return False
    return True


async def send_quietly(
    thread: discord.Thread,
    content: str,
    *,
    allowed_mentions: discord.AllowedMentions = NO_MENTIONS,
    view: discord.ui.View | None = None,
) -> discord.Message | None:
    """Post in a clinic thread from scheduled work or a listener: log a refusal, don't raise."""
    with contextlib.suppress(discord.HTTPException):
        if view is None:
            return await thread.send(content, allowed_mentions=allowed_mentions)
        return await thread.send(content, allowed_mentions=allowed_mentions, view=view)
    log.warning("could not post in clinic thread guild=%s thread=%s", thread.guild.id, thread.id)
    return None
