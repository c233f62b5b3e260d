"""The coordinators' weekly digest: scheduled work and the Reassign button; no commands."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from discord.ext import commands

from cogs.digest._posting import DigestPoster
from cogs.digest._reassign import ReassignButton

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

DIGEST_WORK = "digest.weekly"


class DigestCog(commands.Cog):
    def __init__(self, bot: PartnershipsBot) -> None:
        self.bot = bot
        self.poster = DigestPoster(bot)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ReassignButton)
        self.bot.scheduler.register(DIGEST_WORK, self.weekly_work)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ReassignButton)
        self.bot.scheduler.unregister(DIGEST_WORK)

    async def weekly_work(self, now: datetime) -> None:
        await self.poster.run(now)
