"""Posting the week's digest in each guild, exactly once (the scheduler's digest work).

Per guild: if the latest slot's digest was sent, nothing to do. Otherwise the channel is checked
first (configured, still there, the bot may post) and nothing is claimed while it isn't, so the
next tick tries again; the warning is logged once per slot. Then the week is claimed in the
database, the digest is built and sent, and the row is stamped. A send that fails leaves the
claim unsent, and the next tick retries it: the claim is what keeps it to one message.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from cogs.digest._gather import gather
from cogs.digest._privacy import is_private_to_coordinators
from cogs.digest._reassign import digest_view
from cogs.digest._render import digest_embed
from cogs.digest._schedule import Slot, latest_slot
from cogs.digest._sections import plan_digest
from cogs.setup._requirements import missing_permissions
from core.replies import NO_MENTIONS
from db import digest, settings
from db.settings import ChannelPurpose

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

log = logging.getLogger(__name__)


class ChannelProblem(Exception):
    """Why the digest can't be posted in this guild now (fixed by an admin; retried every tick)."""


class DigestPoster:
    """The digest work; remembers which slot's problems it has warned about, to warn once."""

    def __init__(self, bot: PartnershipsBot) -> None:
        self.bot = bot
        self._warned: set[tuple[int, str, str]] = set()

    def slot(self, now: datetime) -> Slot:
        config = self.bot.config
        return latest_slot(now, config.digest_weekday, config.digest_hour, config.timezone)

    async def run(self, now: datetime) -> None:
        """Post every guild's digest for the latest slot; one guild failing doesn't stop the others."""
        slot = self.slot(now)
        for guild in list(self.bot.guilds):
            try:
                await self.post(guild, slot, now)
            except Exception:
                log.exception("digest failed guild=%s week_of=%s", guild.id, slot.week_of)

    def _warn_once(self, guild_id: int, slot: Slot, reason: str) -> None:
        key = (guild_id, slot.week_of, reason)
        if key not in self._warned:
            self._warned.add(key)
            log.warning("digest not posted guild=%s week_of=%s reason=%s", guild_id, slot.week_of, reason)

    async def post(self, guild: discord.Guild, slot: Slot, now: datetime) -> None:
        record = await digest.get(self.bot.database, guild.id, slot.week_of)
        if record is not None and record.sent_at is not None:
            return
        guild_settings = await settings.load(self.bot.database, guild.id)
        try:
            channel = digest_channel(guild, guild_settings.channel_id(ChannelPurpose.DIGEST))
        except ChannelProblem as problem:
            self._warn_once(guild.id, slot, str(problem))
            return
        record = await digest.claim(self.bot.database, guild.id, slot.week_of, at=now)
        if record.sent_at is not None:
            return
        private = is_private_to_coordinators(channel, guild_settings.coordinator_role_ids)
        plan = plan_digest(await gather(self.bot, guild, now), private=private)
        view = digest_view(guild.id) if plan.reassignable else None
        try:
            message = await channel.send(
                embed=digest_embed(plan, slot=slot, now=now), view=view, allowed_mentions=NO_MENTIONS
            )
        except discord.HTTPException as error:
            self._warn_once(guild.id, slot, f"send refused status={error.status} code={error.code}")
            return
        await digest.mark_sent(
            self.bot.database, guild.id, slot.week_of, channel_id=channel.id, message_id=message.id, at=now
        )
        log.info(
            "digest posted guild=%s week_of=%s channel=%s late=%s private=%s",
            guild.id,
            slot.week_of,
            channel.id,
            slot.is_late(now),
            private,
        )


def digest_channel(guild: discord.Guild, channel_id: int | None) -> discord.TextChannel:
    """The configured digest channel if the bot can post there; ChannelProblem says why not."""
    if channel_id is None:
        raise ChannelProblem("no digest channel set (/setup channel purpose:digest)")
    channel = guild.get_channel(channel_id)
    if not isinstance(channel, discord.TextChannel):
        raise ChannelProblem(f"digest channel {channel_id} no longer exists")
    missing = missing_permissions(ChannelPurpose.DIGEST, channel.type, channel.permissions_for(guild.me))
    if missing:
        raise ChannelProblem(f"missing permissions in channel {channel_id}: {', '.join(missing)}")
    return channel
