"""The bot's one scheduler: a periodic tick that runs every feature's due work.

The database is the single source of truth for what is due. Each feature registers a
``DueWork`` function taking ``now``; the tick passes the real clock, tests pass any simulated
time. Nothing is kept in APScheduler's own job store, so a restart loses nothing: the first
tick after start-up (one interval in) finds everything that became due while the bot was down.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from core.clock import Clock, utcnow

log = logging.getLogger(__name__)

DueWork = Callable[[datetime], Awaitable[None]]
TICK_JOB_ID = "due-work-tick"


class Scheduler:
    def __init__(self, tick_seconds: int, clock: Clock = utcnow) -> None:
        self.tick_seconds = tick_seconds
        self.clock = clock
        self._work: dict[str, DueWork] = {}
        self._running = asyncio.Lock()
        self._apscheduler: AsyncIOScheduler | None = None

    def register(self, name: str, work: DueWork) -> None:
        """Add a feature's due-work function; names are unique so a reload replaces, not doubles."""
        self._work[name] = work

    def unregister(self, name: str) -> None:
        self._work.pop(name, None)

    @property
    def registered(self) -> tuple[str, ...]:
        return tuple(self._work)

    async def run_due(self, now: datetime) -> None:
        """Run every feature's due work as of ``now``; one failing feature doesn't stop the others."""
        if now.tzinfo is None:
            raise ValueError("run_due needs an aware datetime")
        async with self._running:  # a slow tick never overlaps the next one
            for name, work in list(self._work.items()):
                try:
                    await work(now)
                except Exception:
                    log.exception("due work failed work=%s now=%s", name, now.isoformat())

    async def _tick(self) -> None:
        await self.run_due(self.clock())

    def start(self) -> None:
        scheduler = AsyncIOScheduler(timezone=UTC)
        scheduler.add_job(
            self._tick,
            IntervalTrigger(seconds=self.tick_seconds, timezone=UTC),
            id=TICK_JOB_ID,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        scheduler.start()
        self._apscheduler = scheduler
        log.info("scheduler started tick_seconds=%d work=%s", self.tick_seconds, ",".join(self._work))

    @property
    def running(self) -> bool:
        return self._apscheduler is not None and self._apscheduler.running

    def shutdown(self) -> None:
        if self._apscheduler is not None and self._apscheduler.running:
            self._apscheduler.shutdown(wait=False)
            log.info("scheduler stopped")
        self._apscheduler = None
