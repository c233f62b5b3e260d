"""Who left the server: departures recorded as Discord reports them, and reconciled after connecting.

No commands. Features that count present members read ``db/departures.py`` instead of asking
Discord about each person they hold records of.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Awaitable
from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from db import departures

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

log = logging.getLogger(__name__)

RECONCILE_WORK = "members.departures"


class MembersCog(commands.Cog):
    def __init__(self, bot: PartnershipsBot) -> None:
        self.bot = bot
        self._unreconciled: set[int] = set()  # guild ids whose member list is to be compared

    async def cog_load(self) -> None:
        self.bot.scheduler.register(RECONCILE_WORK, self.reconcile_work)

    async def cog_unload(self) -> None:
        self.bot.scheduler.unregister(RECONCILE_WORK)

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        # The raw event: it comes even for a member discord.py had not cached.
        await self._unless_closed(
            departures.record_departure(
                self.bot.database, payload.guild_id, payload.user.id, at=self.bot.clock()
            )
        )

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        await self._unless_closed(departures.record_return(self.bot.database, member.guild.id, member.id))

    # People come and go while the bot is offline or a server is unavailable. The next tick compares
    # the full member list with our records: reading every member id the records name takes seconds
    # at ten times the movement's size, too long to hold up start-up.
    @commands.Cog.listener()
    async def on_ready(self) -> None:
        self._unreconciled.update(guild.id for guild in self.bot.guilds)

    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        self._unreconciled.add(guild.id)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        self._unreconciled.add(guild.id)

    async def reconcile_work(self, now: datetime) -> None:
        for guild_id in sorted(self._unreconciled):
            guild = self.bot.get_guild(guild_id)
            if guild is None:  # the bot left the server meanwhile
                self._unreconciled.discard(guild_id)
                continue
            if not guild.chunked:
                await guild.chunk()  # discord.py chunks at start-up already; this covers the rest
            if not guild.chunked:  # an incomplete list would make everyone missing look gone
                log.warning("member list incomplete; departures not reconciled guild=%s", guild_id)
                continue  # next tick
            self._unreconciled.discard(guild_id)
            present = [member.id for member in guild.members]
            result = await departures.reconcile(self.bot.database, guild_id, present, at=now)
            if result.left or result.returned:
                log.info(
                    "departures reconciled guild=%s left=%d returned=%d",
                    guild_id,
                    result.left,
                    result.returned,
                )

    async def _unless_closed(self, write: Awaitable[object]) -> None:
        """Events still queued when the bot shuts down find its database closed: nothing to record."""
        try:
            await write
        except (RuntimeError, ValueError, sqlite3.Error):
            if not self.bot.is_closed():
                raise
