"""The scheduler: started with the bot, runs due work at any given `now`, stopped on close."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from core.scheduler import TICK_JOB_ID, Scheduler
from tests.conftest import START, Community


async def test_due_work_receives_the_given_now() -> None:
    seen: list[datetime] = []

    async def work(now: datetime) -> None:
        seen.append(now)

    scheduler = Scheduler(tick_seconds=60)
    scheduler.register("probe", work)
    later = START + timedelta(days=3, hours=2)
    await scheduler.run_due(later)
    assert seen == [later]


async def test_one_failing_feature_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    ran: list[str] = []

    async def broken(now: datetime) -> None:
        raise RuntimeError("broken feature")

    async def healthy(now: datetime) -> None:
        ran.append("healthy")

    scheduler = Scheduler(tick_seconds=60)
    scheduler.register("broken", broken)
    scheduler.register("healthy", healthy)
    await scheduler.run_due(START)
    assert ran == ["healthy"]
    assert any("due work failed work=broken" in record.getMessage() for record in caplog.records)


async def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        await Scheduler(tick_seconds=60).run_due(datetime(2026, 1, 1))  # noqa: DTZ001


async def test_registering_twice_replaces() -> None:
    calls: list[int] = []

    async def first(now: datetime) -> None:
        calls.append(1)

    async def second(now: datetime) -> None:
        calls.append(2)

    scheduler = Scheduler(tick_seconds=60)
    scheduler.register("work", first)
    scheduler.register("work", second)
    await scheduler.run_due(START)
    assert calls == [2]


async def test_bot_starts_the_real_scheduler_and_close_stops_it(community: Community) -> None:
    bot = community.bot
    assert bot.scheduler.running
    job = bot.scheduler._apscheduler.get_job(TICK_JOB_ID)  # type: ignore[union-attr]
    assert job is not None
    assert job.trigger.interval == timedelta(seconds=community.bot_config.tick_seconds)
    await bot.close()
    assert not bot.scheduler.running
    with pytest.raises(RuntimeError, match="not open"):
        _ = bot.database.connection
