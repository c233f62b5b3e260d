"""Pacing: at most a given number of turns a second, so work sent to Discord stays under its limits.

A token bucket kept as one number, the moment the next turn is free (the "generic cell rate
algorithm"): ``burst`` turns may go at once after a quiet spell, then one every ``1 / rate``
seconds. Discord-free and clock-injectable: tests pass a fake clock and a fake sleep, so pacing is
checked without waiting.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

Sleep = Callable[[float], Awaitable[None]]


class Pacer:
    def __init__(
        self,
        rate: float,
        *,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("a pacer needs a positive rate and a burst of at least one")
        self.rate = rate
        self.interval = 1 / rate
        self._slack = (burst - 1) * self.interval  # how far ahead of now turns may be taken
        self._clock = clock
        self._sleep = sleep
        self._free_at = float("-inf")  # when the bucket is full again

    def reserve(self) -> float:
        """Take the next turn; return how many seconds to wait before using it."""
        now = self._clock()
        start = max(self._free_at, now)
        self._free_at = start + self.interval
        return max(0.0, start - self._slack - now)

    async def wait_turn(self) -> None:
        delay = self.reserve()
        if delay > 0:
            await self._sleep(delay)

    def hold(self, seconds: float) -> None:
        """Discord asked us to slow down: no turn starts within ``seconds``, and no burst after."""
        self._free_at = max(self._free_at, self._clock() + seconds + self._slack)
