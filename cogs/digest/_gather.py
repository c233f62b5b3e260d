"""Reading one guild's digest data: the database, plus who is still a member of the server."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from cogs.digest._schedule import follow_up_window
from cogs.digest._sections import DigestData, OwnerGap, owner_gap_order
from db import digest

if TYPE_CHECKING:
    from core.bot import PartnershipsBot


async def owner_gaps(bot: PartnershipsBot, guild: discord.Guild) -> list[OwnerGap]:
    """Open partnerships whose owner left the server, and orphaned ones; most urgent first.

    "Left" means the owner is no longer in the member cache, which the members intent keeps
    complete (README: Server Members Intent).
    """
    departed = {
        owner_id
        for owner_id in await digest.owner_ids(bot.database, guild.id)
        if guild.get_member(owner_id) is None
    }
    gaps = [OwnerGap(ref, left=True) for ref in await digest.owned_by(bot.database, guild.id, departed)]
    gaps += [OwnerGap(ref, left=False) for ref in await digest.orphaned(bot.database, guild.id)]
    return owner_gap_order(gaps)


async def gather(bot: PartnershipsBot, guild: discord.Guild, now: datetime) -> DigestData:
    config = bot.config
    first, last = follow_up_window(now, config.timezone)
    return DigestData(
        checkins=await digest.checkin_alerts(
            bot.database, guild.id, overdue_before=now - timedelta(days=config.checkin_reminder_days)
        ),
        health=await digest.needing_attention(bot.database, guild.id),
        owners=await owner_gaps(bot, guild),
        follow_ups=await digest.follow_ups_between(bot.database, guild.id, first, last),
        clinics=await digest.unanswered_clinics(bot.database, guild.id),
    )
