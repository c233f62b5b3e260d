"""The check-in work: claim due prompts, deliver one, remind once, mark missed.

The tick calls ``claim`` (claiming is all it does with prompts); the sender (``_sender``) then
calls ``deliver`` and ``remind`` for each, at a steady pace.

Exactly once: a prompt is claimed in the database before anything is sent, and every claimed
prompt is delivered by the sender's next pass until it is marked sent, including ones claimed
before a crash. Each attempt is counted before it is made; a retry after a counted attempt first
looks at the last messages of the DM (or the fallback thread) for one of this prompt's buttons, so
a crash after Discord accepted the message but before it was marked sent never yields a second one.

A DM that Discord refuses (50007: the member doesn't accept DMs from the server) goes to a private
thread in the check-ins channel with the owner added. If there is no such channel, or the bot
lacks a permission there, the prompt stays claimed and is retried every pass: never dropped.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from cogs.checkins import _render as render
from cogs.checkins._buttons import custom_id_prefix, prompt_view
from cogs.clinics._channel import find_thread
from cogs.setup._requirements import missing_permissions
from core.replies import NO_MENTIONS
from core.vocabulary import Stage
from db import checkins, partnerships, settings
from db.checkins import Checkin, CheckinState
from db.partnerships import Partnership
from db.settings import ChannelPurpose

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

log = logging.getLogger(__name__)

RECENT_MESSAGES = 20  # how far back a retry looks for a prompt it may have sent already
THREAD_ARCHIVE_MINUTES = 10080


class Delivery:
    """The due work; keeps which warnings were logged, so a stuck prompt is logged once, not every tick."""

    def __init__(self, bot: PartnershipsBot) -> None:
        self.bot = bot
        self._warned: set[tuple[int, str]] = set()

    async def claim(self, now: datetime) -> None:
        """Claim every prompt due by ``now`` and close as missed the ones reminded long enough ago."""
        database = self.bot.database
        claimed = await checkins.claim_due(database, now=now)
        if claimed:
            log.info("checkins claimed count=%d first=%s last=%s", len(claimed), claimed[0], claimed[-1])
        wait = timedelta(days=self.bot.config.checkin_reminder_days)
        for checkin_id in await checkins.mark_missed(database, reminded_before=now - wait, at=now):
            log.info("checkin missed checkin=%s", checkin_id)

    def _warn_once(self, checkin: Checkin, problem: str) -> None:
        if (checkin.id, problem) not in self._warned:
            self._warned.add((checkin.id, problem))
            log.warning(
                "checkin kept for retry checkin=%s guild=%s partnership=%s problem=%s",
                checkin.id,
                checkin.guild_id,
                checkin.partnership_id,
                problem,
            )

    # -------------------------------------------------------------------------------- delivery
    async def deliver(self, checkin: Checkin) -> None:
        """Send one claimed prompt (or find the one an earlier attempt sent). Raises a 429 that
        reaches us, so the sender slows down and tries again; other failures keep it claimed."""
        database, now = self.bot.database, self.bot.clock()
        record = await partnerships.get(database, checkin.guild_id, checkin.partnership_id)
        if record is None:
            return
        if record.owner_id is None or record.stage is Stage.CONCLUDED:
            # Nobody to ask, or nothing to ask about: the digest shows orphaned partnerships.
            await checkins.close_unsent(database, checkin.id, CheckinState.DISMISSED, at=now)
            log.info("checkin withdrawn checkin=%s partnership=%s", checkin.id, record.id)
            return
        guild = self.bot.get_guild(record.guild_id)
        member = await _member(guild, record.owner_id) if guild else None
        if guild is None or member is None:
            self._warn_once(checkin, "owner not in the server" if guild else "bot not in the server")
            return
        if checkin.send_attempts and await self._adopt_earlier(checkin, guild, member, now):
            return
        if not await checkins.begin_attempt(database, checkin.id, member.id):
            return
        detail = await partnerships.detail(database, record, timeline_limit=0)
        content, embed = render.prompt_text(checkin, record), render.prompt_embed(detail, checkin, guild.name)
        if checkin.delivery != "thread":
            try:
                message = await member.send(
                    content, embed=embed, view=prompt_view(checkin.id), allowed_mentions=NO_MENTIONS
                )
            except discord.Forbidden:
                # 50007 and its kin: the owner can't be reached by DM. Retries go straight to the
                # thread: repeated 403s would count against Discord's invalid-request limit.
                await checkins.use_thread(database, checkin.id, None)
            except discord.HTTPException as error:
                if error.status == 429:
                    raise
                self._warn_once(checkin, f"DM failed status={error.status}")
                return
            else:
                await self._mark_sent(checkin, "dm", message, now)
                return
        thread = await self._fallback_thread(checkin, guild, record, member)
        if thread is None:
            return
        message = await thread.send(
            f"{member.mention} {content}",
            embed=embed,
            view=prompt_view(checkin.id),
            allowed_mentions=discord.AllowedMentions(users=[member], roles=False, everyone=False),
        )
        await self._mark_sent(checkin, "thread", message, now)

    async def _mark_sent(
        self, checkin: Checkin, delivery: str, message: discord.Message, now: datetime
    ) -> None:
        await checkins.mark_sent(
            self.bot.database,
            checkin.id,
            delivery=delivery,
            channel_id=message.channel.id,
            message_id=message.id,
            at=now,
        )
        log.info(
            "checkin sent checkin=%s guild=%s delivery=%s late=%s",
            checkin.id,
            checkin.guild_id,
            delivery,
            checkin.late,
        )

    async def _adopt_earlier(
        self, checkin: Checkin, guild: discord.Guild, member: discord.Member, now: datetime
    ) -> bool:
        """A previous attempt may have reached Discord: if its message is there, record it as sent."""
        channel: discord.abc.Messageable | None
        if checkin.delivery == "thread":
            if checkin.channel_id is None:  # the DM was refused and no thread was made yet
                return False
            channel = await find_thread(self.bot, guild, checkin.channel_id)
        else:
            channel = member.dm_channel or await member.create_dm()
        if channel is None:
            return False
        prefix = custom_id_prefix(checkin.id)
        try:
            async for message in channel.history(limit=RECENT_MESSAGES):
                if message.author.id == self.bot.user.id and _has_button(message, prefix):  # type: ignore[union-attr]
                    await self._mark_sent(checkin, checkin.delivery or "dm", message, now)
                    return True
        except discord.HTTPException:
            return False
        return False

    async def _fallback_thread(
        self, checkin: Checkin, guild: discord.Guild, record: Partnership, member: discord.Member
    ) -> discord.Thread | None:
        """The prompt's private thread in the check-ins channel (reused on a retry), with the owner in it."""
        if checkin.delivery == "thread" and checkin.channel_id:
            thread = await find_thread(self.bot, guild, checkin.channel_id)
            if thread is not None:
                return thread
        configured = (await settings.load(self.bot.database, guild.id)).channel_id(ChannelPurpose.CHECKINS)
        channel = guild.get_channel(configured) if configured else None
        if not isinstance(channel, discord.TextChannel):
            self._warn_once(checkin, "DM refused and no check-ins channel is set (/setup channel)")
            return None
        missing = missing_permissions(
            ChannelPurpose.CHECKINS, channel.type, channel.permissions_for(guild.me)
        )
        if missing:
            self._warn_once(checkin, f"DM refused and the check-ins channel lacks {', '.join(missing)}")
            return None
        try:
            thread = await channel.create_thread(
                name=render.thread_name(record),
                type=discord.ChannelType.private_thread,
                invitable=False,
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            )
        except discord.HTTPException as error:
            if error.status == 429:
                raise
            self._warn_once(checkin, f"could not create the fallback thread status={error.status}")
            return None
        await checkins.use_thread(self.bot.database, checkin.id, thread.id)
        await thread.add_user(member)
        return thread

    # -------------------------------------------------------------------------------- reminders
    async def reminders_due(self, now: datetime) -> list[Checkin]:
        wait = timedelta(days=self.bot.config.checkin_reminder_days)
        return await checkins.reminders_due(self.bot.database, sent_before=now - wait, now=now)

    async def remind(self, checkin: Checkin) -> None:
        """The one reminder, as a reply to the prompt: claimed first, so never sent twice."""
        now = self.bot.clock()
        if not await checkins.claim_reminder(self.bot.database, checkin.id, at=now):
            return
        record = await partnerships.get(self.bot.database, checkin.guild_id, checkin.partnership_id)
        if record is None or checkin.channel_id is None or checkin.message_id is None:
            return
        prompt = self.bot.get_partial_messageable(checkin.channel_id).get_partial_message(checkin.message_id)
        wait = timedelta(days=self.bot.config.checkin_reminder_days)
        text, mentions = render.reminder_text(record, now + wait), NO_MENTIONS
        if checkin.delivery == "thread" and checkin.recipient_id:  # a DM notifies by itself
            text = f"<@{checkin.recipient_id}> {text}"
            mentions = discord.AllowedMentions(users=[discord.Object(checkin.recipient_id)])
        try:
            await prompt.reply(text, allowed_mentions=mentions)
        except discord.HTTPException as error:
            log.warning("checkin reminder not delivered checkin=%s status=%s", checkin.id, error.status)
            return
        log.info("checkin reminded checkin=%s guild=%s", checkin.id, checkin.guild_id)


async def _member(guild: discord.Guild, user_id: int) -> discord.Member | None:
    """The member, from the cache or from Discord (the cache may be incomplete after a restart)."""
    member = guild.get_member(user_id)
    if member is not None:
        return member
    try:
        return await guild.fetch_member(user_id)
    except discord.NotFound:
        return None


def _has_button(message: discord.Message, prefix: str) -> bool:
    return any(
        getattr(child, "custom_id", None) and child.custom_id.startswith(prefix)  # type: ignore[union-attr]
        for row in message.components
        if isinstance(row, discord.ActionRow)
        for child in row.children
    )
