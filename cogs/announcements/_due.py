"""The scheduler's announcement work: claim each due announcement, post it, record the outcome.

A problem someone must fix (channel gone, a permission missing, the role gone) marks the
announcement failed with the reason, shown in /announce list: never retried forever, never
dropped silently. A Discord failure worth retrying gives the claim back for the next tick, at most
``MAX_ATTEMPTS`` times per slot.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from cogs.announcements._posting import post_claimed
from cogs.announcements._target import Unpostable
from db import announcements
from db.announcements import Announcement

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


async def post_due(bot: PartnershipsBot, now: datetime, claim_token: str) -> None:
    """Post every announcement due at ``now``; one failing doesn't stop the others."""
    if not bot.is_ready():  # the guild cache is needed to find channels and roles
        return
    for item in await announcements.due(bot.database, now=now, claim_token=claim_token):
        claimed = await announcements.claim(bot.database, item, claim_token=claim_token, at=now)
        if claimed is not None:
            await _post(bot, claimed, now)


async def _post(bot: PartnershipsBot, item: Announcement, now: datetime) -> None:
    try:
        await post_claimed(bot, item, now)
    except Unpostable as problem:
        await announcements.mark_failed(bot.database, item, reason=problem.message, at=now)
        log.warning("announcement failed announcement=%s guild=%s reason=%s", item.id, item.guild_id, problem)
    except Exception as error:
        status = error.status if isinstance(error, discord.HTTPException) else type(error).__name__
        if item.attempts >= MAX_ATTEMPTS:
            reason = (
                f"Discord kept failing ({status}) after {item.attempts} tries. Post it again when it works."
            )
            await announcements.mark_failed(bot.database, item, reason=reason, at=now)
            log.exception("announcement gave up announcement=%s guild=%s", item.id, item.guild_id)
        else:
            await announcements.release(bot.database, item, at=now)
            log.exception(
                "announcement will be retried announcement=%s guild=%s attempt=%s",
                item.id,
                item.guild_id,
                item.attempts,
            )
