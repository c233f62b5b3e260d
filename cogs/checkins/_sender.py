"""The sender: one long-lived task per bot that sends claimed prompts, then reminders, at a steady pace.

The tick only claims (``Delivery.run``) and wakes the sender, so a tick with 10,000 prompts due
ends in seconds while sending takes as long as Discord's rate limits need. One task means never
two senders at once. Each pass reads the claimed prompts one at a time, oldest claim first, each
just before its turn, and then the reminders that are due; a wake-up during a pass runs another
pass after it, which retries prompts that could not be delivered yet (as every tick did before).
Exactly once still rests on the database: see ``_delivery``.

Discord allows a bot 50 requests a second in all, and a prompt costs one or two (opening the DM
channel, sending); ``[checkins] prompts_per_second`` keeps prompts to a share of that, leaving
the rest to commands. discord.py waits out a 429 by itself; one that still reaches us holds the
pacer back and the same prompt is tried again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import discord

from cogs.checkins._delivery import Delivery
from core.pacing import Pacer
from db import checkins

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

log = logging.getLogger(__name__)

WAKE_EVENT = "checkin_prompts_claimed"  # dispatched by the tick; awaited with bot.wait_for
RATE_LIMITED_PAUSE_SECONDS = 2.0  # when a 429 reaches us without a retry-after of its own
ATTEMPTS_PER_SEND = 3  # tries of one send that keeps meeting 429s before it waits for the next pass


def rate_limited(error: BaseException) -> bool:
    return isinstance(error, discord.RateLimited) or (
        isinstance(error, discord.HTTPException) and error.status == 429
    )


class Sender:
    def __init__(self, bot: PartnershipsBot, delivery: Delivery) -> None:
        self.bot = bot
        self.delivery = delivery
        rate = bot.config.checkin_prompts_per_second
        self.pacer = Pacer(rate, burst=rate)  # a second's worth at once, then one every 1/rate s
        self._task: asyncio.Task[None] | None = None
        self._wanted = False

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="checkin-sender")

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def wake(self) -> None:
        """Ask for a pass (now, or right after the one under way)."""
        self._wanted = True
        self.bot.dispatch(WAKE_EVENT)

    async def _run(self) -> None:
        while True:
            if not self._wanted:
                await self.bot.wait_for(WAKE_EVENT)
            self._wanted = False
            try:
                await self._pass()
            except Exception:
                log.exception("checkin sending pass failed")

    async def _pass(self) -> None:
        database = self.bot.database
        checkin = await checkins.next_unsent(database)
        while checkin is not None:
            await self._paced(self.delivery.deliver, checkin)
            checkin = await checkins.next_unsent(database, after=checkin)
        for due in await self.delivery.reminders_due(self.bot.clock()):
            await self._paced(self.delivery.remind, due)

    async def _paced(
        self, send: Callable[[checkins.Checkin], Awaitable[None]], checkin: checkins.Checkin
    ) -> None:
        for _ in range(ATTEMPTS_PER_SEND):
            await self.pacer.wait_turn()
            try:
                await send(checkin)
                return
            except Exception as error:
                if not rate_limited(error):
                    log.exception("checkin sending failed checkin=%s guild=%s", checkin.id, checkin.guild_id)
                    return
                pause = getattr(error, "retry_after", None) or RATE_LIMITED_PAUSE_SECONDS
                log.warning("checkin sending rate limited checkin=%s pause=%.1fs", checkin.id, pause)
                self.pacer.hold(pause)
