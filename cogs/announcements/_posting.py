"""Posting one claimed announcement: check, send, publish, record.

The row is claimed in the database before this runs (by the tick, or by the Post button when it
creates the row). A claim that is a retry first looks for the post among the channel's recent
messages: if a previous run sent it and stopped before recording it, it is recorded, not sent again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from cogs.announcements import _render as render
from cogs.announcements._target import Target, Unpostable, resolve
from core.permissions import Level, level_for
from core.when import next_slot
from db import announcements, settings
from db.announcements import Announcement

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

log = logging.getLogger(__name__)

# How far back a retry looks for a post that already went out.
RECENT_MESSAGES = 50
PUBLISHED = "published to following servers"


@dataclass(frozen=True)
class Posted:
    message_id: int
    jump_url: str
    note: str | None


def outgoing(item: Announcement, author: discord.Member | None) -> render.Outgoing:
    return render.announcement(
        item.title,
        item.body,
        role_id=item.role_id,
        author_name=author.display_name if author else None,
        moment=item.due_at,
    )


def _is_this_post(message: discord.Message, item: Announcement, bot_user_id: int) -> bool:
    if message.author.id != bot_user_id or not message.embeds:
        return False
    embed = message.embeds[0]
    return embed.title == item.title and embed.description == item.body and embed.timestamp == item.due_at


async def find_posted(channel: discord.TextChannel, item: Announcement) -> discord.Message | None:
    """This slot's post, if it is among the channel's recent messages."""
    me = channel.guild.me
    if not channel.permissions_for(me).read_message_history:
        return None
    async for message in channel.history(limit=RECENT_MESSAGES):
        if _is_this_post(message, item, me.id):
            return message
    return None


async def send(target: Target, message: render.Outgoing) -> discord.Message:
    try:
        return await target.channel.send(
            content=message.content, embed=message.embed, allowed_mentions=message.allowed_mentions
        )
    except discord.Forbidden as error:
        raise Unpostable(
            f"Discord refused to let me post in {target.channel.mention} ({error.text or 'missing access'})."
        ) from error


async def publish(message: discord.Message) -> str | None:
    """In an announcement channel, publish the post to following servers; say how it went.

    Discord lets the author of a message publish it with Send Messages alone (Manage Messages is
    needed only for others' messages), so the bot may publish whatever it could post. Discord can
    still refuse (e.g. its limit of 10 publications per channel per hour): the post stands.
    """
    if not isinstance(message.channel, discord.TextChannel) or not message.channel.is_news():
        return None
    try:
        await message.publish()
    except discord.HTTPException as error:
        log.warning(
            "announcement not published guild=%s channel=%s message=%s status=%s",
            message.guild.id if message.guild else None,
            message.channel.id,
            message.id,
            error.status,
        )
        return (
            f"not published to following servers: Discord refused ({error.status} {error.text or ''})".strip()
        )
    return PUBLISHED


async def _author(bot: PartnershipsBot, guild: discord.Guild, item: Announcement) -> discord.Member | None:
    """The author, if still a member. A post goes out even if they are no longer a coordinator:
    a coordinator scheduled it, and every coordinator can see and cancel it in /announce list."""
    author = guild.get_member(item.author_id) if item.author_id is not None else None
    if author is not None:
        roles = await settings.coordinator_role_ids(bot.database, guild.id)
        if level_for(author, roles) < Level.COORDINATOR:
            log.info(
                "posting an announcement whose author is no longer a coordinator announcement=%s guild=%s"
                " author=%s",
                item.id,
                guild.id,
                item.author_id,
            )
    return author


async def post_claimed(bot: PartnershipsBot, item: Announcement, now: datetime) -> Posted:
    """Post a claimed announcement and record it (a repeating one moves to its next slot after now).

    Raise ``Unpostable`` when nothing could be posted for a reason someone must fix, and
    ``discord.HTTPException`` when Discord failed in a way worth retrying.
    """
    guild = bot.get_guild(item.guild_id)
    if guild is None:
        raise Unpostable("I'm no longer in this server.")
    target = resolve(guild, item.channel_id, item.role_id)
    found = await find_posted(target.channel, item) if item.attempts > 1 else None
    if found is not None:
        message, note = found, item.note
        log.info("announcement found already posted announcement=%s guild=%s", item.id, guild.id)
    else:
        message = await send(target, outgoing(item, await _author(bot, guild, item)))
        note = await publish(message)
    following = next_slot(item.repeat, item.anchor, max(now, item.due_at))
    await announcements.mark_posted(
        bot.database, item, message_id=message.id, next_due=following, note=note, at=now
    )
    log.info(
        "announcement posted announcement=%s guild=%s channel=%s message=%s late_by=%s next=%s",
        item.id,
        guild.id,
        target.channel.id,
        message.id,
        now - item.due_at,
        following.isoformat() if following else None,
    )
    return Posted(message_id=message.id, jump_url=message.jump_url, note=note)
