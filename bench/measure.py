"""What the benchmark measures, and how: bot-side latency, percentiles, memory, the machine.

Bot-side latency is the time from discord.py parsing an INTERACTION_CREATE (the moment the bot
has the interaction) to the bot's first interaction-response call (a message, a modal, a deferral,
autocomplete choices). Two hooks on discord.py itself record those moments, so neither the
simulated Discord's own work before the event nor its handling of the response is counted, and
the bot's code is not touched. Everything the bot does in between is: parsing, checks,
transformers, database reads and writes, rendering, and any Discord calls it makes first.
"""

from __future__ import annotations

import gc
import os
import platform
import resource
import sqlite3
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from discord import app_commands
from discord.state import ConnectionState
from discord.webhook.async_ import AsyncWebhookAdapter

from core.replies import message_for


@dataclass
class Timing:
    """One interaction, seen from the bot (``time.perf_counter`` moments)."""

    received: float
    answered: float | None = None  # the first interaction response
    finished: float | None = None  # the last follow-up or edit of the response, if any

    @property
    def first_response(self) -> float | None:
        return None if self.answered is None else self.answered - self.received

    @property
    def complete(self) -> float | None:
        """Until the last answer: for commands that defer first and answer later."""
        last = max(filter(None, (self.answered, self.finished)), default=None)
        return None if last is None else last - self.received


# The adapter calls that answer an interaction after its first response (follow-ups, edits).
_LATER_ANSWERS = ("execute_webhook", "edit_webhook_message", "edit_original_interaction_response")


class LatencyProbe:
    """Records when the bot received each interaction, first answered it, and last answered it."""

    def __init__(self) -> None:
        self.timings: dict[int, Timing] = {}
        self._by_token: dict[str, int] = {}

    @contextmanager
    def installed(self) -> Iterator[LatencyProbe]:
        """Hook discord.py while the block runs. Install before the bot is built: its connection
        state copies the parsers when it is created."""
        probe = self
        parse = ConnectionState.parse_interaction_create
        respond = AsyncWebhookAdapter.create_interaction_response
        later = {name: getattr(AsyncWebhookAdapter, name) for name in _LATER_ANSWERS}

        def timed_parse(state: ConnectionState, data: Any) -> None:
            interaction_id = int(data["id"])
            probe.timings.setdefault(interaction_id, Timing(time.perf_counter()))
            probe._by_token[data["token"]] = interaction_id
            parse(state, data)

        def timed_respond(
            adapter: AsyncWebhookAdapter, interaction_id: int, *args: Any, **kwargs: Any
        ) -> Any:
            timing = probe.timings.get(int(interaction_id))
            if timing is not None and timing.answered is None:
                timing.answered = time.perf_counter()
            return respond(adapter, interaction_id, *args, **kwargs)

        def timed_later(name: str) -> Any:
            def call(adapter: AsyncWebhookAdapter, first: Any, token: str, *args: Any, **kwargs: Any) -> Any:
                timing = probe.timings.get(probe._by_token.get(token, -1))
                if timing is not None:
                    timing.finished = time.perf_counter()
                return later[name](adapter, first, token, *args, **kwargs)

            return call

        ConnectionState.parse_interaction_create = timed_parse  # type: ignore[method-assign]
        AsyncWebhookAdapter.create_interaction_response = timed_respond  # type: ignore[method-assign]
        for name in _LATER_ANSWERS:
            setattr(AsyncWebhookAdapter, name, timed_later(name))
        try:
            yield self
        finally:
            ConnectionState.parse_interaction_create = parse  # type: ignore[method-assign]
            AsyncWebhookAdapter.create_interaction_response = respond  # type: ignore[method-assign]
            for name, original in later.items():
                setattr(AsyncWebhookAdapter, name, original)

    def take(self) -> list[Timing]:
        """The interactions received since the last call, oldest first."""
        taken = sorted(self.timings.values(), key=lambda timing: timing.received)
        self.timings.clear()
        self._by_token.clear()
        return taken


def bugs(errors: Sequence[BaseException]) -> list[BaseException]:
    """Errors that are bugs: a refusal with a member-facing message is the bot working as meant."""
    found = []
    for error in errors:
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        cause = original.__cause__ if isinstance(original, app_commands.TransformerError) else None
        if message_for(original) is None and (cause is None or message_for(cause) is None):
            found.append(error)
    return found


def percentile(sorted_values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * share // 1))
    return sorted_values[int(rank) - 1]


@dataclass
class Samples:
    """One scenario's measurements."""

    kind: str
    latencies: list[float] = field(default_factory=list)  # seconds to the first response, bot-side
    completions: list[float] = field(default_factory=list)  # seconds to the last answer (deferrals)
    unanswered: int = 0
    refusals: int = 0  # a clear message to the member: the scenario asked for something invalid
    bugs: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        complete = sorted(self.completions)

        def ms(value: float) -> float:
            return round(value * 1000, 2)

        return {
            "kind": self.kind,
            "iterations": len(self.latencies) + self.unanswered,
            "p50_ms": ms(percentile(ordered, 0.50)),
            "p90_ms": ms(percentile(ordered, 0.90)),
            "p99_ms": ms(percentile(ordered, 0.99)),
            "max_ms": ms(ordered[-1]) if ordered else None,
            "mean_ms": ms(sum(ordered) / len(ordered)) if ordered else None,
            # Only where the answer came later than the first response (a deferral, a follow-up).
            "complete_p50_ms": ms(percentile(complete, 0.50)) if complete else None,
            "complete_p99_ms": ms(percentile(complete, 0.99)) if complete else None,
            "unanswered": self.unanswered,
            "refusals": self.refusals,
            "bugs": self.bugs[:5],
        }


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


def current_rss_mb() -> float:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return round(pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024), 1)
    except OSError:
        return float("nan")


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "discord.py": metadata.version("discord.py"),
        "simcord": metadata.version("simcord"),
    }


class GarbageWatch:
    """Times the collector's full (generation 2) passes: each stops the whole bot while it runs."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._started = 0.0
        self._paused = False

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if info["generation"] != 2 or self._paused:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses.append(time.perf_counter() - self._started)

    @contextmanager
    def installed(self) -> Iterator[GarbageWatch]:
        gc.callbacks.append(self._callback)
        try:
            yield self
        finally:
            gc.callbacks.remove(self._callback)

    def collect_untimed(self) -> None:
        """A full collection the runner makes between scenarios: not the bot's, not counted."""
        self._paused = True
        try:
            gc.collect()
        finally:
            self._paused = False

    def summary(self) -> dict[str, Any]:
        return {
            "full_collections": len(self.pauses),
            "max_pause_ms": round(max(self.pauses, default=0.0) * 1000, 1),
        }
